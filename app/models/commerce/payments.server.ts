// Confirming payments and giving money back (DESIGN.md §4.4–4.5, docs/decisions/007).
// A provider event is recorded (unique per provider and event id) in the same transaction that
// sells the held units, numbers them and fulfils the order; applying it runs in a savepoint, so
// whatever becomes of the order, the payment itself is kept. A repeat of an event answers with
// what the first did. Money goes back through `refunds` rows, each claimed by one process before
// the provider is called (after commit: no network I/O inside a transaction).
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { holds, orderLines, orders, paymentEvents, refunds, stock, users, type Order, type OrderLine, type PaymentProviderName } from '../../../db/schema'
import { LIVE_ORDER_STATES, hasReceivedPayment, isPaidState, type RefundReason } from '~/domain/order'
import { batchOn, db, transaction, type Executor, type InArgs, type InStatement, type Transaction } from '~/utils/db.server'
import { orderRefundedEmail } from '~/emails/order-refunded'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { formatFen } from '~/utils/format'
import { countPaymentConfirmed } from '~/utils/metrics.server'
import { notify } from '~/utils/notify.server'
import { PaymentProviderError, paymentProvider, type PaymentNotice, type RefundNotice } from '~/utils/payments.server'
import { recordAudit } from '../audit.server'
import { raiseFlag } from '../order-flags.server'
import { checkoutPaidStatement } from '../payable-checkout.server'
import { unitsReturned } from './events.server'
import { releasedHolds, releaseLapsedStatements, type ReleasedHold } from './holds.server'
import { numbersTaken, returnNumbers, takeNumbersStatements } from './numbers.server'
import { fulfilPaidOrder, lateOrderProblem, returnOrderUnits } from './order-kinds.server'
import { statement, tableRow } from './statements.server'

export const CONFIRM_OUTCOMES = [
  'paid',
  // Paid after its order lapsed or was cancelled, and it would be accepted now: sold, flagged.
  'reseated',
  // Paid after its order lapsed or was cancelled, and it would not be accepted now: refunded, flagged.
  'refunding',
  // A payment of the wrong amount or currency: kept on the order, flagged for an admin to refund.
  'amount_mismatch',
  // A further payment for an order that already had one: flagged for an admin to refund.
  'already_paid',
  // A payment naming no order we know: refunded.
  'unknown_order',
  // Applying it failed: recorded, flagged and refunded; the order is as it was.
  'error',
] as const
export type ConfirmOutcome = (typeof CONFIRM_OUTCOMES)[number]

export interface ConfirmResult {
  outcome: ConfirmOutcome
  orderId: number
  /** The provider told us of this payment before; `outcome` is what the first time did. */
  duplicate: boolean
}

export async function confirmPayment(notice: PaymentNotice, now = new Date()): Promise<ConfirmResult> {
  const result = await transaction(async (tx): Promise<ConfirmResult> => {
    const received = await receivePayment(tx, notice, now)
    if (received.kind !== 'new') {
      // Told before, or the same money told by another event (Stripe may send
      // checkout.session.completed and then async_payment_succeeded for one PaymentIntent): a
      // repeat, not a second payment to refund. Nothing of applying it stays.
      const event = received.kind === 'same_payment' ? statement('UPDATE payment_events SET outcome = :outcome WHERE id = :id', { outcome: REPEATED, id: received.eventId }) : null
      await batchOn(tx, [...abandonApplying, ...(event ? [event] : [])])
      return { outcome: received.outcome as ConfirmOutcome, orderId: notice.orderId, duplicate: true }
    }
    const { eventId } = received
    let applied: Applied
    let error: string | null = null
    try {
      applied = await applyPayment(tx, notice, eventId, received, now)
    } catch (cause) {
      error = cause instanceof Error ? `${cause.message}${cause.cause ? ` (${String(cause.cause)})` : ''}` : String(cause)
      console.error(`payment ${notice.provider}/${notice.eventId} for order ${notice.orderId} could not be applied; refunding it:`, cause)
      // Its writes roll back; the event (and the refund that follows) stay.
      await batchOn(tx, abandonApplying)
      await giveBackUnapplied(tx, notice, eventId, now)
      applied = { outcome: 'error', writes: [] }
    }
    // The exchange that ends it: what applying left to write, the savepoint released, the outcome.
    await batchOn(tx, [
      ...applied.writes,
      ...(error === null ? [{ sql: `RELEASE ${APPLYING}`, args: [] }] : []),
      statement('UPDATE payment_events SET outcome = :outcome, error = :error WHERE id = :id', { outcome: applied.outcome, error, id: eventId }),
      ...(notice.checkoutRef ? [checkoutPaidStatement({ provider: notice.provider, providerRef: notice.checkoutRef, now })] : []),
    ])
    return { outcome: applied.outcome, orderId: notice.orderId, duplicate: false }
  })
  countPaymentConfirmed(notice.provider, result)
  return result
}

