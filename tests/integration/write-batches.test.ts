// Writes of statements alone on a libsql server (sqld), through the app's own database handle
// (db/client.ts, decision 057): batches queued together go to the server as ONE write batch —
// BEGIN, every statement, COMMIT — in one request; a statement that fails fails only its own
// write, and the others are kept; inside a queued transaction a batch is part of it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { createDatabase, executeOn, type DatabaseHandle } from '../../db/client'
import { startSqld, type RunningSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'

const dir = mkdtempSync(join(tmpdir(), 'write-batches-'))
let sqld: RunningSqld
let handle: DatabaseHandle
/** Hrana batch requests sent on the WebSocket (a write batch, or a transaction's statements). */
let batchRequests = 0

beforeAll(async () => {
  // sqld is installed by the vitest global setup (tests/setup/sqld.ts).
  // Ports of its own: kept-streams.test.ts, which may start at the same moment, takes 3820–3829.
  sqld = await startSqld({ port: await testPort([3990, 3991]), dir: join(dir, 'sqld') })
  const send = WebSocket.prototype.send
  vi.spyOn(WebSocket.prototype, 'send').mockImplementation(function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    const message = JSON.parse(String(data)) as { request?: { type: string } }
    if (message.request?.type === 'batch') batchRequests++
    return (send as (...args: unknown[]) => void).call(this, data, ...rest)
  })
  handle = createDatabase(sqld.url)
  await handle.client.execute('CREATE TABLE seat (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE)')
})
afterAll(async () => {
  handle.close()
  vi.restoreAllMocks()
  await sqld.stop()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  await handle.client.execute('DELETE FROM seat')
})

const insert = (code: string) => [
  { sql: 'INSERT INTO seat (code) VALUES (?) RETURNING id', args: [code] },
  { sql: 'SELECT count(*) AS n FROM seat WHERE code = ? AND changes() = 1', args: [code] },
]
const codes = async () => (await handle.client.execute('SELECT code FROM seat ORDER BY code')).rows.map((row) => row.code)

describe('writes of statements alone on a libsql server', () => {
  it('queued together, go in one request, each hearing its own results', async () => {
    batchRequests = 0
    const results = await Promise.all(['a', 'b', 'c'].map((code) => handle.batch(insert(code))))
    // Unqueued, each would be a request of its own (3).
    expect(batchRequests).toBe(1)
    expect(results.map((own) => own.length)).toEqual([2, 2, 2])
    expect(results.map((own) => own[1]!.rows[0]!.n)).toEqual([1, 1, 1])
    expect(new Set(results.map((own) => own[0]!.rows[0]!.id)).size).toBe(3)
    expect(await codes()).toEqual(['a', 'b', 'c'])
  })

  it('fail alone: a statement that fails rejects its own write, and the others are kept', async () => {
    await handle.batch(insert('taken'))
    const outcomes = await Promise.allSettled(['d', 'taken', 'e'].map((code) => handle.batch(insert(code))))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: seat\.code/)
    expect(await codes()).toEqual(['d', 'e', 'taken'])
  })

  it('inside a queued transaction, are part of it', async () => {
    await expect(
      handle.transaction(async (tx) => {
        await handle.batch(insert('f'))
        await executeOn(tx, { sql: 'INSERT INTO seat (code) VALUES (?)', args: ['g'] })
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(await codes()).toEqual([])
  })
})

describe('sqld as the project runs it', () => {
  // With SQLite's auto-checkpoint (sqld's default, 1000 pages), a checkpoint queues for sqld's
  // write lock among the writers, and sqld 0.24 can leave the lock promised to a connection that
  // has gone: no write is served again (decision 058; bench/sqld-checkpoints.ts shows it).
  it('checkpoints on its timer, never inside a writer’s commit', async () => {
    const { rows } = await handle.client.execute('PRAGMA wal_autocheckpoint')
    expect(Number(Object.values(rows[0]!)[0])).toBe(0)
  })
})
