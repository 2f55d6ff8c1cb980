// Issue 7's concurrency claims, raced over HTTP against the running server and its database:
// 500 buyers for 100 seats hold exactly 100 (the rest told 已满), paying through the test
// provider numbers them exactly 1..100 across tiers, and one user's 20 parallel attempts hold
// one seat. Each test's drop is open only while it runs, then moved into the past so that the
// other specs' /membership pages never see it.
import type { Client } from '@libsql/client'
import { expect, test } from '@playwright/test'
import { seededRandom, shuffled, testSeed } from '../support/random'
import { countStatuses, createBuyers, oneTo, openServerDatabase, payRedirectOrderId, postForm } from './race-support'

let client: Client
test.beforeAll(() => {
  client = openServerDatabase()
})
test.afterAll(() => client.close())
test.describe.configure({ mode: 'serial' })

interface RaceDrop {
  dropId: number
  tiers: { dropTierId: number; stockId: number; capacity: number }[]
}

/** A drop open from a minute ago for an hour, with a 亲情 and a 铁杆 tier sharing one counter. */
async function createOpenDrop(seats: { qinqing: number; tiegan: number }): Promise<RaceDrop> {
  const now = Date.now()
  const counter = await client.execute('INSERT INTO counters (value) VALUES (0) RETURNING id')
  const counterId = Number(counter.rows[0]!.id)
  const drop = await client.execute({
    sql: 'INSERT INTO drops (name, opens_at, closes_at, announcement, counter_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    args: [`竞速招募 ${now}`, now - 60_000, now + 3_600_000, '', counterId, now],
  })
  const dropId = Number(drop.rows[0]!.id)
  const tiers: RaceDrop['tiers'] = []
  for (const [slug, capacity, priceFen] of [
    ['qinqing', seats.qinqing, 200_00],
    ['tiegan', seats.tiegan, 1200_00],
  ] as const) {
    const tier = await client.execute({ sql: 'SELECT id FROM tiers WHERE slug = ?', args: [slug] })
    const stock = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (?, ?) RETURNING id', args: [capacity, counterId] })
    const stockId = Number(stock.rows[0]!.id)
    const dropTier = await client.execute({
      sql: 'INSERT INTO drop_tiers (drop_id, tier_id, price_fen, stock_id, valid_until) VALUES (?, ?, ?, ?, ?) RETURNING id',
      args: [dropId, Number(tier.rows[0]!.id), priceFen, stockId, now + 365 * 86_400_000],
    })
    tiers.push({ dropTierId: Number(dropTier.rows[0]!.id), stockId, capacity })
  }
  return { dropId, tiers }
}

/** Moves the drop's window into 1970: closed, and never the drop /membership shows. */
async function retireDrop(dropId: number) {
  await client.execute({ sql: 'UPDATE drops SET opens_at = ?, closes_at = ? WHERE id = ?', args: [dropId * 10, dropId * 10 + 1, dropId] })
}

async function stockOf(stockId: number) {
  const { rows } = await client.execute({ sql: 'SELECT capacity, sold, held FROM stock WHERE id = ?', args: [stockId] })
  return { capacity: Number(rows[0]!.capacity), sold: Number(rows[0]!.sold), held: Number(rows[0]!.held) }
}

// What the hydrated page's 抢席位 button sends (Remix single fetch: the action alone, no page
// render; a hold answers 202 with Location /pay/:id). Without JavaScript the form posts the
// document to /membership?index: checked once at the end of the first test.
const BUY_PATH = '/membership.data?index'
const DOCUMENT_BUY_PATH = '/membership?index'

