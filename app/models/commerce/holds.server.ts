// Holds: the one reservation mechanism for shop stock and drop seats (DESIGN.md §4, decisions
// 007 and 029). Placing an order holds every line's units in one transaction, each by a
// conditional UPDATE that only succeeds while units are available (and, for per-member limits,
// while the buyer's held + paid units stay within the limit); lapsed or cancelled holds give their
// units back and tell whoever listens (unitsReturned), without knowing who that is.
import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import { holds, orderLines, orders, stock, type Order, type OrderKind, type ShippingAddress } from '../../../db/schema'
import { getEnv } from '~/utils/env.server'
import { batchOn, db, transaction, uniqueViolation, type Executor, type InArgs } from '~/utils/db.server'
import { countHoldPlaced, countHoldRefused } from '~/utils/metrics.server'
import { unitsReturned } from './events.server'

export interface LineRequest {
  stockId: number
  qty: number
  unitPriceFen: number
  title: string
  productId?: number | null
  dropTierId?: number | null
  personalisation?: string | null
  /** Most units one buyer may hold or have bought from this stock; null = no limit. */
  perUserLimit?: number | null
  /** Whether paying takes numbers from the stock's counter (default true). */
  takesNumbers?: boolean
}

export type PlaceOrderResult =
  | { ok: true; order: Order }
  | { ok: false; reason: 'sold_out'; stockId: number }
  | { ok: false; reason: 'limit_reached'; stockId: number; limit: number }
  | { ok: false; reason: 'exclusive_taken' }

export type OrderRefusal = Exclude<PlaceOrderResult, { ok: true }>

/**
 * Thrown inside a transaction by holdOrder to roll every earlier line (and the caller's other
 * writes) back; orderRefusal() turns it into a result outside.
 */
export class OrderRefused extends Error {
  constructor(readonly result: OrderRefusal) {
    super(result.reason)
  }
}

/** The refusal an error thrown out of a transaction around holdOrder stands for, or null for any other error. */
export function orderRefusal(error: unknown): OrderRefusal | null {
  const refusal = error instanceof OrderRefused ? error.result : uniqueViolation(error) === 'orders.exclusive_key' ? ({ ok: false, reason: 'exclusive_taken' } as const) : null
  if (refusal) countHoldRefused(refusal.reason)
  return refusal
}

function holdExpiry(now: Date) {
  return new Date(now.getTime() + getEnv().HOLD_MINUTES * 60_000)
}

export interface OrderRequest {
  userId: number
  kind: OrderKind
  lines: readonly LineRequest[]
  shipping?: ShippingAddress | null
  exclusiveKey?: string | null
  dropId?: number | null
  now: Date
}

/**
 * Creates a pending order and holds its lines, all or nothing. Refusals (sold out, over the
 * per-user limit, a second live order under the same exclusive key) change nothing.
 */
export async function placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
  try {
    return await transaction((tx) => holdOrder(tx, request))
  } catch (error) {
    const refused = orderRefusal(error)
    if (refused) return refused
    throw error
  }
}

/**
 * placeOrder inside the caller's transaction, so that what decides the lines (price, gate, sale
 * window) is read under the same write lock that takes the stock. On refusal it throws
 * OrderRefused (or the exclusive key's unique violation): let that roll the transaction back,
 * then read it with orderRefusal().
 */
export async function holdOrder(
  tx: Executor,
  { userId, kind, lines, shipping = null, exclusiveKey = null, dropId = null, now }: OrderRequest,
): Promise<{ ok: true; order: Order }> {
  if (lines.length === 0) throw new Error('an order needs at least one line')
  for (const line of lines) {
    if (!Number.isSafeInteger(line.qty) || line.qty < 1) throw new Error(`invalid quantity ${line.qty}`)
    if (!Number.isSafeInteger(line.unitPriceFen) || line.unitPriceFen < 0) throw new Error('invalid price')
  }
  const expiresAt = holdExpiry(now)
  const totalFen = lines.reduce((sum, line) => sum + line.qty * line.unitPriceFen, 0)
  await releaseLapsedHolds(tx, now, [...new Set(lines.map((line) => line.stockId))])
  const [order] = await tx.insert(orders).values({ userId, kind, totalFen, expiresAt, exclusiveKey, dropId, shipping, updatedAt: now }).returning()
  if (!order) throw new Error('insert returned no order')
  for (const line of lines) {
    const limit = line.perUserLimit ?? null
    const lineInsert = tx
      .insert(orderLines)
      .values({
        orderId: order.id,
        stockId: line.stockId,
        productId: line.productId ?? null,
        dropTierId: line.dropTierId ?? null,
        title: line.title,
        qty: line.qty,
        unitPriceFen: line.unitPriceFen,
        personalisation: line.personalisation ?? null,
        takesNumbers: line.takesNumbers ?? true,
      })
      .returning({ id: orderLines.id })
      .toSQL()
    // The line, its units and its hold in one exchange (decision 037: on a libsql server every
    // exchange is a round trip inside the write lock). The UPDATE's condition decides: units
    // available, and the buyer's held + bought units within the limit; nothing was read first.
    // The hold is written only when it took them (changes() counts the UPDATE's row).
    const [, taken] = await batchOn(tx, [
      { sql: lineInsert.sql, args: lineInsert.params as InArgs },
      {
        sql: `UPDATE stock SET held = held + ?1
              WHERE id = ?2
                AND (capacity IS NULL OR capacity - sold - held >= ?1)
                AND (?3 IS NULL OR ?1 + coalesce((
                  SELECT sum(qty) FROM holds WHERE stock_id = ?2 AND user_id = ?4 AND state IN ('held', 'sold')
                ), 0) <= ?3)
              RETURNING id`,
        args: [line.qty, line.stockId, limit, userId],
      },
      {
        sql: `INSERT INTO holds (stock_id, order_id, line_id, user_id, qty, expires_at, updated_at)
              SELECT ?1, ?2, (SELECT max(id) FROM order_lines WHERE order_id = ?2), ?3, ?4, ?5, ?6
              WHERE changes() = 1`,
        args: [line.stockId, order.id, userId, line.qty, expiresAt.getTime(), now.getTime()],
      },
    ])
    if (taken!.rows.length === 0) {
      throw new OrderRefused(await whyRefused(tx, line.stockId, line.qty, limit))
    }
  }
  countHoldPlaced(kind)
  return { ok: true, order }
}


