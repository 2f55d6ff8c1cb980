// An embedded replica's sync runs off the event loop (patches/@libsql+client+0.18.0.patch, decision
// 055): @libsql/client called libsql's synchronous `sync()`, which held the loop for the whole round
// trip to the primary — under the drop storm 22 % of a server's busy time, and on a primary far away
// every request of the process would wait that long. Here the primary answers through a proxy in
// another process that delays each answer by 300 ms; the loop must keep turning meanwhile.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, describe, expect, it } from 'vitest'
import { startSqld, type RunningSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'

const DELAY_MS = 300

// A TCP proxy that holds each chunk from the primary back for DELAY_MS before passing it on.
const PROXY = `
const net = require('node:net')
const [listen, target, delay] = process.argv.slice(1).map(Number)
net.createServer((client) => {
  const upstream = net.connect(target, '127.0.0.1')
  client.on('data', (chunk) => upstream.write(chunk))
  upstream.on('data', (chunk) => setTimeout(() => client.write(chunk), delay))
  client.on('close', () => upstream.destroy())
  upstream.on('close', () => setTimeout(() => client.destroy(), delay))
  client.on('error', () => upstream.destroy())
  upstream.on('error', () => client.destroy())
}).listen(listen, '127.0.0.1', () => console.log('listening'))
`

const dir = mkdtempSync(join(tmpdir(), 'replica-sync-'))
let sqld: RunningSqld | null = null
let proxy: ChildProcess | null = null
afterAll(async () => {
  proxy?.kill()
  await sqld?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('an embedded replica’s sync', () => {
  it('lets the event loop turn while it waits for a slow primary, and brings the primary’s rows', async () => {
    // sqld is installed by the vitest global setup (tests/setup/sqld.ts).
    const sqldPort = await testPort([3830, 3839])
    sqld = await startSqld({ port: sqldPort, dir: join(dir, 'sqld') })
    const proxyPort = await testPort([3830, 3839], [sqldPort])
    proxy = spawn(process.execPath, ['-e', PROXY, String(proxyPort), String(sqldPort), String(DELAY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => proxy!.stdout!.once('data', () => resolve()))

    const primary = createClient({ url: sqld.url })
    await primary.execute('CREATE TABLE seat (id INTEGER PRIMARY KEY, code TEXT NOT NULL)')
    const replica = createClient({ url: `file:${join(dir, 'replica.db')}`, syncUrl: `http://127.0.0.1:${proxyPort}` })
    await replica.sync()
    await primary.batch(['a1', 'a2', 'a3'].map((code) => ({ sql: 'INSERT INTO seat (code) VALUES (?)', args: [code] })), 'write')

    let last = performance.now()
    let longestGap = 0
    const ticking = setInterval(() => {
      const now = performance.now()
      longestGap = Math.max(longestGap, now - last)
      last = now
    }, 5)
    const began = performance.now()
    await replica.sync()
    const took = performance.now() - began
    clearInterval(ticking)
    longestGap = Math.max(longestGap, performance.now() - last)

    expect(took).toBeGreaterThanOrEqual(DELAY_MS)
    // Blocked by the synchronous sync, the loop stood still for the whole of it (≥ 300 ms).
    expect(longestGap).toBeLessThan(150)
    const { rows } = await replica.execute('SELECT code FROM seat ORDER BY id')
    expect(rows.map((row) => row.code)).toEqual(['a1', 'a2', 'a3'])
    replica.close()
    primary.close()
  }, 60_000)
})
