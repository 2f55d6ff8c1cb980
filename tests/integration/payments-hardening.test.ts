// Issue 11, money: payments for orders that are no longer payable (F2), payments that cannot be
// applied (F3), truthful answers to a repeated payment, edition numbers after refunds, refunds
// claimed once, flags that accumulate, and decisions taken inside the write — against the real
// database, with the test provider's /pay page where a reader would press the button.
import { and, asc, eq, sql } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { drops, holds, memberships, orderLines, orders, products, refunds, tiers } from '../../db/schema'
import { LIVE_ORDER_STATES } from '~/domain/order'
import { createDrop, listDropTiers, placeSeatOrder, type DropTierView } from '~/models/drop.server'
import { cancelOrder, confirmPayment, processPendingRefunds, releaseExpiredHolds, requestRefund } from '~/models/commerce.server'
import { setProductCapacity } from '~/models/product.server'
import * as checkoutRoute from '~/routes/checkout'
import * as payRoute from '~/routes/pay.$orderId'
import { databaseHandle, db } from '~/utils/db.server'
import { GOOD_ADDRESS, createTestProduct, productLine, putInCart } from '../factories/cart'
import { createBuyers, expectConsistent, paidNotice, placeOk } from '../factories/orders'
import { openFlagsOf, paymentEventsOf, refundsOf } from '../factories/payments'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { addMembership, createTestUser, signedInCookie } from '../factories/users'

