// Reads on a libsql server (sqld) over HTTP, as patched into @libsql/client
// (patches/@libsql+client+0.18.0.patch, decision 055): a read outside a transaction goes on a
// stream kept open from an earlier one instead of opening (and closing) a stream of its own, which
// costs the server a connection each time; reads asked for in the same turn go in one request; a
// kept stream that idled too long, or that the server closed, is not used again.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSqld, type RunningSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'

interface SentRequest {
  baton: string | null
  kinds: string[]
}

const dir = mkdtempSync(join(tmpdir(), 'kept-streams-'))
let sqld: RunningSqld
let client: Client
/** Every pipeline request the client sent: its baton (null opens a stream) and what it asked. */
const sent: SentRequest[] = []
/** Set to answer the next request on an open stream as a server that expired it would. */
let expireNextStream = false

beforeAll(async () => {
  // sqld is installed by the vitest global setup (tests/setup/sqld.ts).
  sqld = await startSqld({ port: await testPort([3820, 3829]), dir: join(dir, 'sqld') })
  const countingFetch = async (request: Request) => {
    if (request.url.includes('/pipeline')) {
      const body = JSON.parse(await request.clone().text()) as { baton?: string | null; requests: { type: string }[] }
      sent.push({ baton: body.baton ?? null, kinds: body.requests.map((r) => r.type) })
      if (expireNextStream && body.baton !== null) {
        expireNextStream = false
        return new Response(JSON.stringify({ message: 'The stream has expired due to inactivity' }), { status: 400, headers: { 'Content-Type': 'application/json' } })
      }
    }
    return fetch(request)
  }
  client = createClient({ url: sqld.url, fetch: countingFetch })
  await client.execute('CREATE TABLE seat (id INTEGER PRIMARY KEY, code TEXT NOT NULL)')
  await client.batch(['a1', 'a2', 'a3'].map((code) => ({ sql: 'INSERT INTO seat (code) VALUES (?)', args: [code] })), 'write')
})
afterAll(async () => {
  client.close()
  await sqld.stop()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  vi.useRealTimers()
  expireNextStream = false
})

const codeOf = async (id: number) => (await client.execute({ sql: 'SELECT code FROM seat WHERE id = ?', args: [id] })).rows[0]?.code
const reads = (requests: SentRequest[]) => requests.filter((r) => r.kinds.includes('execute'))

describe('reads on a libsql server over HTTP', () => {
  it('go on a stream kept open from the read before, which they leave open', async () => {
    await codeOf(1)
    sent.length = 0
    expect(await codeOf(2)).toBe('a2')
    expect(await codeOf(3)).toBe('a3')
    // Unpatched, each read opens a stream (no baton) and closes it in the same request.
    expect(sent.map((r) => r.baton === null)).toEqual([false, false])
    expect(sent.flatMap((r) => r.kinds)).toEqual(['execute', 'execute'])
  })

  it('asked for in the same turn, go to the server in one request', async () => {
    await codeOf(1)
    sent.length = 0
    const codes = await Promise.all([1, 2, 3, 1, 2, 3].map(codeOf))
    expect(codes).toEqual(['a1', 'a2', 'a3', 'a1', 'a2', 'a3'])
    expect(reads(sent)).toHaveLength(1)
    expect(reads(sent)[0]!.kinds).toEqual(['execute', 'execute', 'execute', 'execute', 'execute', 'execute'])
  })

  it('are answered on a new stream when the kept one was closed by the server', async () => {
    await codeOf(1)
    sent.length = 0
    expireNextStream = true
    expect(await codeOf(2)).toBe('a2')
    // The kept stream's request was refused; the read went again, on a stream of its own.
    expect(reads(sent).map((r) => r.baton === null)).toEqual([false, true])
    // And the next read keeps a stream again.
    sent.length = 0
    expect(await codeOf(3)).toBe('a3')
    expect(await codeOf(1)).toBe('a1')
    expect(reads(sent).at(-1)!.baton).not.toBeNull()
  })

  it('do not use a stream idle for longer than the server may keep it', async () => {
    await codeOf(1)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 10_000)
    sent.length = 0
    expect(await codeOf(2)).toBe('a2')
    // The stale stream is closed, the read opens a new one.
    expect(reads(sent).map((r) => r.baton === null)).toEqual([true])
    expect(sent.some((r) => r.baton !== null && r.kinds.includes('close'))).toBe(true)
  })

  it('see what a write committed just before them', async () => {
    await codeOf(1)
    await client.execute({ sql: 'UPDATE seat SET code = ? WHERE id = ?', args: ['b1', 1] })
    expect(await codeOf(1)).toBe('b1')
    const tx = await client.transaction('write')
    await tx.execute({ sql: 'UPDATE seat SET code = ? WHERE id = ?', args: ['c1', 1] })
    await tx.commit()
    expect(await codeOf(1)).toBe('c1')
  })

  it('give a statement error to the read that made it, and the stream goes on', async () => {
    await codeOf(1)
    sent.length = 0
    const [bad, good] = await Promise.allSettled([client.execute('SELECT nope FROM seat'), codeOf(2)])
    expect(bad.status).toBe('rejected')
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/no such column: nope/)
    expect(good).toEqual({ status: 'fulfilled', value: 'a2' })
    expect(await codeOf(3)).toBe('a3')
    expect(sent.every((r) => r.baton !== null)).toBe(true)
  })
})
