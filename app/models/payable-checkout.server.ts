// One payable transaction per order (issue 11): the provider's checkout of an order (a Stripe
// Checkout Session) is a row of `checkouts`, and a partial unique index allows one being created
// or open per order. Pressing 去支付 again, or in a second tab, finds the same one; the row's id
// is the idempotency key of its creation, so a retry after a lost answer finds the same session
// at the provider too. When the order is cancelled or lapses, closeLapsedCheckouts() closes it
// at the provider, so it cannot be paid later. The provider is called outside any transaction.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm'
import { checkouts, orderLines, orders, users, type Checkout } from '../../db/schema'
import { paidOrderPath } from '~/domain/order'
import { db, type InStatement } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { outTradeNoOf, PaymentProviderError, paymentProvider, type CheckoutAction, type CheckoutOrder, type PaymentProvider, type PayMethod } from '~/utils/payments.server'

/** Stripe's shortest Checkout Session lives 30 minutes; a minute more covers a slow first call. */
const CHECKOUT_LIFETIME_MS = 31 * 60_000
/** How long one request may be creating or closing a checkout before another takes over. */
const CLAIM_MS = 20_000
/** An open checkout about to expire is not handed out again: the buyer needs time to pay. */
const REUSE_MARGIN_MS = 2 * 60_000
/** How long a second press waits for the first one's checkout to be created. */
const WAIT_FOR_CREATION_MS = 3_000

export type OpenCheckoutResult =
  | { ok: true; action: CheckoutAction }
  // not_pending: the order can no longer be paid; busy: another request is creating its checkout;
  // unreachable: the provider did not answer (the hold is kept); refused: the provider said no;
  // paid_meanwhile: its checkout was paid at the provider and the payment is being confirmed.
  | { ok: false; reason: 'not_pending' | 'busy' | 'unreachable' | 'refused' | 'paid_meanwhile' }

/**
 * What the provider is asked to open for an order: built from the order alone, so that a repeat
 * of the same checkout's creation (same idempotency key) asks for exactly the same thing.
 */
async function checkoutRequestOf(orderId: number) {
  const [order] = await db
    .select({ id: orders.id, kind: orders.kind, totalFen: orders.totalFen, currency: orders.currency, email: users.email })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .where(eq(orders.id, orderId))
  if (!order) return undefined
  const lines = await db.select({ title: orderLines.title, qty: orderLines.qty }).from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.id))
  const site = getEnv().SITE_URL
  const checkoutOrder: CheckoutOrder = {
    id: order.id,
    totalFen: order.totalFen,
    currency: order.currency,
    title: lines.map((line) => `${line.title} × ${line.qty}`).join('，'),
    email: order.email,
  }
  return { checkoutOrder, successUrl: `${site}${paidOrderPath(order)}`, cancelUrl: `${site}/pay/${order.id}` }
}

/** How the buyer pays: the method, and what WeChat Pay needs of the buyer for it. */
export interface CheckoutChoice {
  method: PayMethod
  /** JSAPI: the payer's openid. */
  payerOpenid?: string | null
  /** H5: the buyer's address. */
  clientIp?: string | null
}

/** The action stored with a row (null for rows made before actions were kept, which have a url). */
function actionOf(row: Checkout): CheckoutAction | null {
  if (row.action) return JSON.parse(row.action) as CheckoutAction
  return row.url ? { kind: 'redirect', url: row.url } : null
}

/** Whether an open checkout serves this choice: the same provider, method and payer. */
function serves(row: Checkout, provider: PaymentProvider, choice: CheckoutChoice) {
  return row.provider === provider.name && (row.method ?? choice.method) === choice.method && (row.payerOpenid ?? null) === (choice.payerOpenid ?? null)
}

/**
 * The order's payable checkout: the open one, or a new one (created once, however many ask). A
 * buyer who switches method (WeChat's QR to Alipay, say) has the open one closed at the provider
 * first, so the order is never payable twice.
 */
