// The benchmark's event-loop monitor (bench/loop-monitor.ts) reads issue 16's target: a loop
// that blocks (here asleep for 120 ms, as a synchronous wait on a database lock would) shows
// its delay in the "own" figure, which takes out only the time the thread waited for a CPU; a
// loop that never blocks shows none, however loaded the machine.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'loop-monitor-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function reading(mode: 'asleep' | 'idle') {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './bench/loop-monitor.ts', 'tests/fixtures/loop-probe.mjs', mode], {
    env: { ...process.env, LOOP_MONITOR_DIR: dir },
  })
  return JSON.parse(stdout) as { p99Ms: number; ownP99Ms: number | null; waitingForCpuShare: number | null }
}

describe('the loop monitor (Linux: it reads /proc)', () => {
  it('counts a loop blocked asleep as its own delay', { timeout: 30_000 }, async () => {
    const asleep = await reading('asleep')
    expect(asleep.p99Ms).toBeGreaterThanOrEqual(100)
    expect(asleep.ownP99Ms).toBeGreaterThanOrEqual(100)
  })

  it('finds no own delay in a loop that never blocks', { timeout: 30_000 }, async () => {
    const idle = await reading('idle')
    expect(idle.ownP99Ms).not.toBeNull()
    expect(idle.ownP99Ms!).toBeLessThan(50)
    expect(idle.waitingForCpuShare).toBeGreaterThanOrEqual(0)
  })
})
