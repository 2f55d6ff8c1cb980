// Confirming payments and refunding them (DESIGN.md §4.4–4.5, docs/decisions/007).
// A provider event is recorded (unique per provider and event id) in the same transaction that
// sells the held units, numbers them and fulfils the order: a replayed event stops at the
// unique index, and a crash leaves either everything or nothing.
import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm'
import {
  counters,
  holds,
  orderLines,
  orders,
  paymentEvents,
  stock,
  type Order,
  type OrderLine,
  type OrderState,
} from '../../db/schema'
import { LIVE_ORDER_STATES, PAID_ORDER_STATES } from '~/domain/order'
import { db, transaction, type Executor } from '~/utils/db.server'
import { paymentProvider, type PaymentNotice } from '~/utils/payments.server'
import { recordAudit } from './audit.server'
import { fulfilPaidOrder, returnOrderUnits } from './fulfilment.server'
import { releaseLapsedHolds } from './reservation.server'

export type ConfirmOutcome =
  | 'paid'
  // Paid after its hold lapsed, and the units were still there: sold anyway, flagged.
  | 'reseated'
  // Paid after its hold lapsed and the units were gone: the payment goes back, flagged.
  | 'refunding'
  | 'duplicate'
  | 'amount_mismatch'
  | 'already_paid'
  | 'unknown_order'

export const ORDER_FLAGS = {
  amountMismatch: 'amount_mismatch',
  paidAfterExpiry: 'paid_after_expiry',
  reseated: 'reseated',
  paidTwice: 'paid_twice',
} as const

const PAID_STATES: readonly OrderState[] = ['paid', 'shipped', 'completed', 'refunding', 'refunded']

export async function confirmPayment(notice: PaymentNotice, now = new Date()): Promise<{ outcome: ConfirmOutcome; orderId: number }> {
  return transaction(async (tx) => {
    const [event] = await tx
      .insert(paymentEvents)
      .values({
        provider: notice.provider,
        eventId: notice.eventId,
        orderId: notice.orderId,
        type: notice.type,
        amountFen: notice.amountFen,
        currency: notice.currency,
        outcome: 'received',
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: paymentEvents.id })
    if (!event) return { outcome: 'duplicate' as const, orderId: notice.orderId }
    const outcome = await applyPayment(tx, notice, now)
    await tx.update(paymentEvents).set({ outcome }).where(eq(paymentEvents.id, event.id))
    return { outcome, orderId: notice.orderId }
  })
}

async function applyPayment(tx: Executor, notice: PaymentNotice, now: Date): Promise<ConfirmOutcome> {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, notice.orderId)).orderBy(asc(orderLines.id))
  // Holds that lapsed but were not released yet are released now, so "pending" below means
  // every hold of the order is still good.
  await releaseLapsedHolds(
    tx,
    now,
    lines.map((line) => line.stockId),
  )
  const [order] = await tx.select().from(orders).where(eq(orders.id, notice.orderId))
  if (!order) return 'unknown_order'
  if (notice.amountFen !== order.totalFen || notice.currency !== order.currency) {
    await flagOrder(tx, order.id, ORDER_FLAGS.amountMismatch, now)
    return 'amount_mismatch'
  }
  const payment = { provider: notice.provider, providerPaymentId: notice.providerPaymentId }
  if (PAID_STATES.includes(order.state)) {
    // A second, different payment for an order already paid: an admin refunds it by hand.
    await flagOrder(tx, order.id, ORDER_FLAGS.paidTwice, now)
    return 'already_paid'
  }

  if (order.state === 'pending') {
    const sold = await tx
      .update(holds)
      .set({ state: 'sold', updatedAt: now })
      .where(and(eq(holds.orderId, order.id), eq(holds.state, 'held')))
      .returning({ stockId: holds.stockId, qty: holds.qty })
    for (const hold of sold) {
      await tx
        .update(stock)
        .set({ held: sql`${stock.held} - ${hold.qty}`, sold: sql`${stock.sold} + ${hold.qty}` })
        .where(eq(stock.id, hold.stockId))
    }
    await markPaid(tx, order, lines, payment, now, null)
    return 'paid'
  }

  // Expired or cancelled, yet paid: sell the units again if they are still there (all lines
  // or none), otherwise give the money back. Either way an admin sees the flag.
  if (await reseat(tx, order, lines, now)) {
    await markPaid(tx, order, lines, payment, now, ORDER_FLAGS.reseated)
    return 'reseated'
  }
  await tx
    .update(orders)
    .set({
      state: 'refunding',
      ...payment,
      refundRequestedAt: now,
      flag: ORDER_FLAGS.paidAfterExpiry,
      flaggedAt: now,
      updatedAt: now,
    })
    .where(eq(orders.id, order.id))
  return 'refunding'
}