const MINUTE = 60_000
const HOLD_MS = 10 * MINUTE
const T0 = new Date('2091-03-01T02:00:00Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

async function orderById(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

/** Units of a stock a buyer holds or bought (what the per-member limit counts). */
async function unitsOwned(userId: number, stockId: number) {
  const [row] = await db
    .select({ units: sql<number>`coalesce(sum(${holds.qty}), 0)` })
    .from(holds)
    .where(and(eq(holds.userId, userId), eq(holds.stockId, stockId), sql`${holds.state} IN ('held', 'sold')`))
  return Number(row!.units)
}

function press(orderId: number, cookie: string, intent: string) {
  return payRoute.action(routeArgs(requestFor(`/pay/${orderId}`, { cookie, form: { intent } }), { orderId: String(orderId) }))
}

/** The flash message a redirect carries (the cookie is signed JSON, base64 before the dot). */
function flashOf(response: Response) {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('zhiyin_flash='))!
  const value = decodeURIComponent(cookie.slice('zhiyin_flash='.length).split(';')[0]!).split('.')[0]!
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { kind: string; message: string }
}

describe('F2: a payment for an order that is no longer payable', () => {
  it('模拟支付成功 on a cancelled order is refused (409) and takes nothing', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const product = await createTestProduct({ capacity: 5 })
    const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    expect(await cancelOrder({ orderId: order.id, userId: user.id, now: new Date() })).toBe(true)
    const answer = readData(await press(order.id, cookie, 'succeed'))
    expect(answer.status).toBe(409)
    expect(answer.data.errors.intent).toBe('订单已取消。')
    expect(await orderById(order.id)).toMatchObject({ state: 'cancelled', paidAt: null })
    expect(await paymentEventsOf(order.id)).toEqual([])
  })

  it('模拟支付成功 after the hold ran out is refused even before the job marks the order expired', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const product = await createTestProduct({ capacity: 5 })
    const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: new Date(Date.now() - HOLD_MS - 1000) })
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
    const answer = readData(await press(order.id, cookie, 'succeed'))
    expect(answer.status).toBe(409)
    expect(answer.data.errors.intent).toBe('订单已超时关闭，锁定的库存已释放。')
    expect(await paymentEventsOf(order.id)).toEqual([])
  })

  it('a reader with a limit of 2 who cancelled, bought 2 again, then paid the cancelled order keeps 2 and is refunded', async () => {
    const [buyer] = await createBuyers(1)
    const product = await createTestProduct({ capacity: 100, perMemberLimit: 2 })
    const first = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(product, 2)], now: T0 })
    await cancelOrder({ orderId: first.id, userId: buyer!.id, now: at(1000) })
    const second = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(product, 2)], now: at(2000) })
    expect((await confirmPayment(paidNotice(second), at(3000))).outcome).toBe('paid')
    // A Stripe session opened before the cancel is completed now.
    const late = await confirmPayment(paidNotice(first, { eventId: `evt_late_${first.id}`, providerPaymentId: `pi_late_${first.id}` }), at(4000))
    expect(late).toEqual({ outcome: 'refunding', orderId: first.id, duplicate: false })
    expect(await unitsOwned(buyer!.id, product.stock.id)).toBe(2)
    expect(await orderById(first.id)).toMatchObject({ state: 'refunding', providerPaymentId: `pi_late_${first.id}` })
    expect(await openFlagsOf(first.id)).toEqual(['paid_after_expiry'])
    expect(await refundsOf(first.id)).toMatchObject([{ reason: 'late_payment', state: 'pending', amountFen: 2 * product.priceFen, providerPaymentId: `pi_late_${first.id}` }])
    await expectConsistent(product.stock.id, { available: 98 })
  })

  it('is refunded when the sale window closed meanwhile, though units are left', async () => {
    const [buyer] = await createBuyers(1)
    const product = await createTestProduct({ capacity: 10, saleEndsAt: at(HOLD_MS + MINUTE) })
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(product)], now: T0 })
    expect((await confirmPayment(paidNotice(order), at(HOLD_MS + 2 * MINUTE))).outcome).toBe('refunding')
    expect(await orderById(order.id)).toMatchObject({ state: 'refunding' })
    expect(await openFlagsOf(order.id)).toEqual(['paid_after_expiry'])
    await expectConsistent(product.stock.id, { available: 10 })
  })

  it("is refunded when the buyer's tier no longer allows the product", async () => {
    const { user } = await createTestUser()
    const membership = await addMembership(user.id, { tier: 'tiegan', validFrom: at(-MINUTE), validUntil: at(HOLD_MS + MINUTE) })
    const product = await createTestProduct({ capacity: 10, minRank: 2 })
    const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: T0 })
    // The membership ended before the late payment arrived.
    expect(membership.validUntil.getTime()).toBeLessThan(at(HOLD_MS + 2 * MINUTE).getTime())
    expect((await confirmPayment(paidNotice(order), at(HOLD_MS + 2 * MINUTE))).outcome).toBe('refunding')
    expect(await openFlagsOf(order.id)).toEqual(['paid_after_expiry'])
  })

  it('is refunded when the price changed meanwhile, and re-seated when nothing did', async () => {
    const [a, b] = await createBuyers(2)
    const pricey = await createTestProduct({ capacity: 10 })
    const changed = await placeOk({ userId: a!.id, kind: 'goods', lines: [productLine(pricey)], now: T0 })
    await db.update(products).set({ priceFen: pricey.priceFen + 1000 }).where(eq(products.id, pricey.id))
    expect((await confirmPayment(paidNotice(changed), at(HOLD_MS + MINUTE))).outcome).toBe('refunding')

    const steady = await createTestProduct({ capacity: 10 })
    const same = await placeOk({ userId: b!.id, kind: 'goods', lines: [productLine(steady)], now: T0 })
    expect((await confirmPayment(paidNotice(same), at(HOLD_MS + MINUTE))).outcome).toBe('reseated')
    expect(await openFlagsOf(same.id)).toEqual(['reseated'])
  })

  it('a late seat payment after the drop closed is refunded, the seat left free', async () => {
    const { drop, tiegan } = await makeDrop()
    const [buyer] = await createBuyers(1)
    const seat = await placeSeatOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: buyer!.id, now: drop.opensAt })
    if (!seat.ok) throw new Error(seat.reason)
    const order = await orderById(seat.orderId)
    expect((await confirmPayment(paidNotice(order), new Date(drop.closesAt.getTime() + MINUTE))).outcome).toBe('refunding')
    expect(await db.$count(memberships, eq(memberships.userId, buyer!.id))).toBe(0)
    await expectConsistent(tiegan.stockId, { available: 10 })
  })
})