// A payment is applied in a savepoint: if applying fails, its writes roll back but the event (and
// its refund) stay. Opened in the first exchange, released in the last (decision 038).
const APPLYING = 'applying_payment'
const abandonApplying: InStatement[] = [
  { sql: `ROLLBACK TO ${APPLYING}`, args: [] },
  { sql: `RELEASE ${APPLYING}`, args: [] },
]

/** The stored outcome of an event that repeated an earlier event's payment (same provider payment id). */
const REPEATED = 'duplicate'

type Received =
  | { kind: 'told_before' | 'same_payment'; eventId: number; outcome: string }
  | { kind: 'new'; eventId: number; order: Order | undefined; lines: OrderLine[]; released: ReleasedHold[] }

/**
 * The first exchange of a payment, one batch (decision 038): the provider's event recorded (unique
 * per provider and event id) and what an earlier event of the same event id or the same money
 * did; the savepoint applying it opens; then the order's lines, its lapsed holds released (so that
 * "pending" below means every hold of the order is still good), and the order as that left it.
 */
async function receivePayment(tx: Transaction, notice: PaymentNotice, now: Date): Promise<Received> {
  const linesQuery = tx.select().from(orderLines).where(eq(orderLines.orderId, notice.orderId)).orderBy(asc(orderLines.id)).toSQL()
  const orderQuery = tx.select().from(orders).where(eq(orders.id, notice.orderId)).toSQL()
  const release = releaseLapsedStatements(now, { linesOf: notice.orderId })
  const args = {
    provider: notice.provider,
    event_id: notice.eventId,
    order_id: notice.orderId,
    type: notice.type,
    amount_fen: notice.amountFen,
    currency: notice.currency,
    provider_payment_id: notice.providerPaymentId,
    now: now.getTime(),
    repeated: REPEATED,
  }
  const [inserted, event, , lines, ...rest] = await batchOn(tx, [
    statement(
      `INSERT INTO payment_events (provider, event_id, order_id, type, amount_fen, currency, provider_payment_id, outcome, received_at)
       VALUES (:provider, :event_id, :order_id, :type, :amount_fen, :currency, :provider_payment_id, 'received', :now)
       ON CONFLICT DO NOTHING RETURNING id`,
      args,
    ),
    // The first event of the same money before this one (an event repeated as such points past itself).
    statement(
      `SELECT e.id, e.outcome, (
         SELECT f.outcome FROM payment_events f
         WHERE f.provider = e.provider AND f.provider_payment_id = e.provider_payment_id AND f.id < e.id AND f.outcome <> :repeated
         ORDER BY f.id LIMIT 1
       ) AS earlier_outcome
       FROM payment_events e WHERE e.provider = :provider AND e.event_id = :event_id`,
      args,
    ),
    { sql: `SAVEPOINT ${APPLYING}`, args: [] },
    { sql: linesQuery.sql, args: linesQuery.params as InArgs },
    ...release,
    { sql: orderQuery.sql, args: orderQuery.params as InArgs },
  ])
  const stored = event!.rows[0]!
  const eventId = Number(stored.id)
  if (inserted!.rows.length === 0) {
    return { kind: 'told_before', eventId, outcome: String(stored.outcome === REPEATED ? stored.earlier_outcome : stored.outcome) }
  }
  if (stored.earlier_outcome !== null) return { kind: 'same_payment', eventId, outcome: String(stored.earlier_outcome) }
  const orderRow = rest.at(-1)!.rows[0]
  return {
    kind: 'new',
    eventId,
    order: orderRow ? tableRow(orders, orderRow) : undefined,
    lines: lines!.rows.map((row) => tableRow(orderLines, row)),
    released: releasedHolds(rest[release.length - 1]!),
  }
}

