// Holds: the one reservation mechanism for shop stock and drop seats (DESIGN.md §4, decisions
// 007 and 029). Placing an order holds every line's units in one transaction, each by a
// conditional UPDATE that only succeeds while units are available (and, for per-member limits,
// while the buyer's held + paid units stay within the limit); lapsed or cancelled holds give their
// units back and tell whoever listens (unitsReturned), without knowing who that is.
import { and, eq, lte, sql } from 'drizzle-orm'
import { holds, orderLines, orders, type Order, type OrderKind, type ShippingAddress } from '../../../db/schema'
import { getEnv } from '~/utils/env.server'
import { LIVE_ORDER_STATES } from '~/domain/order'
import { batchOn, db, transaction, uniqueViolation, writeBatch, type Executor, type InArgs, type InStatement, type InValue, type ResultSet, type Row } from '~/utils/db.server'
import { countHoldPlaced, countHoldRefused } from '~/utils/metrics.server'
import { unitsReturned } from './events.server'
import { statement, tableRow } from './statements.server'

export interface LineRequest {
  stockId: number
  qty: number
  unitPriceFen: number
  title: string
  productId?: number | null
  dropTierId?: number | null
  personalisation?: string | null
  /** The variant bought and how it reads (「尺码：L」), kept on the line (decision 047). */
  variantId?: number | null
  variantLabel?: string | null
  /** Most units one buyer may hold or have bought from this stock; null = no limit. */
  perUserLimit?: number | null
  /**
   * The stocks whose units one buyer's limit counts (default: this line's): a product's variants
   * share one per-member limit (decision 047).
   */
  limitStockIds?: readonly number[]
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
  /** The delivery fee, already decided by the caller in this transaction; only goods pay one (decision 048). */
  shippingFeeFen?: number
  exclusiveKey?: string | null
  dropId?: number | null
  now: Date
  /**
   * For placeOrderInOneWrite: a SELECT that returns a row while what the caller decided the lines
   * from, read before the write, still holds. When it returns none nothing is placed
   * (DECIDE_IN_TRANSACTION). holdOrder, inside the transaction that read them, needs none.
   */
  stillValid?: InStatement
}

/** An order's lines and fee checked (a caller's mistake throws), its hold's expiry and its total. */
function checkedOrder({ kind, lines, shippingFeeFen = 0, now }: Pick<OrderRequest, 'kind' | 'lines' | 'shippingFeeFen' | 'now'>) {
  if (lines.length === 0) throw new Error('an order needs at least one line')
  if (!Number.isSafeInteger(shippingFeeFen) || shippingFeeFen < 0) throw new Error('invalid shipping fee')
  // Courses, memberships — anything but goods — are not delivered, so they never pay for it.
  if (kind !== 'goods' && shippingFeeFen !== 0) throw new Error(`a ${kind} order has no shipping fee`)
  for (const line of lines) {
    if (!Number.isSafeInteger(line.qty) || line.qty < 1) throw new Error(`invalid quantity ${line.qty}`)
    if (!Number.isSafeInteger(line.unitPriceFen) || line.unitPriceFen < 0) throw new Error('invalid price')
  }
  // What the buyer pays, delivery included: a payment is checked against it, a refund returns it.
  const totalFen = lines.reduce((sum, line) => sum + line.qty * line.unitPriceFen, 0) + shippingFeeFen
  return { expiresAt: holdExpiry(now), totalFen }
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
  { userId, kind, lines, shipping = null, shippingFeeFen = 0, exclusiveKey = null, dropId = null, now }: OrderRequest,
): Promise<{ ok: true; order: Order }> {
  const { expiresAt, totalFen } = checkedOrder({ kind, lines, shippingFeeFen, now })
  // The stocks a limit counts too: a lapsed hold there must not count against the buyer.
  const release = releaseLapsedStatements(now, [...new Set(lines.flatMap((line) => [line.stockId, ...(line.limitStockIds ?? [])]))])
  const orderInsert = tx
    .insert(orders)
    .values({ userId, kind, totalFen, shippingFeeFen, expiresAt, exclusiveKey, dropId, shipping, updatedAt: now })
    .returning()
    .toSQL()
  // One exchange (decision 038): the lapsed holds of these stocks given back, the order, and each
  // line with its units and its hold. Every condition is in the SQL: nothing of the stock was read.
  const results = await batchOn(tx, [
    ...release,
    { sql: orderInsert.sql, args: orderInsert.params as InArgs },
    ...lines.flatMap((line) => lineStatements(tx, line, { userId, expiresAt, now })),
  ])
  const released = releasedHolds(results[release.length - 1]!)
  const order = tableRow(orders, results[release.length]!.rows[0]!)
  lines.forEach((line, index) => {
    const [, taken, refused] = results.slice(release.length + 1 + index * LINE_STATEMENTS)
    if (taken!.rows.length === 0) throw new OrderRefused(whyRefused(line, refused!.rows[0]))
  })
  // Rare (a hold lapsed and no job released it yet): whoever listens hears of it in a further exchange.
  await unitsReturned(tx, released.map((hold) => hold.stockId), now)
  countHoldPlaced(kind)
  return { ok: true, order }
}