describe('F3: every confirmed payment is recorded, whatever happens to its order', () => {
  it('paying a cancelled seat order while holding another live seat is recorded and refunded, not a 500', async () => {
    const { drop, qinqing } = await makeDrop()
    const [buyer] = await createBuyers(1)
    const now = drop.opensAt
    const first = await placeSeatOrder({ dropId: drop.id, dropTierId: qinqing.id, userId: buyer!.id, now })
    if (!first.ok) throw new Error(first.reason)
    await cancelOrder({ orderId: first.orderId, userId: buyer!.id, now })
    const second = await placeSeatOrder({ dropId: drop.id, dropTierId: qinqing.id, userId: buyer!.id, now })
    if (!second.ok) throw new Error(second.reason)
    expect((await confirmPayment(paidNotice(await orderById(second.orderId)), now)).outcome).toBe('paid')

    const late = await confirmPayment(paidNotice(await orderById(first.orderId), { eventId: `evt_first_${first.orderId}` }), new Date(now.getTime() + 1000))
    expect(late.outcome).toBe('refunding')
    expect(await paymentEventsOf(first.orderId)).toMatchObject([{ outcome: 'refunding' }])
    expect(await refundsOf(first.orderId)).toMatchObject([{ reason: 'late_payment', state: 'pending' }])
    expect(await orderById(second.orderId)).toMatchObject({ state: 'paid' })
    // The provider's retry is answered the same, and nothing is applied twice.
    expect(await confirmPayment(paidNotice(await orderById(first.orderId), { eventId: `evt_first_${first.orderId}` }))).toMatchObject({ outcome: 'refunding', duplicate: true })
    expect(await db.$count(refunds, eq(refunds.orderId, first.orderId))).toBe(1)
  })

  it('a payment whose application fails is kept, flagged and refunded, and the order is left as it was', async () => {
    const { drop, qinqing } = await makeDrop()
    const [buyer] = await createBuyers(1)
    const seat = await placeSeatOrder({ dropId: drop.id, dropTierId: qinqing.id, userId: buyer!.id, now: drop.opensAt })
    if (!seat.ok) throw new Error(seat.reason)
    // Fulfilment will fail: the line names a drop tier that does not exist.
    await db.update(orderLines).set({ dropTierId: 999_999 }).where(eq(orderLines.orderId, seat.orderId))
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const result = await confirmPayment(paidNotice(await orderById(seat.orderId)), drop.opensAt)
    expect(quiet).toHaveBeenCalledOnce()
    quiet.mockRestore()
    expect(result).toEqual({ outcome: 'error', orderId: seat.orderId, duplicate: false })
    const [event] = await paymentEventsOf(seat.orderId)
    expect(event).toMatchObject({ outcome: 'error', providerPaymentId: `pay_${seat.orderId}` })
    expect(event!.error).toContain('no drop tier 999999')
    expect(await refundsOf(seat.orderId)).toMatchObject([{ reason: 'unapplied_payment', paymentEventId: event!.id }])
    expect(await openFlagsOf(seat.orderId)).toEqual(['payment_error'])
    // Rolled back to before the payment: still pending, seat still held, no number taken.
    expect(await orderById(seat.orderId)).toMatchObject({ state: 'pending', paidAt: null })
    await expectConsistent(qinqing.stockId, { available: 99 })
  })

  it('a payment naming an order that does not exist is recorded and refunded', async () => {
    const result = await confirmPayment({ ...paidNotice({ id: 987_654, totalFen: 100 }), eventId: 'evt_nobody' })
    expect(result.outcome).toBe('unknown_order')
    const [refund] = await db.select().from(refunds).where(eq(refunds.providerPaymentId, 'pay_987654'))
    expect(refund).toMatchObject({ orderId: null, reason: 'unapplied_payment', amountFen: 100, state: 'pending' })
  })
})

describe('truthful answers: a repeated confirmation answers with the stored outcome of the first', () => {
  it('pressing 模拟支付成功 again after a refused late payment says it is being refunded, not 支付成功', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const product = await createTestProduct({ capacity: 1 })
    const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: new Date(Date.now() - HOLD_MS - MINUTE) })
    // The hold lapsed and somebody else bought the last unit.
    const [other] = await createBuyers(1)
    await releaseExpiredHolds()
    const taken = await placeOk({ userId: other!.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment(paidNotice(taken))
    // The buyer's first press raced the lapse (its answer never reached them)…
    expect((await confirmPayment({ ...paidNotice(order), eventId: `test_payment_order_${order.id}`, providerPaymentId: `test_payment_${order.id}` })).outcome).toBe('refunding')
    // …so they press again.
    const again = readRedirect(await press(order.id, cookie, 'succeed'))
    expect(again.location).toBe(`/orders/${order.id}`)
    expect(flashOf(again.response)).toEqual({ kind: 'error', message: '订单已超时且已售罄，这笔付款将原路退回。' })
  })
})

