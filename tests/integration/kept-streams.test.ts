// Reads on a libsql server (sqld) over Hrana's WebSocket, the app's client (primaryUrl, decision
// 037), as patched into @libsql/client (patches/@libsql+client+0.18.0.patch, decision 056): a read
// outside a transaction goes on an idle stream kept open on the connection instead of a stream opened
// and closed for it, which costs the server a connection each time; reads asked for together each
// have a stream of their own; the streams of a connection replaced for its age are closed with it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { primaryUrl } from '../../db/client'
import { startSqld, type RunningSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'

/** How many idle streams of a connection the patch keeps for reads (KEPT_READ_STREAMS), the client's default concurrency. */
const KEPT_READ_STREAMS = 20

interface SentRequest {
  socket: WebSocket
  type: string
}

const dir = mkdtempSync(join(tmpdir(), 'kept-streams-'))
let sqld: RunningSqld
let client: Client
/** Every Hrana request about streams the client sent, on which WebSocket: open_stream, execute, close_stream, …. */
const sent: SentRequest[] = []
const closedSockets = new Set<WebSocket>()

beforeAll(async () => {
  // sqld is installed by the vitest global setup (tests/setup/sqld.ts).
  sqld = await startSqld({ port: await testPort([3820, 3829]), dir: join(dir, 'sqld') })
  const send = WebSocket.prototype.send
  vi.spyOn(WebSocket.prototype, 'send').mockImplementation(function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    const message = JSON.parse(String(data)) as { type: string; request?: { type: string } }
    // The SQL cache's store_sql / close_sql belong to the connection, not to a stream.
    if (message.request && !message.request.type.endsWith('_sql')) sent.push({ socket: this, type: message.request.type })
    return (send as (...args: unknown[]) => void).call(this, data, ...rest)
  })
  const close = WebSocket.prototype.close
  vi.spyOn(WebSocket.prototype, 'close').mockImplementation(function (this: WebSocket, ...args: unknown[]) {
    closedSockets.add(this)
    return (close as (...args: unknown[]) => void).apply(this, args)
  })
  client = createClient({ url: primaryUrl(sqld.url) })
  await client.execute('CREATE TABLE seat (id INTEGER PRIMARY KEY, code TEXT NOT NULL)')
  await client.batch(['a1', 'a2', 'a3'].map((code) => ({ sql: 'INSERT INTO seat (code) VALUES (?)', args: [code] })), 'write')
})
afterAll(async () => {
  client.close()
  vi.restoreAllMocks()
  await sqld.stop()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  vi.useRealTimers()
})

const codeOf = async (id: number) => (await client.execute({ sql: 'SELECT code FROM seat WHERE id = ?', args: [id] })).rows[0]?.code
const count = (type: string) => sent.filter((r) => r.type === type).length

describe('reads on a libsql server over WebSocket', () => {
  it('go on a stream kept open from the read before, which they leave open', async () => {
    await codeOf(1)
    sent.length = 0
    expect(await codeOf(2)).toBe('a2')
    expect(await codeOf(3)).toBe('a3')
    // Unpatched, each read opens a stream and closes it: open_stream, execute, close_stream.
    expect(sent.map((r) => r.type)).toEqual(['execute', 'execute'])
  })

  it(`asked for together, run side by side on at most ${KEPT_READ_STREAMS} streams, kept for the next`, async () => {
    sent.length = 0
    const ids = Array.from({ length: 60 }, (_, i) => (i % 3) + 1)
    const codes = await Promise.all(ids.map(codeOf))
    expect(codes).toEqual(ids.map((id) => `a${id}`))
    expect(count('execute')).toBe(60)
    // The client runs at most KEPT_READ_STREAMS statements at once; each on a stream of its own.
    expect(count('open_stream')).toBeLessThanOrEqual(KEPT_READ_STREAMS)
    expect(count('close_stream')).toBe(0)
    sent.length = 0
    await Promise.all(ids.map(codeOf))
    expect(count('open_stream')).toBe(0)
  })

  it('see what a write committed just before them', async () => {
    await codeOf(1)
    await client.execute({ sql: 'UPDATE seat SET code = ? WHERE id = ?', args: ['b1', 1] })
    expect(await codeOf(1)).toBe('b1')
    const tx = await client.transaction('write')
    await tx.execute({ sql: 'UPDATE seat SET code = ? WHERE id = ?', args: ['c1', 1] })
    await tx.commit()
    expect(await codeOf(1)).toBe('c1')
    await client.batch([{ sql: 'UPDATE seat SET code = ? WHERE id = ?', args: ['a1', 1] }], 'write')
    expect(await codeOf(1)).toBe('a1')
  })

  it('leave writes, batches and transactions on streams of their own', async () => {
    sent.length = 0
    await client.execute({ sql: 'UPDATE seat SET code = code WHERE id = ?', args: [2] })
    expect(sent.map((r) => r.type)).toEqual(['open_stream', 'execute', 'close_stream'])
  })

  it('give a statement error to the read that made it, and the stream goes on', async () => {
    await codeOf(1)
    sent.length = 0
    const [bad, good] = await Promise.allSettled([client.execute('SELECT nope FROM seat'), codeOf(2)])
    expect(bad.status).toBe('rejected')
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/no such column: nope/)
    expect(good).toEqual({ status: 'fulfilled', value: 'a2' })
    expect(await codeOf(3)).toBe('a3')
    expect(count('open_stream')).toBe(0)
  })

  it('leave a kept stream idle for five seconds to be closed (each holds a connection of the server)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] })
    const own = createClient({ url: primaryUrl(sqld.url) })
    try {
      await own.execute('SELECT 1')
      const socket = sent.at(-1)!.socket
      sent.length = 0
      vi.advanceTimersByTime(4_000)
      expect(sent.filter((r) => r.socket === socket).map((r) => r.type)).toEqual([])
      vi.advanceTimersByTime(1_500)
      expect(sent.filter((r) => r.socket === socket).map((r) => r.type)).toEqual(['close_stream'])
    } finally {
      own.close()
    }
  })

  it('are closed with a connection replaced for its age, which then closes', async () => {
    await codeOf(1)
    const old = sent.at(-1)!.socket
    // The client replaces a connection older than a minute once its successor is ready.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    expect(await codeOf(2)).toBe('a2')
    await vi.waitFor(() => expect(closedSockets.has(old)).toBe(true), { timeout: 5_000 })
    sent.length = 0
    expect(await codeOf(3)).toBe('a3')
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.every((r) => r.socket !== old)).toBe(true)
  })
})
