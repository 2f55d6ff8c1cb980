// The job loop (startBackgroundJobs) in this process, with quick test jobs: a job runs only in
// the loop holding its lease, one pass at a time, and stop() waits for the pass and hands the job on.
import { describe, expect, it } from 'vitest'
import { leaseHolder } from '../../db/leases'
import { databaseHandle } from '~/utils/db.server'
import { startBackgroundJobs, type Job } from '~/utils/jobs.server'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A job that takes `passMs` per pass and records when each pass began and ended, and in which loop. */
function slowJob(name: string, passMs: number, log: { loop: string; start: number; end: number }[], loop: string): Job {
  return {
    name,
    everyMs: 20,
    run: async () => {
      const start = performance.now()
      await sleep(passMs)
      log.push({ loop, start, end: performance.now() })
    },
  }
}

describe('the job loop', () => {
  it('runs a job in one of two loops, one pass at a time, and hands it over on stop()', async () => {
    const passes: { loop: string; start: number; end: number }[] = []
    const quiet = () => {}
    const stopFirst = startBackgroundJobs({ jobs: [slowJob('slow', 100, passes, 'first')], leaseMs: 3000, holder: 'loop-first', log: quiet })
    await sleep(50)
    const stopSecond = startBackgroundJobs({ jobs: [slowJob('slow', 100, passes, 'second')], leaseMs: 3000, holder: 'loop-second', log: quiet })
    await sleep(600)

    expect(passes.length).toBeGreaterThanOrEqual(3)
    expect(passes.every((pass) => pass.loop === 'first')).toBe(true)
    // Ticks every 20 ms, yet each pass began after the one before it ended.
    for (let i = 1; i < passes.length; i++) expect(passes[i]!.start).toBeGreaterThanOrEqual(passes[i - 1]!.end)

    const stopCalled = performance.now()
    await stopFirst()
    const stopped = performance.now()
    // stop() started no pass and waited for the one under way, then let go of the lease: the
    // other loop takes the job at once.
    const firsts = passes.filter((pass) => pass.loop === 'first')
    expect(firsts.every((pass) => pass.start < stopCalled && pass.end <= stopped)).toBe(true)
    expect((await leaseHolder(databaseHandle.client, 'job:slow'))?.holder).not.toBe('loop-first')
    await sleep(400)
    expect(passes.some((pass) => pass.loop === 'second')).toBe(true)
    await stopSecond()
    expect(await leaseHolder(databaseHandle.client, 'job:slow')).toBeNull()
  })
})