/** What placeOrderInOneWrite leaves to a transaction: decide again with holdOrder, from reads inside the write. */
export const DECIDE_IN_TRANSACTION = 'decide in a transaction'

/**
 * A one-line order placed by one write of statements alone (writeBatch; decision 057): on a libsql
 * server it travels with the other writes waiting, BEGIN to COMMIT in one request. The units are
 * taken first, by an UPDATE whose condition decides everything — units free, the buyer's limit, no
 * live order under the exclusive key, and `stillValid` — and only if it took them are the order,
 * its line and its hold written (`changes() = 1`): a refusal writes nothing. Lapsed holds of these
 * stocks are given back in a transaction, with what their listeners write: when there is one, or
 * the decision is stale, nothing is written here and the result is DECIDE_IN_TRANSACTION, for the
 * caller to place the order with holdOrder in a transaction.
 */
export async function placeOrderInOneWrite(request: OrderRequest): Promise<PlaceOrderResult | typeof DECIDE_IN_TRANSACTION> {
  const [line, ...more] = request.lines
  if (!line || more.length > 0) throw new Error('one write places an order of one line')
  const { statements, outcome } = oneWriteStatements(request, line)
  const result = outcome(await writeBatch(statements))
  if (result === DECIDE_IN_TRANSACTION) return result
  if (result.ok) countHoldPlaced(request.kind)
  else countHoldRefused(result.reason)
  return result
}

function oneWriteStatements(request: OrderRequest, line: LineRequest) {
  const { userId, kind, exclusiveKey = null, dropId = null, now } = request
  const { expiresAt, totalFen } = checkedOrder(request)
  const valid = namedArguments(request.stillValid)
  const liveStates = LIVE_ORDER_STATES.map((state) => `'${state}'`).join(', ')
  const exclusive = `SELECT 1 FROM orders WHERE exclusive_key = :exclusive_key AND state IN (${liveStates})`
  const lapsed = lapsedHoldsOf('SELECT value FROM json_each(:lapsed_stocks)')
  // The line's units taken first, and only while the key is free, the decision still holds and no
  // lapsed hold is in the way; the refusal's SELECT says which of them failed.
  const [lineInsert, take, why, holdInsert] = lineStatements(db, line, { userId, expiresAt, now }, {
    conditions: [`NOT EXISTS (${exclusive})`, `EXISTS (${valid.sql})`, `NOT EXISTS (${lapsed})`],
    columns: [`EXISTS (${valid.sql}) AS still_valid`, `EXISTS (${exclusive}) AS exclusive_taken`, `EXISTS (${lapsed}) AS lapsed`],
    args: { ...valid.args, exclusive_key: exclusiveKey, lapsed_stocks: JSON.stringify([line.stockId, ...(line.limitStockIds ?? [])]) },
  })
  const orderInsert = db
    .insert(orders)
    .values({ userId, kind, totalFen, shippingFeeFen: request.shippingFeeFen ?? 0, expiresAt, exclusiveKey, dropId, shipping: request.shipping ?? null, updatedAt: now })
    .returning()
    .toSQL()
  const statements = [take!, why!, onlyAfterAChange({ sql: orderInsert.sql, args: orderInsert.params as InArgs }), onlyAfterAChange(lineInsert!), holdInsert!]
  const outcome = ([taken, refused, inserted]: ResultSet[]): PlaceOrderResult | typeof DECIDE_IN_TRANSACTION => {
    if (taken!.rows.length === 1) return { ok: true, order: tableRow(orders, inserted!.rows[0]!) }
    const found = refused!.rows[0]
    if (!found) throw new Error(`no stock ${line.stockId}`)
    if (!Number(found.still_valid) || Number(found.lapsed)) return DECIDE_IN_TRANSACTION
    if (Number(found.exclusive_taken)) return { ok: false, reason: 'exclusive_taken' }
    return whyRefused(line, found)
  }
  return { statements, outcome }
}

/**
 * A statement's SQL and arguments, its `?` arguments named (:valid_0, …) so that it can sit inside
 * statements whose arguments are named; a row always when there is none. For SQL the server
 * builds, without a `?` inside a string.
 */