/** What applying a payment decided, and the writes it leaves for the exchange that ends it. */
interface Applied {
  outcome: ConfirmOutcome
  writes: InStatement[]
}

/** What a payment the provider told us of before did, or undefined when it is new to us. */
export async function paymentOutcome({ provider, eventId }: Pick<PaymentNotice, 'provider' | 'eventId'>): Promise<ConfirmOutcome | undefined> {
  const [event] = await db
    .select({ outcome: paymentEvents.outcome })
    .from(paymentEvents)
    .where(and(eq(paymentEvents.provider, provider), eq(paymentEvents.eventId, eventId)))
  return event?.outcome as ConfirmOutcome | undefined
}

/**
 * A paid pending order's held units become sold, on its holds and on their stocks' counters: two
 * statements for the batch that marks it paid.
 */
function sellHeldUnitsStatements(orderId: number, now: Date): InStatement[] {
  const args = { order_id: orderId, now: now.getTime() }
  const held = `state = 'held' AND order_id = :order_id`
  const units = `(SELECT sum(qty) FROM holds WHERE stock_id = stock.id AND ${held})`
  return [
    statement(`UPDATE stock SET held = held - ${units}, sold = sold + ${units} WHERE id IN (SELECT stock_id FROM holds WHERE ${held})`, args),
    statement(`UPDATE holds SET state = 'sold', updated_at = :now WHERE ${held}`, args),
  ]
}

async function applyPayment(
  tx: Transaction,
  notice: PaymentNotice,
  eventId: number,
  { order, lines, released }: Extract<Received, { kind: 'new' }>,
  now: Date,
): Promise<Applied> {
  // Rare: a hold of the order lapsed and no job released it yet.
  await unitsReturned(tx, released.map((hold) => hold.stockId), now)
  if (!order) {
    console.warn(`payment ${notice.provider}/${notice.eventId} names order ${notice.orderId}, which does not exist: refunding it`)
    await createRefund(tx, { ...refundOf(notice, eventId), orderId: null, reason: 'unapplied_payment', now })
    return { outcome: 'unknown_order', writes: [] }
  }
  if (notice.amountFen !== order.totalFen || notice.currency !== order.currency) {
    await raiseFlag(tx, { orderId: order.id, flag: 'amount_mismatch', now, detail: { paymentEventId: eventId, amountFen: notice.amountFen, currency: notice.currency } })
    return { outcome: 'amount_mismatch', writes: [] }
  }
  if (hasReceivedPayment(order.state)) {
    await raiseFlag(tx, { orderId: order.id, flag: 'paid_twice', now, detail: { paymentEventId: eventId } })
    return { outcome: 'already_paid', writes: [] }
  }
  const payment = { provider: notice.provider, providerPaymentId: notice.providerPaymentId }

  if (order.state === 'pending') {
    return { outcome: 'paid', writes: await markPaid(tx, order, lines, payment, now, sellHeldUnitsStatements(order.id, now)) }
  }

  // Expired or cancelled, yet paid: sold again only if the order would be accepted now — the
  // tier, the sale window, the per-member limit and the price by the kind's rule, the stock by
  // reseat's conditional UPDATE, all in this transaction — else the money goes back.
  const problem = (await lateOrderProblem(tx, order, lines, now)) ?? (await reseat(tx, order, lines, now))
  if (problem === null) {
    const writes = await markPaid(tx, order, lines, payment, now)
    await raiseFlag(tx, { orderId: order.id, flag: 'reseated', now, detail: { paymentEventId: eventId, was: order.state } })
    return { outcome: 'reseated', writes }
  }
  await tx
    .update(orders)
    .set({ state: 'refunding', ...payment, refundRequestedAt: now, updatedAt: now })
    .where(eq(orders.id, order.id))
  await createRefund(tx, { ...refundOf(notice, eventId), orderId: order.id, reason: 'late_payment', now })
  await raiseFlag(tx, { orderId: order.id, flag: 'paid_after_expiry', now, detail: { paymentEventId: eventId, was: order.state, reason: problem } })
  return { outcome: 'refunding', writes: [] }
}

