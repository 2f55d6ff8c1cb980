// The last step of `npm run bench`: issue 15's table of targets with what this run measured
// (bench/results.ts). `--reset` (the first step) empties the figures of an earlier run.
import { clearResults, readResults, type BenchResults } from './results'
import { printScaleTargets } from './scale-targets'

interface Row {
  what: string
  /** The figure shown, or null when a benchmark of this run did not record it. */
  measured: (r: BenchResults) => number | null
  target: string
  met: (value: number) => boolean
  format?: (value: number) => string
}

const ratio = (key: string) => (r: BenchResults) => r[key] ?? null
const worst = (...keys: string[]) => (r: BenchResults) => (keys.every((k) => r[k] !== undefined) ? Math.min(...keys.map((k) => r[k]!)) : null)
const largest = (...keys: string[]) => (r: BenchResults) => (keys.every((k) => r[k] !== undefined) ? Math.max(...keys.map((k) => r[k]!)) : null)
const PAGES = ['/', '/daily', '/shop', '/membership']

const ROWS: Row[] = [
  { what: 'anonymous GET /, /daily/:date, /shop, /membership (lowest ratio)', measured: worst(...PAGES.map((p) => `visitor ${p}`)), target: '≥ 0.30', met: (v) => v >= 0.3 },
  { what: 'the same pages signed in as a 铁杆 member (lowest ratio)', measured: worst(...PAGES.map((p) => `member ${p}`)), target: '≥ 0.03', met: (v) => v >= 0.03 },
  { what: '/healthz, /membership/seats (lowest ratio)', measured: worst('healthz', 'seats'), target: '≥ 0.30', met: (v) => v >= 0.3 },
  { what: 'placeOrder in-process vs the bare hold', measured: ratio('placeOrder'), target: '≥ 0.6', met: (v) => v >= 0.6 },
  { what: 'confirmPayment in-process vs the bare hold', measured: ratio('confirmPayment'), target: '≥ 0.4', met: (v) => v >= 0.4 },
  { what: 'drop storm over HTTP: holds/s vs the bare hold', measured: ratio('storm drop ratio'), target: '≥ 0.4', met: (v) => v >= 0.4 },
  { what: 'drop storm: p99 ms of holds and refusals (the larger)', measured: largest('storm drop hold p99', 'storm drop refusal p99'), target: '< 250', met: (v) => v < 250, format: (v) => `${Math.round(v)} ms` },
  { what: 'drop storm: answers 5xx, resets or timeouts', measured: ratio('storm drop failures'), target: '0', met: (v) => v === 0, format: (v) => String(v) },
  { what: 'script on a first visit of / and /membership, gzip (the larger)', measured: largest('script / KB', 'script /membership KB'), target: '≤ 90 KB', met: (v) => v <= 90, format: (v) => `${v.toFixed(1)} KB` },
]

function main() {
  if (process.argv.includes('--reset')) return clearResults()
  const results = readResults()
  console.log('\nIssue 15 targets, this run:\n')
  console.log('| what | measured | target | met |')
  console.log('|---|---:|---:|---|')
  for (const row of ROWS) {
    const value = row.measured(results)
    const shown = value === null ? 'not measured' : (row.format ?? ((v: number) => v.toFixed(3)))(value)
    console.log(`| ${row.what} | ${shown} | ${row.target} | ${value === null ? '—' : row.met(value) ? 'yes' : 'no'} |`)
  }
  // Issue 16's, when this run includes `npm run bench:scale`.
  printScaleTargets(results)
}

main()