/** After a refused hold (same transaction): was it the stock or the buyer's limit? For the message only. */
async function whyRefused(tx: Executor, stockId: number, qty: number, limit: number | null): Promise<OrderRefusal> {
  const [row] = await tx.select().from(stock).where(eq(stock.id, stockId))
  if (!row) throw new Error(`no stock ${stockId}`)
  const available = row.capacity === null ? Infinity : row.capacity - row.sold - row.held
  if (limit !== null && available >= qty) return { ok: false, reason: 'limit_reached', stockId, limit }
  return { ok: false, reason: 'sold_out', stockId }
}

export interface ReleasedHold {
  orderId: number
  stockId: number
  qty: number
}

/**
 * Gives held units back: marks the holds released, lowers each stock's `held`, and tells the
 * listeners (the drop's waitlist) which stocks have units again. Takes the holds' WHERE condition.
 */
async function releaseHolds(tx: Executor, where: ReturnType<typeof and>, now: Date): Promise<ReleasedHold[]> {
  const released = await tx
    .update(holds)
    .set({ state: 'released', updatedAt: now })
    .where(and(eq(holds.state, 'held'), where))
    .returning({ orderId: holds.orderId, stockId: holds.stockId, qty: holds.qty })
  if (released.length === 0) return released
  const byStock = new Map<number, number>()
  for (const hold of released) byStock.set(hold.stockId, (byStock.get(hold.stockId) ?? 0) + hold.qty)
  for (const [stockId, qty] of byStock) {
    await tx
      .update(stock)
      .set({ held: sql`${stock.held} - ${qty}` })
      .where(eq(stock.id, stockId))
  }
  await unitsReturned(tx, [...byStock.keys()], now)
  return released
}

/**
 * Releases holds whose time is up (of the orders touching `stockIds`, or all) and marks their
 * pending orders expired — inside the caller's transaction.
 */
export async function releaseLapsedHolds(tx: Executor, now: Date, stockIds?: readonly number[]) {
  const lapsed = and(eq(holds.state, 'held'), lte(holds.expiresAt, now))
  const released = await releaseHolds(
    tx,
    stockIds
      ? and(
          lapsed,
          inArray(
            holds.orderId,
            tx
              .select({ orderId: holds.orderId })
              .from(holds)
              .where(and(lapsed, inArray(holds.stockId, [...stockIds]))),
          ),
        )
      : lapsed,
    now,
  )
  const orderIds = [...new Set(released.map((hold) => hold.orderId))]
  if (orderIds.length > 0) {
    await tx
      .update(orders)
      .set({ state: 'expired', expiredAt: now, updatedAt: now })
      .where(and(inArray(orders.id, orderIds), eq(orders.state, 'pending')))
  }
  return released
}

/**
 * The periodic job: a cheap read finds out whether anything is due before a write transaction is
 * opened. Pages never call it: they read lapsed holds as free (availability.server.ts).
 */
export async function releaseExpiredHolds(now = new Date()): Promise<ReleasedHold[]> {
  const due = await db
    .select({ id: holds.id })
    .from(holds)
    .where(and(eq(holds.state, 'held'), lte(holds.expiresAt, now)))
    .limit(1)
  if (due.length === 0) return []
  return transaction((tx) => releaseLapsedHolds(tx, now))
}

/** The buyer cancels their own unpaid order; its units go back at once. */
export async function cancelOrder({ orderId, userId, now }: { orderId: number; userId: number; now: Date }) {
  return transaction(async (tx) => {
    const [cancelled] = await tx
      .update(orders)
      .set({ state: 'cancelled', cancelledAt: now, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.userId, userId), eq(orders.state, 'pending')))
      .returning({ id: orders.id })
    if (!cancelled) return false
    await releaseHolds(tx, eq(holds.orderId, orderId), now)
    return true
  })
}
