// The payment step (/pay/:orderId in test mode) and Stripe: Checkout Sessions, signed webhooks
// and refunds, with the Stripe API intercepted by msw (no network).
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { checkouts, orders, paymentEvents } from '../../db/schema'
import { db } from '~/utils/db.server'
import { createBuyers, createStock, expectConsistent, line, placeOk } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'
import { openFlagsOf, paymentEventsOf, refundsOf } from '../factories/payments'
import { checkoutCompleted, signedStripeEvent, stripeCalls, interceptStripe } from '../mocks/stripe'

async function orderById(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

async function buyerWithOrder({ capacity = 5, qty = 1 } = {}) {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  const item = await createStock({ capacity, numbered: true })
  const order = await placeOk({ userId: user.id, kind: 'goods', lines: [line(item.id, { qty })], now: new Date() })
  return { user, cookie, item, order }
}

describe('/pay/:orderId in test mode', async () => {
  const pay = await import('~/routes/pay.$orderId')

  it('shows the owner their pending order with the test-mode buttons', async () => {
    const { cookie, order } = await buyerWithOrder()
    const page = await pay.loader(routeArgs(requestFor(`/pay/${order.id}`, { cookie }), { orderId: String(order.id) }))
    expect(page).toMatchObject({ methods: ['test'], order: { id: order.id, state: 'pending', totalFen: 6800 } })
  })

  it("answers 404 for someone else's order, for viewing and for paying", async () => {
    const { order } = await buyerWithOrder()
    const [stranger] = await createBuyers(1)
    const { cookie } = await signedInCookie(stranger!.id)
    const args = (form?: Record<string, string>) => routeArgs(requestFor(`/pay/${order.id}`, { cookie, form }), { orderId: String(order.id) })
    expect((await thrownResponse(pay.loader(args()))).status).toBe(404)
    expect((await thrownResponse(pay.action(args({ intent: 'succeed' })))).status).toBe(404)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
  })

  it('模拟支付成功 pays the order once, however often it is pressed, and lands on the order', async () => {
    const { cookie, order, item } = await buyerWithOrder({ qty: 2 })
    const press = () => pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'succeed' } }), { orderId: String(order.id) }))
    const results = await Promise.all([press(), press(), press()])
    for (const result of results) expect(readRedirect(result).location).toBe(`/orders/${order.id}`)
    expect(await orderById(order.id)).toMatchObject({ state: 'paid', provider: 'test' })
    expect(await db.$count(paymentEvents, eq(paymentEvents.orderId, order.id))).toBe(1)
    await expectConsistent(item.id, { available: 3 })
    // A paid order's payment page sends the buyer to the order.
    const after = await thrownResponse(pay.loader(routeArgs(requestFor(`/pay/${order.id}`, { cookie }), { orderId: String(order.id) })))
    expect(after.headers.get('Location')).toBe(`/orders/${order.id}`)
  })

  it('模拟支付失败 leaves the order pending and says so', async () => {
    const { cookie, order } = await buyerWithOrder()
    const result = await pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'fail' } }), { orderId: String(order.id) }))
    expect(readRedirect(result).location).toBe(`/pay/${order.id}`)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
  })

  it('cancels an unpaid order and gives its stock back', async () => {
    const { cookie, order, item } = await buyerWithOrder({ capacity: 1 })
    await pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'cancel' } }), { orderId: String(order.id) }))
    expect(await orderById(order.id)).toMatchObject({ state: 'cancelled' })
    await expectConsistent(item.id, { available: 1 })
  })

  it('refuses an unknown intent with 400 and changes nothing', async () => {
    const { cookie, order } = await buyerWithOrder()
    const result = readData(await pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'free' } }), { orderId: String(order.id) })))
    expect(result.status).toBe(400)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
  })
})