/** After a failed application (outside the savepoint): the payment goes back, and an admin sees why. */
async function giveBackUnapplied(tx: Transaction, notice: PaymentNotice, eventId: number, now: Date) {
  const [order] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, notice.orderId))
  await createRefund(tx, { ...refundOf(notice, eventId), orderId: order?.id ?? null, reason: 'unapplied_payment', now })
  if (order) await raiseFlag(tx, { orderId: order.id, flag: 'payment_error', now, detail: { paymentEventId: eventId } })
}

function refundOf(notice: PaymentNotice, paymentEventId: number) {
  return { paymentEventId, provider: notice.provider, providerPaymentId: notice.providerPaymentId, amountFen: notice.amountFen, currency: notice.currency }
}

/**
 * Takes the units of a lapsed order straight to sold, if its exclusive key is free and every
 * line's units are available; null when it did, else why not.
 */
async function reseat(tx: Executor, order: Order, lines: OrderLine[], now: Date): Promise<'exclusive_taken' | 'sold_out' | null> {
  if (order.exclusiveKey) {
    // The buyer already started another live order under the same key (e.g. a new seat hold).
    const [other] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.exclusiveKey, order.exclusiveKey), inArray(orders.state, [...LIVE_ORDER_STATES])))
      .limit(1)
    if (other) return 'exclusive_taken'
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
      return 'sold_out'
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
  return null
}

/**
 * Numbers the sold units (lowest returned number first, then the counter) and marks the order
 * paid, in one batch after `first` (the pending order's units sold), then fulfils it. Returns the
 * lines' numbers as writes for the exchange that ends the payment: nothing reads them before.
 */
async function markPaid(
  tx: Executor,
  order: Order,
  lines: OrderLine[],
  payment: { provider: PaymentProviderName; providerPaymentId: string | null },
  now: Date,
  first: InStatement[] = [],
): Promise<InStatement[]> {
  const numbered = lines.filter((line) => line.takesNumbers)
  const paidUpdate = tx.update(orders).set({ state: 'paid', ...payment, paidAt: now, updatedAt: now }).where(eq(orders.id, order.id)).returning().toSQL()
  const results = await batchOn(tx, [
    ...first,
    ...numbered.flatMap((line) => takeNumbersStatements(line.stockId, line.qty)),
    { sql: paidUpdate.sql, args: paidUpdate.params as InArgs },
  ])
  const numbersOf = new Map(numbered.map((line, index) => [line.id, numbersTaken(line.qty, results.slice(first.length + 2 * index))]))
  const paidLines = lines.map((line) => ({ ...line, numbers: numbersOf.get(line.id) ?? [] }))
  await fulfilPaidOrder(tx, { order: tableRow(orders, results.at(-1)!.rows[0]!), lines: paidLines }, now)
  return paidLines
    .filter((line) => line.numbers.length > 0)
    .map((line) => statement('UPDATE order_lines SET numbers = :numbers WHERE id = :id', { numbers: JSON.stringify(line.numbers), id: line.id }))
}

// ---- refunds -----------------------------------------------------------------------------------

interface NewRefund {
  orderId: number | null
  paymentEventId: number | null
  provider: PaymentProviderName
  providerPaymentId: string | null
  amountFen: number
  currency: string
  reason: RefundReason
  requestedBy?: number | null
  now: Date
}