function namedArguments(statement: InStatement | undefined): { sql: string; args: Record<string, InValue> } {
  if (statement === undefined) return { sql: 'SELECT 1', args: {} }
  if (typeof statement === 'string') return { sql: statement, args: {} }
  const { sql, args = [] } = statement
  if (!Array.isArray(args)) return { sql, args: args as Record<string, InValue> }
  let next = 0
  return { sql: sql.replace(/\?/g, () => `:valid_${next++}`), args: Object.fromEntries(args.map((value, index) => [`valid_${index}`, value])) }
}

/**
 * An INSERT of one row as drizzle builds it (`… values (…)`, maybe `returning …`) made to insert
 * only when the statement before it changed a row: `… select … where changes() = 1`.
 */
function onlyAfterAChange(insert: InStatement): InStatement {
  const { sql, args } = typeof insert === 'string' ? { sql: insert, args: [] } : insert
  const values = sql.indexOf(' values (')
  const returning = sql.indexOf(') returning ')
  const end = returning === -1 ? sql.lastIndexOf(')') : returning
  if (values === -1 || end < values || !sql.startsWith('insert into ')) throw new Error(`not a one-row insert: ${sql}`)
  return { sql: `${sql.slice(0, values)} select ${sql.slice(values + ' values ('.length, end)} where changes() = 1${sql.slice(end + 1)}`, args }
}

/** The order a hold's batch inserted: ids only grow (AUTOINCREMENT) and the batch holds the write lock. */
const THIS_ORDER = sql`(SELECT max(id) FROM orders)`

const LINE_STATEMENTS = 4

/** Further conditions the UPDATE takes a line's units under, and what the refusal's SELECT adds to say which failed. */
interface TakeGuard {
  /** SQL conditions over named arguments. */
  conditions: string[]
  /** SQL columns (`… AS name`) of the refusal's SELECT. */
  columns: string[]
  args: Record<string, InValue>
}

/**
 * One line of an order, as four statements of its batch: the line; its units, taken by an UPDATE
 * whose condition decides (units available, and the buyer's held + bought units within the
 * limit, and `guard`'s conditions); why not, when it did not take them (the stock as the refusal
 * found it, and `guard`'s columns); and its hold, written only when the UPDATE took the units
 * (changes() counts the UPDATE's row; a SELECT leaves it).
 */
function lineStatements(
  tx: Executor,
  line: LineRequest,
  { userId, expiresAt, now }: { userId: number; expiresAt: Date; now: Date },
  guard: TakeGuard = { conditions: [], columns: [], args: {} },
): InStatement[] {
  const lineInsert = tx
    .insert(orderLines)
    .values({
      orderId: THIS_ORDER,
      stockId: line.stockId,
      productId: line.productId ?? null,
      dropTierId: line.dropTierId ?? null,
      title: line.title,
      qty: line.qty,
      unitPriceFen: line.unitPriceFen,
      personalisation: line.personalisation ?? null,
      variantId: line.variantId ?? null,
      variantLabel: line.variantLabel ?? null,
      takesNumbers: line.takesNumbers ?? true,
    })
    .toSQL()
  const args = {
    qty: line.qty,
    stock_id: line.stockId,
    limit: line.perUserLimit ?? null,
    limit_stocks: JSON.stringify(line.limitStockIds ?? [line.stockId]),
    user_id: userId,
    expires_at: expiresAt.getTime(),
    now: now.getTime(),
    ...guard.args,
  }
  return [
    { sql: lineInsert.sql, args: lineInsert.params as InArgs },
    statement(
      `UPDATE stock SET held = held + :qty
       WHERE id = :stock_id
         AND (capacity IS NULL OR capacity - sold - held >= :qty)
         AND (:limit IS NULL OR :qty + coalesce((
           SELECT sum(qty) FROM holds WHERE stock_id IN (SELECT value FROM json_each(:limit_stocks)) AND user_id = :user_id AND state IN ('held', 'sold')
         ), 0) <= :limit)
         ${guard.conditions.map((condition) => `AND ${condition}`).join(' ')}
       RETURNING id`,
      args,
    ),
    statement(`SELECT ${['capacity', 'sold', 'held', ...guard.columns].join(', ')} FROM stock WHERE id = :stock_id AND changes() = 0`, args),
    statement(
      `INSERT INTO holds (stock_id, order_id, line_id, user_id, qty, expires_at, updated_at)
       SELECT stock_id, order_id, id, :user_id, qty, :expires_at, :now FROM order_lines
       WHERE id = (SELECT max(id) FROM order_lines) AND changes() = 1`,
      args,
    ),
  ]
}

