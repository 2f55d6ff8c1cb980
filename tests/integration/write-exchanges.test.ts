// How many exchanges the hot writes make with the database inside their write transaction
// (docs/decisions/038-one-exchange-holds-and-payments.md). On a libsql server each one is a network
// round trip while the server's single write lock is held, so they bound how many holds and
// payments a second sqld can take; here they are counted on the local file, where the same calls
// are made. A change that adds a round trip to the hot path fails this test.
import type { Transaction as LibsqlTransaction } from '@libsql/client'
import { and, eq } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { holds, memberships, orders, tiers } from '../../db/schema'
import { cancelOrder, confirmPayment, placeOrder, releaseExpiredHolds } from '~/models/commerce.server'
import { createDrop, listDropTiers, placeSeatOrder } from '~/models/drop.server'
import { databaseHandle, db } from '~/utils/db.server'
import { createBuyers, createStock, expectConsistent, line, paidNotice } from '../factories/orders'
import { createTestUser } from '../factories/users'

const HOUR = 3600_000

/**
 * Counts the statements sent on write transactions' connections (execute, batch, executeMultiple:
 * each one exchange) while `fn` runs, leaving out the write queue's own savepoint statements
 * around each member (one exchange per member, whatever the member does).
 */
const exchanges: string[] = []
let counting = false
/** Whether the write queue's own savepoint statements count too (they are left out unless asked). */
let countingControls = false
/**
 * Statements a write sends at once (Promise.all) travel together: @libsql/client's HTTP stream
 * puts those queued before its next flush in one pipeline request, one exchange. A statement sent
 * while another is still unanswered joins its exchange; one sent after the last answer opens the next.
 */
let pending = 0
const probe = await databaseHandle.client.transaction('deferred')
const transactionClass = Object.getPrototypeOf(probe) as Record<'execute' | 'batch' | 'executeMultiple', (...args: unknown[]) => Promise<unknown>>
probe.close()
const originals = { execute: transactionClass.execute, batch: transactionClass.batch, executeMultiple: transactionClass.executeMultiple }
for (const method of ['execute', 'batch', 'executeMultiple'] as const) {
  transactionClass[method] = function (this: LibsqlTransaction, ...args: unknown[]) {
    // The write queue's savepoint statements go in front of a member's own (decision 055).
    const statements = method === 'batch' ? (args[0] as unknown[]) : [args[0]]
    const sql = statements
      .map((statement) => (typeof statement === 'string' ? statement : String((statement as { sql?: string })?.sql ?? '')))
      .filter((text) => countingControls || !/queued_transaction/.test(text))
      .join('; ')
    if (counting && sql !== '') {
      const text = sql.replace(/\s+/g, ' ')
      if (pending > 0) exchanges[exchanges.length - 1] += ` + ${text.slice(0, 60)}`
      else exchanges.push(`${method}: ${text.slice(0, 90)}`)
      pending++
      return originals[method].apply(this, args).finally(() => pending--)
    }
    return originals[method].apply(this, args)
  }
}
afterAll(() => Object.assign(transactionClass, originals))

async function countExchanges<T>(fn: () => Promise<T>, { controls = false } = {}): Promise<{ result: T; count: number }> {
  exchanges.length = 0
  counting = true
  countingControls = controls
  try {
    const result = await fn()
    if (process.env.SHOW_EXCHANGES) console.log(exchanges.join('\n'))
    return { result, count: exchanges.length }
  } finally {
    counting = false
  }
}

/** An open drop of one tier; each call gets its own day, so drops never overlap. */
let day = 0
async function openDrop(seats: number) {
  const OPENS = new Date(Date.UTC(2091, 2, 1, 2) + ++day * 24 * HOUR)
  const [qinqing] = await db.select().from(tiers).where(eq(tiers.slug, 'qinqing'))
  const admin = await createTestUser({ role: 'admin' })
  const result = await createDrop({
    input: {
      name: '计数招募',
      announcement: '',
      opensAt: OPENS,
      closesAt: new Date(OPENS.getTime() + 6 * HOUR),
      tiers: [{ tierId: qinqing!.id, priceFen: 200_00, capacity: seats, validUntil: new Date(OPENS.getTime() + 365 * 24 * HOUR) }],
    },
    actorId: admin.user.id,
    now: new Date(OPENS.getTime() - HOUR),
  })
  if (!result.ok) throw new Error(`drop refused: ${JSON.stringify(result.errors)}`)
  const [tier] = await listDropTiers(result.drop.id, OPENS)
  return { drop: result.drop, tier: tier!, opens: OPENS }
}

async function holdSeat(drop: { id: number }, tier: { id: number }, now: Date) {
  const { user } = await createTestUser()
  const { result, count } = await countExchanges(() => placeSeatOrder({ dropId: drop.id, dropTierId: tier.id, userId: user.id, now }))
  if (!result.ok) throw new Error(`expected a seat, got ${result.reason}`)
  const [order] = await db.select().from(orders).where(eq(orders.id, result.orderId))
  return { order: order!, user, count }
}

