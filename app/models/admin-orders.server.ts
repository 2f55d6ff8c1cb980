// Orders as the admin sees them (/admin/orders): filtered lists, one order with everything
// known about it, the fulfilment actions (each one conditional UPDATE, audited in the same
// transaction) and the CSV export, read in keyset pages so any number of orders streams in
// bounded memory. Refunds go through requestRefund() and refundExtraPayment() (commerce/payments.server.ts),
// flags through order-flags.server.ts.
import { and, asc, desc, eq, exists, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { auditLog, orderLines, orders, products, stock, users, type Order, type OrderKind, type OrderState } from '../../db/schema'
import { formatAddressLine } from '~/domain/address'
import type { OrderFilters } from '~/domain/admin-order-forms'
import type { ShipmentInput } from '~/domain/admin-order-forms.server'
import type { Shipment } from '~/domain/shipment-import.server'
import { orderShippedEmail } from '~/emails/order-shipped'
import { t } from '~/i18n/zh-CN'
import { db, transaction, type Executor } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { notify } from '~/utils/notify.server'
import { fenToYuanString, formatCsvDateTime } from '~/utils/format'
import { recordAudit } from './audit.server'
import { hasOpenFlag, listOpenFlags } from './order-flags.server'
import { listOrderMoney, numberedCapacity } from './commerce.server'

/** The filters with the date range already turned into instants (site time zone). */
export interface OrderSelection extends Omit<OrderFilters, 'from' | 'to'> {
  placedFrom: Date | null
  placedBefore: Date | null
}

function selectionWhere(selection: OrderSelection): SQL | undefined {
  return and(
    selection.state ? eq(orders.state, selection.state) : undefined,
    selection.kind ? eq(orders.kind, selection.kind) : undefined,
    selection.flagged ? hasOpenFlag : undefined,
    selection.placedFrom ? gte(orders.createdAt, selection.placedFrom) : undefined,
    selection.placedBefore ? lt(orders.createdAt, selection.placedBefore) : undefined,
    selection.productId
      ? exists(
          db
            .select({ one: sql`1` })
            .from(orderLines)
            // The unary + keeps SQLite on the order_id index (a few lines per order); left to
            // itself it may walk every line of the product for each order.
            .where(and(eq(orderLines.orderId, orders.id), sql`+${orderLines.productId} = ${selection.productId}`)),
        )
      : undefined,
  )
}

const listColumns = {
  id: orders.id,
  kind: orders.kind,
  state: orders.state,
  totalFen: orders.totalFen,
  // The open flags, comma-separated (a correlated subquery names the outer table in full).
  flags: sql<string | null>`(SELECT group_concat(f.flag) FROM order_flags f WHERE f.order_id = orders.id AND f.cleared_at IS NULL)`,
  createdAt: orders.createdAt,
  buyerName: users.displayName,
  buyerEmail: users.email,
}

function linesOf(orderIds: number[], executor: Executor = db) {
  if (orderIds.length === 0) return Promise.resolve([])
  return executor.select().from(orderLines).where(inArray(orderLines.orderId, orderIds)).orderBy(asc(orderLines.id))
}

function groupBy<T extends { orderId: number }>(rows: T[]) {
  const byOrder = new Map<number, T[]>()
  for (const row of rows) {
    const list = byOrder.get(row.orderId)
    if (list) list.push(row)
    else byOrder.set(row.orderId, [row])
  }
  return byOrder
}

/** One page of the filtered orders, newest first, with each order's lines (title × qty). */
export async function listAdminOrders({ selection, page, pageSize }: { selection: OrderSelection; page: number; pageSize: number }) {
  const where = selectionWhere(selection)
  const [rows, total] = await Promise.all([
    db
      .select(listColumns)
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.$count(orders, where),
  ])
  const lines = groupBy(await linesOf(rows.map((row) => row.id)))
  return {
    total,
    orders: rows.map(({ flags, ...row }) => ({ ...row, flags: flags ? flags.split(',') : [], lines: (lines.get(row.id) ?? []).map(({ title, qty }) => ({ title, qty })) })),
  }
}

/** Products to filter by (every product that exists, published or not). */
export function listProductChoices() {
  return db.select({ id: products.id, title: products.title }).from(products).orderBy(asc(products.title), asc(products.id))
}

/** Orders needing an admin: goods paid and not shipped yet, and flagged orders. */
export async function countOrdersNeedingAttention() {
  const [toShip, flagged] = await Promise.all([
    db.$count(orders, and(eq(orders.state, 'paid'), eq(orders.kind, 'goods'))),
    db.$count(orders, hasOpenFlag),
  ])
  return { toShip, flagged }
}

// ---- one order ---------------------------------------------------------------------------------

/** The order with its buyer, lines, open flags, payments and refunds, and the staff actions taken on it. */
export async function getAdminOrder(orderId: number) {
  const [found] = await db
    .select({ order: orders, buyer: { id: users.id, name: users.displayName, email: users.email } })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .where(eq(orders.id, orderId))
  if (!found) return undefined
  const [lines, flags, money, history] = await Promise.all([
    db
      // A limited edition's size is its numbered capacity ("No. 37 / 500"), across its variants.
      .select({
        line: orderLines,
        productSlug: products.slug,
        personalisationLabel: products.personalisationLabel,
        limitedEdition: products.limitedEdition,
        capacity: numberedCapacity(),
      })
      .from(orderLines)
      .leftJoin(products, eq(products.id, orderLines.productId))
      .leftJoin(stock, eq(stock.id, orderLines.stockId))
      .where(eq(orderLines.orderId, orderId))
      .orderBy(asc(orderLines.id)),
    listOpenFlags(orderId),
    listOrderMoney(orderId),
    db
      .select({ entry: auditLog, actorName: users.displayName })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(eq(auditLog.targetType, 'order'), eq(auditLog.targetId, String(orderId))))
      .orderBy(asc(auditLog.id)),
  ])
  return { ...found, lines, flags, ...money, history }
}

