// npm run bench:storm — the drop storm of issue 15 over HTTP, as readers would make it. The real
// production server runs as a child process on a fresh database; buyers, their sessions, the drop
// and a numbered edition are written into its SQLite file before the clock starts; at the open
// every buyer posts the seat form at once (a fixed number in flight), then every hold is paid
// through the test provider's pay page. A bare node:http server deciding the same holds with one
// SQL batch (bench/storm-bare.ts) is driven the same way in the same run: read the ratio, not the
// absolute numbers (these machines are shared). The database is checked at the end; a broken
// invariant or any 5xx exits non-zero.
//
//   npm run bench:storm -- --quick       1,200 buyers for 400 seats, 1,200 for a 400-unit edition
//   npm run bench:storm                  20,000 buyers for 5,000 亲情 + 500 铁杆, 5,000 for 500 units
//   options: --buyers N --qinqing N --tiegan N --shop-buyers N --shop-units N --concurrency N
//            --form data|document (the hydrated page's post, default, or the no-JavaScript one)
//            --skip-drop --skip-shop --max-seconds S (per phase) --timeout-ms MS (per request)
//            --ports 3700-3799 (where the servers may listen)
//            --line-window N (the server's DROP_LINE_WINDOW; its own default unless given)
//
// The drop has a waiting room (docs/decisions/031-drop-waiting-room.md): a buyer told to wait
// (200 with a ticket) asks POST /membership/line when told to, and buys with the ticket once
// admitted, as the page does. The report adds the line: places given, asks, the longest wait.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createClient, type Client } from '@libsql/client'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { LINE_POLL_NEAR_MS } from '../app/domain/drop-line'
import { buildIfNeeded } from '../server/build-if-needed'
import { recordResults } from './results'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    buyers: { type: 'string' },
    qinqing: { type: 'string' },
    tiegan: { type: 'string' },
    'shop-buyers': { type: 'string' },
    'shop-units': { type: 'string' },
    concurrency: { type: 'string', default: '200' },
    form: { type: 'string', default: 'data' },
    'skip-drop': { type: 'boolean', default: false },
    'skip-shop': { type: 'boolean', default: false },
    'max-seconds': { type: 'string', default: '900' },
    'timeout-ms': { type: 'string', default: '60000' },
    ports: { type: 'string', default: '3700-3799' },
    'line-window': { type: 'string' },
  },
})
const quick = opts.quick
const config = {
  buyers: Number(opts.buyers ?? (quick ? 1200 : 20_000)),
  // Issue 15's drop is 5,000 + 500; quick mode keeps the same 10:1 split over 400 seats.
  qinqing: Number(opts.qinqing ?? (quick ? 364 : 5000)),
  tiegan: Number(opts.tiegan ?? (quick ? 36 : 500)),
  shopBuyers: Number(opts['shop-buyers'] ?? (quick ? 1200 : 5000)),
  shopUnits: Number(opts['shop-units'] ?? (quick ? 400 : 500)),
  concurrency: Number(opts.concurrency),
  form: opts.form === 'document' ? ('document' as const) : ('data' as const),
  maxSeconds: Number(opts['max-seconds']),
  timeoutMs: Number(opts['timeout-ms']),
  ports: opts.ports.split('-').map(Number) as [number, number],
}

// ---- processes ------------------------------------------------------------------------------