describe('the hot writes, counted in exchanges with the database', () => {
  it('a seat hold, its payment and a cancellation', async () => {
    const { drop, tier, opens } = await openDrop(10)
    const at = new Date(opens.getTime() + 60_000)

    const held = await holdSeat(drop, tier, at)
    const paid = await countExchanges(() => confirmPayment(paidNotice(held.order), at))
    expect(paid.result.outcome).toBe('paid')
    const [membership] = await db.select().from(memberships).where(eq(memberships.orderId, held.order.id))
    expect(membership?.memberNumber).toBe(1)

    const second = await holdSeat(drop, tier, at)
    const cancelled = await countExchanges(() => cancelOrder({ orderId: second.order.id, userId: second.user.id, now: at }))
    expect(cancelled.result).toBe(true)
    await expectConsistent(tier.stockId, { sold: 1, held: 0 })

    // One batch of statements alone (the drop tier is read before the write and checked in it;
    // decision 057: on a libsql server, with the others waiting, in one request); before 038: 4.
    expect(held.count).toBeLessThanOrEqual(1)
    // One batch, and the waitlist's reads for the seat that came back (3 while nobody waits).
    expect(cancelled.count).toBeLessThanOrEqual(4)
    // Recorded and read (1), sold and numbered (1), the membership's two reads together (1) and
    // its two writes together (1), ended (1); before decision 055: 7, before decision 038: 19.
    expect(paid.count).toBeLessThanOrEqual(5)
  })

  it('a group of seat holds: the savepoint statements between members go with their batches', async () => {
    const { drop, tier, opens } = await openDrop(10)
    const at = new Date(opens.getTime() + 60_000)
    const buyers = await Promise.all([1, 2, 3].map(() => createTestUser()))
    // Asked for in one turn, the three holds are one group of the write queue.
    const before = databaseHandle.groupStats.groups
    const group = await countExchanges(
      () => Promise.all(buyers.map(({ user }) => placeSeatOrder({ dropId: drop.id, dropTierId: tier.id, userId: user.id, now: at }))),
      { controls: true },
    )
    expect(group.result.map((result) => result.ok)).toEqual([true, true, true])
    expect(databaseHandle.groupStats.groups - before).toBe(1)
    await expectConsistent(tier.stockId, { held: 3 })
    // The first savepoint with the BEGIN (1), then each member's batch (3), each after the first
    // carrying the RELEASE and SAVEPOINT between members; COMMIT ends the last savepoint. Before
    // decision 055: 7 (the savepoint, and each member's batch followed by a RELEASE of its own).
    expect(group.count).toBe(4)
    // Lapsed, they go back: the release job of a later test counts only its own.
    await releaseExpiredHolds(new Date(at.getTime() + 2 * HOUR))
  })

  it('a hold that finds a lapsed hold of its stock, and the release job', async () => {
    const { drop, tier, opens } = await openDrop(10)
    const at = new Date(opens.getTime() + 60_000)
    const lapsing = await holdSeat(drop, tier, at)
    const later = new Date(at.getTime() + 2 * HOUR)
    const afterLapse = await holdSeat(drop, tier, later)
    const [lapsed] = await db.select().from(orders).where(eq(orders.id, lapsing.order.id))
    expect(lapsed?.state).toBe('expired')

    const third = await holdSeat(drop, tier, later)
    const released = await countExchanges(() => releaseExpiredHolds(new Date(later.getTime() + 2 * HOUR)))
    expect(released.result.map((hold) => hold.orderId).sort()).toEqual([afterLapse.order.id, third.order.id].sort())
    const left = await db.select().from(holds).where(and(eq(holds.stockId, tier.stockId), eq(holds.state, 'held')))
    expect(left).toEqual([])
    await expectConsistent(tier.stockId, { sold: 0, held: 0 })
    // Rare (a hold lapsed and the release job has not run yet): the seat's write of statements
    // finds the lapsed hold and writes nothing (1); in a transaction, the rule's two reads (2), the
    // hold giving the lapsed one back (1) and the waitlist told (3). Before decision 057: 4.
    expect(afterLapse.count).toBeLessThanOrEqual(7)
    expect(released.count).toBeLessThanOrEqual(4)
  })

  it('a goods order of one line', async () => {
    const item = await createStock({ capacity: 5, numbered: true })
    const [buyer] = await createBuyers(1)
    const placed = await countExchanges(() => placeOrder({ userId: buyer!.id, kind: 'goods', lines: [line(item.id)], now: new Date() }))
    expect(placed.result.ok).toBe(true)
    // One batch; before decision 038: 3 (the lapsed holds, the order, the line's batch).
    expect(placed.count).toBe(1)
    await expectConsistent(item.id, { held: 1 })
  })

  it('a goods order of a variant, its per-member limit counted across the product’s variants (decision 047)', async () => {
    const size = await createStock({ capacity: 5, numbered: true })
    const otherSize = await createStock({ capacity: 5, numbered: true })
    const [buyer] = await createBuyers(1)
    const variantLine = line(size.id, { perUserLimit: 2, limitStockIds: [size.id, otherSize.id], variantId: 1, variantLabel: '尺码：L' })
    const placed = await countExchanges(() => placeOrder({ userId: buyer!.id, kind: 'goods', lines: [variantLine], now: new Date() }))
    expect(placed.result.ok).toBe(true)
    expect(placed.count).toBe(1)
    await expectConsistent(size.id, { held: 1 })
    await expectConsistent(otherSize.id, { held: 0 })
  })
})