test('500 buyers racing for 100 seats: exactly 100 held, the rest told 已满 (409); paid, they are members 1..100', async () => {
  test.setTimeout(180_000)
  const seed = testSeed()
  await test.info().attach('seed', { body: `TEST_SEED=${seed} replays this payment order`, contentType: 'text/plain' })
  const drop = await createOpenDrop({ qinqing: 80, tiegan: 20 })
  try {
    const buyers = await createBuyers(client, 500, 'drop-racer')
    // Half of them want each tier: both tiers are oversubscribed.
    const choices = buyers.map((buyer, i) => ({ buyer, tier: drop.tiers[i % 2]! }))
    const responses = await Promise.all(
      choices.map(({ buyer, tier }) => postForm(BUY_PATH, buyer.cookie, { intent: 'buy', dropId: String(drop.dropId), dropTierId: String(tier.dropTierId) })),
    )
    const holders = responses.flatMap((r, i) => {
      const orderId = payRedirectOrderId(r)
      return orderId === null ? [] : [{ orderId, buyer: choices[i]!.buyer }]
    })
    const refused = responses.filter((r) => r.status === 409)
    const { counts, surprises } = await countStatuses(responses, [202, 409])
    expect(counts, surprises).toEqual({ 202: 100, 409: 400 })
    expect(holders).toHaveLength(100)
    expect(refused).toHaveLength(400)
    const bodies = await Promise.all(refused.slice(0, 5).map((r) => r.text()))
    for (const body of bodies) expect(body).toContain('已满')
    expect(await stockOf(drop.tiers[0]!.stockId)).toEqual({ capacity: 80, sold: 0, held: 80 })
    expect(await stockOf(drop.tiers[1]!.stockId)).toEqual({ capacity: 20, sold: 0, held: 20 })

    // Everyone pays through the test provider, in random order and all at once.
    const payOrder = shuffled(holders, seededRandom(seed))
    const payments = await Promise.all(payOrder.map((h) => postForm(`/pay/${h.orderId}`, h.buyer.cookie, { intent: 'succeed' })))
    for (const r of payments) {
      expect(r.status).toBeGreaterThanOrEqual(300)
      expect(r.status).toBeLessThan(400)
      expect(r.headers.get('Location')).toBe('/membership/card')
    }

    const { rows } = await client.execute({
      sql: 'SELECT member_number, user_id FROM memberships WHERE drop_id = ? AND revoked_at IS NULL ORDER BY member_number',
      args: [drop.dropId],
    })
    expect(rows.map((row) => Number(row.member_number))).toEqual(oneTo(100))
    expect(new Set(rows.map((row) => Number(row.user_id))).size).toBe(100)
    expect(await stockOf(drop.tiers[0]!.stockId)).toEqual({ capacity: 80, sold: 80, held: 0 })
    expect(await stockOf(drop.tiers[1]!.stockId)).toEqual({ capacity: 20, sold: 20, held: 0 })

    // A late buyer without JavaScript gets the page itself, 409, saying 已满.
    const [late] = await createBuyers(client, 1, 'drop-late')
    const page = await postForm(DOCUMENT_BUY_PATH, late!.cookie, { intent: 'buy', dropId: String(drop.dropId), dropTierId: String(drop.tiers[0]!.dropTierId) })
    expect(page.status).toBe(409)
    expect(page.headers.get('Content-Type')).toContain('text/html')
    expect(await page.text()).toContain('已满')
  } finally {
    await retireDrop(drop.dropId)
  }
})

test('one user firing 20 parallel buy requests holds exactly one seat; the others are told they already have one (409)', async () => {
  const drop = await createOpenDrop({ qinqing: 50, tiegan: 50 })
  try {
    const [buyer] = await createBuyers(client, 1, 'drop-greedy')
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postForm(BUY_PATH, buyer!.cookie, { intent: 'buy', dropId: String(drop.dropId), dropTierId: String(drop.tiers[i % 2]!.dropTierId) }),
      ),
    )
    const placed = responses.filter((r) => payRedirectOrderId(r) !== null)
    const refused = responses.filter((r) => r.status === 409)
    expect(placed).toHaveLength(1)
    expect(refused).toHaveLength(19)
    expect(await refused[0]!.text()).toContain('你已在本期招募中购买或锁定了席位')
    const { rows } = await client.execute({
      sql: "SELECT count(*) AS n FROM holds WHERE user_id = ? AND state = 'held'",
      args: [buyer!.userId],
    })
    expect(Number(rows[0]!.n)).toBe(1)
    const held = (await stockOf(drop.tiers[0]!.stockId)).held + (await stockOf(drop.tiers[1]!.stockId)).held
    expect(held).toBe(1)
  } finally {
    await retireDrop(drop.dropId)
  }
})
