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
// Scaled out (issue 16; `npm run bench:scale` runs the modes side by side):
//            --processes N          N server processes on the same database, each on its own port;
//                                   buyers spread round-robin over them, as a balancer would
//            --workers N            WEB_CONCURRENCY of each process (1 unless given)
//            --database file|sqld   one local SQLite file (default), or a libsql server (sqld,
//                                   scripts/sqld.ts) on --sqld-ports (default: --ports)
//            --replica              each process keeps an embedded replica (DATABASE_REPLICA_PATH)
//            --pages                then anonymous GET / over all processes (wrk if installed,
//                                   else autocannon; --page-seconds 5, --page-connections 50
//                                   split over them)
//            --label NAME           records this mode's figures for bench/scale.ts
// The longest event-loop delay of each server under the storm is read from its /metrics
// (METRICS_PORT; "n/a" while the servers have none) and from bench/loop-monitor.ts.
//
// The drop has a waiting room (docs/decisions/031-drop-waiting-room.md): a buyer told to wait
// (200 with a ticket) asks POST /membership/line when told to, and buys with the ticket once
// admitted, as the page does. The report adds the line: places given, asks, the longest wait.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Client } from '@libsql/client'
import autocannon from 'autocannon'
import { buildIfNeeded } from '../server/build-if-needed'
import { freePort, startCluster, stopChild, waitFor, type Cluster, type DatabaseKind, type LoopDelay } from './cluster'
import { createLoad, heldOrderId, type statusCounts, stormFigures, type StormFigures } from './http-load'
import { recordResults, type BenchResults } from './results'
import { hasWrk, runWrk } from './wrk'
import {
  buyFollowingTheLine,
  createBuyers,
  createEdition,
  createOpenDrop,
  describeNumbers,
  dropChecks,
  isOneTo,
  lineFigures,
  payAll,
  stockOf,
  zeroFailures,
  type Check,
  type LineFigures,
  type LineTrace,
} from './storm-drop'

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
    processes: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    database: { type: 'string', default: 'file' },
    replica: { type: 'boolean', default: false },
    'sqld-ports': { type: 'string' },
    pages: { type: 'boolean', default: false },
    'page-seconds': { type: 'string', default: '5' },
    'page-connections': { type: 'string', default: '50' },
    label: { type: 'string' },
  },
})
if (opts.database !== 'file' && opts.database !== 'sqld') throw new Error(`--database file|sqld, not ${opts.database}`)
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
  sqldPorts: opts['sqld-ports']?.split('-').map(Number) as [number, number] | undefined,
  processes: Number(opts.processes),
  workers: Number(opts.workers),
  database: opts.database as DatabaseKind,
  replica: opts.replica,
  pages: opts.pages,
  pageSeconds: Number(opts['page-seconds']),
  pageConnections: Number(opts['page-connections']),
}

// ---- the scenarios ---------------------------------------------------------------------------

const ADDRESS = { name: '张三', phone: '13800138000', province: '北京市', city: '北京市', district: '朝阳区', street: '建国路 88 号' }

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

/**
 * The server buyer i talks to: round-robin over the processes, as a balancer spreads new
 * visitors. A payment goes to the next one, so that no process only sees its own holds.
 */
const serverOf = (bases: string[], i: number) => bases[i % bases.length]!