/** Why a line's units were not taken, from its stock as the refusal found it: the stock or the buyer's limit. */
function whyRefused(line: LineRequest, found: Row | undefined): OrderRefusal {
  if (!found) throw new Error(`no stock ${line.stockId}`)
  const available = found.capacity === null ? Infinity : Number(found.capacity) - Number(found.sold) - Number(found.held)
  const limit = line.perUserLimit ?? null
  if (limit !== null && available >= line.qty) return { ok: false, reason: 'limit_reached', stockId: line.stockId, limit }
  return { ok: false, reason: 'sold_out', stockId: line.stockId }
}

export interface ReleasedHold {
  orderId: number
  stockId: number
  qty: number
}

/**
 * Gives held units back, as statements of one batch over the same set of held holds (`which`,
 * SQL over `holds` with named arguments): each stock's `held` lowered by its holds' units, the
 * orders of lapsed holds marked expired (with `expireOrders`), and last, since it changes the set,
 * the holds marked released, returning them (read with releasedHolds).
 */
function releaseStatements(which: string, args: Record<string, InValue>, { expireOrders }: { expireOrders: boolean }): InStatement[] {
  const held = `state = 'held' AND ${which}`
  return [
    statement(
      `UPDATE stock SET held = held - (SELECT sum(qty) FROM holds WHERE stock_id = stock.id AND ${held})
       WHERE id IN (SELECT stock_id FROM holds WHERE ${held})`,
      args,
    ),
    ...(expireOrders
      ? [
          statement(
            `UPDATE orders SET state = 'expired', expired_at = :now, updated_at = :now
             WHERE state = 'pending' AND id IN (SELECT order_id FROM holds WHERE ${held})`,
            args,
          ),
        ]
      : []),
    statement(`UPDATE holds SET state = 'released', updated_at = :now WHERE ${held} RETURNING order_id, stock_id, qty`, args),
  ]
}

export function releasedHolds(result: ResultSet): ReleasedHold[] {
  return result.rows.map((row) => ({ orderId: Number(row.order_id), stockId: Number(row.stock_id), qty: Number(row.qty) }))
}

/**
 * The statements that release holds whose time is up — of the orders with a lapsed hold on one
 * of `stocks` (their ids, or the stocks of an order's lines), or all — and mark their pending
 * orders expired; the last returns the holds (releasedHolds).
 */
export function releaseLapsedStatements(now: Date, stocks?: readonly number[] | { linesOf: number }): InStatement[] {
  const lapsed = 'expires_at <= :now'
  const stockIds = stocks === undefined ? null : 'linesOf' in stocks ? 'SELECT stock_id FROM order_lines WHERE order_id = :order_id' : 'SELECT value FROM json_each(:stock_ids)'
  const which = stockIds ? `${lapsed} AND order_id IN (${lapsedHoldsOf(stockIds)})` : lapsed
  const args = {
    now: now.getTime(),
    stock_ids: Array.isArray(stocks) ? JSON.stringify(stocks) : null,
    order_id: stocks && 'linesOf' in stocks ? stocks.linesOf : null,
  }
  return releaseStatements(which, args, { expireOrders: true })
}

/**
 * Releases holds whose time is up (of the orders touching `stockIds`, or all) and marks their
 * pending orders expired — inside the caller's transaction, in one exchange when none lapsed.
 */
export async function releaseLapsedHolds(tx: Executor, now: Date, stockIds?: readonly number[]) {
  const results = await batchOn(tx, releaseLapsedStatements(now, stockIds))
  const released = releasedHolds(results.at(-1)!)
  await unitsReturned(tx, released.map((hold) => hold.stockId), now)
  return released
}

/** The orders of held holds of these stocks (a SELECT of their ids) whose time is up at `:now`. */
function lapsedHoldsOf(stockIds: string) {
  return `SELECT order_id FROM holds WHERE state = 'held' AND expires_at <= :now AND stock_id IN (${stockIds})`
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
    const args = { order_id: orderId, user_id: userId, now: now.getTime() }
    // One exchange: the order cancelled if it is the buyer's and unpaid, and its holds given back
    // only if it now is cancelled (another's order, or a paid one, keeps its holds).
    const [cancelled, ...release] = await batchOn(tx, [
      statement(
        `UPDATE orders SET state = 'cancelled', cancelled_at = :now, updated_at = :now
         WHERE id = :order_id AND user_id = :user_id AND state = 'pending' RETURNING id`,
        args,
      ),
      ...releaseStatements(`order_id = :order_id AND (SELECT state FROM orders WHERE id = :order_id) = 'cancelled'`, args, { expireOrders: false }),
    ])
    if (cancelled!.rows.length === 0) return false
    const released = releasedHolds(release.at(-1)!)
    await unitsReturned(tx, released.map((hold) => hold.stockId), now)
    return true
  })
}