export async function openCheckout({
  orderId,
  provider,
  choice = { method: defaultMethodOf(provider) },
  now,
}: {
  orderId: number
  provider: PaymentProvider
  choice?: CheckoutChoice
  now: Date
}): Promise<OpenCheckoutResult> {
  const deadline = now.getTime() + WAIT_FOR_CREATION_MS
  for (;;) {
    const current = await payableCheckout(orderId)
    if (current?.state === 'open') {
      const action = actionOf(current)
      if (action && serves(current, provider, choice) && current.expiresAt.getTime() - Date.now() > REUSE_MARGIN_MS) return { ok: true, action }
      // About to expire, another method, or opened before its action was kept: close it before opening another.
      const closed = await closeCheckout(current, new Date())
      if (closed === 'unreachable') return { ok: false, reason: 'unreachable' }
      // Paid at the provider a moment ago: opening another would let the buyer pay twice.
      if (closed === 'completed') return { ok: false, reason: 'paid_meanwhile' }
      continue
    }
    if (!current) {
      const created = await createRow(orderId, provider.name, choice, new Date())
      if (created) return drive(created, provider)
      // Refused: the order is not pending, or another request created its checkout just now.
      if (!(await payableCheckout(orderId))) return { ok: false, reason: 'not_pending' }
      continue
    }
    const claimed = await claim(current.id, new Date())
    if (claimed) return drive(claimed, provider)
    // Another request is creating it: wait a little for its action.
    if (Date.now() >= deadline) return { ok: false, reason: 'busy' }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** A provider's method when the buyer had no choice (Stripe's Checkout, the test page). */
export function defaultMethodOf(provider: Pick<PaymentProvider, 'name'>): PayMethod {
  return provider.name === 'stripe' ? 'stripe_checkout' : provider.name === 'wechatpay' ? 'wechat_native' : provider.name === 'alipay' ? 'alipay_page' : 'test'
}

function payableCheckout(orderId: number) {
  return db.query.checkouts.findFirst({ where: and(eq(checkouts.orderId, orderId), inArray(checkouts.state, ['creating', 'open'])) })
}

/** A new row being created, only while the order is pending and has no payable checkout (the index decides). */
async function createRow(orderId: number, provider: PaymentProvider['name'], choice: CheckoutChoice, now: Date): Promise<Checkout | undefined> {
  const [row] = await db.all<{ id: number }>(sql`
    INSERT INTO checkouts (order_id, provider, method, payer_openid, client_ip, state, expires_at, claimed_until, created_at, updated_at)
    SELECT ${orderId}, ${provider}, ${choice.method}, ${choice.payerOpenid ?? null}, ${choice.clientIp ?? null}, 'creating',
      ${now.getTime() + CHECKOUT_LIFETIME_MS}, ${now.getTime() + CLAIM_MS}, ${now.getTime()}, ${now.getTime()}
    WHERE EXISTS (SELECT 1 FROM orders WHERE id = ${orderId} AND state = 'pending')
    ON CONFLICT DO NOTHING
    RETURNING id`)
  return row ? db.query.checkouts.findFirst({ where: eq(checkouts.id, row.id) }) : undefined
}

/**
 * Takes over a row still being created whose last request gave up or died (its claim passed). A
 * row opened meanwhile is not taken: its claim is cleared when it opens, and driving it again
 * would ask the provider a second time and then find it no longer 'creating'.
 */
async function claim(id: number, now: Date) {
  const [row] = await db
    .update(checkouts)
    .set({ claimedUntil: new Date(now.getTime() + CLAIM_MS), updatedAt: now })
    .where(and(eq(checkouts.id, id), eq(checkouts.state, 'creating'), sql`(${checkouts.claimedUntil} IS NULL OR ${checkouts.claimedUntil} <= ${now.getTime()})`))
    .returning()
  return row
}

/** Asks the provider for the row's checkout (the same one on a repeat: same key, same request). */
async function startRowCheckout(row: Checkout, provider: PaymentProvider) {
  const request = await checkoutRequestOf(row.orderId)
  if (!request) throw new Error(`checkout #${row.id} names order ${row.orderId}, which does not exist`)
  return provider.startCheckout(request.checkoutOrder, {
    checkoutId: row.id,
    method: (row.method as PayMethod | null) ?? defaultMethodOf(provider),
    outTradeNo: outTradeNoOf(row.orderId, row.id),
    payerOpenid: row.payerOpenid,
    clientIp: row.clientIp,
    expiresAt: row.expiresAt,
    successUrl: request.successUrl,
    cancelUrl: request.cancelUrl,
  })
}

/** Opens the row's checkout at the provider and records its address. */
async function drive(row: Checkout, provider: PaymentProvider): Promise<OpenCheckoutResult> {
  const now = new Date()
  try {
    const { action, providerRef } = await startRowCheckout(row, provider)
    const url = action.kind === 'redirect' ? action.url : null
    const [opened] = await db
      .update(checkouts)
      .set({ state: 'open', providerRef, url, action: JSON.stringify(action), claimedUntil: null, updatedAt: now })
      .where(and(eq(checkouts.id, row.id), eq(checkouts.state, 'creating')))
      .returning({ id: checkouts.id })
    // The order lapsed meanwhile and the row was closed: the job closes this checkout too.
    return opened ? { ok: true, action } : { ok: false, reason: 'not_pending' }
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error
    console.warn(`checkout #${row.id} of order ${row.orderId}: ${error.kind}: ${error.message}`)
    // Unreachable: whether it exists is unknown, so the row stays for a retry with the same key.
    await db
      .update(checkouts)
      .set(error.kind === 'refused' ? { state: 'closed', lastError: error.message, claimedUntil: null, updatedAt: now } : { lastError: error.message, claimedUntil: null, updatedAt: now })
      .where(eq(checkouts.id, row.id))
    return { ok: false, reason: error.kind }
  }
}

/**
 * Stops one checkout from taking payment: 'closed', 'completed' when it had been paid just before
 * (its payment's notice is on its way), or 'unreachable' when the provider did not answer (the
 * attempt is recorded and the next pass tries again).
 */
async function closeCheckout(row: Checkout, now: Date): Promise<'closed' | 'completed' | 'unreachable'> {
  let result: 'closed' | 'completed' = 'closed'
  try {
    const closing = await withProviderRef(row)
    if (closing.providerRef) result = await paymentProvider(row.provider).closeCheckout(closing.providerRef)
  } catch (error) {
    if (!(error instanceof PaymentProviderError) || error.kind !== 'unreachable') throw error
    console.warn(`checkout #${row.id} of order ${row.orderId}: could not close it: ${error.message}`)
    await db
      .update(checkouts)
      .set({ closeAttempts: sql`${checkouts.closeAttempts} + 1`, lastError: error.message, claimedUntil: null, updatedAt: now })
      .where(eq(checkouts.id, row.id))
    return 'unreachable'
  }
  await db.update(checkouts).set({ state: 'closed', claimedUntil: null, updatedAt: now }).where(eq(checkouts.id, row.id))
  return result
}

/**
 * The periodic pass: checkouts of orders that are no longer pending are closed at the provider
 * (a Stripe session opened before a cancel could otherwise still be paid); those past their own
 * expiry are simply marked closed. Each is claimed first, so processes never close one twice.
 */
export async function closeLapsedCheckouts(now = new Date(), limit = 20) {
  await db
    .update(checkouts)
    .set({ state: 'closed', updatedAt: now })
    .where(and(inArray(checkouts.state, ['creating', 'open']), lte(checkouts.expiresAt, now)))
  const claimed = await db.all<{ id: number }>(sql`
    UPDATE checkouts SET claimed_until = ${now.getTime() + CLAIM_MS}, updated_at = ${now.getTime()}
    WHERE id IN (
      SELECT c.id FROM checkouts c JOIN orders o ON o.id = c.order_id
      WHERE c.state IN ('creating', 'open') AND o.state <> 'pending'
        AND (c.claimed_until IS NULL OR c.claimed_until <= ${now.getTime()})
      LIMIT ${limit}
    )
    RETURNING id`)
  let closed = 0
  for (const { id } of claimed) {
    const row = await db.query.checkouts.findFirst({ where: eq(checkouts.id, id) })
    // One provider that does not answer costs this row an attempt, not the rest of the pass.
    if (row && (await closeCheckout(row, now)) !== 'unreachable') closed += 1
  }
  return closed
}

/**
 * A row still 'creating' has no reference: its creation may or may not have reached the provider.
 * Repeating it with the same key and the same request finds the session if it exists (so it can
 * be closed); a provider that refuses the repeat (its expiry is now too close) never created one.
 */
async function withProviderRef(row: Checkout): Promise<Checkout> {
  if (row.state !== 'creating' || row.providerRef) return row
  try {
    const found = await startRowCheckout(row, paymentProvider(row.provider))
    return { ...row, providerRef: found.providerRef }
  } catch (error) {
    if (error instanceof PaymentProviderError && error.kind === 'refused') return row
    throw error
  }
}

/**
 * A payment came through this checkout: it takes no more. A statement for the batch that ends the
 * payment's transaction (docs/decisions/038).
 */
export function checkoutPaidStatement({ provider, providerRef, now }: { provider: PaymentProvider['name']; providerRef: string; now: Date }): InStatement {
  return {
    sql: `UPDATE checkouts SET state = 'closed', claimed_until = NULL, updated_at = ? WHERE provider = ? AND provider_ref = ?`,
    args: [now.getTime(), provider, providerRef],
  }
}

/** The order's open checkout as the pay page shows it (a QR code waiting to be scanned, say), or null. */
export async function openCheckoutOf(orderId: number) {
  const row = await db.query.checkouts.findFirst({ where: and(eq(checkouts.orderId, orderId), eq(checkouts.state, 'open')) })
  if (!row) return null
  const action = actionOf(row)
  return action ? { provider: row.provider, method: (row.method as PayMethod | null) ?? defaultMethodOf({ name: row.provider }), providerRef: row.providerRef, action } : null
}