/** A free port in --ports (3700–3799 unless told: the range these benches may use on shared machines). */
async function freePort(taken: number[] = []) {
  const [low, high] = config.ports
  const size = high - low + 1
  for (let port = low + Math.floor(Math.random() * size), tries = 0; tries < size; tries++, port = low + ((port - low + 1) % size)) {
    if (taken.includes(port)) continue
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${low}–${high}`)
}

async function waitFor(url: string, child: ChildProcess, seconds = 300) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`)
    try {
      if ((await fetch(url)).status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer in ${seconds} s`)
}

/** SIGTERM to this child's pid (never by name), SIGKILL if it has not gone in 15 s. */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const gone = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await gone
  clearTimeout(timer)
}

// ---- HTTP load ------------------------------------------------------------------------------

type Outcome = number | 'reset' | 'timeout' | 'error'

interface Answer {
  outcome: Outcome
  /** Milliseconds from sending to the last byte of the answer. */
  ms: number
  /** When the answer ended, in ms from the start of the phase. */
  at: number
  location: string | null
  body: string
  /** Milliseconds the TCP handshake took, when this request opened a connection. */
  connectMs: number | null
}

function makeAgent() {
  return new Agent({ keepAlive: true, maxSockets: config.concurrency, maxFreeSockets: config.concurrency })
}

function post(agent: Agent, base: string, path: string, headers: Record<string, string>, form: Record<string, string>, t0: number): Promise<Answer> {
  const body = new URLSearchParams(form).toString()
  const url = new URL(path, base)
  const sent = performance.now()
  return new Promise((resolve) => {
    let settled = false
    let connectMs: number | null = null
    const done = (outcome: Outcome, location: string | null, text: string) => {
      if (settled) return
      settled = true
      const end = performance.now()
      resolve({ outcome, ms: end - sent, at: end - t0, location, body: text, connectMs })
    }
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const location = res.headers.location ?? (res.headers['x-remix-redirect'] as string | undefined) ?? null
          done(res.statusCode ?? 0, location, Buffer.concat(chunks).toString())
        })
        res.on('error', () => done('reset', null, ''))
      },
    )
    req.once('socket', (socket) => {
      if (!socket.connecting) return
      connectMs = -1
      socket.once('connect', () => (connectMs = performance.now() - sent))
    })
    req.setTimeout(config.timeoutMs, () => {
      done('timeout', null, '')
      req.destroy()
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      done(error.code === 'ECONNRESET' || error.message === 'socket hang up' ? 'reset' : 'error', null, String(error.code ?? error.message))
    })
    req.end(body)
  })
}

/** Sends every item's request with `concurrency` in flight; stops taking new ones after maxSeconds. */
async function fire<T>(items: T[], send: (item: T, t0: number) => Promise<Answer>) {
  const answers: (Answer | null)[] = items.map(() => null)
  let next = 0
  const t0 = performance.now()
  const deadline = t0 + config.maxSeconds * 1000
  await Promise.all(
    Array.from({ length: Math.min(config.concurrency, items.length) }, async () => {
      while (next < items.length && performance.now() < deadline) {
        const i = next++
        answers[i] = await send(items[i]!, t0)
      }
    }),
  )
  return { answers, seconds: (performance.now() - t0) / 1000, unsent: answers.filter((a) => a === null).length }
}

function percentile(values: number[], q: number) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function statusCounts(answers: (Answer | null)[]) {
  const counts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, reset: 0, timeout: 0, error: 0, unsent: 0 }
  for (const a of answers) {
    if (!a) counts.unsent++
    else if (typeof a.outcome === 'number') counts[`${Math.floor(a.outcome / 100)}xx` as '2xx'] += 1
    else counts[a.outcome]++
  }
  return counts
}

/** The order a hold answered with: the Location of the redirect (document) or single fetch's redirect. */
function heldOrderId(answer: Answer | null) {
  if (!answer || typeof answer.outcome !== 'number' || answer.outcome >= 400) return null
  const match = /^\/pay\/(\d+)$/.exec(answer.location ?? '') ?? /"\/pay\/(\d+)"/.exec(answer.body)
  return match ? Number(match[1]) : null
}

interface StormFigures {
  requests: number
  holds: number
  soldOutSeconds: number
  holdsPerSecond: number
  totalSeconds: number
  holdP50: number
  holdP99: number
  refusalP50: number
  refusalP99: number
  refusals: number
  counts: ReturnType<typeof statusCounts>
  /** Requests that had to open a connection; how long its handshake took; how many of them got no answer. */
  connections: { opened: number; connectP50: number; connectP99: number; connectMax: number; unanswered: number }
}

function stormFigures(answers: (Answer | null)[], isHold: (a: Answer) => boolean, seconds: number): StormFigures {
  const done = answers.filter((a): a is Answer => a !== null)
  const holds = done.filter(isHold)
  const refusals = done.filter((a) => typeof a.outcome === 'number' && a.outcome >= 400 && a.outcome < 500)
  // Sold out: the answer that gave the last seat (or the last hold, if they did not all go).
  const soldOutAt = Math.max(0, ...holds.map((a) => a.at)) / 1000
  return {
    requests: answers.length,
    holds: holds.length,
    soldOutSeconds: soldOutAt,
    holdsPerSecond: soldOutAt > 0 ? holds.length / soldOutAt : 0,
    totalSeconds: seconds,
    holdP50: percentile(holds.map((a) => a.ms), 0.5),
    holdP99: percentile(holds.map((a) => a.ms), 0.99),
    refusalP50: percentile(refusals.map((a) => a.ms), 0.5),
    refusalP99: percentile(refusals.map((a) => a.ms), 0.99),
    refusals: refusals.length,
    counts: statusCounts(answers),
    connections: connectionFigures(done),
  }
}

function connectionFigures(done: Answer[]) {
  const opened = done.filter((a) => a.connectMs !== null)
  // -1: the handshake never completed before the answer (or the timeout) came.
  const accepted = opened.flatMap((a) => (a.connectMs !== null && a.connectMs >= 0 ? [a.connectMs] : []))
  return {
    opened: opened.length,
    connectP50: percentile(accepted, 0.5),
    connectP99: percentile(accepted, 0.99),
    connectMax: Math.max(0, ...accepted),
    unanswered: opened.filter((a) => typeof a.outcome !== 'number').length,
  }
}

// ---- the database, before the clock ----------------------------------------------------------

interface Buyer {
  userId: number
  cookie: string
}

const DAY_MS = 86_400_000

/** `n` users with live sessions, written as signIn would leave them (token → SHA-256 row, cookie). */
async function createBuyers(client: Client, n: number, label: string): Promise<Buyer[]> {
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
async function createOpenDrop(client: Client, seats: { qinqing: number; tiegan: number }) {
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
async function createEdition(client: Client, units: number) {
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

async function stockOf(client: Client, stockId: number) {
  const { rows } = await client.execute({ sql: 'SELECT capacity, sold, held FROM stock WHERE id = ?', args: [stockId] })
  return { capacity: Number(rows[0]!.capacity), sold: Number(rows[0]!.sold), held: Number(rows[0]!.held) }
}

function isOneTo(numbers: number[], n: number) {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted.length === n && sorted.every((value, i) => value === i + 1)
}

// ---- the scenarios ---------------------------------------------------------------------------

const ADDRESS = { name: '张三', phone: '13800138000', province: '北京市', city: '北京市', district: '朝阳区', street: '建国路 88 号' }

interface Check {
  what: string
  ok: boolean
  detail: string
}

interface Report {
  name: string
  /** The drop's waiting room; the shop has none. */
  line?: LineFigures
  capacity: number
  buyers: number
  bare: StormFigures
  app: StormFigures
  refusalWords: { word: string; n: number }
  pay: { seconds: number; perSecond: number; p50: number; p99: number; counts: ReturnType<typeof statusCounts> }
  checks: Check[]
}

/** Tier of buyer i: spread evenly, in proportion to the tiers' seats, so both are oversubscribed. */
function tierIndexOf(i: number, share: number) {
  return Math.floor((i + 1) * share) > Math.floor(i * share) ? 1 : 0
}

async function runBare(capacities: number[], items: { stock: number; user: number; cookie: string }[]) {
  const port = await freePort(usedPorts)
  usedPorts.push(port)
  const dir = mkdtempSync(join(tmpdir(), 'zhiyin-storm-bare-'))
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/storm-bare.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), BARE_DB: join(dir, 'bare.db'), BARE_CAPACITIES: capacities.join(',') },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitFor(`http://127.0.0.1:${port}/`, child, 60)
    const base = `http://127.0.0.1:${port}`
    const agent = makeAgent()
    const run = await fire(items, (item, t0) => post(agent, base, '/hold', { Cookie: item.cookie }, { stock: String(item.stock), user: String(item.user) }, t0))
    agent.destroy()
    return stormFigures(run.answers, (a) => a.outcome === 201, run.seconds)
  } finally {
    await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function payAll(base: string, holders: { orderId: number; cookie: string }[], expectLocation: (location: string) => boolean) {
  const agent = makeAgent()
  const run = await fire(holders, (h, t0) => post(agent, base, `/pay/${h.orderId}`, { Origin: base, Cookie: h.cookie }, { intent: 'succeed' }, t0))
  agent.destroy()
  const paid = run.answers.filter((a) => a && typeof a.outcome === 'number' && a.outcome >= 300 && a.outcome < 400 && expectLocation(a.location ?? ''))
  return {
    paid: paid.length,
    figures: {
      seconds: run.seconds,
      perSecond: paid.length / run.seconds,
      p50: percentile(run.answers.flatMap((a) => (a ? [a.ms] : [])), 0.5),
      p99: percentile(run.answers.flatMap((a) => (a ? [a.ms] : [])), 0.99),
      counts: statusCounts(run.answers),
    },
  }
}

/** One buyer's time in the drop's waiting room (ms from the start of the phase). */
interface LineTrace {
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
async function buyFollowingTheLine(
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

interface LineFigures {
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

function lineFigures(traces: LineTrace[]): LineFigures {
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

async function dropStorm(client: Client, base: string): Promise<Report> {
  const capacity = config.qinqing + config.tiegan
  const buyers = await createBuyers(client, config.buyers, 'storm-drop')
  const drop = await createOpenDrop(client, { qinqing: config.qinqing, tiegan: config.tiegan })
  const share = config.tiegan / capacity
  const wants = buyers.map((buyer, i) => ({ buyer, tier: tierIndexOf(i, share) }))
  console.log(`drop: ${buyers.length} signed-in buyers for ${config.qinqing} 亲情 + ${config.tiegan} 铁杆 seats, ${config.concurrency} in flight`)

  const bare = await runBare(
    [config.qinqing, config.tiegan],
    wants.map(({ buyer, tier }) => ({ stock: tier + 1, user: buyer.userId, cookie: buyer.cookie })),
  )
  console.log(`  bare hold: ${bare.holds} holds, sold out in ${bare.soldOutSeconds.toFixed(2)} s`)

  // What the page's 抢席位 form sends: hydrated, Remix single fetch posts the action alone
  // (/membership.data?index); without JavaScript the document itself (/membership?index).
  const path = config.form === 'data' ? '/membership.data?index' : '/membership?index'
  const agent = makeAgent()
  const traces: LineTrace[] = wants.map(() => ({ placedAt: null, admittedAt: null, asks: [], verdict: null }))
  const run = await fire(
    wants.map((want, i) => ({ ...want, i })),
    ({ buyer, tier, i }, t0) => buyFollowingTheLine(agent, base, path, { buyer, dropId: drop.dropId, dropTierId: drop.tiers[tier]!.dropTierId }, traces[i]!, t0),
  )
  agent.destroy()
  const app = stormFigures(run.answers, (a) => heldOrderId(a) !== null, run.seconds)
  const line = lineFigures(traces)
  console.log(`  app: ${app.holds} holds, sold out in ${app.soldOutSeconds.toFixed(2)} s; all answered in ${run.seconds.toFixed(1)} s`)
  console.log(`  line: ${line.placed} given a place, ${line.asks} asks, longest wait ${(line.longestWaitMs / 1000).toFixed(2)} s`)
  const holders = run.answers.flatMap((a, i) => {
    const orderId = heldOrderId(a)
    return orderId === null ? [] : [{ orderId, cookie: wants[i]!.buyer.cookie }]
  })
  const refusalBodies = run.answers.filter((a) => a?.outcome === 409)
  const pay = await payAll(base, holders, (location) => location.startsWith('/membership/card'))
  console.log(`  paid ${pay.paid} of ${holders.length} in ${pay.figures.seconds.toFixed(1)} s`)

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
  checks.push({ what: 'every hold paid (3xx to /membership/card)', ok: pay.paid === holders.length && holders.length === capacity, detail: `${pay.paid} of ${holders.length}` })
  checks.push(zeroFailures('seat requests', app.counts), zeroFailures('line asks', line.counts), zeroFailures('payments', pay.figures.counts))
  return {
    name: 'membership drop',
    line,
    capacity,
    buyers: buyers.length,
    bare,
    app,
    refusalWords: { word: '已满', n: refusalBodies.filter((a) => a!.body.includes('已满')).length },
    pay: pay.figures,
    checks,
  }
}

async function shopStorm(client: Client, base: string): Promise<Report> {
  const capacity = config.shopUnits
  const buyers = await createBuyers(client, config.shopBuyers, 'storm-shop')
  const edition = await createEdition(client, capacity)
  console.log(`shop: ${buyers.length} signed-in buyers for a ${capacity}-unit numbered edition, ${config.concurrency} in flight`)
  const bare = await runBare([capacity], buyers.map((b) => ({ stock: 1, user: b.userId, cookie: b.cookie })))
  console.log(`  bare hold: ${bare.holds} holds, sold out in ${bare.soldOutSeconds.toFixed(2)} s`)

  // 立即购买 on the product page posts /cart (intent buy), which only answers a redirect to
  // /checkout?buy=…&qty=1 without writing; the hold is taken by the address form posted there.
  const query = `buy=${edition.productId}&qty=1`
  const path = config.form === 'data' ? `/checkout.data?${query}` : `/checkout?${query}`
  const agent = makeAgent()
  const run = await fire(buyers, (buyer, t0) => post(agent, base, path, { Origin: base, Cookie: buyer.cookie }, ADDRESS, t0))
  agent.destroy()
  const app = stormFigures(run.answers, (a) => heldOrderId(a) !== null, run.seconds)
  console.log(`  app: ${app.holds} holds, sold out in ${app.soldOutSeconds.toFixed(2)} s; all answered in ${run.seconds.toFixed(1)} s`)
  const holders = run.answers.flatMap((a, i) => {
    const orderId = heldOrderId(a)
    return orderId === null ? [] : [{ orderId, cookie: buyers[i]!.cookie }]
  })
  const refusalBodies = run.answers.filter((a) => a?.outcome === 409)
  const pay = await payAll(base, holders, (location) => location.startsWith('/orders/'))
  console.log(`  paid ${pay.paid} of ${holders.length} in ${pay.figures.seconds.toFixed(1)} s`)

  const checks: Check[] = []
  const { rows } = await client.execute({
    sql: "SELECT o.user_id, l.numbers FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE l.stock_id = ? AND o.state = 'paid'",
    args: [edition.stockId],
  })
  const numbers = rows.flatMap((row) => JSON.parse(String(row.numbers)) as number[])
  checks.push({ what: `paid orders = ${capacity} units`, ok: rows.length === capacity, detail: `${rows.length}` })
  checks.push({ what: `edition numbers exactly 1..${capacity}`, ok: isOneTo(numbers, capacity), detail: describeNumbers(numbers) })
  const distinct = new Set(rows.map((row) => Number(row.user_id))).size
  checks.push({ what: 'no buyer with two units', ok: distinct === rows.length, detail: `${distinct} buyers, ${rows.length} orders` })
  const stock = await stockOf(client, edition.stockId)
  checks.push({ what: `stock sold ${capacity}, held 0`, ok: stock.sold === capacity && stock.held === 0, detail: `sold ${stock.sold}, held ${stock.held}` })
  checks.push({ what: `never oversold (sold + held ≤ ${capacity})`, ok: stock.sold + stock.held <= capacity, detail: `${stock.sold + stock.held}` })
  checks.push({ what: 'every hold paid (3xx to /orders/:id)', ok: pay.paid === holders.length && holders.length === capacity, detail: `${pay.paid} of ${holders.length}` })
  checks.push(zeroFailures('checkout requests', app.counts), zeroFailures('payments', pay.figures.counts))
  return {
    name: 'numbered edition (shop)',
    capacity,
    buyers: buyers.length,
    bare,
    app,
    refusalWords: { word: '已售罄', n: refusalBodies.filter((a) => a!.body.includes('已售罄')).length },
    pay: pay.figures,
    checks,
  }
}

function describeNumbers(numbers: number[]) {
  const seen = new Set(numbers)
  const duplicates = numbers.length - seen.size
  const max = Math.max(0, ...numbers)
  let gaps = 0
  for (let n = 1; n <= max; n++) if (!seen.has(n)) gaps++
  return `${numbers.length} numbers, max ${max}, ${gaps} gaps, ${duplicates} duplicates`
}

function zeroFailures(what: string, counts: ReturnType<typeof statusCounts>): Check {
  const failed = counts['5xx'] + counts.reset + counts.timeout + counts.error + counts.unsent
  return {
    what: `${what}: 0 answered 5xx, reset, timed out or unsent`,
    ok: failed === 0,
    detail: `5xx ${counts['5xx']}, reset ${counts.reset}, timeout ${counts.timeout}, error ${counts.error}, unsent ${counts.unsent}`,
  }
}

// ---- the report ------------------------------------------------------------------------------

const ms = (value: number) => (Number.isNaN(value) ? '–' : Math.round(value).toString())
const countsText = (c: ReturnType<typeof statusCounts>) =>
  `${c['2xx']} / ${c['3xx']} / ${c['4xx']} / ${c['5xx']} / ${c.reset}${c.timeout ? ` (+${c.timeout} timeout)` : ''}${c.error ? ` (+${c.error} error)` : ''}${c.unsent ? ` (+${c.unsent} unsent)` : ''}`

function printReport(reports: Report[]) {
  console.log(
    `\nnode ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${config.concurrency} in flight, form posts: ${config.form}, line window: ${opts['line-window'] ?? 'default'}\n`,
  )
  console.log('| storm | buyers → units | sold out in s | holds/s | vs bare hold | hold p50 / p99 ms | refusal p50 / p99 ms | 2xx / 3xx / 4xx / 5xx / resets |')
  console.log('|---|---|---:|---:|---:|---:|---:|---|')
  for (const r of reports) {
    for (const [label, f] of [
      [`${r.name}: bare hold (baseline)`, r.bare],
      [`${r.name}: the app`, r.app],
    ] as const) {
      console.log(
        `| ${label} | ${r.buyers} → ${r.capacity} | ${f.soldOutSeconds.toFixed(2)} | ${Math.round(f.holdsPerSecond)} | ${(f.holdsPerSecond / r.bare.holdsPerSecond).toFixed(3)} | ${ms(f.holdP50)} / ${ms(f.holdP99)} | ${ms(f.refusalP50)} / ${ms(f.refusalP99)} | ${countsText(f.counts)} |`,
      )
    }
  }
  console.log('\n| payments (test provider, /pay/:id intent succeed) | paid/s | vs bare hold | p50 / p99 ms | 2xx / 3xx / 4xx / 5xx / resets |')
  console.log('|---|---:|---:|---:|---|')
  for (const r of reports) {
    console.log(`| ${r.name} | ${Math.round(r.pay.perSecond)} | ${(r.pay.perSecond / r.bare.holdsPerSecond).toFixed(3)} | ${ms(r.pay.p50)} / ${ms(r.pay.p99)} | ${countsText(r.pay.counts)} |`)
  }
  // The client sees the kernel's handshake, not when node accepts the socket and reads it: a
  // request on a new connection that is never answered waited in the server's accept queue.
  console.log('\n| storm | connections opened | TCP connect p50 / p99 / max ms | requests on a new connection never answered |')
  console.log('|---|---:|---:|---:|')
  for (const r of reports) {
    for (const [label, c] of [
      [`${r.name}: bare hold`, r.bare.connections],
      [`${r.name}: the app`, r.app.connections],
    ] as const) {
      console.log(`| ${label} | ${c.opened} | ${ms(c.connectP50)} / ${ms(c.connectP99)} / ${ms(c.connectMax)} | ${c.unanswered} |`)
    }
  }
  const lines = reports.flatMap((r) => (r.line ? [{ name: r.name, line: r.line }] : []))
  if (lines.length > 0) {
    console.log('\n| waiting room | given a place | admitted | ended in line | asks | ask p50 / p99 ms | wait p50 / longest s | 2xx / 3xx / 4xx / 5xx / resets |')
    console.log('|---|---:|---:|---|---:|---:|---:|---|')
    for (const { name, line } of lines) {
      const ended = Object.entries(line.verdicts).map(([verdict, n]) => `${verdict} ${n}`).join(', ') || '–'
      console.log(
        `| ${name} | ${line.placed} | ${line.admitted} | ${ended} | ${line.asks} | ${ms(line.askP50)} / ${ms(line.askP99)} | ${(line.waitP50 / 1000 || 0).toFixed(2)} / ${(line.longestWaitMs / 1000).toFixed(2)} | ${countsText(line.counts)} |`,
      )
    }
  }
  for (const r of reports) {
    console.log(`\n${r.name}: the app answered every request in ${r.app.totalSeconds.toFixed(1)} s; ${r.refusalWords.n} of ${r.app.refusals} refusals say ${r.refusalWords.word}`)
    for (const c of r.checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what} — ${c.detail}`)
  }
  // For the summary of `npm run bench` (bench/summary.ts).
  const drop = reports.find((r) => r.name === 'membership drop')
  if (drop) {
    const c = drop.app.counts
    recordResults({
      'storm drop ratio': drop.app.holdsPerSecond / drop.bare.holdsPerSecond,
      'storm drop hold p99': drop.app.holdP99,
      'storm drop refusal p99': drop.app.refusalP99,
      'storm drop failures': c['5xx'] + c.reset + c.timeout + c.error + c.unsent,
    })
  }
}

// ---- main ------------------------------------------------------------------------------------

const usedPorts: number[] = []

async function main() {
  buildIfNeeded(ROOT, join(ROOT, 'build/index.js'))
  const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-storm-'))
  const port = await freePort()
  usedPorts.push(port)
  const base = `http://127.0.0.1:${port}`
  const logPath = join(tmpdir(), `zhiyin-storm-server-${port}.log`)
  const log = openSync(logPath, 'w')
  // As `npm start` runs it, in production with the test payment provider opted in.
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PAYMENTS_TEST_MODE: '1',
      DATA_DIR: dataDir,
      PORT: String(port),
      SITE_URL: base,
      SESSION_SECRET: randomBytes(24).toString('hex'),
      // A storm on a small machine can outlast the default 10 minutes: no hold may lapse before it is paid.
      HOLD_MINUTES: '120',
      ...(opts['line-window'] ? { DROP_LINE_WINDOW: opts['line-window'] } : {}),
    },
    stdio: ['ignore', log, log],
  })
  const client = createClient({ url: `file:${join(dataDir, 'zhiyin.db')}`, timeout: 10_000 })
  let failed = false
  try {
    await waitFor(`${base}/healthz`, server)
    console.log(`server: ${base}, pid ${server.pid}, data ${dataDir}, log ${logPath}`)
    const reports: Report[] = []
    if (!opts['skip-drop']) reports.push(await dropStorm(client, base))
    if (!opts['skip-shop']) reports.push(await shopStorm(client, base))
    printReport(reports)
    failed = reports.some((r) => r.checks.some((c) => !c.ok))
  } finally {
    client.close()
    await stop(server)
    closeSync(log)
    rmSync(dataDir, { recursive: true, force: true })
  }
  if (failed) {
    console.error('\nan invariant failed (see FAIL above)')
    process.exit(1)
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
