// Issue 16's targets against the figures bench/scale.ts recorded (one storm per mode, under the
// labels file-1, file-N, sqld-N, sqld-N-replica): printed after its table and by bench/summary.ts.
import type { BenchResults } from './results'

/** The N of the scaled-out modes this run measured (sqld-N), or null. */
function scaledOutProcesses(results: BenchResults) {
  const key = Object.keys(results).find((k) => /^scale sqld-\d+ holds\/s$/.test(k))
  return key ? Number(/sqld-(\d+)/.exec(key)![1]) : null
}

export function printScaleTargets(results: BenchResults) {
  const n = scaledOutProcesses(results)
  if (n === null) return
  const get = (label: string, what: string) => results[`scale ${label} ${what}`]
  const failures = (label: string) => {
    const parts = ['5xx', 'resets', 'timeouts'].map((what) => get(label, what))
    return parts.some((v) => v === undefined) ? undefined : parts.reduce((a, b) => a! + b!, 0)
  }
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || !b ? undefined : a / b)
  const loopP99 = (label: string) => {
    const fromMetrics = get(label, 'loop p99 metrics')
    return fromMetrics !== undefined && fromMetrics >= 0 ? fromMetrics : get(label, 'loop p99 monitor')
  }
  const rows: { what: string; value: number | undefined; target: string; met: (v: number) => boolean; format: (v: number) => string }[] = [
    { what: `sqld, ${n} processes: answers 5xx, reset or timed out`, value: failures(`sqld-${n}`), target: '0', met: (v) => v === 0, format: String },
    { what: `sqld, ${n} processes: holds/s vs 1 process on a file`, value: ratio(get(`sqld-${n}`, 'holds/s'), get('file-1', 'holds/s')), target: '≥ 0.5', met: (v) => v >= 0.5, format: (v) => v.toFixed(2) },
    { what: `sqld + replicas, ${n} processes: answers 5xx, reset or timed out`, value: failures(`sqld-${n}-replica`), target: '0', met: (v) => v === 0, format: String },
    // The deployment's configuration (compose.yaml): each app process reads from its embedded replica.
    { what: `sqld + replicas, ${n} processes: holds/s vs 1 process on a file`, value: ratio(get(`sqld-${n}-replica`, 'holds/s'), get('file-1', 'holds/s')), target: '≥ 0.5', met: (v) => v >= 0.5, format: (v) => v.toFixed(2) },
    { what: `${n} processes on one file: answers 5xx, reset or timed out`, value: failures(`file-${n}`), target: '0', met: (v) => v === 0, format: String },
    { what: `${n} processes on one file: anonymous GET / vs 1 process`, value: ratio(get(`file-${n}`, 'pages rps'), get('file-1', 'pages rps')), target: '> 1', met: (v) => v > 1, format: (v) => v.toFixed(2) },
    { what: `${n} processes on one file: event-loop delay p99 under the storm (worst server)`, value: loopP99(`file-${n}`), target: '< 50 ms', met: (v) => v >= 0 && v < 50, format: (v) => (v < 0 ? 'n/a' : `${Math.round(v)} ms`) },
  ]
  console.log('\nIssue 16 targets, this run:\n')
  console.log('| what | measured | target | met |')
  console.log('|---|---:|---:|---|')
  for (const row of rows) {
    const shown = row.value === undefined ? 'not measured' : row.format(row.value)
    console.log(`| ${row.what} | ${shown} | ${row.target} | ${row.value === undefined ? '—' : row.met(row.value) ? 'yes' : 'no'} |`)
  }
}