/** Takes the units of a lapsed order straight to sold, if every line's are available. */
async function reseat(tx: Executor, order: Order, lines: OrderLine[], now: Date) {
  if (order.exclusiveKey) {
    // The buyer already started another live order under the same key (e.g. a new seat hold).
    const [other] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.exclusiveKey, order.exclusiveKey), inArray(orders.state, [...LIVE_ORDER_STATES])))
      .limit(1)
    if (other) return false
  }
  const taken: OrderLine[] = []
  for (const line of lines) {
    const rows = await tx.all<{ id: number }>(sql`
      UPDATE stock SET sold = sold + ${line.qty}
      WHERE id = ${line.stockId} AND (capacity IS NULL OR capacity - sold - held >= ${line.qty})
      RETURNING id`)
    if (rows.length === 0) {
      for (const done of taken) {
        await tx
          .update(stock)
          .set({ sold: sql`${stock.sold} - ${done.qty}` })
          .where(eq(stock.id, done.stockId))
      }
      return false
    }
    taken.push(line)
  }
  await tx.insert(holds).values(
    lines.map((line) => ({
      stockId: line.stockId,
      orderId: order.id,
      lineId: line.id,
      userId: order.userId,
      qty: line.qty,
      state: 'sold' as const,
      expiresAt: now,
      updatedAt: now,
    })),
  )
  return true
}

/** Numbers the sold units (in payment order, from each stock's counter) and fulfils the order. */
async function markPaid(
  tx: Executor,
  order: Order,
  lines: OrderLine[],
  payment: { provider: PaymentNotice['provider']; providerPaymentId: string | null },
  now: Date,
  flag: string | null,
) {
  const numbered: OrderLine[] = []
  for (const line of lines) {
    let numbers: number[] = []
    if (line.takesNumbers) {
      const [taken] = await tx
        .update(counters)
        .set({ value: sql`${counters.value} + ${line.qty}` })
        .where(eq(counters.id, sql`(SELECT counter_id FROM stock WHERE id = ${line.stockId})`))
        .returning({ value: counters.value })
      if (taken) numbers = Array.from({ length: line.qty }, (_, i) => taken.value - line.qty + 1 + i)
      if (numbers.length > 0) await tx.update(orderLines).set({ numbers }).where(eq(orderLines.id, line.id))
    }
    numbered.push({ ...line, numbers })
  }
  const [paid] = await tx
    .update(orders)
    .set({
      state: 'paid',
      ...payment,
      paidAt: now,
      ...(flag ? { flag, flaggedAt: now } : {}),
      updatedAt: now,
    })
    .where(eq(orders.id, order.id))
    .returning()
  await fulfilPaidOrder(tx, { order: paid!, lines: numbered }, now)
}

async function flagOrder(tx: Executor, orderId: number, flag: string, now: Date) {
  await tx.update(orders).set({ flag, flaggedAt: now, updatedAt: now }).where(eq(orders.id, orderId))
}

/**
 * Starts a refund of a paid order: the order becomes 退款中 at once (the provider is called by
 * processPendingRefunds after commit). Units of an order not yet shipped go back to stock;
 * their numbers are never handed out again. Returns the order, or null when not refundable.
 */
export async function requestRefund({ orderId, actorId, now = new Date() }: { orderId: number; actorId: number | null; now?: Date }) {
  return transaction(async (tx) => {
    const [before] = await tx.select({ state: orders.state }).from(orders).where(eq(orders.id, orderId))
    if (!before || !PAID_ORDER_STATES.includes(before.state)) return null
    const [order] = await tx
      .update(orders)
      .set({ state: 'refunding', refundRequestedAt: now, refundAttempts: 0, refundError: null, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.state, before.state)))
      .returning()
    if (!order) return null
    if (before.state === 'paid') {
      const returned = await tx
        .update(holds)
        .set({ state: 'returned', updatedAt: now })
        .where(and(eq(holds.orderId, orderId), eq(holds.state, 'sold')))
        .returning({ stockId: holds.stockId, qty: holds.qty })
      for (const hold of returned) {
        await tx
          .update(stock)
          .set({ sold: sql`${stock.sold} - ${hold.qty}` })
          .where(eq(stock.id, hold.stockId))
      }
    }
    await returnOrderUnits(tx, order, now)
    if (actorId !== null) {
      await recordAudit(
        { actorId, action: 'order.refund', targetType: 'order', targetId: String(orderId), detail: { from: before.state, totalFen: order.totalFen } },
        tx,
      )
    }
    return order
  })
}

const MAX_REFUND_ATTEMPTS = 8

/** Calls the provider for orders waiting for their refund; a failure is retried with back-off. */
export async function processPendingRefunds(now = new Date(), limit = 20) {
  const due = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.state, 'refunding'),
        lt(orders.refundAttempts, MAX_REFUND_ATTEMPTS),
        // Back-off: 1, 2, 4 … minutes after the last failed attempt.
        or(eq(orders.refundAttempts, 0), lt(orders.updatedAt, sql`${now.getTime()} - (60000 << ${orders.refundAttempts})`)),
      ),
    )
    .orderBy(asc(orders.refundRequestedAt))
    .limit(limit)
  let refunded = 0
  for (const order of due) {
    try {
      await paymentProvider(order.provider ?? 'test').refund({
        orderId: order.id,
        providerPaymentId: order.providerPaymentId,
        amountFen: order.totalFen,
      })
      await db
        .update(orders)
        .set({ state: 'refunded', refundedAt: now, refundError: null, updatedAt: now })
        .where(and(eq(orders.id, order.id), eq(orders.state, 'refunding')))
      refunded += 1
    } catch (error) {
      await db
        .update(orders)
        .set({ refundAttempts: sql`${orders.refundAttempts} + 1`, refundError: String((error as Error).message ?? error), updatedAt: now })
        .where(eq(orders.id, order.id))
    }
  }
  return refunded
}