describe('edition numbers after refunds', () => {
  it('an edition of 5 sold out after two refunds before shipping has exactly numbers 1..5', async () => {
    const product = await createTestProduct({ capacity: 5, limitedEdition: true })
    const buyers = await createBuyers(7)
    const paid: number[] = []
    for (const buyer of buyers.slice(0, 5)) {
      const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
      await confirmPayment(paidNotice(order))
      paid.push(order.id)
    }
    await requestRefund({ orderId: paid[1]!, actorId: null })
    await requestRefund({ orderId: paid[3]!, actorId: null })
    for (const buyer of buyers.slice(5)) {
      const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
      await confirmPayment(paidNotice(order))
    }
    const sold = await db
      .select({ numbers: orderLines.numbers })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orderLines.stockId, product.stock.id), eq(orders.state, 'paid')))
    expect(sold.flatMap((row) => row.numbers).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5])
    await expectConsistent(product.stock.id, { available: 0 })
  })

  it('capacity cannot drop below the highest number issued, though a refund freed a unit (the probe found 「No. 3 / 2」)', async () => {
    const product = await createTestProduct({ capacity: 3, limitedEdition: true })
    const buyers = await createBuyers(3)
    const paid: number[] = []
    for (const buyer of buyers) {
      const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
      await confirmPayment(paidNotice(order))
      paid.push(order.id)
    }
    await requestRefund({ orderId: paid[1]!, actorId: null })
    const admin = (await createTestUser({ role: 'admin' })).user
    expect(await setProductCapacity({ productId: product.id, capacity: 2, actorId: admin.id })).toEqual({
      ok: false,
      errors: { capacity: '限量编号已发到 No. 3，数量不能低于 3（退款回库的编号会再次发出）' },
    })
    await expectConsistent(product.stock.id, { capacity: 3, available: 1 })
    expect(await setProductCapacity({ productId: product.id, capacity: 4, actorId: admin.id })).toEqual({ ok: true })
  })

  it('a refund after shipping keeps the goods out of stock and their number out of use', async () => {
    const product = await createTestProduct({ capacity: 3, limitedEdition: true })
    const [a, b] = await createBuyers(2)
    const first = await placeOk({ userId: a!.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment(paidNotice(first))
    await db.update(orders).set({ state: 'shipped', shippedAt: new Date() }).where(eq(orders.id, first.id))
    await requestRefund({ orderId: first.id, actorId: null })
    const second = await placeOk({ userId: b!.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment(paidNotice(second))
    const [line2] = await db.select().from(orderLines).where(eq(orderLines.orderId, second.id))
    expect(line2!.numbers).toEqual([2])
    await expectConsistent(product.stock.id, { available: 1 })
  })
})

describe('refunds', () => {
  it('two processes running the refund job at once call the provider once per refund', async () => {
    const product = await createTestProduct({ capacity: 10 })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment(paidNotice(order))
    await requestRefund({ orderId: order.id, actorId: null })
    const { paymentProvider } = await import('~/utils/payments.server')
    const provider = paymentProvider('test')
    const calls = vi.spyOn(provider, 'refund')
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const [one, two] = await Promise.all([processPendingRefunds(), processPendingRefunds()])
    log.mockRestore()
    expect(calls.mock.calls.filter(([refund]) => refund.orderId === order.id)).toHaveLength(1)
    calls.mockRestore()
    expect(one + two).toBeGreaterThanOrEqual(1)
    expect(await orderById(order.id)).toMatchObject({ state: 'refunded' })
    expect(await refundsOf(order.id)).toMatchObject([{ state: 'succeeded', attempts: 1, providerRefundId: expect.stringMatching(/^test_refund_/) }])
  })

  it('logs every failed attempt, flags the order after three, and gives up after eight until an admin retries', async () => {
    const product = await createTestProduct({ capacity: 10 })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(product)], now: T0 })
    await confirmPayment(paidNotice(order), at(1))
    await requestRefund({ orderId: order.id, actorId: null, now: at(2) })
    // Stripe took this payment but is not configured here: every attempt fails.
    await db.update(refunds).set({ provider: 'stripe' }).where(eq(refunds.orderId, order.id))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    let clock = at(3).getTime()
    for (let attempt = 1; attempt <= 8; attempt++) {
      await processPendingRefunds(new Date(clock))
      clock += 7 * 3600_000
      if (attempt === 2) expect(await openFlagsOf(order.id)).toEqual([])
      if (attempt === 3) expect(await openFlagsOf(order.id)).toEqual(['refund_failed'])
    }
    expect(warn).toHaveBeenCalledTimes(8)
    expect(String(warn.mock.calls[0]![0])).toMatch(new RegExp(`^refund #\\d+ \\(order, order ${order.id}, ${product.priceFen} fen, attempt 1\\): failed: Stripe is not configured`))
    expect(String(warn.mock.calls[7]![0])).toContain('giving up until an admin retries')
    warn.mockRestore()
    expect(await refundsOf(order.id)).toMatchObject([{ state: 'failed', attempts: 8 }])
    expect(await orderById(order.id)).toMatchObject({ state: 'refunding' })
    // Nothing more happens on its own.
    await processPendingRefunds(new Date(clock + 24 * 3600_000))
    expect(await refundsOf(order.id)).toMatchObject([{ state: 'failed', attempts: 8 }])
  })
})

