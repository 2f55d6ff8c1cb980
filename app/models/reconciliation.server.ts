// 对账 (issue 14): a provider's bill for one day compared with the payments recorded here. A
// payment in the bill that never reached us is fulfilled through the normal path (confirmPayment,
// once, with the notification's event id, so a late notification is a repeat); one recorded here
// but missing from the bill, or with another amount, is flagged on its order for an admin; a
// refund the bill shows done finishes a refund still waiting for its notification. Every run and
// finding is kept for /admin/payments. The daily job runs each (provider, day) once, whatever the
// number of processes (a partial unique index); an admin may run a day again by hand.
import { and, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm'
import { paymentEvents, reconciliationFindings, reconciliationRuns, refunds, type PaymentProviderName, type ReconciliationFinding } from '../../db/schema'
import { addDays, localDate, localDateTime, startOfDateIn } from '~/domain/time'
import { db, transaction } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { orderIdOfOutTradeNo, PaymentProviderError, paymentProvider, type BillLine, type LiveProviderName } from '~/utils/payments.server'
import { raiseFlag } from './order-flags.server'
import { applyRefundNotice, confirmPayment } from './commerce.server'

/** Payments notified in the first minutes of a day may belong to the bill of the day before. */
const DAY_BOUNDARY_MS = 5 * 60_000
/** Providers publish the bill of a day the next morning (WeChat Pay after 10:00). */
const BILL_READY_HOUR = 10

interface Finding {
  kind: ReconciliationFinding
  orderId: number | null
  outTradeNo: string | null
  providerPaymentId: string | null
  theirAmountFen: number | null
  ourAmountFen: number | null
  resolution: string
}

export type ReconcileResult =
  | { ok: true; runId: number; billLines: number; matched: number; findings: Finding[] }
  | { ok: false; runId: number; error: string }

/** Whether a provider can be reconciled (it can download its bill). */
export function canReconcile(name: PaymentProviderName) {
  return typeof paymentProvider(name).downloadBill === 'function'
}

/**
 * Compares one provider's bill of one day with our records. `trigger: 'job'` makes the run at most
 * once per (provider, day): null when another process has it.
 */
export async function reconcile({
  provider: name,
  billDate,
  trigger,
  requestedBy = null,
  now = new Date(),
}: {
  provider: LiveProviderName
  billDate: string
  trigger: 'job' | 'admin'
  requestedBy?: number | null
  now?: Date
}): Promise<ReconcileResult | null> {
  const [run] = await db
    .insert(reconciliationRuns)
    .values({ provider: name, billDate, trigger, requestedBy, startedAt: now })
    .onConflictDoNothing()
    .returning({ id: reconciliationRuns.id })
  if (!run) return null
  const provider = paymentProvider(name)
  let lines: BillLine[]
  try {
    if (!provider.downloadBill) throw new PaymentProviderError('refused', `${name} has no bill to download`)
    lines = await provider.downloadBill(billDate)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await db.update(reconciliationRuns).set({ state: 'failed', error: message, finishedAt: new Date() }).where(eq(reconciliationRuns.id, run.id))
    console.warn(`reconciliation of ${name} ${billDate}: ${message}`)
    return { ok: false, runId: run.id, error: message }
  }

  const findings: Finding[] = []
  let matched = 0
  const payments = lines.filter((l) => l.kind === 'payment')
  const billed = new Set(payments.map((line) => line.providerPaymentId))
  const ours = await recordedPayments(name, [...billed])
  for (const line of payments) {
    const recorded = ours.get(line.providerPaymentId)
    const orderId = recorded?.orderId ?? orderIdOfOutTradeNo(line.outTradeNo)
    if (!recorded) {
      // The notification never reached us (or was lost): the bill is the provider's word.
      const { outcome } = await confirmPayment({
        provider: name,
        eventId: line.providerPaymentId,
        orderId: orderId ?? 0,
        type: 'reconciliation.missing_payment',
        amountFen: line.amountFen,
        currency: 'CNY',
        providerPaymentId: line.providerPaymentId,
        checkoutRef: line.outTradeNo,
      })
      findings.push({ kind: 'missing_ours', orderId, outTradeNo: line.outTradeNo, providerPaymentId: line.providerPaymentId, theirAmountFen: line.amountFen, ourAmountFen: null, resolution: outcome })
    } else if (recorded.amountFen !== line.amountFen) {
      findings.push({ kind: 'amount_mismatch', orderId, outTradeNo: line.outTradeNo, providerPaymentId: line.providerPaymentId, theirAmountFen: line.amountFen, ourAmountFen: recorded.amountFen, resolution: 'flagged' })
    } else {
      matched += 1
    }
  }

  // Recorded here on that day (its first minutes excepted), absent from the bill.
  const timeZone = getEnv().SITE_TIMEZONE
  const dayStart = startOfDateIn(billDate, timeZone)!
  const dayEnd = startOfDateIn(addDays(billDate, 1)!, timeZone)!
  const ourDay = await db
    .select({ orderId: paymentEvents.orderId, amountFen: paymentEvents.amountFen, providerPaymentId: paymentEvents.providerPaymentId })
    .from(paymentEvents)
    .where(
      and(
        eq(paymentEvents.provider, name),
        gte(paymentEvents.receivedAt, new Date(dayStart.getTime() + DAY_BOUNDARY_MS)),
        lt(paymentEvents.receivedAt, dayEnd),
        ne(paymentEvents.outcome, 'duplicate'),
        ne(paymentEvents.type, 'reconciliation.missing_payment'),
      ),
    )
  for (const event of ourDay) {
    if (!event.providerPaymentId || billed.has(event.providerPaymentId)) continue
    findings.push({ kind: 'missing_theirs', orderId: event.orderId, outTradeNo: null, providerPaymentId: event.providerPaymentId, theirAmountFen: null, ourAmountFen: event.amountFen, resolution: 'flagged' })
  }

  const refundLines = lines.filter((l) => l.kind === 'refund')
  const refundIds = refundLines.flatMap((line) => (line.refundId ? [line.refundId] : []))
  const ourRefunds = new Map(
    (refundIds.length ? await db.select({ id: refunds.id, state: refunds.state, orderId: refunds.orderId }).from(refunds).where(and(eq(refunds.provider, name), inArray(refunds.id, refundIds))) : []).map((row) => [row.id, row]),
  )
  for (const line of refundLines) {
    const refund = line.refundId ? ourRefunds.get(line.refundId) : undefined
    if (refund && (refund.state === 'succeeded' || refund.state === 'processing' || refund.state === 'pending')) {
      // Done at the provider: a refund still waiting for its notification is finished now.
      if (refund.state !== 'succeeded') await applyRefundNotice({ provider: name, refundId: refund.id, providerRefundId: null, outcome: 'succeeded' })
      matched += 1
      continue
    }
    findings.push({
      kind: 'refund_unknown',
      orderId: refund?.orderId ?? orderIdOfOutTradeNo(line.outTradeNo),
      outTradeNo: line.outTradeNo,
      providerPaymentId: line.providerPaymentId,
      theirAmountFen: line.amountFen,
      ourAmountFen: null,
      resolution: 'flagged',
    })
  }

  const finishedAt = new Date()
  await transaction(async (tx) => {
    if (findings.length > 0) await tx.insert(reconciliationFindings).values(findings.map((finding) => ({ runId: run.id, ...finding })))
    for (const finding of findings) {
      // A payment fulfilled now needs nobody; the rest are for an admin, on the order.
      if (finding.kind === 'missing_ours' || finding.orderId === null) continue
      await raiseFlag(tx, { orderId: finding.orderId, flag: 'reconciliation', now: finishedAt, detail: { runId: run.id, kind: finding.kind, billDate } })
    }
    await tx
      .update(reconciliationRuns)
      .set({ state: 'done', billLines: lines.length, matched, findingCount: findings.length, finishedAt })
      .where(eq(reconciliationRuns.id, run.id))
  })
  console.log(`reconciliation of ${name} ${billDate}: ${lines.length} bill lines, ${matched} matched, ${findings.length} findings`)
  return { ok: true, runId: run.id, billLines: lines.length, matched, findings }
}

/** The first payment event of each of these provider payment ids, in one query per 500 ids. */
async function recordedPayments(name: LiveProviderName, ids: string[]) {
  const found = new Map<string, { orderId: number | null; amountFen: number }>()
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db
      .select({ providerPaymentId: paymentEvents.providerPaymentId, orderId: paymentEvents.orderId, amountFen: paymentEvents.amountFen })
      .from(paymentEvents)
      .where(and(eq(paymentEvents.provider, name), inArray(paymentEvents.providerPaymentId, ids.slice(start, start + 500))))
      .orderBy(paymentEvents.id)
    for (const row of rows) if (row.providerPaymentId && !found.has(row.providerPaymentId)) found.set(row.providerPaymentId, row)
  }
  return found
}