async function runBare(capacities: number[], items: { stock: number; user: number; cookie: string }[]) {
  const port = await freePort(config.ports, usedPorts)
  const dir = mkdtempSync(join(tmpdir(), 'zhiyin-storm-bare-'))
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/storm-bare.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), BARE_DB: join(dir, 'bare.db'), BARE_CAPACITIES: capacities.join(',') },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitFor(`http://127.0.0.1:${port}/`, child, 60)
    const base = `http://127.0.0.1:${port}`
    const agent = load.makeAgent()
    const run = await load.fire(items, (item, t0) => load.post(agent, base, '/hold', { Cookie: item.cookie }, { stock: String(item.stock), user: String(item.user) }, t0))
    agent.destroy()
    return stormFigures(run.answers, (a) => a.outcome === 201, run.seconds)
  } finally {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function dropStorm(client: Client, bases: string[]): Promise<Report> {
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
  const agent = load.makeAgent()
  const traces: LineTrace[] = wants.map(() => ({ placedAt: null, admittedAt: null, asks: [], verdict: null }))
  await cluster!.resetLoopDelays()
  const run = await load.fire(
    wants.map((want, i) => ({ ...want, i })),
    ({ buyer, tier, i }, t0) =>
      buyFollowingTheLine(load.post, agent, serverOf(bases, i), path, { buyer, dropId: drop.dropId, dropTierId: drop.tiers[tier]!.dropTierId }, traces[i]!, t0),
  )
  agent.destroy()
  const app = stormFigures(run.answers, (a) => heldOrderId(a) !== null, run.seconds)
  const line = lineFigures(traces)
  console.log(`  app: ${app.holds} holds, sold out in ${app.soldOutSeconds.toFixed(2)} s; all answered in ${run.seconds.toFixed(1)} s`)
  console.log(`  line: ${line.placed} given a place, ${line.asks} asks, longest wait ${(line.longestWaitMs / 1000).toFixed(2)} s`)
  const holders = run.answers.flatMap((a, i) => {
    const orderId = heldOrderId(a)
    return orderId === null ? [] : [{ orderId, cookie: wants[i]!.buyer.cookie, base: serverOf(bases, i + 1) }]
  })
  const refusalBodies = run.answers.filter((a) => a?.outcome === 409)
  const pay = await payAll(load, holders, (location) => location.startsWith('/membership/card'))
  stormLoopDelays = await cluster!.loopDelays()
  console.log(`  paid ${pay.paid} of ${holders.length} in ${pay.figures.seconds.toFixed(1)} s`)

  const checks = await dropChecks(client, drop, { holders: holders.length, paidOrderIds: pay.paidOrderIds })
  dropDataHeld = checks.every((check) => check.ok)
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

async function shopStorm(client: Client, bases: string[]): Promise<Report> {
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
  const agent = load.makeAgent()
  const run = await load.fire(
    buyers.map((buyer, i) => ({ buyer, base: serverOf(bases, i) })),
    ({ buyer, base }, t0) => load.post(agent, base, path, { Origin: base, Cookie: buyer.cookie }, ADDRESS, t0),
  )
  agent.destroy()
  const app = stormFigures(run.answers, (a) => heldOrderId(a) !== null, run.seconds)
  console.log(`  app: ${app.holds} holds, sold out in ${app.soldOutSeconds.toFixed(2)} s; all answered in ${run.seconds.toFixed(1)} s`)
  const holders = run.answers.flatMap((a, i) => {
    const orderId = heldOrderId(a)
    return orderId === null ? [] : [{ orderId, cookie: buyers[i]!.cookie, base: serverOf(bases, i + 1) }]
  })
  const refusalBodies = run.answers.filter((a) => a?.outcome === 409)
  const pay = await payAll(load, holders, (location) => location.startsWith('/orders/'))
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

// ---- anonymous pages --------------------------------------------------------------------------

/** What a browser sends for a page: it takes the page compressed (as bench/run.ts asks). */
const BROWSER = { Accept: 'text/html', 'Accept-Encoding': 'gzip, deflate, br' }

interface PageFigures {
  path: string
  generator: 'wrk' | 'autocannon'
  rps: number
  p99: number
  errors: number
  non2xx: number
}

/**
 * Visitors reading `path` on every process at once, the connections split over the servers (a
 * balancer's share), for --page-seconds: with wrk (one thread per server) when it is installed,
 * else autocannon, which takes a core of its own on a small machine (bench/wrk.ts). Requests per
 * second add up.
 */
async function measurePages(bases: string[], path: string): Promise<PageFigures> {
  const connections = Math.max(1, Math.round(config.pageConnections / bases.length))
  const seconds = config.pageSeconds
  if (hasWrk()) {
    const results = await Promise.all(bases.map((base) => runWrk(`${base}${path}`, { connections, seconds, headers: BROWSER })))
    return {
      path,
      generator: 'wrk',
      rps: results.reduce((sum, r) => sum + r.rps, 0),
      p99: Math.max(...results.map((r) => r.p99Ms)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    }
  }
  const results = await Promise.all(bases.map((base) => autocannon({ url: `${base}${path}`, connections, duration: seconds, headers: BROWSER })))
  return {
    path,
    generator: 'autocannon',
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  }
}

// ---- main ------------------------------------------------------------------------------------

const usedPorts: number[] = []
/** The servers' logs of the last run of this mode, kept for reading after a failure. */
const LOGS = join(ROOT, '.cache/bench/logs', opts.label ?? `${config.processes}-${config.database}${config.replica ? '-replica' : ''}`)
const load = createLoad(config)
let cluster: Cluster | null = null
let stormLoopDelays: Awaited<ReturnType<Cluster['loopDelays']>> | null = null
/** Whether the drop's data checks held (the answers' checks aside). */
let dropDataHeld = false

const describeLoop = (delays: (LoopDelay | null)[]) =>
  delays.every((d) => d === null) ? 'n/a' : delays.map((d) => (d ? `${ms(d.p99Ms)} / ${ms(d.maxMs)}${waitedForCpu(d)}` : 'n/a')).join(', ')
const waitedForCpu = (d: LoopDelay) =>
  typeof d.waitingForCpuShare === 'number' && typeof d.ownP99Ms === 'number'
    ? ` (waited for a CPU ${Math.round(d.waitingForCpuShare * 100)} % of the storm; its own delay, that wait taken out: p99 ${ms(d.ownP99Ms)} / max ${ms(d.ownMaxMs ?? 0)})`
    : ''

async function main() {
  buildIfNeeded(ROOT, join(ROOT, 'build/index.js'))
  const mode = `${config.processes} process${config.processes > 1 ? 'es' : ''}${config.workers > 1 ? ` × ${config.workers} workers` : ''}, ${config.database}${config.replica ? ' + replicas' : ''}`
  cluster = await startCluster({
    processes: config.processes,
    database: config.database,
    replica: config.replica,
    workers: config.workers,
    ports: config.ports,
    sqldPorts: config.sqldPorts,
    env: opts['line-window'] ? { DROP_LINE_WINDOW: opts['line-window'] } : {},
    keepLogsIn: LOGS,
  })
  let failed = false
  try {
    console.log(`${mode}: ${cluster.bases.join(' ')} on ${cluster.databaseUrl}; logs kept in ${LOGS}`)
    // Pages first, on quiet servers: after a storm on sqld they would measure its backlog.
    const pages = config.pages ? await measurePages(cluster.bases, '/') : null
    if (pages) console.log(`anonymous GET /: ${Math.round(pages.rps)} req/s over ${cluster.bases.length} process(es) (${pages.generator})`)
    const reports: Report[] = []
    if (!opts['skip-drop']) reports.push(await dropStorm(cluster.client, cluster.bases))
    if (!opts['skip-shop']) reports.push(await shopStorm(cluster.client, cluster.bases))
    printReport(reports)
    printScaleOut(mode, reports, pages)
    failed = reports.some((r) => r.checks.some((c) => !c.ok))
    if (failed) {
      const lines = cluster.errorLines(30)
      console.log(`
the servers' logs, lines that tell of errors (first ${lines.length}):`)
      for (const line of lines) console.log(`  ${line}`)
    }
  } finally {
    await cluster.stop()
  }
  if (failed) {
    console.error('\nan invariant failed (see FAIL above)')
    process.exit(1)
  }
}

/** Issue 16's figures of this mode, printed and recorded under its --label for bench/scale.ts. */
function printScaleOut(mode: string, reports: Report[], pages: PageFigures | null) {
  const drop = reports.find((r) => r.name === 'membership drop')
  console.log(`\n${mode}:`)
  if (drop) {
    const c = drop.app.counts
    const p = drop.pay.counts
    console.log(`  drop: ${Math.round(drop.app.holdsPerSecond)} holds/s (bare ${Math.round(drop.bare.holdsPerSecond)}), hold p99 ${ms(drop.app.holdP99)} ms`)
    console.log(`  seat requests + payments: 5xx ${c['5xx'] + p['5xx']} (of them 503 ${c.busy + p.busy}), resets ${c.reset + p.reset}, timeouts ${c.timeout + p.timeout}`)
  }
  const loop = stormLoopDelays
  console.log(`  event loop under the storm, p99 / max ms per server: /metrics ${loop ? describeLoop(loop.metrics) : 'n/a'}; monitor ${loop ? describeLoop(loop.monitor) : 'n/a'}`)
  if (pages) console.log(`  anonymous GET ${pages.path}: ${Math.round(pages.rps)} req/s over ${cluster!.bases.length} process(es) (${pages.generator}), p99 ${pages.p99} ms, errors ${pages.errors}, non-2xx ${pages.non2xx}`)
  if (!opts.label) return
  const key = (what: string) => `scale ${opts.label} ${what}`
  const worst = (pick: (d: LoopDelay) => number, delays: (LoopDelay | null)[] | undefined) => {
    const known = (delays ?? []).flatMap((d) => (d ? [pick(d)] : []))
    return known.length > 0 ? Math.max(...known) : -1
  }
  const figures: BenchResults = {}
  if (drop) {
    const c = drop.app.counts
    const p = drop.pay.counts
    Object.assign(figures, {
      [key('holds/s')]: drop.app.holdsPerSecond,
      [key('bare holds/s')]: drop.bare.holdsPerSecond,
      [key('hold p99')]: drop.app.holdP99,
      [key('refusal p99')]: drop.app.refusalP99,
      [key('5xx')]: c['5xx'] + p['5xx'] + (drop.line?.counts['5xx'] ?? 0),
      [key('503')]: c.busy + p.busy + (drop.line?.counts.busy ?? 0),
      [key('resets')]: c.reset + p.reset + (drop.line?.counts.reset ?? 0),
      [key('timeouts')]: c.timeout + p.timeout + c.error + p.error + c.unsent + p.unsent,
      [key('invariants')]: dropDataHeld ? 1 : 0,
      // -1: not measured (the servers expose no /metrics yet).
      [key('loop p99 metrics')]: worst((d) => d.p99Ms, loop?.metrics),
      [key('loop max metrics')]: worst((d) => d.maxMs, loop?.metrics),
      [key('loop p99 monitor')]: worst((d) => d.p99Ms, loop?.monitor),
      [key('loop max monitor')]: worst((d) => d.maxMs, loop?.monitor),
      [key('loop waited for cpu')]: worst((d) => d.waitingForCpuShare ?? -1, loop?.monitor),
      [key('loop own p99')]: worst((d) => d.ownP99Ms ?? -1, loop?.monitor),
      [key('loop own max')]: worst((d) => d.ownMaxMs ?? -1, loop?.monitor),
    })
  }
  if (pages) Object.assign(figures, { [key('pages rps')]: pages.rps, [key('pages errors')]: pages.errors + pages.non2xx })
  recordResults(figures)
}

main().catch(async (error: unknown) => {
  console.error(error)
  await cluster?.stop()
  process.exit(1)
})
