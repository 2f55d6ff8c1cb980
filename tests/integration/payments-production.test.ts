// Issue 11, F1: in production the built-in test provider never takes a payment unless the
// operator opts in with PAYMENTS_TEST_MODE=1, and then every page says so. Without a provider the
// site still serves, but nothing can be ordered or paid (docs/decisions/011).
import { eq } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { drops, orders, paymentEvents, tiers } from '../../db/schema'
import { db } from '~/utils/db.server'
import { GOOD_ADDRESS, createTestProduct, putInCart } from '../factories/cart'
import { createStock, line, placeOk } from '../factories/orders'
import { startWithEnvironment } from '../factories/env'
import { readData, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const MINUTE = 60_000

/** The app's route modules as a process started with this environment would load them. */
async function appWith(env: Record<string, string | undefined>) {
  await startWithEnvironment(env)
  return {
    pay: await import('~/routes/pay.$orderId'),
    checkout: await import('~/routes/checkout'),
    membership: await import('~/routes/membership._index'),
    root: await import('~/root'),
  }
}

afterAll(() => {
  process.env.NODE_ENV = 'test'
  delete process.env.PAYMENTS_TEST_MODE
})

async function pendingOrder() {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  const item = await createStock({ capacity: 5 })
  const order = await placeOk({ userId: user.id, kind: 'goods', lines: [line(item.id, { unitPriceFen: 999_900 })], now: new Date() })
  return { user, cookie, order }
}

async function openDrop() {
  const { createDrop, listDropTiers } = await import('~/models/drop.server')
  const tiegan = (await db.select().from(tiers).where(eq(tiers.slug, 'tiegan')))[0]!
  const { user: admin } = await createTestUser({ role: 'admin' })
  const now = Date.now()
  const created = await createDrop({
    input: {
      name: '生产环境招募',
      announcement: '',
      opensAt: new Date(now + MINUTE),
      closesAt: new Date(now + 60 * MINUTE),
      tiers: [{ tierId: tiegan.id, priceFen: 1200_00, capacity: 10, validUntil: new Date(now + 365 * 24 * 60 * MINUTE) }],
    },
    actorId: admin.id,
    now: new Date(now),
  })
  if (!created.ok) throw new Error(JSON.stringify(created.errors))
  // Opened a minute ago: the window is judged on the real clock by the route.
  await db.update(drops).set({ opensAt: new Date(now - MINUTE) }).where(eq(drops.id, created.drop.id))
  const [tier] = await listDropTiers(created.drop.id, new Date(now))
  return { drop: created.drop, dropTierId: tier!.id }
}

describe('NODE_ENV=production without any payment provider', async () => {
  const app = await appWith({ NODE_ENV: 'production', PAYMENTS_TEST_MODE: undefined, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined })

  it('refuses 模拟支付成功 (404) and leaves a ¥9,999 order unpaid, with no payment recorded', async () => {
    const { cookie, order } = await pendingOrder()
    const args = routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'succeed' } }), { orderId: String(order.id) })
    expect(readData(await app.pay.action(args)).status).toBe(404)
    const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
    expect(after).toMatchObject({ state: 'pending', paidAt: null })
    expect(await db.$count(paymentEvents, eq(paymentEvents.orderId, order.id))).toBe(0)
  })

  it('shows the payment page without test buttons: no provider, and why', async () => {
    const { cookie, order } = await pendingOrder()
    const page = await app.pay.loader(routeArgs(requestFor(`/pay/${order.id}`, { cookie }), { orderId: String(order.id) }))
    expect(page).toMatchObject({ methods: [] })
    const checkout = readData(await app.pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'checkout' } }), { orderId: String(order.id) })))
    expect(checkout.status).toBe(503)
    expect(checkout.data.errors.intent).toContain('尚未开通在线支付')
  })

  it('checkout says payments are not set up (503) and holds nothing', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const product = await createTestProduct({ capacity: 3 })
    await putInCart(user.id, product.id, 1)
    const page = readData<{ paymentsReady: boolean }>(await app.checkout.loader(routeArgs(requestFor('/checkout', { cookie }))))
    expect(page.data.paymentsReady).toBe(false)
    const placed = readData(await app.checkout.action(routeArgs(requestFor('/checkout', { cookie, form: GOOD_ADDRESS }))))
    expect(placed.status).toBe(503)
    expect(placed.data.errors.form).toBe('本站尚未开通在线支付，暂时无法下单。')
    expect(await db.$count(orders, eq(orders.userId, user.id))).toBe(0)
  })

  it('refuses a seat of an open drop the same way', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const { drop, dropTierId } = await openDrop()
    const result = readData(
      await app.membership.action(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(dropTierId) } }))),
    )
    expect(result.status).toBe(503)
    expect(await db.$count(orders, eq(orders.userId, user.id))).toBe(0)
  })

  it('tells every page that no provider is live, and shows no test-mode banner', async () => {
    const root = readData<{ payments: { mode: string; testInProduction: boolean } }>(await app.root.loader(routeArgs(requestFor('/'))))
    expect(root.data.payments).toEqual({ mode: 'none', testInProduction: false })
  })
})

