// Preloaded into the servers the storm starts (node --import, bench/cluster.ts): samples this
// process's event-loop delay with perf_hooks and, on SIGUSR2, writes what it saw since the last
// signal to LOOP_MONITOR_DIR/loop-<pid>.json and starts over. The harness signals once before
// the storm (forgetting the start-up) and once after it, so the file holds the storm's delays:
// issue 16 asks that no process's loop blocks on a database lock (p99 < 50 ms). It changes
// nothing the app does; the servers' own /metrics (METRICS_PORT) report the same when present.
//
// A delay is not always the loop's own work: on a machine with fewer cores than the servers and
// the load generator need, the kernel keeps the loop's thread off the CPU, and every timer is late
// by that much. Linux counts that time (/proc/<pid>/schedstat, second field: nanoseconds spent
// runnable, waiting for a CPU), so the reading also says what share of the window the thread
// waited for a CPU: a delay with a large share is the machine's, not a lock's. A second sampler
// ticks every 10 ms and subtracts, tick by tick, the time the thread waited for a CPU from the
// tick's lateness: what is left is the loop's own delay (its work, or a lock it blocked on).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks'

/** How often the own-delay sampler ticks. */
const TICK_MS = 10

const dir = process.env.LOOP_MONITOR_DIR
if (dir) {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  const ownDelay = sampleOwnDelay()
  let since = { wallNs: process.hrtime.bigint(), waitedNs: waitedForCpuNs() }
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => ns / 1e6
    const now = { wallNs: process.hrtime.bigint(), waitedNs: waitedForCpuNs() }
    const waitingForCpuShare = now.waitedNs === null || since.waitedNs === null ? null : Number(now.waitedNs - since.waitedNs) / Number(now.wallNs - since.wallNs)
    const reading = { pid: process.pid, p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), samples: histogram.count, waitingForCpuShare, ...ownDelay.read() }
    writeFileSync(join(dir, `loop-${process.pid}.json`), JSON.stringify(reading))
    histogram.reset()
    ownDelay.reset()
    since = now
  })
}

/** Nanoseconds this process's main thread (the event loop's) has spent runnable but off the CPU; null off Linux. */
function waitedForCpuNs(): bigint | null {
  try {
    return BigInt(readFileSync(`/proc/${process.pid}/schedstat`, 'utf8').split(' ')[1]!)
  } catch {
    return null
  }
}


/**
 * Each 10 ms tick's lateness less the time the loop's thread waited for a CPU since the tick
 * before: the delay the loop caused itself. Null readings off Linux (no schedstat).
 */
function sampleOwnDelay() {
  const own = createHistogram()
  let last = { atNs: process.hrtime.bigint(), waitedNs: waitedForCpuNs() }
  setInterval(() => {
    const now = { atNs: process.hrtime.bigint(), waitedNs: waitedForCpuNs() }
    if (now.waitedNs !== null && last.waitedNs !== null) {
      const lateNs = Number(now.atNs - last.atNs) - TICK_MS * 1e6
      const offCpuNs = Number(now.waitedNs - last.waitedNs)
      own.record(Math.max(1, Math.round(lateNs - offCpuNs)))
    }
    last = now
  }, TICK_MS).unref()
  return {
    read: () => (own.count === 0 ? { ownP99Ms: null, ownMaxMs: null } : { ownP99Ms: own.percentile(99) / 1e6, ownMaxMs: own.max / 1e6 }),
    reset: () => own.reset(),
  }
}
