// A one-line order placed by one write of statements alone (placeOrderInOneWrite, decision 057):
// the UPDATE that takes the units decides, and only then are the order, its line and its hold
// written. Every refusal writes nothing; a stale decision or a lapsed hold in the way leaves the
// order to a transaction (DECIDE_IN_TRANSACTION), also having written nothing.
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { holds } from '../../db/schema'
import { DECIDE_IN_TRANSACTION, placeOrderInOneWrite } from '~/models/commerce/index.server'
import { db } from '~/utils/db.server'
import { createBuyers, createStock, expectConsistent, line } from '../factories/orders'

const HOUR = 3600_000

async function writtenFor(userId: number) {
  const [row] = await db.all<{ orders: number; lines: number; holds: number }>(sql`
    SELECT (SELECT count(*) FROM orders WHERE user_id = ${userId}) AS orders,
           (SELECT count(*) FROM order_lines JOIN orders ON orders.id = order_lines.order_id WHERE orders.user_id = ${userId}) AS lines,
           (SELECT count(*) FROM holds WHERE user_id = ${userId}) AS holds`)
  return { orders: Number(row!.orders), lines: Number(row!.lines), holds: Number(row!.holds) }
}

describe('an order of one line in one write', () => {
  it('takes the units and writes the order, its line and its hold; sold out, it writes nothing', async () => {
    const item = await createStock({ capacity: 1 })
    const [first, second] = await createBuyers(2)
    const now = new Date()
    const placed = await placeOrderInOneWrite({ userId: first!.id, kind: 'goods', lines: [line(item.id, { unitPriceFen: 990 })], now })
    if (placed === DECIDE_IN_TRANSACTION || !placed.ok) throw new Error(`expected an order, got ${JSON.stringify(placed)}`)
    expect(placed.order).toMatchObject({ userId: first!.id, kind: 'goods', state: 'pending', totalFen: 990 })
    expect(placed.order.expiresAt.getTime()).toBeGreaterThan(now.getTime())
    expect(await writtenFor(first!.id)).toEqual({ orders: 1, lines: 1, holds: 1 })
    const [hold] = await db.select().from(holds).where(eq(holds.orderId, placed.order.id))
    expect(hold).toMatchObject({ stockId: item.id, qty: 1, state: 'held' })

    expect(await placeOrderInOneWrite({ userId: second!.id, kind: 'goods', lines: [line(item.id)], now })).toEqual({ ok: false, reason: 'sold_out', stockId: item.id })
    expect(await writtenFor(second!.id)).toEqual({ orders: 0, lines: 0, holds: 0 })
    await expectConsistent(item.id, { held: 1, sold: 0 })
  })

  it('refuses past the buyer’s limit, and a second live order under the same key, writing nothing', async () => {
    const item = await createStock({ capacity: 10 })
    const [buyer] = await createBuyers(1)
    const now = new Date()
    const limited = line(item.id, { perUserLimit: 1 })
    const placed = await placeOrderInOneWrite({ userId: buyer!.id, kind: 'goods', lines: [limited], now })
    expect(placed).toMatchObject({ ok: true })
    expect(await placeOrderInOneWrite({ userId: buyer!.id, kind: 'goods', lines: [limited], now })).toEqual({ ok: false, reason: 'limit_reached', stockId: item.id, limit: 1 })
    const keyed = { userId: buyer!.id, kind: 'goods' as const, lines: [line(item.id)], exclusiveKey: `one-write-${item.id}`, now }
    expect(await placeOrderInOneWrite(keyed)).toMatchObject({ ok: true })
    expect(await placeOrderInOneWrite(keyed)).toEqual({ ok: false, reason: 'exclusive_taken' })
    expect(await writtenFor(buyer!.id)).toEqual({ orders: 2, lines: 2, holds: 2 })
    await expectConsistent(item.id, { held: 2 })
  })

  it('leaves a stale decision, or a lapsed hold in the way, to a transaction, writing nothing', async () => {
    const item = await createStock({ capacity: 1 })
    const [early, buyer] = await createBuyers(2)
    const now = new Date()
    const stale = { userId: buyer!.id, kind: 'goods' as const, lines: [line(item.id)], now, stillValid: { sql: 'SELECT 1 WHERE ? = 2', args: [1] } }
    expect(await placeOrderInOneWrite(stale)).toBe(DECIDE_IN_TRANSACTION)
    expect(await writtenFor(buyer!.id)).toEqual({ orders: 0, lines: 0, holds: 0 })

    expect(await placeOrderInOneWrite({ userId: early!.id, kind: 'goods', lines: [line(item.id)], now })).toMatchObject({ ok: true })
    // Two hours on, the early hold has lapsed but no job gave it back yet.
    const later = new Date(now.getTime() + 2 * HOUR)
    expect(await placeOrderInOneWrite({ userId: buyer!.id, kind: 'goods', lines: [line(item.id)], now: later })).toBe(DECIDE_IN_TRANSACTION)
    expect(await writtenFor(buyer!.id)).toEqual({ orders: 0, lines: 0, holds: 0 })
    await expectConsistent(item.id, { held: 1 })
  })

  it('refuses an order of more than one line (those go through holdOrder in a transaction)', async () => {
    const item = await createStock({ capacity: 5 })
    const [buyer] = await createBuyers(1)
    await expect(placeOrderInOneWrite({ userId: buyer!.id, kind: 'goods', lines: [line(item.id), line(item.id)], now: new Date() })).rejects.toThrow(/one line/)
  })
})
