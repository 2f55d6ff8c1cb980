// The statement cache patched into @libsql/client (patches/@libsql+client+0.18.0.patch, decision
// 054): a connection prepares each SQL text once and runs it again as SQLite expects, after an
// error, after SQLITE_BUSY and after another connection changed the schema.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'

// The very module @libsql/client opens its connections with (a dependency of it, not of ours).
const requireFromClient = createRequire(createRequire(import.meta.url).resolve('@libsql/client'))
const LibsqlDatabase = requireFromClient('libsql') as { prototype: { prepare(sql: string): unknown } }

const dir = mkdtempSync(join(tmpdir(), 'prepared-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let client: Client
let other: Client
let file = 0
beforeEach(async () => {
  const url = `file:${join(dir, `db-${++file}.db`)}`
  // One connection each, so that every statement below runs on the connection that cached it.
  client = createClient({ url, timeout: 0, concurrency: 1 })
  other = createClient({ url, timeout: 0, concurrency: 1 })
  await client.execute('PRAGMA journal_mode = WAL')
  await client.execute('CREATE TABLE seat (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, tier INTEGER NOT NULL)')
})
afterEach(() => {
  vi.restoreAllMocks()
  client.close()
  other.close()
})

function countPrepares() {
  return vi.spyOn(LibsqlDatabase.prototype, 'prepare')
}

describe('prepared statements kept per connection', () => {
  it('prepares a statement once however often it runs, and answers each run with its own arguments', async () => {
    const prepares = countPrepares()
    for (let tier = 1; tier <= 50; tier++) {
      await client.execute({ sql: 'INSERT INTO seat (code, tier) VALUES (?, ?)', args: [`S${tier}`, tier] })
    }
    const codes: string[] = []
    for (const tier of [3, 17, 50]) {
      const { rows, columns } = await client.execute({ sql: 'SELECT code, tier FROM seat WHERE tier = ?', args: [tier] })
      expect(columns).toEqual(['code', 'tier'])
      codes.push(String(rows[0]?.code))
    }
    expect(codes).toEqual(['S3', 'S17', 'S50'])
    expect(prepares).toHaveBeenCalledTimes(2)
  })

  it('reads what another connection committed since the statement last ran', async () => {
    const count = 'SELECT count(*) AS seats FROM seat'
    expect((await client.execute(count)).rows[0]?.seats).toBe(0)
    await other.execute({ sql: 'INSERT INTO seat (code, tier) VALUES (?, ?)', args: ['R1', 1] })
    expect((await client.execute(count)).rows[0]?.seats).toBe(1)
  })

  it('prepares a statement afresh after it failed, so the failed one holds no snapshot', async () => {
    const insert = { sql: 'INSERT INTO seat (code, tier) VALUES (?, ?)', args: ['F1', 1] }
    await client.execute(insert)
    const prepares = countPrepares()
    await expect(client.execute(insert)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) })
    await client.execute({ sql: insert.sql, args: ['F2', 1] })
    // The failed run used the kept statement, which then went; the next run prepared it again.
    expect(prepares).toHaveBeenCalledTimes(1)
  })

  it('runs a statement again after it failed on a constraint', async () => {
    const insert = { sql: 'INSERT INTO seat (code, tier) VALUES (?, ?)', args: ['A1', 1] }
    await client.execute(insert)
    await expect(client.execute(insert)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) })
    const inserted = await client.execute({ sql: insert.sql, args: ['A2', 1] })
    expect(inserted.rowsAffected).toBe(1)
    const { rows } = await client.execute('SELECT code FROM seat ORDER BY id')
    expect(rows.map((row) => row.code)).toEqual(['A1', 'A2'])
  })

  it('runs a statement again after SQLITE_BUSY, once the other writer is done', async () => {
    const insert = 'INSERT INTO seat (code, tier) VALUES (?, ?)'
    await client.execute({ sql: insert, args: ['B1', 1] })
    const holder = await other.transaction('write')
    await holder.execute({ sql: insert, args: ['B2', 2] })
    await expect(client.execute({ sql: insert, args: ['B3', 3] })).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) })
    await holder.commit()
    await client.execute({ sql: insert, args: ['B3', 3] })
    const { rows } = await client.execute('SELECT code FROM seat ORDER BY code')
    expect(rows.map((row) => row.code)).toEqual(['B1', 'B2', 'B3'])
  })

  it('names the columns of a SELECT * as they are after another connection changed the table', async () => {
    await client.execute({ sql: 'INSERT INTO seat (code, tier) VALUES (?, ?)', args: ['C1', 1] })
    const before = await client.execute('SELECT * FROM seat')
    expect(before.columns).toEqual(['id', 'code', 'tier'])
    await other.execute("ALTER TABLE seat ADD COLUMN note TEXT NOT NULL DEFAULT '铁杆'")
    const after = await client.execute('SELECT * FROM seat')
    expect(after.columns).toEqual(['id', 'code', 'tier', 'note'])
    expect(after.rows[0]?.note).toBe('铁杆')
  })

  it('keeps at most 500 statements per connection, dropping the least recently used', async () => {
    await client.execute('SELECT 0 AS n')
    for (let n = 1; n <= 500; n++) await client.execute(`SELECT ${n} AS n`)
    const prepares = countPrepares()
    // The 500 most recent are kept; `SELECT 0` was the least recently used and went.
    await client.execute('SELECT 500 AS n')
    expect(prepares).toHaveBeenCalledTimes(0)
    const { rows } = await client.execute('SELECT 0 AS n')
    expect(rows[0]?.n).toBe(0)
    expect(prepares).toHaveBeenCalledTimes(1)
  })
})

describe('an embedded replica of a libsql server (sqld)', () => {
  it('reads what the primary wrote once synced, though it ran the same statement before', { timeout: 60_000 }, async () => {
    // sqld is installed by the vitest global setup (tests/setup/sqld.ts); a machine where it
    // cannot run fails here rather than passing without the check.
    const sqld = await startSqld({ port: await testPort([3995, 3999]), dir: join(dir, 'sqld') })
    const primary = createClient({ url: sqld.url })
    const replica = createClient({ url: `file:${join(dir, 'replica.db')}`, syncUrl: sqld.url, syncInterval: 1 })
    try {
      await primary.execute('CREATE TABLE seat (id INTEGER PRIMARY KEY, code TEXT NOT NULL)')
      await replica.sync()
      const count = 'SELECT count(*) AS seats FROM seat'
      expect((await replica.execute(count)).rows[0]?.seats).toBe(0)
      await primary.execute({ sql: 'INSERT INTO seat (code) VALUES (?)', args: ['R1'] })
      await replica.sync()
      expect((await replica.execute(count)).rows[0]?.seats).toBe(1)
      // As the app's replicas do: synced by libsql itself every second, not only when asked.
      await primary.execute({ sql: 'INSERT INTO seat (code) VALUES (?)', args: ['R2'] })
      await expect.poll(async () => (await replica.execute(count)).rows[0]?.seats, { timeout: 10_000 }).toBe(2)
      // A replica's connection keeps no statement: libsql syncs under it, and in the drop storm
      // with replicas kept statements read a state from before the sync (1,198 of 1,200 buyers
      // refused), which this short exchange does not show; the rule is checked instead.
      const prepares = countPrepares()
      await replica.execute(count)
      await replica.execute(count)
      expect(prepares).toHaveBeenCalledTimes(2)
    } finally {
      replica.close()
      primary.close()
      await sqld.stop()
    }
  })
})