/** The order's state, or undefined when there is no such order. */
export async function getOrderState(orderId: number) {
  const [row] = await db.select({ state: orders.state }).from(orders).where(eq(orders.id, orderId))
  return row?.state
}

// ---- actions -----------------------------------------------------------------------------------

export type OrderActionResult =
  | { ok: true; order: Order }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'wrong_state'; state: OrderState; kind: OrderKind }

/** After a conditional UPDATE changed nothing (same transaction): why. */
async function refusal(tx: Executor, orderId: number): Promise<Exclude<OrderActionResult, { ok: true }>> {
  const [order] = await tx.select({ state: orders.state, kind: orders.kind }).from(orders).where(eq(orders.id, orderId))
  return order ? { ok: false, reason: 'wrong_state', state: order.state, kind: order.kind } : { ok: false, reason: 'not_found' }
}

/** Queues the "shipped" email to the buyer, in the caller's transaction. */
async function emailShipment(tx: Executor, order: Order, now: Date, corrected: boolean) {
  const [buyer] = await tx.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, order.userId))
  if (!buyer || !order.carrier || !order.trackingNumber) return
  const lines = await linesOf([order.id], tx)
  const message = orderShippedEmail({
    name: buyer.name,
    order,
    lines,
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    url: `${getEnv().SITE_URL}/orders/${order.id}`,
    corrected,
  })
  await sendEmail({ ...message, to: buyer.email, template: 'order-shipped' }, tx, now)
}

/** A staff member's shipment details for an order. */
interface ShipmentRequest {
  orderId: number
  shipment: ShipmentInput
  actorId: number
  now: Date
}

/** paid → shipped for one goods order in the caller's transaction: email and audit included. */
async function shipInTransaction(tx: Executor, { orderId, shipment, actorId, now }: ShipmentRequest): Promise<OrderActionResult> {
  const [order] = await tx
    .update(orders)
    .set({ state: 'shipped', carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, shippedAt: now, updatedAt: now })
    .where(and(eq(orders.id, orderId), eq(orders.state, 'paid'), eq(orders.kind, 'goods')))
    .returning()
  if (!order) return refusal(tx, orderId)
  await emailShipment(tx, order, now, false)
  const data = { path: `/orders/${order.id}`, orderId: order.id, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber }
  await notify(tx, { userId: order.userId, kind: 'order_shipped', key: `order:${order.id}`, data }, now)
  await recordAudit({ actorId, action: 'order.ship', targetType: 'order', targetId: orderId, detail: { ...shipment } }, tx)
  return { ok: true, order }
}

/** paid → shipped for a goods order, with carrier and tracking; the buyer is emailed. */
export async function markOrderShipped(request: ShipmentRequest): Promise<OrderActionResult> {
  return transaction((tx) => shipInTransaction(tx, request))
}

export type BulkShipRefusal = { orderId: number } & Exclude<OrderActionResult, { ok: true }>

/** Thrown inside the transaction to roll every shipment back when one is refused. */
class ShipmentsRefused extends Error {
  constructor(readonly refusals: BulkShipRefusal[]) {
    super('shipments refused')
  }
}

/**
 * 批量发货: every order paid → shipped with its carrier and tracking, each buyer emailed and
 * each shipment audited, all in one transaction. If any order cannot be shipped (unknown, not
 * paid, not goods) none is, and every refusal is returned.
 */
export async function markOrdersShipped({ shipments, actorId, now }: { shipments: readonly Shipment[]; actorId: number; now: Date }) {
  try {
    return await transaction(async (tx) => {
      const refusals: BulkShipRefusal[] = []
      for (const { orderId, ...shipment } of shipments) {
        const result = await shipInTransaction(tx, { orderId, shipment, actorId, now })
        if (!result.ok) refusals.push({ orderId, ...result })
      }
      if (refusals.length > 0) throw new ShipmentsRefused(refusals)
      return { ok: true as const, shipped: shipments.length }
    })
  } catch (error) {
    if (error instanceof ShipmentsRefused) return { ok: false as const, refusals: error.refusals }
    throw error
  }
}

