// The one reservation mechanism (DESIGN.md §4): holds, limits, expiry, payment, numbers,
// refunds — against the real SQLite database, with concurrent callers where it matters.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { emailOutbox, holds, orderLines, orders, paymentEvents } from '../../db/schema'
import { cancelOrder, confirmPayment, placeOrder, processPendingRefunds, releaseExpiredHolds, requestRefund } from '~/models/commerce.server'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { createTestProduct, productLine } from '../factories/cart'
import { createBuyers, createStock, expectConsistent, line, paidNotice, placeOk, stockRow } from '../factories/orders'
import { openFlagsOf, paymentEventsOf, refundsOf } from '../factories/payments'
import { seededRandom, shuffled, testSeed } from '../support/random'

const HOLD_MS = 10 * 60_000
const T0 = new Date('2026-11-23T02:00:00Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

async function orderById(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

async function linesOf(orderId: number) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId))
}

describe('placing an order holds stock', () => {
  it('holds the units for HOLD_MINUTES and prices the order on the lines given', async () => {
    const item = await createStock({ capacity: 5 })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { qty: 2, unitPriceFen: 6800 })], now: T0 })
    expect(order).toMatchObject({ state: 'pending', totalFen: 13_600, currency: 'CNY' })
    expect(order.expiresAt.getTime()).toBe(T0.getTime() + HOLD_MS)
    await expectConsistent(item.id, { available: 3, held: 2 })
  })

  it('refuses more than is available and changes nothing', async () => {
    const item = await createStock({ capacity: 1 })
    const [buyer] = await createBuyers(1)
    const ordersBefore = await countRows(orders)
    const result = await placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { qty: 2 })], now: T0 })
    expect(result).toEqual({ ok: false, reason: 'sold_out', stockId: item.id })
    expect(await countRows(orders)).toBe(ordersBefore)
    expect((await stockRow(item.id)).held).toBe(0)
  })

  it('holds every line or none: a sold-out second line leaves the first untouched', async () => {
    const plenty = await createStock({ capacity: 10 })
    const gone = await createStock({ capacity: 0 })
    const [buyer] = await createBuyers(1)
    const linesBefore = await countRows(orderLines)
    const result = await placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(plenty.id), line(gone.id)], now: T0 })
    expect(result).toMatchObject({ ok: false, reason: 'sold_out', stockId: gone.id })
    expect((await stockRow(plenty.id)).held).toBe(0)
    expect(await countRows(orderLines)).toBe(linesBefore)
  })

  it('never sells more than there is: 200 concurrent buyers for 50 units hold exactly 50', async () => {
    const item = await createStock({ capacity: 50 })
    const buyers = await createBuyers(200)
    const results = await Promise.all(buyers.map((b) => placeOrder({ userId: b.id, kind: 'goods', lines: [line(item.id)], now: T0 })))
    expect(results.filter((r) => r.ok)).toHaveLength(50)
    expect(results.filter((r) => !r.ok && r.reason === 'sold_out')).toHaveLength(150)
    await expectConsistent(item.id, { available: 0 })
  })

  it('counts held and bought units against a per-member limit: 20 parallel orders of one user, limit 2 → 2 units', async () => {
    const item = await createStock({ capacity: 100 })
    const [buyer] = await createBuyers(1)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { perUserLimit: 2 })], now: T0 })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(2)
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'limit_reached', stockId: item.id, limit: 2 })
    // Paying for one does not free room under the limit.
    const first = results.find((r) => r.ok)!
    if (!first.ok) throw new Error('unreachable')
    await confirmPayment(paidNotice(first.order), at(1000))
    const again = await placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { perUserLimit: 2 })], now: at(2000) })
    expect(again).toMatchObject({ ok: false, reason: 'limit_reached' })
    expect((await stockRow(item.id)).held + (await stockRow(item.id)).sold).toBe(2)
  })

  it('lets one live order exist per exclusive key (one seat per user per drop), even in parallel', async () => {
    const seats = await createStock({ capacity: 100 })
    const [buyer] = await createBuyers(1)
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(seats.id)], exclusiveKey: `drop:1:seat:${buyer!.id}`, now: T0 }),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.reason === 'exclusive_taken')).toHaveLength(19)
    await expectConsistent(seats.id, { available: 99 })
  })

  it('rejects quantities that are not positive integers before touching the database', async () => {
    const item = await createStock({ capacity: 10 })
    const [buyer] = await createBuyers(1)
    for (const qty of [0, -1, 1.5, Number.NaN]) {
      await expect(placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { qty })], now: T0 })).rejects.toThrow(/quantity/)
    }
    expect((await stockRow(item.id)).held).toBe(0)
  })

  it('treats a null capacity as unlimited', async () => {
    const item = await createStock({ capacity: null })
    const [buyer] = await createBuyers(1)
    await placeOk({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { qty: 500 })], now: T0 })
    await expectConsistent(item.id, { available: null })
  })
})

