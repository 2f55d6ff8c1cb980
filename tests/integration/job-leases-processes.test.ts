// Two processes run the job loop on one database file, as two server instances would: each job
// runs in exactly one of them, and when that one is killed (kill -9, so it never lets go) the
// other takes the job over once its lease has lapsed.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { leaseHolder } from '../../db/leases'
import { databaseHandle } from '~/utils/db.server'
import { startLineEnv } from '../support/start-together'

const WORKER = fileURLToPath(new URL('../support/job-runner.ts', import.meta.url))
const LEASE_MS = 1500

interface Runner {
  child: ChildProcess
  passes: { pass: string; at: number }[]
  lines: string[]
}
const runners: Runner[] = []

afterAll(() => {
  for (const { child } of runners) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

function startRunner(env: Record<string, string>): Runner {
  // node itself with tsx's loader, not the tsx command: that runs the script in a child process of
  // its own, which a kill -9 of the command would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const runner: Runner = { child, passes: [], lines: [] }
  let rest = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop()!
    for (const line of lines) {
      if (line.startsWith('{')) runner.passes.push(JSON.parse(line) as Runner['passes'][number])
      else runner.lines.push(line)
    }
  })
  return runner
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const passesOf = (runner: Runner, job: string) => runner.passes.filter((p) => p.pass === job)

describe('the job loop in two processes', () => {
  it('runs each job in one process, and in the other once the holder is killed and its lease lapses', async () => {
    const startLine = startLineEnv(2)
    runners.push(startRunner({ ...startLine, JOB_LEASE_MS: String(LEASE_MS) }), startRunner({ ...startLine, JOB_LEASE_MS: String(LEASE_MS) }))
    const [first, second] = runners as [Runner, Runner]
    await until('each job ran ten passes', () => ['alpha', 'beta'].every((job) => passesOf(first, job).length + passesOf(second, job).length >= 10))

    // Both began together (the start line), yet each job ran in one process only.
    for (const job of ['alpha', 'beta']) expect(passesOf(first, job).length === 0 || passesOf(second, job).length === 0, job).toBe(true)
    const holder = passesOf(first, 'alpha').length > 0 ? first : second
    const other = holder === first ? second : first
    const lease = await leaseHolder(databaseHandle.client, 'job:alpha')
    expect(holder.lines.join('\n')).toContain(`job alpha: taken over by this process (${lease!.holder})`)

    const killedAt = Date.now()
    holder.child.kill('SIGKILL')
    await until('the other process ran alpha', () => passesOf(other, 'alpha').length > 0, 10_000)

    const takenAt = passesOf(other, 'alpha')[0]!.at
    // Not before the killed holder's last renewal lapsed, and soon after.
    expect(takenAt).toBeGreaterThanOrEqual(lease!.expiresAt)
    expect(takenAt - killedAt).toBeLessThan(LEASE_MS + 2000)
    expect(other.lines.some((line) => line.startsWith('job alpha: taken over by this process'))).toBe(true)
    await until('the other process runs beta too', () => passesOf(other, 'beta').some((p) => p.at > takenAt), 10_000)

    // Stopped, it hands its jobs back at once.
    const exited = new Promise((resolve) => other.child.once('exit', resolve))
    other.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(await leaseHolder(databaseHandle.client, 'job:alpha')).toBeNull()
    expect(await leaseHolder(databaseHandle.client, 'job:beta')).toBeNull()
  }, 90_000)
})