/** A refund to execute after commit, in the caller's transaction. A payment is given back once: null if it already is. */
async function createRefund(tx: Executor, { now, requestedBy = null, ...refund }: NewRefund) {
  const [row] = await tx
    .insert(refunds)
    .values({ ...refund, requestedBy, nextAttemptAt: now, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning()
  return row ?? null
}

/**
 * Starts a refund of a paid order: the order becomes 退款中 at once (the provider is called by
 * processPendingRefunds after commit). Units of an order not yet shipped go back to stock, and
 * goods' edition numbers with them (the next sale takes the lowest again). Returns the order, or
 * null when not refundable.
 */
export async function requestRefund({ orderId, actorId, now = new Date() }: { orderId: number; actorId: number | null; now?: Date }) {
  return transaction(async (tx) => {
    const [before] = await tx.select({ state: orders.state }).from(orders).where(eq(orders.id, orderId))
    if (!before || !isPaidState(before.state)) return null
    const [order] = await tx
      .update(orders)
      .set({ state: 'refunding', refundRequestedAt: now, updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.state, before.state)))
      .returning()
    if (!order) return null
    // Goods not shipped yet go back on the shelf (a seat is never shipped: it goes back too).
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
      // A numbered piece back on the shelf keeps its number for the next buyer. A member number
      // stays with the (revoked) membership it named and is never issued again.
      if (order.kind === 'goods') {
        const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId))
        for (const line of lines) await returnNumbers(tx, line.stockId, line.numbers)
      }
    }
    await returnOrderUnits(tx, order, now)
    const [paidWith] = await tx
      .select({ id: paymentEvents.id })
      .from(paymentEvents)
      .where(and(eq(paymentEvents.orderId, orderId), inArray(paymentEvents.outcome, ['paid', 'reseated'])))
      .orderBy(asc(paymentEvents.id))
      .limit(1)
    await createRefund(tx, {
      orderId,
      paymentEventId: paidWith?.id ?? null,
      provider: order.provider ?? 'test',
      providerPaymentId: order.providerPaymentId,
      amountFen: order.totalFen,
      currency: order.currency,
      reason: 'order',
      requestedBy: actorId,
      now,
    })
    if (actorId !== null) {
      await recordAudit(
        { actorId, action: 'order.refund', targetType: 'order', targetId: String(orderId), detail: { from: before.state, totalFen: order.totalFen } },
        tx,
      )
    }
    return order
  })
}

/** Outcomes of payments that are extra to their order: an admin gives them back from the order page. */
const EXTRA_PAYMENT_OUTCOMES: readonly ConfirmOutcome[] = ['already_paid', 'amount_mismatch']

/**
 * An admin gives back a payment that was extra to its order (a second payment, a wrong amount).
 * Null when the event is not an extra payment of this order, or is already being given back.
 */
export async function refundExtraPayment({ orderId, paymentEventId, actorId, now }: { orderId: number; paymentEventId: number; actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const [event] = await tx
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.id, paymentEventId), eq(paymentEvents.orderId, orderId), inArray(paymentEvents.outcome, [...EXTRA_PAYMENT_OUTCOMES])))
    if (!event) return null
    const refund = await createRefund(tx, {
      orderId,
      paymentEventId: event.id,
      provider: event.provider,
      providerPaymentId: event.providerPaymentId,
      amountFen: event.amountFen,
      currency: event.currency,
      reason: 'extra_payment',
      requestedBy: actorId,
      now,
    })
    if (!refund) return null
    await recordAudit({ actorId, action: 'order.refund_payment', targetType: 'order', targetId: orderId, detail: { paymentEventId, amountFen: event.amountFen } }, tx)
    return refund
  })
}

/** An admin tries a refund the provider failed again, now. Null when it is not waiting or failed. */
export async function retryRefund({ orderId, refundId, actorId, now }: { orderId: number; refundId: number; actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const [refund] = await tx
      .update(refunds)
      .set({ state: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now })
      .where(and(eq(refunds.id, refundId), eq(refunds.orderId, orderId), inArray(refunds.state, ['pending', 'failed'])))
      .returning()
    if (!refund) return null
    await recordAudit({ actorId, action: 'order.retry_refund', targetType: 'order', targetId: orderId, detail: { refundId, lastError: refund.lastError } }, tx)
    return refund
  })
}

export const MAX_REFUND_ATTEMPTS = 8
/** After this many failed attempts an admin is told (the order is flagged), while retries go on. */
export const REFUND_ATTEMPTS_BEFORE_FLAG = 3
/** How long a process may work on a claimed refund before another may take it over. */
const REFUND_LEASE_MS = 2 * 60_000

