// Issue 11: one payable transaction per order. With Stripe configured (its API intercepted by msw,
// which keeps sessions by idempotency key as Stripe does), however often a reader presses 去支付
// there is one Checkout Session; it is expired at Stripe when the order is cancelled or lapses;
// an unreachable Stripe answers in zh-CN and keeps the hold; an admin gives back an extra payment.
import { eq } from 'drizzle-orm'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { checkouts, orders, refunds } from '../../db/schema'
import { db } from '~/utils/db.server'
import { createTestProduct, productLine } from '../factories/cart'
import { expectConsistent, placeOk } from '../factories/orders'
import { openFlagsOf, paymentEventsOf, refundsOf } from '../factories/payments'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'
import { checkoutCompleted, sessionStatus, signedStripeEvent, stripeCalls, stripeServer, interceptStripe } from '../mocks/stripe'

interceptStripe()
const pay = await import('~/routes/pay.$orderId')
const webhook = await import('~/routes/webhooks.$provider')
const adminOrder = await import('~/routes/admin.orders.$id')
const { closeLapsedCheckouts } = await import('~/models/payable-checkout.server')
const { cancelOrder, processPendingRefunds, releaseExpiredHolds } = await import('~/models/commerce.server')

const MINUTE = 60_000

async function buyerWithOrder({ placedAt = new Date() }: { placedAt?: Date } = {}) {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  const product = await createTestProduct({ capacity: 5 })
  const order = await placeOk({
    userId: user.id,
    kind: 'goods',
    lines: [productLine(product)],
    now: placedAt,
  })
  return { user, cookie, product, order }
}

function pressPay(orderId: number, cookie: string) {
  return pay.action(routeArgs(requestFor(`/pay/${orderId}`, { cookie, form: { intent: 'checkout' } }), { orderId: String(orderId) }))
}

function sessionsCreatedFor(orderId: number) {
  return stripeCalls.filter((call) => call.path === '/v1/checkout/sessions' && call.params.get('metadata[order_id]') === String(orderId))
}

function checkoutsOf(orderId: number) {
  return db.select().from(checkouts).where(eq(checkouts.orderId, orderId))
}

function postWebhook(event: Record<string, unknown>) {
  const { payload, signature } = signedStripeEvent(event)
  return webhook.action(
    routeArgs(new Request('http://localhost:3000/webhooks/stripe', { method: 'POST', body: payload, headers: { 'Stripe-Signature': signature } }), {
      provider: 'stripe',
    }),
  )
}

describe('去支付 pressed again, or in a second tab', () => {
  it('opens one Checkout Session, and every press lands on it', async () => {
    const { cookie, order } = await buyerWithOrder()
    const answers = await Promise.all([pressPay(order.id, cookie), pressPay(order.id, cookie), pressPay(order.id, cookie)])
    answers.push(await pressPay(order.id, cookie), await pressPay(order.id, cookie))
    const locations = new Set(answers.map((answer) => readRedirect(answer).location))
    expect(locations.size).toBe(1)
    expect([...locations][0]).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_\d+$/)
    // One creation (a concurrent press may repeat it with the same key: Stripe answers the same session).
    expect(new Set(sessionsCreatedFor(order.id).map((call) => call.idempotencyKey)).size).toBe(1)
    expect(await checkoutsOf(order.id)).toMatchObject([{ state: 'open', provider: 'stripe' }])
  })

  it('opens a new session only after closing one about to expire', async () => {
    const { cookie, order } = await buyerWithOrder()
    const first = readRedirect(await pressPay(order.id, cookie)).location!
    const firstId = first.split('/').pop()!
    await db.update(checkouts).set({ expiresAt: new Date(Date.now() + 30_000) }).where(eq(checkouts.orderId, order.id))
    const second = readRedirect(await pressPay(order.id, cookie)).location!
    expect(second).not.toBe(first)
    expect(sessionStatus.get(firstId)).toBe('expired')
    expect((await checkoutsOf(order.id)).map((row) => row.state).sort()).toEqual(['closed', 'open'])
  })
})