/**
 * The daily job: yesterday's bill of every provider that has one, once it is published (after
 * 10:00 site time), once per provider and day across processes.
 */
export async function reconcileYesterday(providers: readonly LiveProviderName[], now = new Date()) {
  const timeZone = getEnv().SITE_TIMEZONE
  if (Number(localDateTime(now, timeZone).slice(11, 13)) < BILL_READY_HOUR) return 0
  const billDate = addDays(localDate(now, timeZone), -1)!
  let runs = 0
  for (const name of providers) {
    if (!canReconcile(name)) continue
    if (await reconcile({ provider: name, billDate, trigger: 'job', now })) runs += 1
  }
  return runs
}

/** The latest runs with their findings, for /admin/payments. */
export async function listReconciliationRuns(limit = 30) {
  const runs = await db.select().from(reconciliationRuns).orderBy(desc(reconciliationRuns.startedAt), desc(reconciliationRuns.id)).limit(limit)
  const ids = runs.map((run) => run.id)
  const findings = ids.length ? await db.select().from(reconciliationFindings).where(inArray(reconciliationFindings.runId, ids)).orderBy(reconciliationFindings.id) : []
  return runs.map((run) => ({ ...run, findings: findings.filter((finding) => finding.runId === run.id) }))
}

/** How many findings the latest runs left (the dashboard's count). */
export async function countRecentFindings(since: Date) {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${reconciliationRuns.findingCount}), 0)` })
    .from(reconciliationRuns)
    .where(gte(reconciliationRuns.startedAt, since))
  return Number(row?.n ?? 0)
}
