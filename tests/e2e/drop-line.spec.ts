// Issue 15's waiting room in real browsers: three buyers arrive at an open drop whose admission
// window is full, each gets a place in line in arrival order (「前面还有 N 人」), their places move
// up as the people ahead leave, and they are admitted in that order — each page buying its seat
// by itself — without a reload.
//
// The e2e server's window (DROP_LINE_WINDOW, playwright.config.ts) is larger than drop-race's
// burst, so this spec fills it with buyers written into the database: a window's worth let through
// and still deciding (admitted ten minutes from now, so they cannot lapse during the test) and two
// more waiting ahead of the browsers. Its drop is open only while it runs, then moved to 1970.
import type { Client } from '@libsql/client'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { createBuyers, openServerDatabase, type RaceBuyer } from './race-support'
import { SITE_URL, required } from './support'

const WINDOW = Number(required('E2E_DROP_LINE_WINDOW'))
const QINQING = '亲情会员'

let client: Client
test.beforeAll(() => {
  client = openServerDatabase()
})
test.afterAll(() => client.close())
// Each test opens a drop of its own: one at a time, so /membership shows the test's own.
test.describe.configure({ mode: 'serial' })

interface LineDrop {
  dropId: number
  qinqing: number
  tiegan: number
}

/** A drop open for two hours (after any race's drop closes, so /membership shows this one). */
async function createOpenDrop(): Promise<LineDrop> {
  const now = Date.now()
  const counter = await client.execute('INSERT INTO counters (value) VALUES (0) RETURNING id')
  const counterId = Number(counter.rows[0]!.id)
  const drop = await client.execute({
    sql: 'INSERT INTO drops (name, opens_at, closes_at, announcement, counter_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    args: [`排队招募 ${now}`, now - 60_000, now + 2 * 3_600_000, '', counterId, now],
  })
  const dropId = Number(drop.rows[0]!.id)
  const ids: number[] = []
  for (const [slug, capacity, priceFen] of [
    ['qinqing', 10, 200_00],
    ['tiegan', WINDOW + 10, 1200_00],
  ] as const) {
    const tier = await client.execute({ sql: 'SELECT id FROM tiers WHERE slug = ?', args: [slug] })
    const stock = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (?, ?) RETURNING id', args: [capacity, counterId] })
    const dropTier = await client.execute({
      sql: 'INSERT INTO drop_tiers (drop_id, tier_id, price_fen, stock_id, valid_until) VALUES (?, ?, ?, ?, ?) RETURNING id',
      args: [dropId, Number(tier.rows[0]!.id), priceFen, Number(stock.rows[0]!.id), now + 365 * 86_400_000],
    })
    ids.push(Number(dropTier.rows[0]!.id))
  }
  return { dropId, qinqing: ids[0]!, tiegan: ids[1]! }
}

/** Places for these users, in this order: let through and deciding, or waiting with their page open. */
async function standInLine(drop: LineDrop, users: RaceBuyer[], state: 'admitted' | 'waiting') {
  const now = Date.now()
  const later = now + 10 * 60_000
  const { rows } = await client.execute({ sql: 'SELECT coalesce(max(position), 0) AS p FROM drop_line_entries WHERE drop_id = ?', args: [drop.dropId] })
  const first = Number(rows[0]!.p) + 1
  await client.batch(
    users.map((user, i) => ({
      sql: 'INSERT INTO drop_line_entries (drop_id, user_id, drop_tier_id, position, joined_at, last_seen_at, admitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: [drop.dropId, user.userId, drop.tiegan, first + i, now, state === 'waiting' ? later : now, state === 'admitted' ? later : null],
    })),
    'write',
  )
}

async function leaveLine(dropId: number, userId: number) {
  await client.execute({ sql: "UPDATE drop_line_entries SET done_at = ?, outcome = 'buy' WHERE drop_id = ? AND user_id = ?", args: [Date.now(), dropId, userId] })
}

async function openAs(browser: Browser, buyer: RaceBuyer): Promise<Page> {
  const context = await browser.newContext()
  const [name, value] = buyer.cookie.split('=') as [string, string]
  await context.addCookies([{ name, value, url: SITE_URL }])
  const page = await context.newPage()
  await page.goto('/membership')
  return page
}

/** 1970: closed, and never the drop /membership shows. */
async function retireDrop(dropId: number) {
  await client.execute({ sql: 'UPDATE drops SET opens_at = ?, closes_at = ? WHERE id = ?', args: [dropId * 10, dropId * 10 + 1, dropId] })
}

