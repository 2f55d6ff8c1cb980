// The figures of one `npm run bench` run, for the summary against issue 15's targets
// (bench/summary.ts): each benchmark script records its own under a key, in a JSON file that
// `npm run bench` empties before the run.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FILE = join(dirname(fileURLToPath(import.meta.url)), '../.cache/bench/results.json')

export type BenchResults = Record<string, number>

export function readResults(): BenchResults {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as BenchResults
  } catch {
    return {}
  }
}

/** Adds (or replaces) figures of this run. */
export function recordResults(values: BenchResults) {
  mkdirSync(dirname(FILE), { recursive: true })
  writeFileSync(FILE, JSON.stringify({ ...readResults(), ...values }, null, 2))
}

/** Empties the figures of an earlier run: all of them, or those whose name starts with `prefix`. */
export function clearResults(prefix?: string) {
  if (prefix === undefined) return rmSync(FILE, { force: true })
  const kept = Object.entries(readResults()).filter(([name]) => !name.startsWith(prefix))
  mkdirSync(dirname(FILE), { recursive: true })
  writeFileSync(FILE, JSON.stringify(Object.fromEntries(kept), null, 2))
}
