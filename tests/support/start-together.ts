// A start line for test processes that race on one database: each process, once loaded, writes
// its mark in a shared folder and waits until all have, so their passes overlap however long the
// machine takes to load each one (a fixed start time missed it on a loaded machine).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The environment the parent gives each of `count` racing processes. */
export function startLineEnv(count: number) {
  return { START_LINE_DIR: mkdtempSync(join(tmpdir(), 'zhiyin-start-')), START_LINE_COUNT: String(count) }
}

/** In a racing process: waits (up to a minute) until every process of the race is loaded. */
export async function waitAtStartLine() {
  const dir = process.env.START_LINE_DIR
  const count = Number(process.env.START_LINE_COUNT ?? 1)
  if (!dir) return
  writeFileSync(join(dir, String(process.pid)), '')
  const deadline = Date.now() + 60_000
  while (readdirSync(dir).length < count) {
    if (Date.now() > deadline) throw new Error(`only ${readdirSync(dir).length} of ${count} processes reached the start line`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