function place(page: Page) {
  return page.getByRole('region', { name: '排队中' }).getByRole('status')
}

test('three buyers wait in line in arrival order, move up as those ahead leave, and are admitted in that order', async ({ browser }) => {
  test.setTimeout(120_000)
  const drop = await createOpenDrop()
  try {
    const deciding = await createBuyers(client, WINDOW, 'line-deciding')
    const waiting = await createBuyers(client, 2, 'line-waiting')
    await standInLine(drop, deciding, 'admitted')
    await standInLine(drop, waiting, 'waiting')
    const buyers = await createBuyers(client, 3, 'line-browser')
    const pages: Page[] = []
    // One after the other: each takes a place before the next arrives.
    for (const [i, buyer] of buyers.entries()) {
      const page = await openAs(browser, buyer)
      await page.getByRole('button', { name: `抢${QINQING}席位` }).click()
      await expect(place(page)).toContainText(`前面还有 ${i + 2} 人`)
      await expect(page.getByRole('region', { name: '排队中' })).toContainText(`你选择的是${QINQING}`)
      pages.push(page)
    }
    const [a, b, c] = pages as [Page, Page, Page]

    // The second of the two ahead leaves, then the first: everyone moves up, live.
    await leaveLine(drop.dropId, waiting[1]!.userId)
    await expect(place(a)).toContainText('前面还有 1 人')
    await expect(place(b)).toContainText('前面还有 2 人')
    await expect(place(c)).toContainText('前面还有 3 人')
    await leaveLine(drop.dropId, waiting[0]!.userId)
    await expect(place(a)).toContainText('马上轮到你')
    await expect(place(b)).toContainText('前面还有 1 人')
    await expect(place(c)).toContainText('前面还有 2 人')
    // A reload keeps the place.
    await c.reload()
    await expect(place(c)).toContainText('前面还有 2 人')

    // One of those deciding finishes: a slot opens, and the three go through it one by one,
    // each page buying the seat chosen when it joined.
    await leaveLine(drop.dropId, deciding[0]!.userId)
    for (const page of [a, b, c]) await expect(page).toHaveURL(/\/pay\/\d+$/, { timeout: 20_000 })

    const { rows } = await client.execute({
      sql: 'SELECT user_id FROM drop_line_entries WHERE drop_id = ? AND user_id IN (?, ?, ?) ORDER BY admitted_at, position',
      args: [drop.dropId, ...buyers.map((buyer) => buyer.userId)],
    })
    expect(rows.map((row) => Number(row.user_id))).toEqual(buyers.map((buyer) => buyer.userId))
    const held = await client.execute({
      sql: "SELECT count(*) AS n FROM orders WHERE drop_id = ? AND state = 'pending' AND user_id IN (?, ?, ?)",
      args: [drop.dropId, ...buyers.map((buyer) => buyer.userId)],
    })
    expect(Number(held.rows[0]!.n)).toBe(3)
  } finally {
    await retireDrop(drop.dropId)
  }
})

test('without JavaScript the page shows the place and a 刷新 button, which buys the seat on the buyer’s turn', async ({ browser }) => {
  test.setTimeout(90_000)
  const drop = await createOpenDrop()
  try {
    const deciding = await createBuyers(client, WINDOW, 'line-deciding')
    await standInLine(drop, deciding, 'admitted')
    const [buyer] = await createBuyers(client, 1, 'line-nojs')
    const context = await browser.newContext({ javaScriptEnabled: false })
    const [name, value] = buyer!.cookie.split('=') as [string, string]
    await context.addCookies([{ name, value, url: SITE_URL }])
    const page = await context.newPage()
    await page.goto('/membership')
    await page.getByRole('button', { name: `抢${QINQING}席位` }).click()
    const line = page.getByRole('region', { name: '排队中' })
    await expect(line).toContainText('马上轮到你')
    const refresh = line.getByRole('button', { name: '刷新' })
    // Not the turn yet: 刷新 shows the place again.
    await refresh.click()
    await expect(line).toContainText('马上轮到你')
    await leaveLine(drop.dropId, deciding[0]!.userId)
    await line.getByRole('button', { name: '刷新' }).click()
    await expect(page).toHaveURL(/\/pay\/\d+$/)
  } finally {
    await retireDrop(drop.dropId)
  }
})
