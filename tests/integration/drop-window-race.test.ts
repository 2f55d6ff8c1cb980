// An admin's 「提前结束」 and 「立即开启」 racing buyers, against the real database: the drop's window
// and price are decided in the write that takes the seat, at the instant of that write, so no seat
// is held after the end is committed and every seat costs the price the drop had when it was taken.
import { asc, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { orders, tiers, type Drop } from '../../db/schema'
import { applyWindowAction, createDrop, listDropTiers, placeSeatOrder, updateUpcomingDrop, type SeatOrderResult } from '~/models/drop.server'
import { db, databaseHandle, transaction } from '~/utils/db.server'
import { createBuyers, expectConsistent } from '../factories/orders'
import { createTestUser } from '../factories/users'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

let adminId: number
let tierIds: { qinqing: number; tiegan: number }

beforeAll(async () => {
  adminId = (await createTestUser({ role: 'admin' })).user.id
  const rows = await db.select().from(tiers).orderBy(asc(tiers.rank))
  tierIds = { qinqing: rows.find((t) => t.slug === 'qinqing')!.id, tiegan: rows.find((t) => t.slug === 'tiegan')!.id }
  // The order in which writes commit, written by the writes themselves: a trigger runs inside the
  // transaction that holds the seat or moves the window, and SQLite commits one writer at a time.
  await databaseHandle.client.executeMultiple(`
    CREATE TABLE commit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL, order_id INTEGER);
    CREATE TRIGGER log_hold AFTER INSERT ON holds BEGIN INSERT INTO commit_log (what, order_id) VALUES ('hold', NEW.order_id); END;
    CREATE TRIGGER log_window AFTER UPDATE OF opens_at, closes_at ON drops BEGIN INSERT INTO commit_log (what) VALUES ('window'); END;
  `)
})

async function commitLog() {
  const { rows } = await databaseHandle.client.execute('SELECT id, what, order_id FROM commit_log ORDER BY id')
  const log = rows.map((row) => ({ what: String(row.what), orderId: row.order_id === null ? null : Number(row.order_id) }))
  await databaseHandle.client.execute('DELETE FROM commit_log')
  return log
}

/** Holds committed after the window moved (the log holds one window change). */
function holdsAfterWindowChange(log: { what: string; orderId: number | null }[]) {
  const change = log.findIndex((entry) => entry.what === 'window')
  expect(change).toBeGreaterThanOrEqual(0)
  return log.slice(change + 1).filter((entry) => entry.what === 'hold')
}

async function makeDrop(opensAt: Date, closesAt: Date, now: Date, seats = 1000): Promise<{ drop: Drop; stockId: number; dropTierId: number }> {
  const validUntil = new Date(closesAt.getTime() + 365 * 24 * HOUR)
  const result = await createDrop({
    input: {
      name: `竞速招募 ${opensAt.toISOString()}`,
      announcement: '',
      opensAt,
      closesAt,
      tiers: [
        { tierId: tierIds.qinqing, priceFen: 200_00, capacity: seats, validUntil },
        { tierId: tierIds.tiegan, priceFen: 1200_00, capacity: 10, validUntil },
      ],
    },
    actorId: adminId,
    now,
  })
  if (!result.ok) throw new Error(`drop refused: ${JSON.stringify(result.errors)}`)
  const [qinqing] = await listDropTiers(result.drop.id, opensAt)
  return { drop: result.drop, stockId: qinqing!.stockId, dropTierId: qinqing!.id }
}

function seatsTaken(results: SeatOrderResult[]) {
  return results.filter((result) => result.ok).length
}

describe('「提前结束」 racing buyers', () => {
  it('holds no seat once the end is committed, even for buyers whose requests arrived before it', async () => {
    const opensAt = new Date('2091-03-01T02:00:00.000Z')
    const { drop, stockId, dropTierId } = await makeDrop(opensAt, new Date(opensAt.getTime() + 6 * HOUR), new Date(opensAt.getTime() - HOUR))
    const buyers = await createBuyers(60)
    // Every request arrived (and stamped its clock) a moment before the admin pressed the button;
    // half of them reach the write queue before the end, half after it. A seat reads its drop tier
    // before it queues its write (decision 038): a transaction holds the queue until the first
    // half is in line behind it, so that the end is queued between the halves.
    const arrived = new Date(opensAt.getTime() + 30 * MINUTE)
    const endedAt = new Date(arrived.getTime() + 1)
    await commitLog()
    let openQueue!: () => void
    const queueOpens = new Promise<void>((resolve) => (openQueue = resolve))
    const holding = transaction(() => queueOpens)
    const buy = (user: { id: number }) => placeSeatOrder({ dropId: drop.id, dropTierId, userId: user.id, now: arrived })
    const before = buyers.slice(0, 30).map(buy)
    while (databaseHandle.writeStats().queued < 31) await new Promise((resolve) => setTimeout(resolve, 1))
    const end = applyWindowAction({ dropId: drop.id, action: 'close_now', actorId: adminId, now: endedAt })
    const after = buyers.slice(30).map(buy)
    openQueue()
    const [early, ended, late] = await Promise.all([Promise.all(before), end, Promise.all(after), holding])

    expect(ended.ok).toBe(true)
    expect(holdsAfterWindowChange(await commitLog())).toEqual([])
    expect(seatsTaken(early)).toBe(30)
    expect(late.every((result) => !result.ok && result.reason === 'closed')).toBe(true)
    await expectConsistent(stockId, { sold: 0, held: 30 })
  })

  it('holds no seat after the end when buyers and the admin read the real clock as they arrive', async () => {
    const start = Date.now()
    const { drop, stockId, dropTierId } = await makeDrop(new Date(start - MINUTE), new Date(start + HOUR), new Date(start - 2 * MINUTE))
    const buyers = await createBuyers(120)
    await commitLog()
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
    // Each buyer stamps its clock on arrival, then (like a request being authenticated) waits a
    // little before its write; the admin ends the drop while they are in flight.
    const buying = buyers.map(async (user) => {
      const now = new Date()
      await pause()
      return placeSeatOrder({ dropId: drop.id, dropTierId, userId: user.id, now })
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    const ended = await applyWindowAction({ dropId: drop.id, action: 'close_now', actorId: adminId, now: new Date() })
    const results = await Promise.all(buying)

    expect(ended.ok).toBe(true)
    const log = await commitLog()
    expect(holdsAfterWindowChange(log)).toEqual([])
    const held = log.filter((entry) => entry.what === 'hold').length
    expect(seatsTaken(results)).toBe(held)
    await expectConsistent(stockId, { sold: 0, held })
  })
})

describe('「立即开启」 and a new price racing buyers', () => {
  it('seats buyers whose write comes after the opening, at the price the drop has when the seat is taken', async () => {
    const opensAt = new Date('2091-06-01T02:00:00.000Z')
    const closesAt = new Date(opensAt.getTime() + 6 * HOUR)
    const created = new Date(opensAt.getTime() - 3 * HOUR)
    const { drop, stockId, dropTierId } = await makeDrop(opensAt, closesAt, created)
    const buyers = await createBuyers(40)
    // The buyers' requests arrived before the admin changed the price and opened the drop early,
    // and reach the write queue after both.
    const arrived = new Date(created.getTime() + HOUR)
    const repriced = updateUpcomingDrop({
      dropId: drop.id,
      input: {
        name: drop.name,
        announcement: '',
        opensAt,
        closesAt,
        tiers: [
          { tierId: tierIds.qinqing, priceFen: 260_00, capacity: 1000, validUntil: new Date(closesAt.getTime() + 365 * 24 * HOUR) },
          { tierId: tierIds.tiegan, priceFen: 1200_00, capacity: 10, validUntil: new Date(closesAt.getTime() + 365 * 24 * HOUR) },
        ],
      },
      actorId: adminId,
      now: new Date(arrived.getTime() + 1),
    })
    const opened = applyWindowAction({ dropId: drop.id, action: 'open_now', actorId: adminId, now: new Date(arrived.getTime() + 2) })
    const buying = buyers.map((user) => placeSeatOrder({ dropId: drop.id, dropTierId, userId: user.id, now: arrived }))
    const [repricedResult, openedResult, results] = await Promise.all([repriced, opened, Promise.all(buying)])

    expect(repricedResult.ok && openedResult.ok).toBe(true)
    expect(results.every((result) => result.ok)).toBe(true)
    const placed = await db
      .select({ totalFen: orders.totalFen })
      .from(orders)
      .where(eq(orders.dropId, drop.id))
    expect(placed).toHaveLength(40)
    expect(new Set(placed.map((order) => order.totalFen))).toEqual(new Set([260_00]))
    await expectConsistent(stockId, { sold: 0, held: 40 })
    const [{ n }] = (await db.all<{ n: number }>(sql`select count(*) as n from holds where stock_id = ${stockId} and state = 'held'`)) as [{ n: number }]
    expect(n).toBe(40)
  })
})