describe('Stripe', async () => {
  interceptStripe()
  const pay = await import('~/routes/pay.$orderId')
  const webhook = await import('~/routes/webhooks.$provider')
  const payments = await import('~/models/commerce.server')

  function post(body: string, headers: Record<string, string>) {
    return webhook.action(
      routeArgs(new Request('http://localhost:3000/webhooks/stripe', { method: 'POST', body, headers }), { provider: 'stripe' }),
    )
  }

  it('sends the buyer to a Stripe Checkout Session in CNY with card, Alipay and WeChat Pay', async () => {
    const { cookie, order } = await buyerWithOrder({ qty: 2 })
    const result = await pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'checkout' } }), { orderId: String(order.id) }))
    expect(readRedirect(result).location).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_\d+$/)
    const call = stripeCalls.findLast((c) => c.path === '/v1/checkout/sessions')!
    const methods = [...call.params].filter(([key]) => key.startsWith('allowed_payment_method_types[')).map(([, value]) => value)
    expect(methods).toEqual(['card', 'alipay', 'wechat_pay'])
    expect(call.params.get('line_items[0][price_data][currency]')).toBe('cny')
    expect(call.params.get('line_items[0][price_data][unit_amount]')).toBe('13600')
    expect(call.params.get('metadata[order_id]')).toBe(String(order.id))
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
    expect(await db.select().from(checkouts).where(eq(checkouts.orderId, order.id))).toMatchObject([{ provider: 'stripe', state: 'open', providerRef: expect.stringMatching(/^cs_test_/) }])
    // No simulated payments once a real provider is configured.
    const simulated = readData(
      await pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'succeed' } }), { orderId: String(order.id) })),
    )
    expect(simulated.status).toBe(404)
  })

  it('fulfils a signed checkout.session.completed once, however often Stripe delivers it', async () => {
    const { order, item } = await buyerWithOrder()
    const { payload, signature } = signedStripeEvent(checkoutCompleted({ eventId: `evt_ok_${order.id}`, orderId: order.id, amountFen: 6800 }))
    const first = await post(payload, { 'Stripe-Signature': signature })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ received: true, outcome: 'paid', duplicate: false })
    const replay = await post(payload, { 'Stripe-Signature': signature })
    // A repeat answers with what the first delivery did.
    expect(await replay.json()).toEqual({ received: true, outcome: 'paid', duplicate: true })
    expect(await orderById(order.id)).toMatchObject({ state: 'paid', providerPaymentId: `pi_test_${order.id}` })
    await expectConsistent(item.id, { available: 4 })
  })

  it('answers 400 to a bad or missing signature and records nothing', async () => {
    const { order } = await buyerWithOrder()
    const event = checkoutCompleted({ eventId: `evt_forged_${order.id}`, orderId: order.id, amountFen: 6800 })
    const forged = signedStripeEvent(event, 'whsec_someone_else')
    expect((await post(forged.payload, { 'Stripe-Signature': forged.signature })).status).toBe(400)
    expect((await post(JSON.stringify(event), {})).status).toBe(400)
    const genuine = signedStripeEvent(event)
    expect((await post(genuine.payload.replace('"paid"', '"PAID"'), { 'Stripe-Signature': genuine.signature })).status).toBe(400)
    expect(await db.$count(paymentEvents, eq(paymentEvents.orderId, order.id))).toBe(0)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
  })

  it('refuses a body over 64 KB with 413 before verifying it, declared or streamed without a length, reading no further', async () => {
    const { order } = await buyerWithOrder()
    const event = checkoutCompleted({ eventId: `evt_large_${order.id}`, orderId: order.id, amountFen: 6800 })
    // A genuine signature over a padded event: size alone refuses it.
    const padded = signedStripeEvent({ ...event, padding: 'x'.repeat(64 * 1024) })
    const declared = await post(padded.payload, { 'Stripe-Signature': padded.signature, 'Content-Length': String(Buffer.byteLength(padded.payload)) })
    expect(declared.status).toBe(413)
    expect(await declared.text()).toContain('上限 64 KB')

    const chunk = new TextEncoder().encode(' '.repeat(8 * 1024))
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const streamed = await webhook.action(
      routeArgs(
        new Request('http://localhost:3000/webhooks/stripe', { method: 'POST', body: endless, headers: { 'Stripe-Signature': padded.signature }, duplex: 'half' } as RequestInit),
        { provider: 'stripe' },
      ),
    )
    expect(streamed.status).toBe(413)
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + 3 * chunk.byteLength)
    expect(await db.$count(paymentEvents, eq(paymentEvents.orderId, order.id))).toBe(0)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
  })

  it('refuses a payment of the wrong amount (400, flagged, kept with its payment id) and acknowledges its retries with the same outcome', async () => {
    const { order } = await buyerWithOrder()
    const { payload, signature } = signedStripeEvent(checkoutCompleted({ eventId: `evt_short_${order.id}`, orderId: order.id, amountFen: 100 }))
    expect((await post(payload, { 'Stripe-Signature': signature })).status).toBe(400)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch'])
    // Recorded once; its retries are acknowledged, or Stripe would send it for days (the probe).
    const retry = await post(payload, { 'Stripe-Signature': signature })
    expect(retry.status).toBe(200)
    expect(await retry.json()).toEqual({ received: true, outcome: 'amount_mismatch', duplicate: true })
    expect(await paymentEventsOf(order.id)).toMatchObject([{ outcome: 'amount_mismatch', providerPaymentId: `pi_test_${order.id}`, amountFen: 100 }])
  })

  it('acknowledges events that confirm no payment without touching the order', async () => {
    const { order } = await buyerWithOrder()
    const unpaid = signedStripeEvent(checkoutCompleted({ eventId: `evt_unpaid_${order.id}`, orderId: order.id, amountFen: 6800, paymentStatus: 'unpaid' }))
    expect(await (await post(unpaid.payload, { 'Stripe-Signature': unpaid.signature })).json()).toEqual({ received: true, outcome: 'ignored' })
    const other = signedStripeEvent({ ...checkoutCompleted({ eventId: `evt_other_${order.id}`, orderId: order.id, amountFen: 6800 }), type: 'customer.created' })
    expect((await post(other.payload, { 'Stripe-Signature': other.signature })).status).toBe(200)
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
  })

  it('refunds through Stripe with an idempotency key per refund', async () => {
    const { order } = await buyerWithOrder()
    const { payload, signature } = signedStripeEvent(checkoutCompleted({ eventId: `evt_refund_${order.id}`, orderId: order.id, amountFen: 6800 }))
    await post(payload, { 'Stripe-Signature': signature })
    await payments.requestRefund({ orderId: order.id, actorId: null })
    await payments.processPendingRefunds()
    expect(await orderById(order.id)).toMatchObject({ state: 'refunded' })
    const call = stripeCalls.findLast((c) => c.path === '/v1/refunds')!
    expect(call.params.get('payment_intent')).toBe(`pi_test_${order.id}`)
    expect(call.params.get('amount')).toBe('6800')
    const [refund] = await refundsOf(order.id)
    expect(refund).toMatchObject({ state: 'succeeded', reason: 'order', providerRefundId: expect.stringMatching(/^re_test_/) })
    expect(call.idempotencyKey).toBe(`refund-${refund!.id}`)
  })
})