/** Back-off after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours. */
function nextAttempt(now: Date, attempts: number) {
  return new Date(now.getTime() + Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000))
}

/**
 * Calls the provider for refunds that are due. Each is claimed first (one UPDATE … RETURNING:
 * processes never claim the same row), and the provider's idempotency key is the refund's id, so
 * a process that dies after the call leaves a retry that finds the same refund. Every attempt
 * and failure is logged; a refund that keeps failing flags its order.
 */
export async function processPendingRefunds(now = new Date(), limit = 20) {
  const claimed = await db.all<{
    id: number
    order_id: number | null
    provider: PaymentProviderName
    provider_payment_id: string | null
    amount_fen: number
    payment_amount_fen: number | null
    reason: RefundReason
    attempts: number
  }>(sql`
    UPDATE refunds SET claimed_until = ${now.getTime() + REFUND_LEASE_MS}, attempts = attempts + 1, updated_at = ${now.getTime()}
    WHERE id IN (
      SELECT id FROM refunds
      WHERE state = 'pending' AND next_attempt_at <= ${now.getTime()} AND (claimed_until IS NULL OR claimed_until <= ${now.getTime()})
      ORDER BY next_attempt_at, id LIMIT ${limit}
    )
    RETURNING id, order_id, provider, provider_payment_id, amount_fen, reason, attempts,
      (SELECT amount_fen FROM payment_events WHERE payment_events.id = refunds.payment_event_id) AS payment_amount_fen`)
  let refunded = 0
  for (const refund of claimed) {
    const label = `refund #${refund.id} (${refund.reason}, order ${refund.order_id ?? '—'}, ${refund.amount_fen} fen, attempt ${refund.attempts})`
    try {
      const { providerRefundId, state } = await paymentProvider(refund.provider).refund({
        refundId: refund.id,
        orderId: refund.order_id,
        providerPaymentId: refund.provider_payment_id,
        paymentAmountFen: refund.payment_amount_fen ?? refund.amount_fen,
        amountFen: refund.amount_fen,
      })
      if (state === 'processing') {
        // Accepted: the provider's refund notification (applyRefundNotice) says how it ended.
        await db
          .update(refunds)
          .set({ state: 'processing', providerRefundId, claimedUntil: null, updatedAt: now })
          .where(and(eq(refunds.id, refund.id), eq(refunds.state, 'pending')))
        console.log(`${label}: accepted by the provider (${providerRefundId ?? 'no provider id'}), waiting for its notification`)
        continue
      }
      await markRefunded(refund, providerRefundId, now)
      console.log(`${label}: done (${providerRefundId ?? 'no provider id'})`)
      refunded += 1
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      // A provider that answered "no" will answer it again: a person must look now.
      const hopeless = error instanceof PaymentProviderError && error.kind === 'refused'
      const failed = hopeless || refund.attempts >= MAX_REFUND_ATTEMPTS
      console.warn(`${label}: failed${failed ? ', giving up until an admin retries' : ''}: ${message}`)
      await transaction(async (tx) => {
        await tx
          .update(refunds)
          .set({ state: failed ? 'failed' : 'pending', lastError: message, claimedUntil: null, nextAttemptAt: nextAttempt(now, refund.attempts), updatedAt: now })
          .where(and(eq(refunds.id, refund.id), eq(refunds.state, 'pending')))
        if (refund.order_id !== null && (failed || refund.attempts >= REFUND_ATTEMPTS_BEFORE_FLAG)) {
          await raiseFlag(tx, { orderId: refund.order_id, flag: 'refund_failed', now, detail: { refundId: refund.id, error: message } })
        }
      })
    }
  }
  return refunded
}

/**
 * A provider's refund notification: a refund it accepted ('processing') — or one whose call is
 * still under way ('pending': the notification may overtake the answer) — succeeded or failed.
 * Applied once; a repeat, or a notification for a refund we do not have, changes nothing.
 */