describe('a cancelled or lapsed order cannot be paid through a session opened before', () => {
  it('the session of a cancelled order is expired at Stripe by the next job pass', async () => {
    const { user, cookie, order } = await buyerWithOrder()
    const sessionId = readRedirect(await pressPay(order.id, cookie)).location!.split('/').pop()!
    await cancelOrder({ orderId: order.id, userId: user.id, now: new Date() })
    expect(await closeLapsedCheckouts()).toBeGreaterThanOrEqual(1)
    expect(stripeCalls.some((call) => call.path === `/v1/checkout/sessions/${sessionId}/expire`)).toBe(true)
    expect(sessionStatus.get(sessionId)).toBe('expired')
    expect(await checkoutsOf(order.id)).toMatchObject([{ state: 'closed' }])
  })

  it('the session of a lapsed order too; one paid just before is closed and its payment handled as a late one', async () => {
    const { cookie, order } = await buyerWithOrder({ placedAt: new Date(Date.now() - 9 * MINUTE) })
    const sessionId = readRedirect(await pressPay(order.id, cookie)).location!.split('/').pop()!
    // The buyer completed it at Stripe just as the hold lapsed; the webhook is on its way.
    sessionStatus.set(sessionId, 'complete')
    await releaseExpiredHolds(new Date(Date.now() + 2 * MINUTE))
    await closeLapsedCheckouts(new Date(Date.now() + 2 * MINUTE))
    expect(await checkoutsOf(order.id)).toMatchObject([{ state: 'closed' }])
    const answer = await postWebhook(checkoutCompleted({ eventId: `evt_lapsed_${order.id}`, orderId: order.id, amountFen: order.totalFen }))
    // Nothing else took the unit and nothing changed: accepted again, flagged.
    expect(await answer.json()).toEqual({ received: true, outcome: 'reseated', duplicate: false })
    expect(await openFlagsOf(order.id)).toEqual(['reseated'])
  })
})

describe('the close pass and Stripe', () => {
  it('one checkout Stripe cannot close costs an attempt, not the rest of the pass (the probe saw the job abort)', async () => {
    const stuck = await buyerWithOrder()
    const other = await buyerWithOrder()
    const otherSession = readRedirect(await pressPay(other.order.id, other.cookie)).location!.split('/').pop()!
    // The first order's checkout never got its answer from Stripe: it is still 'creating'.
    stripeServer.use(http.post('https://api.stripe.com/v1/checkout/sessions', () => HttpResponse.error()))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    readData(await pressPay(stuck.order.id, stuck.cookie))
    await cancelOrder({ orderId: stuck.order.id, userId: stuck.user.id, now: new Date() })
    await cancelOrder({ orderId: other.order.id, userId: other.user.id, now: new Date() })
    expect(await closeLapsedCheckouts()).toBe(1)
    warn.mockRestore()
    expect(await checkoutsOf(stuck.order.id)).toMatchObject([{ state: 'creating', closeAttempts: 1, claimedUntil: null }])
    expect(sessionStatus.get(otherSession)).toBe('expired')
    expect(await checkoutsOf(other.order.id)).toMatchObject([{ state: 'closed' }])
    // Stripe answers again: the next pass finds the session the lost call made (same key) and closes it.
    stripeServer.resetHandlers()
    expect(await closeLapsedCheckouts()).toBe(1)
    expect(await checkoutsOf(stuck.order.id)).toMatchObject([{ state: 'closed' }])
  }, 15_000)

  it('a session about to expire that the buyer just paid is not replaced by a second payable one', async () => {
    const { cookie, order } = await buyerWithOrder()
    const sessionId = readRedirect(await pressPay(order.id, cookie)).location!.split('/').pop()!
    sessionStatus.set(sessionId, 'complete')
    await db.update(checkouts).set({ expiresAt: new Date(Date.now() + 30_000) }).where(eq(checkouts.orderId, order.id))
    const answer = readData(await pressPay(order.id, cookie))
    expect(answer.status).toBe(409)
    expect(answer.data.errors.intent).toBe('你已在支付平台完成付款，我们正在确认，请稍候刷新订单页面。')
    expect(sessionsCreatedFor(order.id)).toHaveLength(1)
  })
})