describe('decisions inside the write', () => {
  it('checkout refuses a product unpublished while the buyer was submitting (nothing held)', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const product = await createTestProduct({ capacity: 3 })
    await putInCart(user.id, product.id, 1)
    let release: () => void = () => undefined
    const editing = databaseHandle.transaction(async (tx) => {
      await tx.update(products).set({ published: false }).where(eq(products.id, product.id))
      await new Promise<void>((resolve) => (release = resolve))
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const submitted = checkoutRoute.action(routeArgs(requestFor('/checkout', { cookie, form: GOOD_ADDRESS })))
    await new Promise((resolve) => setTimeout(resolve, 100))
    release()
    await editing
    const answer = readData(await submitted)
    expect(answer.status).toBe(400)
    expect(await db.$count(orders, eq(orders.userId, user.id))).toBe(0)
    await expectConsistent(product.stock.id, { available: 3 })
  })

  it('a seat order that arrives while an admin closes the drop is judged after the close', async () => {
    const { drop, tiegan } = await makeDrop({ opensAt: new Date(Date.now() - MINUTE), hours: 2 })
    const [buyer] = await createBuyers(1)
    const now = new Date()
    let release: () => void = () => undefined
    const closing = databaseHandle.transaction(async (tx) => {
      await tx.update(drops).set({ closesAt: new Date(now.getTime() - 1) }).where(eq(drops.id, drop.id))
      await new Promise<void>((resolve) => (release = resolve))
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const placing = placeSeatOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: buyer!.id, now })
    await new Promise((resolve) => setTimeout(resolve, 100))
    release()
    await closing
    expect(await placing).toEqual({ ok: false, reason: 'closed' })
    await expectConsistent(tiegan.stockId, { available: 10 })
  })
})

describe('the one vocabulary', () => {
  it("the orders table's exclusive index covers exactly LIVE_ORDER_STATES", async () => {
    const [index] = await db.all<{ sql: string }>(sql`SELECT sql FROM sqlite_master WHERE name = 'orders_exclusive_key_unique'`)
    const states = /IN \(([^)]*)\)/.exec(index!.sql)![1]!.split(',').map((s) => s.trim().replace(/'/g, ''))
    expect(states).toEqual([...LIVE_ORDER_STATES])
  })

  it('flags accumulate: raising one never clears another, raising an open one adds nothing', async () => {
    const [buyer] = await createBuyers(1)
    const product = await createTestProduct({ capacity: 5 })
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment({ ...paidNotice(order, { eventId: 'evt_short_1', providerPaymentId: 'pay_short_1' }), amountFen: 1 })
    await confirmPayment({ ...paidNotice(order, { eventId: 'evt_short_2', providerPaymentId: 'pay_short_2' }), amountFen: 2 })
    await confirmPayment(paidNotice(order))
    await confirmPayment(paidNotice(order, { eventId: 'evt_second', providerPaymentId: 'pay_second' }))
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch', 'paid_twice'])
  })
})

// ---- a drop to buy seats in ---------------------------------------------------------------------

let dropSlot = 0
async function makeDrop({ opensAt, hours = 6 }: { opensAt?: Date; hours?: number } = {}): Promise<{
  drop: typeof drops.$inferSelect
  qinqing: DropTierView
  tiegan: DropTierView
}> {
  const opens = opensAt ?? new Date(T0.getTime() + ++dropSlot * 24 * 3600_000)
  const rows = await db.select().from(tiers).orderBy(asc(tiers.rank))
  const admin = (await createTestUser({ role: 'admin' })).user
  const validUntil = new Date(opens.getTime() + 365 * 24 * 3600_000)
  const created = await createDrop({
    input: {
      name: `加固测试招募 ${opens.toISOString()}`,
      announcement: '',
      opensAt: opens,
      closesAt: new Date(opens.getTime() + hours * 3600_000),
      tiers: [
        { tierId: rows.find((tier) => tier.slug === 'qinqing')!.id, priceFen: 200_00, capacity: 100, validUntil },
        { tierId: rows.find((tier) => tier.slug === 'tiegan')!.id, priceFen: 1200_00, capacity: 10, validUntil },
      ],
    },
    actorId: admin.id,
    now: new Date(opens.getTime() - 3600_000),
  })
  if (!created.ok) throw new Error(JSON.stringify(created.errors))
  const [qinqing, tiegan] = await listDropTiers(created.drop.id, opens)
  return { drop: created.drop, qinqing: qinqing!, tiegan: tiegan! }
}
