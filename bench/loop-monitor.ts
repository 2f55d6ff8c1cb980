// Preloaded into the servers the storm starts (node --import, bench/cluster.ts): samples this
// process's event-loop delay with perf_hooks and, on SIGUSR2, writes what it saw since the last
// signal to LOOP_MONITOR_DIR/loop-<pid>.json and starts over. The harness signals once before
// the storm (forgetting the start-up) and once after it, so the file holds the storm's delays:
// issue 16 asks that no process's loop blocks on a database lock (p99 < 50 ms). It changes
// nothing the app does; the servers' own /metrics (METRICS_PORT) report the same when present.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const dir = process.env.LOOP_MONITOR_DIR
if (dir) {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => ns / 1e6
    const reading = { pid: process.pid, p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), samples: histogram.count }
    writeFileSync(join(dir, `loop-${process.pid}.json`), JSON.stringify(reading))
    histogram.reset()
  })
}