describe('holds lapse', () => {
  it('returns lapsed units and expires the order, at the hold instant and not before', async () => {
    const item = await createStock({ capacity: 3 })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [line(item.id, { qty: 3 })], now: T0 })
    const releasedOf = (released: { stockId: number }[]) => released.filter((hold) => hold.stockId === item.id)
    expect(releasedOf(await releaseExpiredHolds(at(HOLD_MS - 1)))).toEqual([])
    expect(releasedOf(await releaseExpiredHolds(at(HOLD_MS)))).toEqual([{ orderId: order.id, stockId: item.id, qty: 3 }])
    expect(await orderById(order.id)).toMatchObject({ state: 'expired' })
    await expectConsistent(item.id, { available: 3 })
  })

  it('releases lapsed holds of a stock when someone else orders it, without waiting for the job', async () => {
    const item = await createStock({ capacity: 1 })
    const [first, second] = await createBuyers(2)
    const lapsed = await placeOk({ userId: first!.id, kind: 'goods', lines: [line(item.id)], now: T0 })
    const result = await placeOrder({ userId: second!.id, kind: 'goods', lines: [line(item.id)], now: at(HOLD_MS + 1) })
    expect(result.ok).toBe(true)
    expect(await orderById(lapsed.id)).toMatchObject({ state: 'expired' })
    await expectConsistent(item.id, { available: 0 })
  })

  it('lets the buyer cancel their own unpaid order, and nobody else', async () => {
    const item = await createStock({ capacity: 2 })
    const [owner, stranger] = await createBuyers(2)
    const order = await placeOk({ userId: owner!.id, kind: 'goods', lines: [line(item.id, { qty: 2 })], now: T0 })
    expect(await cancelOrder({ orderId: order.id, userId: stranger!.id, now: at(1) })).toBe(false)
    expect((await stockRow(item.id)).held).toBe(2)
    expect(await cancelOrder({ orderId: order.id, userId: owner!.id, now: at(2) })).toBe(true)
    expect(await cancelOrder({ orderId: order.id, userId: owner!.id, now: at(3) })).toBe(false)
    expect(await orderById(order.id)).toMatchObject({ state: 'cancelled' })
    await expectConsistent(item.id, { available: 2 })
  })
})

