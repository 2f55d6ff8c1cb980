// The write path across processes (docs/decisions/037-write-path-across-processes.md). Two
// database handles on one file stand for two server processes: each has its own connections, so
// SQLite's write lock is contended exactly as between processes, and the event loop they share
// shows whether a waiting writer blocks it. Then a real server (two worker processes) answers a
// write that cannot get through in time with 503 and Retry-After.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createClient } from '@libsql/client'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { backoffMs, isDatabaseBusy, isTransientBusy } from '../../db/busy'
import { createDatabase, type DatabaseHandle } from '../../db/client'
import { testPort } from '../support/ports'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const opened: DatabaseHandle[] = []
afterEach(() => {
  for (const handle of opened.splice(0)) handle.close()
})

/** Two handles ("processes") on one new file with a table of rows. */
async function twoProcesses(deadlineMs?: number) {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'zhiyin-write-path-')), 'shared.db')}`
  const first = createDatabase(url)
  const second = createDatabase(url, { deadlineMs })
  opened.push(first, second)
  await first.client.execute('PRAGMA journal_mode = WAL')
  await first.client.execute('CREATE TABLE rows (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)')
  return { first, second }
}

/** Holds the first handle's write lock for `ms` (inside one of its transactions). */
function holdWriteLock(handle: DatabaseHandle, ms: number) {
  return handle.transaction(async (tx) => {
    await tx.run("INSERT INTO rows (writer) VALUES ('first')")
    await sleep(ms)
  })
}

async function writers(handle: DatabaseHandle) {
  const { rows } = await handle.client.execute('SELECT writer FROM rows ORDER BY id')
  return rows.map((row) => row.writer)
}

/** Records the event loop's longest delay while `work` runs (ms). */
async function longestEventLoopDelay(work: () => Promise<unknown>) {
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  try {
    await work()
  } finally {
    histogram.disable()
  }
  return histogram.max / 1e6
}

describe('a writer meeting another process’s write lock', () => {
  it('waits for it without blocking the event loop, then commits', async () => {
    const { first, second } = await twoProcesses()
    const delay = await longestEventLoopDelay(async () => {
      const holding = holdWriteLock(first, 300)
      await sleep(20)
      // BEGIN IMMEDIATE finds the lock taken. SQLite's busy handler (the old busy_timeout) slept
      // right here, on the event loop, so the holder could never finish its transaction.
      await second.transaction((tx) => tx.run("INSERT INTO rows (writer) VALUES ('second')"))
      await holding
    })
    expect(await writers(first)).toEqual(['first', 'second'])
    // A blocked loop would wait out the holder (300 ms) or its busy timeout; 250 leaves room for a loaded machine.
    expect(delay).toBeLessThan(250)
    expect(second.writeStats().retries).toBeGreaterThan(0)
    expect(second.writeStats().busyFailures).toBe(0)
  })

  it('runs a plain statement once the lock is free, without blocking the event loop', async () => {
    const { first, second } = await twoProcesses()
    const delay = await longestEventLoopDelay(async () => {
      const holding = holdWriteLock(first, 300)
      await sleep(20)
      await second.client.execute("INSERT INTO rows (writer) VALUES ('second, plain')")
      await holding
    })
    expect(await writers(first)).toEqual(['first', 'second, plain'])
    // A blocked loop would wait out the holder (300 ms) or its busy timeout; 250 leaves room for a loaded machine.
    expect(delay).toBeLessThan(250)
  })

  it('gives up at its deadline with DatabaseBusy and writes nothing', async () => {
    const { first, second } = await twoProcesses(150)
    const holding = holdWriteLock(first, 600)
    await sleep(20)
    const started = performance.now()
    const refused = await second.transaction((tx) => tx.run("INSERT INTO rows (writer) VALUES ('late')")).catch((error: unknown) => error)
    const waited = performance.now() - started
    await holding
    expect(isDatabaseBusy(refused)).toBe(true)
    expect(waited).toBeGreaterThanOrEqual(140)
    expect(waited).toBeLessThan(500)
    expect(await writers(first)).toEqual(['first'])
    expect(second.writeStats()).toMatchObject({ busyFailures: 1, queued: 0 })
  })
})

describe('telling busy from broken', () => {
  it('retries SQLite’s busy and a libsql server’s 429 or DbCreateTimeout, nothing else', () => {
    expect(isTransientBusy(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true)
    expect(isTransientBusy(new Error('wrapped', { cause: new Error('Server returned HTTP status 429') }))).toBe(true)
    expect(isTransientBusy(new Error('DbCreateTimeout'))).toBe(true)
    expect(isTransientBusy(new Error('UNIQUE constraint failed: orders.exclusive_key'))).toBe(false)
    expect(isTransientBusy(new Error('no such table: rows'))).toBe(false)
  })

  it('backs off with jitter up to a cap', () => {
    expect(backoffMs(0, 50, () => 1)).toBe(1)
    expect(backoffMs(3, 50, () => 1)).toBe(8)
    expect(backoffMs(10, 50, () => 1)).toBe(50)
    expect(backoffMs(10, 50, () => 0.5)).toBe(25)
  })
})

describe('a server whose database stays busy', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url))
  let server: ChildProcess | null = null
  afterAll(() => {
    server?.kill('SIGTERM')
  })

  it('runs WEB_CONCURRENCY workers on React’s production build, and answers a write it cannot make in time 503 with Retry-After', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-busy-server-'))
    const port = await testPort([3960, 3989])
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), SITE_URL: `http://127.0.0.1:${port}`, WEB_CONCURRENCY: '2', WRITE_DEADLINE_MS: '300' }
    // No NODE_ENV at all, as `npm start` on a fresh machine.
    Reflect.deleteProperty(env, 'NODE_ENV')
    Reflect.deleteProperty(env, 'DATABASE_URL')
    server = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    server.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    const deadline = Date.now() + 60_000
    while (!log.includes('知音 is listening')) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${log}`)
      await sleep(100)
    }
    expect(log).toMatch(/2 processes \(WEB_CONCURRENCY\), React production build/)
    expect(log).toContain('seed: demo accounts created')

    // Another process takes the write lock and keeps it. The workers' jobs
    // write briefly after they start, so the holder waits its turn as any
    // writer would rather than expecting the lock to be free at once.
    const holder = createClient({ url: `file:${join(dataDir, 'zhiyin.db')}` })
    const tx = await takeWriteLock(holder)
    const login = () =>
      fetch(`http://127.0.0.1:${port}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: `http://127.0.0.1:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'user@zhiyin.local', password: 'zhiyin-user' }),
      })
    const busy = await login()
    expect(busy.status).toBe(503)
    expect(busy.headers.get('Retry-After')).toBe('2')
    expect(await busy.text()).toContain('请稍等几秒再试')
    const { rows: sessionsWhileBusy } = await tx.execute('SELECT count(*) AS n FROM sessions')
    await tx.rollback()
    holder.close()

    // The lock is free again: the same request signs in.
    const signedIn = await login()
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('Set-Cookie')).toMatch(/session/)
    expect(sessionsWhileBusy[0]!.n).toBe(0)
  }, 90_000)
})

async function takeWriteLock(client: ReturnType<typeof createClient>) {
  const deadline = Date.now() + 10_000
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.transaction('write')
    } catch (error) {
      if (!isTransientBusy(error) || Date.now() > deadline) throw error
      await sleep(backoffMs(attempt, 50))
    }
  }
}
