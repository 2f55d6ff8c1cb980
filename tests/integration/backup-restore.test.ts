// npm run backup during a storm of orders and payments, then npm run restore of that copy into a
// new place: the copy is whole and consistent, and a server started on it numbers on
// (docs/decisions/035-backups-and-deployment.md). The scripts run as child processes, as an
// operator runs them, against this test file's real SQLite database.
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createClient, type Client } from '@libsql/client'
import { beforeAll, describe, expect, it } from 'vitest'
import { orders } from '../../db/schema'
import { confirmPayment, placeOrder } from '~/models/commerce.server'
import { countRows } from '../factories/db'
import { createBuyers, createStock, expectConsistent, line, paidNotice } from '../factories/orders'

const run = promisify(execFile)
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
const BACKUP = fileURLToPath(new URL('../../scripts/backup.ts', import.meta.url))
const RESTORE = fileURLToPath(new URL('../../scripts/restore.ts', import.meta.url))
const WORKER = fileURLToPath(new URL('../support/restored-server-worker.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** A process that opens a database as the server does, writes once and stays, idle. */
const HOLDER = `
  const client = require('@libsql/client').createClient({ url: 'file:' + process.argv[1] })
  client.execute('PRAGMA journal_mode = WAL')
    .then(() => client.execute('INSERT INTO counters (value) VALUES (7)'))
    .then(() => { console.log('open'); setInterval(() => {}, 1000) })
`
const LIVE = process.env.DATABASE_URL!.slice('file:'.length)
// The storm's orders were placed an hour ago, so the holds still open in the copy have lapsed
// by the time a server starts on it.
const T0 = new Date(Date.now() - 60 * 60_000)

interface ScriptResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs one of the scripts like `npm run …` does, with `env` over this process's environment. */
async function runScript(script: string, args: string[], env: Record<string, string>): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run(TSX, [script, ...args], { env: { ...process.env, ...env }, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

async function rows(client: Client, sql: string, args: (string | number)[] = []) {
  return (await client.execute({ sql, args })).rows
}

/** Orders in a database file; 0 when it does not even hold the table (a plain copy taken before any checkpoint). */
async function ordersIn(path: string) {
  const client = createClient({ url: `file:${path}` })
  try {
    const [table] = await rows(client, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'orders'")
    if (Number(table!.n) === 0) return 0
    const [counted] = await rows(client, 'SELECT count(*) AS n FROM orders')
    return Number(counted!.n)
  } finally {
    client.close()
  }
}

function sha256Of(path: string) {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/**
 * 50 buyers at once, each placing an order and paying for most of theirs, again and again, until
 * `until(orders placed so far)`: writes are in flight at every moment. A third of the orders are
 * for a scarce stock that sells out, the rest for a numbered edition.
 */
async function storm({ edition, scarce, buyers, until }: { edition: number; scarce: number; buyers: { id: number }[]; until: (placed: number) => boolean }) {
  let placed = 0
  let tick = 0
  await Promise.all(
    buyers.slice(0, 50).map(async (buyer, lane) => {
      for (let round = 0; !until(placed); round++) {
        const result = await placeOrder({ userId: buyer.id, kind: 'goods', lines: [line((lane + round) % 3 === 0 ? scarce : edition)], now: new Date(T0.getTime() + tick++) })
        if (!result.ok) continue
        placed++
        if ((lane + round) % 4 !== 0) await confirmPayment(paidNotice(result.order), new Date(T0.getTime() + tick++))
      }
    }),
  )
  return placed
}

describe('a backup taken during a storm, restored', () => {
  it('is whole and consistent, refuses nothing good, and a server started on it numbers on from N+1', { timeout: 120_000 }, async () => {
    const edition = await createStock({ capacity: 100_000, numbered: true })
    const scarce = await createStock({ capacity: 60 })
    const buyers = await createBuyers(400)
    const backupDir = mkdtempSync(join(tmpdir(), 'zhiyin-backups-'))

    // The backup starts once the storm has placed its first orders, and the storm goes on until it ends.
    let backup: Promise<ScriptResult> | undefined
    let backupDone = false
    const ordersBefore = await countRows(orders)
    let ordersAtBackupStart = 0
    const placed = await storm({
      edition: edition.id,
      scarce: scarce.id,
      buyers,
      until: (placedSoFar) => {
        if (!backup && placedSoFar >= 50) {
          ordersAtBackupStart = ordersBefore + placedSoFar
          backup = runScript(BACKUP, [], { DATABASE_URL: `file:${LIVE}`, BACKUP_DIR: backupDir, BACKUP_KEEP: '3' }).finally(() => {
            backupDone = true
          })
        }
        return backupDone
      },
    })
    // A reader in the middle of its work, as a running server always has one: SQLite cannot fold
    // the write-ahead log back into the file past what this reader sees.
    const readerClient = createClient({ url: `file:${LIVE}` })
    const reader = await readerClient.transaction('read')
    await reader.execute('SELECT count(*) FROM orders')
    // More orders after the copy, so the live database is surely ahead of it.
    await storm({ edition: edition.id, scarce: scarce.id, buyers, until: (placedSoFar) => placedSoFar >= 20 })
    const result = await backup!
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^backup: \S+zhiyin-\d{8}-\d{6}Z\.db \(\d+(\.\d)? [KM]?B\), integrity ok; nothing rotated out\n$/)
    expect(placed).toBeGreaterThan(50)
    const [copy] = readdirSync(backupDir)
    expect(readdirSync(backupDir)).toEqual([copy])
    const ordersLive = await countRows(orders)
    await expectConsistent(edition.id)
    await expectConsistent(scarce.id)

    // A plain copy of the live file without its write-ahead log misses committed orders.
    const plainCopy = join(mkdtempSync(join(tmpdir(), 'zhiyin-cp-')), 'zhiyin.db')
    copyFileSync(LIVE, plainCopy)
    reader.close()
    readerClient.close()
    expect(await ordersIn(plainCopy), 'cp without -wal').toBeLessThan(ordersLive)

    // Restored into a new place with the script.
    const restoredDir = mkdtempSync(join(tmpdir(), 'zhiyin-restored-'))
    const restoredPath = join(restoredDir, 'zhiyin.db')
    const restored = await runScript(RESTORE, [join(backupDir, copy!)], { DATABASE_URL: `file:${restoredPath}` })
    expect(restored.stderr).toBe('')
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(/^restore: .*zhiyin\.db ← .*integrity ok, \d+ migrations applied in the copy\)\. Start the server/)

    const client = createClient({ url: `file:${restoredPath}` })
    let heldInCopy: number
    let n: number
    try {
      expect(await rows(client, 'PRAGMA integrity_check')).toEqual([expect.objectContaining({ integrity_check: 'ok' })])
      // Taken in the middle of the storm: after its first orders, before its last.
      const [copied] = await rows(client, 'SELECT count(*) AS n FROM orders')
      expect(Number(copied!.n)).toBeGreaterThan(ordersAtBackupStart)
      expect(Number(copied!.n)).toBeLessThan(ordersLive)

      // Every stock: sold + held within capacity, its counters equal to the sums of its holds.
      const stocks = await rows(
        client,
        `SELECT s.id, s.capacity, s.sold, s.held,
                coalesce((SELECT sum(qty) FROM holds h WHERE h.stock_id = s.id AND h.state = 'sold'), 0) AS sold_holds,
                coalesce((SELECT sum(qty) FROM holds h WHERE h.stock_id = s.id AND h.state = 'held'), 0) AS held_holds
         FROM stock s`,
      )
      for (const stock of stocks) {
        expect({ sold: stock.sold, held: stock.held }, `stock ${stock.id}`).toEqual({ sold: stock.sold_holds, held: stock.held_holds })
        if (stock.capacity !== null) expect(Number(stock.sold) + Number(stock.held), `stock ${stock.id}`).toBeLessThanOrEqual(Number(stock.capacity))
      }
      const [scarceCopy] = await rows(client, 'SELECT sold, held FROM stock WHERE id = ?', [scarce.id])
      expect(Number(scarceCopy!.sold) + Number(scarceCopy!.held)).toBeLessThanOrEqual(60)

      // Edition numbers 1..N, each once, N = the counter and the units sold.
      const [editionCopy] = await rows(client, 'SELECT s.sold, c.value FROM stock s JOIN counters c ON c.id = s.counter_id WHERE s.id = ?', [edition.id])
      const numberRows = await rows(client, "SELECT numbers FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.stock_id = ? AND o.state = 'paid'", [edition.id])
      const numbers = numberRows.flatMap((row) => JSON.parse(String(row.numbers)) as number[]).sort((a, b) => a - b)
      n = Number(editionCopy!.value)
      expect(n).toBeGreaterThan(0)
      expect(Number(editionCopy!.sold)).toBe(n)
      expect(numbers).toEqual(Array.from({ length: n }, (_, i) => i + 1))

      // Every paid order has its payment.
      const unpaid = await rows(
        client,
        "SELECT o.id FROM orders o WHERE o.state = 'paid' AND NOT EXISTS (SELECT 1 FROM payment_events p WHERE p.order_id = o.id AND p.outcome = 'paid')",
      )
      expect(unpaid).toEqual([])
      const [held] = await rows(client, "SELECT count(DISTINCT order_id) AS n FROM holds WHERE state = 'held'")
      heldInCopy = Number(held!.n)
      expect(heldInCopy).toBeGreaterThan(0)
    } finally {
      client.close()
    }

    // A server starting on it (in a process of its own): migrations, the hold-release job, then
    // the next sale takes No. N+1.
    const { stdout } = await run(TSX, [WORKER], {
      env: { ...process.env, DATABASE_URL: `file:${restoredPath}`, STOCK_ID: String(edition.id), BUYER_ID: String(buyers[0]!.id) },
      timeout: 60_000,
    })
    const started = JSON.parse(stdout.trim().split('\n').pop()!) as { released: number; outcome: string; numbers: number[] }
    expect(started).toEqual({ released: heldInCopy, outcome: 'paid', orderId: expect.any(Number), numbers: [n + 1] })
  })
})

describe('restore refuses', () => {
  let backup: string
  beforeAll(async () => {
    const backupDir = mkdtempSync(join(tmpdir(), 'zhiyin-backups-'))
    const made = await runScript(BACKUP, [], { DATABASE_URL: `file:${LIVE}`, BACKUP_DIR: backupDir })
    expect(made.code).toBe(0)
    backup = join(backupDir, readdirSync(backupDir)[0]!)
  })

  /** A folder whose current database is a copy of the backup. */
  function currentDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'zhiyin-current-'))
    copyFileSync(backup, join(dir, 'zhiyin.db'))
    return { dir, target: join(dir, 'zhiyin.db') }
  }

  async function expectRefused(file: string, dir: string, reason: RegExp) {
    const before = { files: readdirSync(dir).sort(), hash: sha256Of(join(dir, 'zhiyin.db')) }
    const result = await runScript(RESTORE, [file], { DATABASE_URL: `file:${join(dir, 'zhiyin.db')}` })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(reason)
    expect(result.stderr).toMatch(/nothing was changed/)
    expect({ files: readdirSync(dir).sort(), hash: sha256Of(join(dir, 'zhiyin.db')) }).toEqual(before)
  }

  it('a copy with bytes flipped in its pages, changing nothing', async () => {
    const { dir } = currentDatabase()
    const corrupted = join(mkdtempSync(join(tmpdir(), 'zhiyin-bad-')), 'corrupted.db')
    const bytes = readFileSync(backup)
    // Past the 100-byte header, every byte of pages 2 to 6 inverted: SQLite cannot read it.
    const pageSize = bytes.readUInt16BE(16)
    for (let i = pageSize; i < pageSize * 6; i++) bytes[i] = bytes[i]! ^ 0xff
    writeFileSync(corrupted, bytes)
    await expectRefused(corrupted, dir, /unreadable: .*malformed/)
  })

  it('a copy that reads but fails integrity_check (an index disagreeing with its table), changing nothing', async () => {
    const { dir } = currentDatabase()
    const corrupted = join(mkdtempSync(join(tmpdir(), 'zhiyin-bad-')), 'corrupted.db')
    copyFileSync(backup, corrupted)
    const client = createClient({ url: `file:${corrupted}` })
    await client.execute('CREATE INDEX probe_idx ON tiers (slug)')
    // The index's definition rewritten behind SQLite's back: its entries no longer match the rows.
    await client.execute('PRAGMA writable_schema = ON')
    await client.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX probe_idx ON tiers (name)' WHERE name = 'probe_idx'")
    client.close()
    await expectRefused(corrupted, dir, /integrity_check failed: .*probe_idx/)
  })

  it('a SQLite file that is not a Zhiyin database, changing nothing', async () => {
    const { dir } = currentDatabase()
    const other = join(mkdtempSync(join(tmpdir(), 'zhiyin-other-')), 'other.db')
    const client = createClient({ url: `file:${other}` })
    await client.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')
    await client.execute("INSERT INTO notes (body) VALUES ('not ours')")
    client.close()
    await expectRefused(other, dir, /not a Zhiyin database/)
  })

  it('while a process has the current database open, changing nothing; once it is closed, keeps the old one aside', async () => {
    const { dir, target } = currentDatabase()
    // What a running server holds: a connection in WAL mode, idle between requests, in a process of its own.
    const server = spawn(
      process.execPath,
      ['-e', HOLDER, target],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise((resolve) => server.stdout.once('data', resolve))
    await expectRefused(backup, dir, new RegExp(`is open in process ${server.pid}`))
    server.kill('SIGKILL')
    await new Promise((resolve) => server.once('exit', resolve))

    const result = await runScript(RESTORE, [backup], { DATABASE_URL: `file:${target}` })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/the previous database is kept as .*zhiyin\.replaced-\d{8}-\d{6}Z\.db/)
    const [keptAs] = readdirSync(dir).filter((name) => /^zhiyin\.replaced-\d{8}-\d{6}Z\.db$/.test(name))
    // Nothing of the old database's is left beside the restored one.
    expect(readdirSync(dir).filter((name) => !name.startsWith('zhiyin.replaced-'))).toEqual(['zhiyin.db'])
    expect(sha256Of(target)).toBe(sha256Of(backup))
    // The write made while it was in use is in the database kept aside, not lost.
    const kept = createClient({ url: `file:${join(dir, keptAs!)}` })
    expect(await rows(kept, 'SELECT count(*) AS n FROM counters WHERE value = 7')).toEqual([expect.objectContaining({ n: 1 })])
    kept.close()
  })
})
