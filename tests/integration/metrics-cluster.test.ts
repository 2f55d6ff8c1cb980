// /metrics of a cluster (docs/decisions/036): a real node:cluster primary with two workers
// (tests/support/metrics-cluster.ts), its endpoint summing the workers' counters.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')

describe('/metrics in a cluster', () => {
  it('serves from the primary what its workers counted, summed, with each job’s freshest pass', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tests/support/metrics-cluster.ts'], { cwd: ROOT, timeout: 60_000 })
    const { text } = JSON.parse(stdout) as { text: string }
    expect(text).toMatch(/^zhiyin_holds_placed_total\{kind="goods"\} 3$/m)
    const lag = Number(/^zhiyin_job_seconds_since_success\{job="deliver email"\} ([\d.]+)$/m.exec(text)?.[1])
    // Worker 1 passed over half a second before the scrape, worker 2 just before it: the fresher counts.
    expect(lag).toBeGreaterThanOrEqual(0)
    expect(lag).toBeLessThan(0.25)
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m)
  }, 60_000)
})
