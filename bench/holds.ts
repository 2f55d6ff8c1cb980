// npm run bench (second part) — how many checkouts per second the reservation core sustains
// in one process on a local SQLite file, against the bare SQL of a hold measured in the same
// run: one batch of the conditional UPDATE and an INSERT, with no order, lines or checks.
// Callers run 50 at a time, as concurrent requests would.
//
//   npx tsx bench/holds.ts                     on a local SQLite file
//   npx tsx bench/holds.ts --sqld-port 4200    on a libsql server (sqld, scripts/sqld.ts) on that port,
//                                              the app's client and the baseline over WebSocket (issue 16)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import { primaryUrl } from '../db/client'
import { startSqld } from '../scripts/sqld'
import { recordResults } from './results'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 50)

const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-bench-holds-'))
process.env.DATA_DIR = dataDir
const { values: opts } = parseArgs({ options: { 'sqld-port': { type: 'string' } } })
const sqld = opts['sqld-port'] ? await startSqld({ port: Number(opts['sqld-port']), dir: join(dataDir, 'sqld') }) : null
process.env.DATABASE_URL = sqld ? sqld.url : `file:${join(dataDir, 'bench.db')}`
process.env.NODE_ENV = 'production'
process.env.SESSION_SECRET = 'bench-secret-bench-secret-bench-secret!!'

const { runMigrations } = await import('../db/migrate')
const { seedTiers } = await import('../db/seed')
const { counters, stock, users } = await import('../db/schema')
const { databaseHandle, db } = await import('~/utils/db.server')
const { confirmPayment, placeOrder } = await import('~/models/commerce.server')

interface Row {
  name: string
  ops: number
  p50: number
  p99: number
  errors: number
  /** Process CPU time per operation: less sensitive than throughput to other load on the machine. */
  cpuMs: number
  /** Transactions per group commit during the row (mean / largest), when the file queue grouped them. */
  groups: string
}

/** Runs `op` from CONCURRENCY loops for SECONDS; `op(i)` gets a unique sequence number. */
async function measure(name: string, op: (i: number) => Promise<unknown>): Promise<Row> {
  const latencies: number[] = []
  let errors = 0
  let next = 0
  const deadline = performance.now() + SECONDS * 1000
  const started = performance.now()
  const stats = databaseHandle.groupStats
  const before = stats ? { ...stats } : null
  const cpu0 = process.cpuUsage()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        try {
          await op(next++)
        } catch {
          errors += 1
        }
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpu0)
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  const grouped = stats && before ? stats.transactions - before.transactions : 0
  const groups = stats && before && grouped > 0 ? `${(grouped / (stats.groups - before.groups)).toFixed(1)} / ${stats.largest}` : '–'
  if (stats) stats.largest = 0
  return { name, ops: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length), groups }
}

async function main() {
  await runMigrations(databaseHandle)
  await seedTiers(databaseHandle)
  const [counter] = await db.insert(counters).values({}).returning()
  // Enough units that nothing sells out during the run; numbered, like a limited edition.
  const [item] = await db.insert(stock).values({ capacity: 10_000_000, counterId: counter!.id }).returning()
  const buyers = await db
    .insert(users)
    .values(Array.from({ length: 500 }, (_, i) => ({ email: `bench${i}@example.com`, displayName: `压测${i}` })))
    .returning({ id: users.id })
  // The bare baseline runs on a client of its own, outside the app's write queue (which would
  // commit these batches together, decision 037): the cost of the SQL alone, one commit each.
  const client = createClient({ url: sqld ? primaryUrl(sqld.url) : process.env.DATABASE_URL!, concurrency: 1 })
  await client.execute('CREATE TABLE bench_holds (id INTEGER PRIMARY KEY, stock_id INTEGER NOT NULL, user_id INTEGER NOT NULL, qty INTEGER NOT NULL)')

  const rows: Row[] = []
  rows.push(
    await measure('bare hold: batch of conditional UPDATE + INSERT (baseline)', (i) =>
      client.batch(
        [
          { sql: 'UPDATE stock SET held = held + 1 WHERE id = ? AND capacity - sold - held >= 1 RETURNING id', args: [item!.id] },
          { sql: 'INSERT INTO bench_holds (stock_id, user_id, qty) VALUES (?, ?, 1)', args: [item!.id, buyers[i % buyers.length]!.id] },
        ],
        'write',
      ),
    ),
  )
  const placed: { id: number; totalFen: number }[] = []
  rows.push(
    await measure('placeOrder: order + line + hold, 1 unit', async (i) => {
      const result = await placeOrder({
        userId: buyers[i % buyers.length]!.id,
        kind: 'goods',
        lines: [{ stockId: item!.id, qty: 1, unitPriceFen: 36_800, title: '压测限量款' }],
        now: new Date(),
      })
      if (!result.ok) throw new Error(result.reason)
      placed.push(result.order)
    }),
  )
  let paidIndex = 0
  rows.push(
    await measure('confirmPayment: event + sell + number + receipt email', async () => {
      const order = placed[paidIndex++]
      if (!order) return
      const { outcome } = await confirmPayment({
        provider: 'test',
        eventId: `bench_${order.id}`,
        orderId: order.id,
        type: 'bench',
        amountFen: order.totalFen,
        currency: 'CNY',
        providerPaymentId: null,
      })
      if (outcome !== 'paid') throw new Error(outcome)
    }),
  )
  const baseline = rows[0]!.ops
  console.log(`\nreservation core on ${sqld ? 'sqld' : 'a local file'}, ${CONCURRENCY} concurrent callers, ${SECONDS} s each, node ${process.version}\n`)
  console.log('| operation | per s | p50 ms | p99 ms | vs baseline | errors | CPU ms / op | per commit (mean / max) |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    console.log(`| ${r.name} | ${Math.round(r.ops)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.ops / baseline).toFixed(3)} | ${r.errors} | ${r.cpuMs.toFixed(2)} | ${r.groups} |`)
  }
  // The summary's figures are the local file's.
  if (!sqld) recordResults({ placeOrder: rows[1]!.ops / baseline, confirmPayment: rows[2]!.ops / baseline })
}

try {
  await main()
} finally {
  databaseHandle.close()
  await sqld?.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