describe('Stripe cannot be reached', () => {
  it('answers 503 in zh-CN, keeps the order and its hold, and the next press finds the same session', async () => {
    const { cookie, order, product } = await buyerWithOrder()
    stripeServer.use(http.post('https://api.stripe.com/v1/checkout/sessions', () => HttpResponse.error()))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const answer = readData(await pressPay(order.id, cookie))
    warn.mockRestore()
    expect(answer.status).toBe(503)
    expect(answer.data.errors.intent).toBe('支付服务暂时无法连接，请稍后重试。订单仍为你保留，直到倒计时结束。')
    const [order1] = await db.select().from(orders).where(eq(orders.id, order.id))
    expect(order1?.state).toBe('pending')
    await expectConsistent(product.stock.id, { available: 4 })
    const [row] = await checkoutsOf(order.id)
    expect(row).toMatchObject({ state: 'creating', claimedUntil: null })

    stripeServer.resetHandlers()
    const location = readRedirect(await pressPay(order.id, cookie)).location
    expect(location).toMatch(/^https:\/\/checkout\.stripe\.com\//)
    // The retry used the row's key: had the first call reached Stripe, this would be its session.
    expect(sessionsCreatedFor(order.id).at(-1)?.idempotencyKey).toBe(`checkout-${row!.id}`)
    expect(await checkoutsOf(order.id)).toMatchObject([{ id: row!.id, state: 'open' }])
  }, 15_000)
})

describe('one payment told by two events', () => {
  it('is a repeat, not a second payment an admin could refund (the probe refunded an order\'s only payment this way)', async () => {
    const { order } = await buyerWithOrder()
    const completed = checkoutCompleted({ eventId: `evt_c1_${order.id}`, orderId: order.id, amountFen: order.totalFen })
    expect(await (await postWebhook(completed)).json()).toEqual({ received: true, outcome: 'paid', duplicate: false })
    // The same PaymentIntent again, as checkout.session.async_payment_succeeded.
    const async = checkoutCompleted({ eventId: `evt_c2_${order.id}`, orderId: order.id, amountFen: order.totalFen, type: 'checkout.session.async_payment_succeeded' })
    expect(await (await postWebhook(async)).json()).toEqual({ received: true, outcome: 'paid', duplicate: true })
    expect(await openFlagsOf(order.id)).toEqual([])
    expect((await paymentEventsOf(order.id)).map((event) => [event.eventId, event.outcome])).toEqual([
      [`evt_c1_${order.id}`, 'paid'],
      [`evt_c2_${order.id}`, 'duplicate'],
    ])
    // Delivered again, it still answers with what the payment did.
    expect(await (await postWebhook(async)).json()).toEqual({ received: true, outcome: 'paid', duplicate: true })
  })
})

describe('an extra payment', () => {
  it('is kept with its PaymentIntent and an admin gives it back from the order page', async () => {
    const admin = (await createTestUser({ role: 'admin' })).user
    const { cookie: adminCookie } = await signedInCookie(admin.id)
    const { order } = await buyerWithOrder()
    await postWebhook(checkoutCompleted({ eventId: `evt_first_${order.id}`, orderId: order.id, amountFen: order.totalFen }))
    // A second session (a tab opened before the fix, say) was paid too.
    const second = checkoutCompleted({ eventId: `evt_second_${order.id}`, orderId: order.id, amountFen: order.totalFen })
    ;(second.data.object as { payment_intent: string }).payment_intent = `pi_second_${order.id}`
    expect(await (await postWebhook(second)).json()).toMatchObject({ outcome: 'already_paid' })
    expect(await openFlagsOf(order.id)).toEqual(['paid_twice'])
    const extra = (await paymentEventsOf(order.id)).find((event) => event.outcome === 'already_paid')!
    expect(extra.providerPaymentId).toBe(`pi_second_${order.id}`)

    const act = (form: Record<string, string>) =>
      adminOrder.action(routeArgs(requestFor(`/admin/orders/${order.id}`, { cookie: adminCookie, form }), { id: String(order.id) }))
    // The order's own payment is not an extra one.
    const own = (await paymentEventsOf(order.id)).find((event) => event.outcome === 'paid')!
    expect(readData(await act({ intent: 'refund-payment', paymentEventId: String(own.id), confirm: 'yes' })).status).toBe(409)
    readRedirect(await act({ intent: 'refund-payment', paymentEventId: String(extra.id), confirm: 'yes' }))
    expect(readData(await act({ intent: 'refund-payment', paymentEventId: String(extra.id), confirm: 'yes' })).status).toBe(409)

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    await processPendingRefunds()
    log.mockRestore()
    const call = stripeCalls.findLast((c) => c.path === '/v1/refunds')!
    expect(call.params.get('payment_intent')).toBe(`pi_second_${order.id}`)
    expect(call.params.get('amount')).toBe(String(order.totalFen))
    expect(await refundsOf(order.id)).toMatchObject([{ reason: 'extra_payment', state: 'succeeded', paymentEventId: extra.id }])
    // The order itself stays paid.
    const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
    expect(after?.state).toBe('paid')
    expect(await db.$count(refunds, eq(refunds.paymentEventId, own.id))).toBe(0)
  })
})