/** Corrects the carrier or tracking number of a shipped order; the buyer gets the new one. */
export async function updateOrderTracking({ orderId, shipment, actorId, now }: ShipmentRequest): Promise<OrderActionResult> {
  return transaction(async (tx) => {
    const [before] = await tx.select({ carrier: orders.carrier, trackingNumber: orders.trackingNumber }).from(orders).where(eq(orders.id, orderId))
    const [order] = await tx
      .update(orders)
      .set({ carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.state, 'shipped'), eq(orders.kind, 'goods')))
      .returning()
    if (!order) return refusal(tx, orderId)
    if (before?.carrier === shipment.carrier && before.trackingNumber === shipment.trackingNumber) return { ok: true, order }
    await emailShipment(tx, order, now, true)
    await recordAudit({ actorId, action: 'order.tracking', targetType: 'order', targetId: orderId, detail: { before, after: { ...shipment } } }, tx)
    return { ok: true, order }
  })
}

/** shipped → completed (the buyer has the goods). */
export async function markOrderCompleted({ orderId, actorId, now }: { orderId: number; actorId: number; now: Date }): Promise<OrderActionResult> {
  return transaction(async (tx) => {
    const [order] = await tx
      .update(orders)
      .set({ state: 'completed', completedAt: now, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.state, 'shipped')))
      .returning()
    if (!order) return refusal(tx, orderId)
    await recordAudit({ actorId, action: 'order.complete', targetType: 'order', targetId: orderId }, tx)
    return { ok: true, order }
  })
}

// ---- CSV export --------------------------------------------------------------------------------

export const EXPORT_PAGE_SIZE = 500

// Only the columns the file needs: reading and mapping every column costs several times more.
const exportColumns = {
  id: orders.id,
  state: orders.state,
  shipping: orders.shipping,
  carrier: orders.carrier,
  trackingNumber: orders.trackingNumber,
  createdAt: orders.createdAt,
  paidAt: orders.paidAt,
  buyerName: users.displayName,
  buyerEmail: users.email,
  title: orderLines.title,
  variantLabel: orderLines.variantLabel,
  qty: orderLines.qty,
  unitPriceFen: orderLines.unitPriceFen,
  numbers: orderLines.numbers,
  personalisation: orderLines.personalisation,
}

/** Where the previous page ended: newest first is (createdAt, id) descending. */
interface ExportKey {
  createdAt: Date
  id: number
}

/**
 * One keyset page of the export: the lines of the next `limit` orders after `after` (newest
 * first), each with its order and buyer — one query per page. The row-value comparison walks
 * an index on created_at (which ends in the rowid), so every page costs the same.
 */
function exportPage(selection: OrderSelection, after: ExportKey | null, limit: number) {
  const pageOrders = db
    .select({ id: orders.id })
    .from(orders)
    .where(and(selectionWhere(selection), after ? sql`(${orders.createdAt}, ${orders.id}) < (${after.createdAt.getTime()}, ${after.id})` : undefined))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit)
  return db
    .select(exportColumns)
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(inArray(orders.id, pageOrders))
    .orderBy(desc(orders.createdAt), desc(orders.id), asc(orderLines.id))
}

/**
 * The rows of the CSV export (columns as t.adminOrders.csvHeader): one per order line, the
 * order's columns repeated on each; 金额 is the line's amount (数量 × 单价), so a column sum
 * is the revenue. Reads the database one keyset page at a time, only as the rows are taken.
 */
export async function* exportOrderRows({
  selection,
  timeZone,
  pageSize = EXPORT_PAGE_SIZE,
}: {
  selection: OrderSelection
  timeZone: string
  pageSize?: number
}): AsyncGenerator<unknown[]> {
  const when = (date: Date | null) => formatCsvDateTime(date, timeZone)
  let after: ExportKey | null = null
  for (;;) {
    const page = await exportPage(selection, after, pageSize)
    if (page.length === 0) return
    for (const row of page) {
      const address = row.shipping
      yield [
        row.id,
        when(row.createdAt),
        t.orders.states[row.state],
        row.buyerName,
        row.buyerEmail,
        row.title,
        row.variantLabel ?? '',
        row.qty,
        fenToYuanString(row.unitPriceFen),
        row.numbers.join('、'),
        row.personalisation ?? '',
        fenToYuanString(row.qty * row.unitPriceFen),
        address?.name ?? '',
        address?.phone ?? '',
        address ? formatAddressLine(address) : '',
        row.carrier ?? '',
        row.trackingNumber ?? '',
        when(row.paidAt),
      ]
    }
    const last = page[page.length - 1]!
    after = { createdAt: last.createdAt, id: last.id }
  }
}
