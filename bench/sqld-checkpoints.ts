// npx tsx bench/sqld-checkpoints.ts — decision 058's fault, shown: many writers, each write a
// request of its own (so a stream, a connection inside sqld, opened and closed per write), rows
// large enough that SQLite's auto-checkpoint runs every second or so. Against sqld with its own
// default (auto-checkpoint inside commits) and as the project runs it (a checkpoint every
// SQLD_CHECKPOINT_INTERVAL_S seconds), one after the other, each on a fresh database.
//
//   npx tsx bench/sqld-checkpoints.ts [--writers 100] [--seconds 60] [--runs 1] [--ports 3700-3799]
//
// A mode "wedges" when no write completes for 10 s; the script then asks sqld for one more write
// with a 15 s timeout, to tell a wedge from a slow moment. Exits 1 if the project's mode wedged.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import { SQLD_CHECKPOINT_INTERVAL_S, startSqld } from '../scripts/sqld'
import { freePort } from './cluster'

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '1' },
    ports: { type: 'string', default: '3700-3799' },
  },
})
const writers = Number(values.writers)
const seconds = Number(values.seconds)
const [low, high] = values.ports.split('-').map(Number) as [number, number]
const STALL_MS = 10_000

interface Outcome {
  writes: number
  busy: number
  failed: number
  /** Seconds into the run when the writes stopped for good, if they did. */
  wedgedAt: number | null
  /** Whether one more write was answered within 15 s after the run. */
  answersAfter: boolean
}

async function run(autoCheckpoint: boolean): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'sqld-checkpoints-'))
  const sqld = await startSqld({ port: await freePort([low, high]), dir, autoCheckpoint })
  const client = createClient({ url: sqld.url })
  try {
    await client.execute('CREATE TABLE note (id INTEGER PRIMARY KEY, body BLOB NOT NULL)')
    const outcome: Outcome = { writes: 0, busy: 0, failed: 0, wedgedAt: null, answersAfter: false }
    const started = Date.now()
    let lastWrite = Date.now()
    let stalled = () => {}
    // A wedged sqld never answers the writes in flight: stop waiting for them at the stall.
    const wedged = new Promise<void>((resolve) => (stalled = resolve))
    const watch = setInterval(() => {
      if (Date.now() - lastWrite < STALL_MS) return
      outcome.wedgedAt = Math.round((lastWrite - started) / 1000)
      stalled()
    }, 500)
    const writer = async () => {
      while (outcome.wedgedAt === null && Date.now() - started < seconds * 1000) {
        try {
          await client.batch([{ sql: 'INSERT INTO note (body) VALUES (randomblob(3000))', args: [] }], 'write')
          outcome.writes++
          lastWrite = Date.now()
        } catch (error) {
          if (/SQLITE_BUSY|locked/.test(String(error))) outcome.busy++
          else outcome.failed++
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20))
        }
      }
    }
    await Promise.race([Promise.all(Array.from({ length: writers }, writer)), wedged])
    clearInterval(watch)
    const elapsed = (outcome.wedgedAt ?? seconds) || 1
    const probe = fetch(`${sqld.url}/v2/pipeline`, {
      method: 'POST',
      body: JSON.stringify({ baton: null, requests: [{ type: 'execute', stmt: { sql: "INSERT INTO note (body) VALUES ('probe')" } }, { type: 'close' }] }),
      signal: AbortSignal.timeout(15_000),
    })
    outcome.answersAfter = await probe.then((response) => response.ok).catch(() => false)
    console.log(
      `${autoCheckpoint ? 'sqld default (auto-checkpoint)' : `checkpoint every ${SQLD_CHECKPOINT_INTERVAL_S} s`}: ` +
        `${outcome.writes} writes (${Math.round(outcome.writes / elapsed)}/s), ${outcome.busy} busy, ${outcome.failed} failed, ` +
        (outcome.wedgedAt === null ? 'never stalled' : `WEDGED after ${outcome.wedgedAt} s`) +
        `; a write after the run ${outcome.answersAfter ? 'was answered' : 'got no answer in 15 s'}`,
    )
    return outcome
  } finally {
    client.close()
    await sqld.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

let projectWedged = false
for (let i = 0; i < Number(values.runs); i++) {
  await run(true)
  const ours = await run(false)
  projectWedged ||= ours.wedgedAt !== null || !ours.answersAfter
}
process.exit(projectWedged ? 1 : 0)