describe('confirming a payment', () => {
  it('sells the held units, numbers them from 1, sends a receipt, and fulfils a replayed event once', async () => {
    const edition = await createStock({ capacity: 500, numbered: true })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [line(edition.id, { qty: 2 })], now: T0 })
    const mailsBefore = await countRows(emailOutbox)
    expect(await confirmPayment(paidNotice(order), at(1000))).toEqual({ outcome: 'paid', orderId: order.id, duplicate: false })
    // A repeat answers with what the first did.
    expect(await confirmPayment(paidNotice(order), at(2000))).toEqual({ outcome: 'paid', orderId: order.id, duplicate: true })
    expect(await orderById(order.id)).toMatchObject({ state: 'paid', provider: 'test', providerPaymentId: `pay_${order.id}` })
    expect(await openFlagsOf(order.id)).toEqual([])
    expect((await linesOf(order.id))[0]!.numbers).toEqual([1, 2])
    await expectConsistent(edition.id, { available: 498 })
    expect(await countRows(emailOutbox)).toBe(mailsBefore + 1)
    const [receipt] = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.template, 'order-receipt'), eq(emailOutbox.toAddress, buyer!.email)))
    expect(receipt!.text).toContain('No. 1、No. 2')
    expect(await db.$count(paymentEvents, eq(paymentEvents.orderId, order.id))).toBe(1)
  })

  it('refuses a payment of the wrong amount or currency, flags it and sells nothing', async () => {
    const item = await createStock({ capacity: 5 })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [line(item.id)], now: T0 })
    expect((await confirmPayment({ ...paidNotice(order, { eventId: 'evt_low', providerPaymentId: 'pay_low' }), amountFen: 1 }, at(1))).outcome).toBe('amount_mismatch')
    expect((await confirmPayment({ ...paidNotice(order, { eventId: 'evt_usd', providerPaymentId: 'pay_usd' }), currency: 'USD' }, at(2))).outcome).toBe('amount_mismatch')
    expect(await orderById(order.id)).toMatchObject({ state: 'pending' })
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch'])
    // Both payments are kept with their provider ids, for an admin to give back.
    expect((await paymentEventsOf(order.id)).map((event) => [event.outcome, event.providerPaymentId])).toEqual([
      ['amount_mismatch', 'pay_low'],
      ['amount_mismatch', 'pay_usd'],
    ])
    await expectConsistent(item.id, { available: 4 })
  })

  it('numbers paid units exactly 1..N in payment order while other holds lapse in between', async ({ annotate }) => {
    const seed = testSeed()
    await annotate(`TEST_SEED=${seed} replays this payment order`, 'seed')
    const edition = await createStock({ capacity: 60, numbered: true })
    const buyers = await createBuyers(40)
    const placed = await Promise.all(
      buyers.map((b, i) => placeOk({ userId: b.id, kind: 'goods', lines: [line(edition.id, { qty: 1 + (i % 2) })], now: T0 })),
    )
    // Half pay in a shuffled order before the hold ends; the rest lapse, and a job pass runs midway.
    const payers = shuffled(placed, seededRandom(seed)).slice(0, 20)
    await Promise.all(payers.slice(0, 10).map((o, i) => confirmPayment(paidNotice(o), at(1000 + i))))
    await releaseExpiredHolds(at(HOLD_MS - 1))
    await Promise.all(payers.slice(10).map((o, i) => confirmPayment(paidNotice(o), at(2000 + i))))
    await releaseExpiredHolds(at(HOLD_MS))
    const paidLines = (await db.select().from(orderLines).innerJoin(orders, eq(orders.id, orderLines.orderId)).where(and(eq(orders.state, 'paid'), eq(orderLines.stockId, edition.id)))).map(
      (row) => row.order_lines,
    )
    const numbers = paidLines.flatMap((l) => l.numbers).sort((a, b) => a - b)
    const unitsPaid = payers.reduce((sum, o) => sum + o.totalFen / 6800, 0)
    expect(numbers).toEqual(Array.from({ length: unitsPaid }, (_, i) => i + 1))
    await expectConsistent(edition.id, { available: 60 - unitsPaid })
  })

  it('re-seats a payment that arrives after the hold lapsed when the order would still be accepted, and flags it', async () => {
    const pen = await createTestProduct({ capacity: 2, limitedEdition: true })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [productLine(pen)], now: T0 })
    await releaseExpiredHolds(at(HOLD_MS))
    expect((await confirmPayment(paidNotice(order), at(HOLD_MS + 5000))).outcome).toBe('reseated')
    expect(await orderById(order.id)).toMatchObject({ state: 'paid' })
    expect(await openFlagsOf(order.id)).toEqual(['reseated'])
    expect((await linesOf(order.id))[0]!.numbers).toEqual([1])
    await expectConsistent(pen.stock.id, { available: 1 })
  })

  it('refunds a payment that arrives after the hold lapsed and the units were sold to someone else', async () => {
    const item = await createStock({ capacity: 1, numbered: true })
    const [late, next] = await createBuyers(2)
    const lapsed = await placeOk({ userId: late!.id, kind: 'goods', lines: [line(item.id)], now: T0 })
    const taken = await placeOk({ userId: next!.id, kind: 'goods', lines: [line(item.id)], now: at(HOLD_MS + 1) })
    await confirmPayment(paidNotice(taken), at(HOLD_MS + 2))
    expect((await confirmPayment(paidNotice(lapsed), at(HOLD_MS + 3))).outcome).toBe('refunding')
    expect(await orderById(lapsed.id)).toMatchObject({ state: 'refunding' })
    expect(await openFlagsOf(lapsed.id)).toEqual(['paid_after_expiry'])
    await processPendingRefunds(at(HOLD_MS + 4))
    expect(await orderById(lapsed.id)).toMatchObject({ state: 'refunded' })
    expect((await linesOf(lapsed.id))[0]!.numbers).toEqual([])
    await expectConsistent(item.id, { available: 0 })
  })

  it('a refund before shipping gives the units back with their numbers: the next sale takes the lowest again', async () => {
    const edition = await createStock({ capacity: 3, numbered: true })
    const [a, b] = await createBuyers(2)
    const first = await placeOk({ userId: a!.id, kind: 'goods', lines: [line(edition.id)], now: T0 })
    await confirmPayment(paidNotice(first), at(1))
    expect(await requestRefund({ orderId: first.id, actorId: null, now: at(2) })).toMatchObject({ state: 'refunding' })
    expect(await requestRefund({ orderId: first.id, actorId: null, now: at(3) })).toBeNull()
    expect(await db.$count(holds, and(eq(holds.orderId, first.id), eq(holds.state, 'returned')))).toBe(1)
    const second = await placeOk({ userId: b!.id, kind: 'goods', lines: [line(edition.id)], now: at(4) })
    await confirmPayment(paidNotice(second), at(5))
    expect((await linesOf(second.id))[0]!.numbers).toEqual([1])
    await expectConsistent(edition.id, { available: 2 })
  })

  it('keeps a failed refund waiting and retries it with back-off', async () => {
    const item = await createStock({ capacity: 1 })
    const [buyer] = await createBuyers(1)
    const order = await placeOk({ userId: buyer!.id, kind: 'goods', lines: [line(item.id)], now: T0 })
    await confirmPayment(paidNotice(order), at(1))
    await db.update(orders).set({ provider: 'stripe' }).where(eq(orders.id, order.id))
    await requestRefund({ orderId: order.id, actorId: null, now: at(2) })
    // Stripe is not configured in tests: the call fails, the order stays 退款中 with the error.
    await processPendingRefunds(at(3))
    expect(await orderById(order.id)).toMatchObject({ state: 'refunding' })
    const [refund] = await refundsOf(order.id)
    expect(refund).toMatchObject({ state: 'pending', attempts: 1, claimedUntil: null })
    expect(refund!.lastError).toMatch(/Stripe is not configured/)
    // Within the back-off window nothing is tried again.
    await processPendingRefunds(at(10))
    expect(await refundsOf(order.id)).toMatchObject([{ attempts: 1 }])
  })
})
