// Three servers started at the same moment on one empty database file, as WEB_CONCURRENCY or a
// rolling deploy would: the setup lease lets one migrate and seed while the others wait, then all
// three serve. Before the lease two of them crashed ("table audit_log already exists", UNIQUE
// errors from the seeds).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../db/client'
import { MIGRATIONS_FOLDER } from '../../db/migrate'
import { DEMO_ACCOUNTS } from '../../db/seed'
import { DEMO_THREADS } from '../../db/seed-community'
import { readDemoDailies } from '../../db/seed-content'
import { DEMO_PRODUCTS } from '../../db/seed-shop'
import { buildIfNeeded } from '../../server/build-if-needed'
import { testPort } from '../support/ports'
import { startLineEnv } from '../support/start-together'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
const SERVER = join(ROOT, 'tests/support/server-at-start-line.ts')
const taken: number[] = []
const PORTS = [await testPort([3810, 3819], taken), await testPort([3810, 3819], taken), await testPort([3810, 3819], taken)]

const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-three-servers-'))
const servers: { child: ChildProcess; output: string[] }[] = []

// Once, here: three servers building at once would each run `remix build` into one folder.
beforeAll(() => buildIfNeeded(ROOT, join(ROOT, 'build/index.js')), 300_000)

afterAll(async () => {
  await Promise.all(servers.map(({ child }) => stop(child)))
  rmSync(dataDir, { recursive: true, force: true })
})

function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Resolves when the server answers /healthz with 200; rejects, with its output, if it exits first. */
async function expectHealthy({ child, output }: (typeof servers)[number], port: number) {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server on port ${port} exited with ${child.exitCode}:\n${output.join('')}`)
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status,
      () => null,
    )
    if (status === 200) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the server on port ${port} did not answer /healthz within two minutes:\n${output.join('')}`)
}

describe('three servers started at once on an empty database', () => {
  it('all answer /healthz, and the database holds one set of everything setup creates', async () => {
    const url = `file:${join(dataDir, 'zhiyin.db')}`
    const startLine = startLineEnv(PORTS.length)
    for (const port of PORTS) {
      // Development: the demo accounts, dailies, threads, drop and shop are seeded too.
      const { SITE_URL: _testSite, ...env } = process.env
      const serverEnv = { ...env, ...startLine, NODE_ENV: 'development' as const, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: url }
      // node itself with tsx's loader: the tsx command would run the server in a child process of its own.
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { cwd: ROOT, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] })
      const output: string[] = []
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
      servers.push({ child, output })
    }
    await Promise.all(servers.map((server, i) => expectHealthy(server, PORTS[i]!)))

    const handle = createDatabase(url)
    try {
      const count = async (table: string) => Number((await handle.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }
      expect(await count('__drizzle_migrations')).toBe(journal.entries.length)
      expect((await handle.client.execute('PRAGMA journal_mode')).rows[0]![0]).toBe('wal')
      expect(await count('tiers')).toBe(3)
      expect(await count('boards')).toBe(2)
      expect(await count('product_categories')).toBe(4)
      expect(await count('users')).toBe(DEMO_ACCOUNTS.length)
      expect(await count('dailies')).toBe((await readDemoDailies()).length)
      expect(await count('threads')).toBe(DEMO_THREADS.length)
      expect(await count('drops')).toBe(1)
      expect(await count('products')).toBe(DEMO_PRODUCTS.length)
      // Setup let go of its lease; each job's lease is held by a server that said it took the job.
      const leases = (await handle.client.execute('SELECT name, holder FROM zhiyin_leases')).rows
      expect(leases.map((row) => row.name)).not.toContain('setup')
      expect(leases.length).toBeGreaterThan(0)
      for (const { name, holder } of leases) {
        const job = String(name).replace(/^job:/, '')
        const takers = servers.filter(({ output }) => output.join('').includes(`job ${job}: taken over by this process (${String(holder)})`))
        expect(takers, `${String(name)} held by ${String(holder)}`).toHaveLength(1)
      }
    } finally {
      handle.close()
    }
    const seeders = servers.filter(({ output }) => output.join('').includes('seed: demo accounts created'))
    expect(seeders).toHaveLength(1)
  }, 180_000)
})
