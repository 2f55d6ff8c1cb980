// The membership drop as the storm benchmark (bench/storm.ts) and the scale-out race test race
// it: buyers and their sessions written before the clock (plain SQL through @libsql/client, to a
// local file or a libsql server), an open drop, a buyer's way through the waiting room as the page
// takes it, everyone paying, and the invariants the database must show afterwards.
import type { Agent } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import type { Client } from '@libsql/client'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { LINE_POLL_NEAR_MS } from '../app/domain/drop-line'
import { percentile, statusCounts, type Answer, type Load } from './http-load'

export interface Buyer {
  userId: number
  cookie: string
}

export const DAY_MS = 86_400_000

/** `n` users with live sessions, written as signIn would leave them (token → SHA-256 row, cookie). */
export async function createBuyers(client: Client, n: number, label: string): Promise<Buyer[]> {
  const now = Date.now()
  const buyers: Buyer[] = []
  for (let start = 0; start < n; start += 500) {
    const size = Math.min(500, n - start)
    const users = await client.execute({
      sql: `INSERT INTO users (email, display_name) VALUES ${Array.from({ length: size }, () => '(?, ?)').join(', ')} RETURNING id`,
      args: Array.from({ length: size }, (_, i) => [`${label}-${start + i}@example.com`, `${label}${start + i}`]).flat(),
    })
    // The site's token: 20 random bytes in base32, stored as its SHA-256; 30 days like createSession.
    const tokens = users.rows.map(() => encodeBase32LowerCaseNoPadding(randomBytes(20)))
    await client.execute({
      sql: `INSERT INTO sessions (id, user_id, expires_at, created_at, last_seen_at) VALUES ${tokens.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      args: users.rows.flatMap((row, i) => [createHash('sha256').update(tokens[i]!).digest('hex'), Number(row.id), now + 30 * DAY_MS, now, now]),
    })
    users.rows.forEach((row, i) => buyers.push({ userId: Number(row.id), cookie: `zhiyin_session=${tokens[i]}` }))
  }
  return buyers
}

/** A drop opened a second ago for three hours, 亲情 and 铁杆 tiers sharing one member-number counter. */
export async function createOpenDrop(client: Client, seats: { qinqing: number; tiegan: number }) {
  const now = Date.now()
  const counter = await client.execute('INSERT INTO counters (value) VALUES (0) RETURNING id')
  const counterId = Number(counter.rows[0]!.id)
  const drop = await client.execute({
    sql: 'INSERT INTO drops (name, opens_at, closes_at, announcement, counter_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    args: ['压测招募', now - 1000, now + 3 * 3_600_000, '', counterId, now],
  })
  const dropId = Number(drop.rows[0]!.id)
  const tiers = []
  for (const [slug, capacity, priceFen] of [
    ['qinqing', seats.qinqing, 200_00],
    ['tiegan', seats.tiegan, 1200_00],
  ] as const) {
    const tier = await client.execute({ sql: 'SELECT id FROM tiers WHERE slug = ?', args: [slug] })
    const stock = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (?, ?) RETURNING id', args: [capacity, counterId] })
    const stockId = Number(stock.rows[0]!.id)
    const dropTier = await client.execute({
      sql: 'INSERT INTO drop_tiers (drop_id, tier_id, price_fen, stock_id, valid_until) VALUES (?, ?, ?, ?, ?) RETURNING id',
      args: [dropId, Number(tier.rows[0]!.id), priceFen, stockId, now + 400 * DAY_MS],
    })
    tiers.push({ slug, dropTierId: Number(dropTier.rows[0]!.id), tierId: Number(tier.rows[0]!.id), stockId, capacity })
  }
  return { dropId, tiers }
}

/** A published, numbered limited edition with its own stock. */
export async function createEdition(client: Client, units: number) {
  const now = Date.now()
  const counter = await client.execute('INSERT INTO counters (value) VALUES (0) RETURNING id')
  const stock = await client.execute({ sql: 'INSERT INTO stock (capacity, counter_id) VALUES (?, ?) RETURNING id', args: [units, Number(counter.rows[0]!.id)] })
  const stockId = Number(stock.rows[0]!.id)
  const category = await client.execute("SELECT id FROM product_categories WHERE slug = 'stationery'")
  const product = await client.execute({
    sql: `INSERT INTO products (slug, title, category_id, summary, price_fen, stock_id, limited_edition, published, published_at, updated_at)
          VALUES ('storm-edition', '压测限量款', ?, '', 9900, ?, 1, 1, ?, ?) RETURNING id`,
    args: [Number(category.rows[0]!.id), stockId, now, now],
  })
  return { productId: Number(product.rows[0]!.id), stockId }
}

export async function stockOf(client: Client, stockId: number) {
  const { rows } = await client.execute({ sql: 'SELECT capacity, sold, held FROM stock WHERE id = ?', args: [stockId] })
  return { capacity: Number(rows[0]!.capacity), sold: Number(rows[0]!.sold), held: Number(rows[0]!.held) }
}

export function isOneTo(numbers: number[], n: number) {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted.length === n && sorted.every((value, i) => value === i + 1)
}

export function describeNumbers(numbers: number[]) {
  const seen = new Set(numbers)
  const duplicates = numbers.length - seen.size
  const max = Math.max(0, ...numbers)
  let gaps = 0
  for (let n = 1; n <= max; n++) if (!seen.has(n)) gaps++
  return `${numbers.length} numbers, max ${max}, ${gaps} gaps, ${duplicates} duplicates`
}

/** One buyer's time in the drop's waiting room (ms from the start of the phase). */
export interface LineTrace {
  placedAt: number | null
  admittedAt: number | null
  asks: Answer[]
  /** The line's verdict when it ended the place without a turn (full, lapsed, used, closed). */
  verdict: string | null
}

const TICKET_IN_ANSWER = /"(\d+\.\d+\.[A-Za-z0-9_-]{43})"/
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * What the page does: post the seat form; if the answer is a place in line (200 with a ticket),
 * ask /membership/line when told to, and on the buyer's turn post the form again with the ticket.
 * Returns the answer that decided the seat (a hold, a refusal) or the line's last answer.
 */
export async function buyFollowingTheLine(
  post: Load['post'],
  agent: Agent,
  base: string,
  path: string,
  { buyer, dropId, dropTierId }: { buyer: Buyer; dropId: number; dropTierId: number },
  trace: LineTrace,
  t0: number,
): Promise<Answer> {
  const headers = { Origin: base, Cookie: buyer.cookie }
  const form = { intent: 'buy', dropId: String(dropId), dropTierId: String(dropTierId) }
  const first = await post(agent, base, path, headers, form, t0)
  const ticket = first.outcome === 200 ? TICKET_IN_ANSWER.exec(first.body)?.[1] : undefined
  if (!ticket) return first
  trace.placedAt = first.at
  let pause = LINE_POLL_NEAR_MS
  for (;;) {
    await sleep(pause)
    const asked = await post(agent, base, '/membership/line', headers, { dropId: String(dropId), ticket }, t0)
    trace.asks.push(asked)
    if (asked.outcome !== 200) return asked
    const place = JSON.parse(asked.body) as { state: string; pollMs?: number }
    if (place.state === 'waiting') {
      pause = place.pollMs ?? LINE_POLL_NEAR_MS
      continue
    }
    if (place.state !== 'admitted') {
      trace.verdict = place.state
      return asked
    }
    trace.admittedAt = asked.at
    return post(agent, base, path, headers, { ...form, ticket }, t0)
  }
}

export interface LineFigures {
  /** Buyers answered with a place in line instead of a decision. */
  placed: number
  admitted: number
  /** Places the line ended before a turn, by verdict (已满 told in line, lapsed …). */
  verdicts: Record<string, number>
  asks: number
  askP50: number
  askP99: number
  longestWaitMs: number
  waitP50: number
  counts: ReturnType<typeof statusCounts>
}

export function lineFigures(traces: LineTrace[]): LineFigures {
  const placed = traces.filter((t) => t.placedAt !== null)
  const waits = placed.map((t) => (t.admittedAt ?? t.asks.at(-1)?.at ?? t.placedAt!) - t.placedAt!)
  const asks = placed.flatMap((t) => t.asks)
  const verdicts: Record<string, number> = {}
  for (const t of placed) if (t.verdict) verdicts[t.verdict] = (verdicts[t.verdict] ?? 0) + 1
  return {
    placed: placed.length,
    admitted: placed.filter((t) => t.admittedAt !== null).length,
    verdicts,
    asks: asks.length,
    askP50: percentile(asks.map((a) => a.ms), 0.5),
    askP99: percentile(asks.map((a) => a.ms), 0.99),
    longestWaitMs: Math.max(0, ...waits),
    waitP50: percentile(waits, 0.5),
    counts: statusCounts(asks),
  }
}

export interface Check {
  what: string
  ok: boolean
  detail: string
}

export type OpenDrop = Awaited<ReturnType<typeof createOpenDrop>>

/**
 * Every hold paid through the test provider's pay page on the server `base` names for it,
 * `concurrency` at a time; which payments the site acknowledged.
 */
export async function payAll(load: Load, holders: { orderId: number; cookie: string; base: string }[], expectLocation: (location: string) => boolean) {
  const agent = load.makeAgent()
  const run = await load.fire(holders, (h, t0) => load.post(agent, h.base, `/pay/${h.orderId}`, { Origin: h.base, Cookie: h.cookie }, { intent: 'succeed' }, t0))
  agent.destroy()
  const acknowledged = holders.filter((_, i) => {
    const a = run.answers[i]
    return a && typeof a.outcome === 'number' && a.outcome >= 300 && a.outcome < 400 && expectLocation(a.location ?? '')
  })
  return {
    paid: acknowledged.length,
    paidOrderIds: acknowledged.map((h) => h.orderId),
    figures: {
      seconds: run.seconds,
      perSecond: acknowledged.length / run.seconds,
      p50: percentile(run.answers.flatMap((a) => (a ? [a.ms] : [])), 0.5),
      p99: percentile(run.answers.flatMap((a) => (a ? [a.ms] : [])), 0.99),
      counts: statusCounts(run.answers),
    },
  }
}

/**
 * What the database must show after a drop sold out and every hold was paid: each seat taken
 * once, never oversold, member numbers exactly 1..N across the drop, one seat per buyer, and
 * every payment the site acknowledged recorded as paid.
 */
export async function dropChecks(client: Client, drop: OpenDrop, { holders, paidOrderIds }: { holders: number; paidOrderIds: number[] }): Promise<Check[]> {
  const capacity = drop.tiers.reduce((sum, tier) => sum + tier.capacity, 0)
  const checks: Check[] = []
  const { rows } = await client.execute({
    sql: 'SELECT user_id, tier_id, member_number FROM memberships WHERE drop_id = ? AND revoked_at IS NULL',
    args: [drop.dropId],
  })
  const members = rows.map((row) => ({ userId: Number(row.user_id), tierId: Number(row.tier_id), number: Number(row.member_number) }))
  checks.push({ what: `memberships = ${capacity} seats`, ok: members.length === capacity, detail: `${members.length}` })
  for (const tier of drop.tiers) {
    const n = members.filter((m) => m.tierId === tier.tierId).length
    checks.push({ what: `${tier.slug} memberships = ${tier.capacity}`, ok: n === tier.capacity, detail: `${n}` })
    const stock = await stockOf(client, tier.stockId)
    checks.push({ what: `${tier.slug} stock sold ${tier.capacity}, held 0`, ok: stock.sold === tier.capacity && stock.held === 0, detail: `sold ${stock.sold}, held ${stock.held}` })
    checks.push({ what: `${tier.slug} never oversold (sold + held ≤ ${tier.capacity})`, ok: stock.sold + stock.held <= tier.capacity, detail: `${stock.sold + stock.held}` })
  }
  // All tiers of a drop share one counter (db/schema.ts `stock.counterId`): numbers run 1..N across the drop.
  checks.push({ what: `member numbers exactly 1..${capacity} across the drop`, ok: isOneTo(members.map((m) => m.number), capacity), detail: describeNumbers(members.map((m) => m.number)) })
  const distinct = new Set(members.map((m) => m.userId)).size
  checks.push({ what: 'no buyer with two seats', ok: distinct === members.length, detail: `${distinct} buyers, ${members.length} seats` })
  const live = await client.execute({
    sql: "SELECT count(*) AS n FROM (SELECT user_id FROM orders WHERE drop_id = ? AND state IN ('pending', 'paid') GROUP BY user_id HAVING count(*) > 1)",
    args: [drop.dropId],
  })
  checks.push({ what: 'no buyer with two live seat orders', ok: Number(live.rows[0]!.n) === 0, detail: `${Number(live.rows[0]!.n)}` })
  checks.push({ what: 'every hold paid (3xx to /membership/card)', ok: paidOrderIds.length === holders && holders === capacity, detail: `${paidOrderIds.length} of ${holders}` })
  const recorded = await countPaidOrders(client, paidOrderIds)
  checks.push({ what: 'every acknowledged payment recorded (order paid)', ok: recorded === paidOrderIds.length, detail: `${recorded} of ${paidOrderIds.length}` })
  return checks
}

async function countPaidOrders(client: Client, orderIds: number[]) {
  let n = 0
  for (let start = 0; start < orderIds.length; start += 500) {
    const ids = orderIds.slice(start, start + 500)
    const { rows } = await client.execute({ sql: `SELECT count(*) AS n FROM orders WHERE state = 'paid' AND id IN (${ids.map(() => '?').join(', ')})`, args: ids })
    n += Number(rows[0]!.n)
  }
  return n
}

export function zeroFailures(what: string, counts: ReturnType<typeof statusCounts>): Check {
  const failed = counts['5xx'] + counts.reset + counts.timeout + counts.error + counts.unsent
  return {
    what: `${what}: 0 answered 5xx, reset, timed out or unsent`,
    ok: failed === 0,
    detail: `5xx ${counts['5xx']} (503 ${counts.busy}), reset ${counts.reset}, timeout ${counts.timeout}, error ${counts.error}, unsent ${counts.unsent}`,
  }
}