export async function applyRefundNotice(notice: RefundNotice, now = new Date()): Promise<'applied' | 'repeat' | 'unknown'> {
  const [refund] = await db
    .select({ id: refunds.id, order_id: refunds.orderId, reason: refunds.reason, amount_fen: refunds.amountFen, state: refunds.state })
    .from(refunds)
    .where(and(eq(refunds.id, notice.refundId), eq(refunds.provider, notice.provider)))
  if (!refund) return 'unknown'
  if (refund.state === 'succeeded' || refund.state === 'failed') return 'repeat'
  if (notice.outcome === 'succeeded') return (await markRefunded(refund, notice.providerRefundId, now)) ? 'applied' : 'repeat'
  const failed = await transaction(async (tx) => {
    const [row] = await tx
      .update(refunds)
      .set({ state: 'failed', lastError: 'the provider reported the refund failed', claimedUntil: null, updatedAt: now })
      .where(and(eq(refunds.id, refund.id), inArray(refunds.state, ['pending', 'processing'])))
      .returning({ id: refunds.id })
    if (row && refund.order_id !== null) {
      await raiseFlag(tx, { orderId: refund.order_id, flag: 'refund_failed', now, detail: { refundId: refund.id, error: 'provider reported failure' } })
    }
    return row !== undefined
  })
  return failed ? 'applied' : 'repeat'
}

/** Queues the buyer's refund receipt in the caller's transaction (the outbox, decision 004). */
async function emailRefund(tx: Executor, refund: { refundId: number; orderId: number; userId: number; amountFen: number }, now: Date) {
  const [buyer] = await tx.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, refund.userId))
  if (!buyer) return
  const lines = await tx.select({ title: orderLines.title, qty: orderLines.qty }).from(orderLines).where(eq(orderLines.orderId, refund.orderId)).orderBy(asc(orderLines.id))
  const message = orderRefundedEmail({ name: buyer.name, orderId: refund.orderId, amountFen: refund.amountFen, lines, url: `${getEnv().SITE_URL}/orders/${refund.orderId}` })
  await sendEmail({ ...message, to: buyer.email, template: 'order-refunded' }, tx, now)
}

/** The provider returned the money: the refund is done, and an order refunded in full says so. Whether this call did it. */
async function markRefunded(refund: { id: number; order_id: number | null; reason: RefundReason; amount_fen: number }, providerRefundId: string | null, now: Date) {
  return transaction(async (tx) => {
    const done = await tx
      .update(refunds)
      .set({ state: 'succeeded', providerRefundId, refundedAt: now, claimedUntil: null, updatedAt: now })
      .where(and(eq(refunds.id, refund.id), inArray(refunds.state, ['pending', 'processing'])))
      .returning({ id: refunds.id })
    if (done.length > 0 && refund.order_id !== null) {
      const [order] = await tx.select({ userId: orders.userId }).from(orders).where(eq(orders.id, refund.order_id))
      const data = { path: `/orders/${refund.order_id}`, orderId: refund.order_id, amount: formatFen(refund.amount_fen) }
      if (order) {
        await emailRefund(tx, { refundId: refund.id, orderId: refund.order_id, userId: order.userId, amountFen: refund.amount_fen }, now)
        await notify(tx, { userId: order.userId, kind: 'refund_done', key: `refund:${refund.id}`, data }, now)
      }
    }
    if (refund.order_id !== null && (refund.reason === 'order' || refund.reason === 'late_payment')) {
      await tx
        .update(orders)
        .set({ state: 'refunded', refundedAt: now, updatedAt: now })
        .where(and(eq(orders.id, refund.order_id), eq(orders.state, 'refunding')))
    }
    return done.length > 0
  })
}

/** The order's payments (every event of it) and refunds, for the admin's order page. */
export async function listOrderMoney(orderId: number) {
  const [events, refundRows] = await Promise.all([
    db.select().from(paymentEvents).where(eq(paymentEvents.orderId, orderId)).orderBy(asc(paymentEvents.id)),
    db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.id)),
  ])
  return {
    payments: events.map((event) => ({
      ...event,
      extra: EXTRA_PAYMENT_OUTCOMES.includes(event.outcome as ConfirmOutcome),
      refund: refundRows.find((refund) => refund.paymentEventId === event.id) ?? null,
    })),
    refunds: refundRows,
  }
}