describe('NODE_ENV=production with PAYMENTS_TEST_MODE=1 (the operator opted in)', async () => {
  const app = await appWith({ NODE_ENV: 'production', PAYMENTS_TEST_MODE: '1', STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined })

  it('takes test payments, and every page carries the loud banner', async () => {
    const root = readData<{ payments: { mode: string; testInProduction: boolean } }>(await app.root.loader(routeArgs(requestFor('/'))))
    expect(root.data.payments).toEqual({ mode: 'test', testInProduction: true })
    const { cookie, order } = await pendingOrder()
    await app.pay.action(routeArgs(requestFor(`/pay/${order.id}`, { cookie, form: { intent: 'succeed' } }), { orderId: String(order.id) }))
    const [after] = await db.select().from(orders).where(eq(orders.id, order.id))
    expect(after?.state).toBe('paid')
  })
})

describe('the rule itself', async () => {
  const { paymentMode, describePaymentMode } = await import('~/utils/payments.server')
  const env = (NODE_ENV: 'production' | 'development' | 'test', extra: { PAYMENTS_TEST_MODE?: boolean; STRIPE_SECRET_KEY?: string } = {}) => ({
    NODE_ENV,
    PAYMENTS_TEST_MODE: extra.PAYMENTS_TEST_MODE ?? false,
    STRIPE_SECRET_KEY: extra.STRIPE_SECRET_KEY,
  })

  it.each([
    ['production, nothing set', env('production'), { kind: 'none' }],
    ['production, PAYMENTS_TEST_MODE', env('production', { PAYMENTS_TEST_MODE: true }), { kind: 'test', production: true }],
    ['production, Stripe', env('production', { STRIPE_SECRET_KEY: 'sk_live_x' }), { kind: 'live', providers: ['stripe'] }],
    ['production, Stripe and PAYMENTS_TEST_MODE', env('production', { STRIPE_SECRET_KEY: 'sk_live_x', PAYMENTS_TEST_MODE: true }), { kind: 'live', providers: ['stripe'] }],
    ['development, nothing set', env('development'), { kind: 'test', production: false }],
    ['test, nothing set', env('test'), { kind: 'test', production: false }],
  ])('%s → %o', (_name, given, expected) => {
    expect(paymentMode(given)).toEqual(expected)
  })

  it('says at start-up which provider is live', () => {
    expect(describePaymentMode(env('production'))).toMatch(/^payments: none configured/)
    expect(describePaymentMode(env('production', { PAYMENTS_TEST_MODE: true }))).toMatch(/TEST MODE IN PRODUCTION/)
    expect(describePaymentMode(env('production', { STRIPE_SECRET_KEY: 'sk_live_abc' }))).toBe('payments: Stripe Checkout (live key) takes payments')
    expect(describePaymentMode(env('development'))).toMatch(/^payments: test mode/)
  })
})
