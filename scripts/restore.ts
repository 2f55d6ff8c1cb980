// `npm run restore FILE`: puts a backup in place of the local database
// (docs/decisions/035-backups-and-deployment.md).
//
// Nothing changes unless the copy passes `PRAGMA integrity_check`, is a Zhiyin database (it has
// drizzle's migrations table) and no other process has the current database open. The current
// database is then kept beside it under a timestamped name, its write-ahead log with it, and the
// copy takes its place. The next server start migrates an older copy, releases the holds that
// lapsed meanwhile and numbers on from the counters in the copy.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { checkDatabaseFile, databaseUrlOf, fileStamp, formatSize, localPathOf, SIDE_FILE_SUFFIXES, causeMessage, syncToDisk } from './database-file'

export class RestoreRefused extends Error {
  name = 'RestoreRefused'
}

export interface RestoreResult {
  target: string
  bytes: number
  migrations: number
  /** Where the database that was replaced now is (null when there was none). */
  keptAs: string | null
}

/** Replaces the database at `target` with the backup `file`; throws RestoreRefused, changing nothing, when it must not. */
export async function restoreDatabase({ file, target, now = new Date() }: { file: string; target: string; now?: Date }): Promise<RestoreResult> {
  if (!existsSync(file)) throw new RestoreRefused(`${file} does not exist`)
  if (existsSync(target) && realpathSync(file) === realpathSync(target)) throw new RestoreRefused(`${file} is the current database itself`)
  const current = existsSync(target)
  if (current) expectNotInUse(target)

  // Copied beside the target and checked there, so what was checked is what goes in place;
  // renamed last, so the target is never half written.
  mkdirSync(dirname(target), { recursive: true })
  const incoming = `${target}.restoring-${process.pid}`
  try {
    copyFileSync(file, incoming)
    const check = await checkDatabaseFile(incoming)
    if (!check.ok) throw new RestoreRefused(`${file}: ${check.reason}`)
    syncToDisk(incoming)
    const keptAs = current ? keepAside(target, now) : null
    // Whatever SQLite file is left beside the target now belongs to no database we keep; a
    // write-ahead log left there would be replayed into the restored copy and corrupt it.
    for (const suffix of SIDE_FILE_SUFFIXES) rmSync(target + suffix, { force: true })
    renameSync(incoming, target)
    syncToDisk(dirname(target))
    return { target, bytes: statSync(target).size, migrations: check.migrations, keptAs }
  } finally {
    for (const leftover of [incoming, ...SIDE_FILE_SUFFIXES.map((suffix) => incoming + suffix)]) rmSync(leftover, { force: true })
  }
}

/**
 * Refuses while another process has the database or its write-ahead log open, as a running
 * server always does. SQLite's own locks cannot tell: an idle connection in WAL mode holds no
 * lock on the file. On Linux /proc lists every process's open files (what `fuser` reads), which
 * is cheap; processes of another user are invisible there, so run the restore as the server's
 * user. Elsewhere this check finds nothing: stop the server first (README).
 */
function expectNotInUse(target: string) {
  const users = processesUsing([target, `${target}-wal`, `${target}-shm`])
  if (users.length > 0) {
    throw new RestoreRefused(`${target} is open in process ${users.join(', ')} (a running server?): stop every server using it, then restore`)
  }
}

/** Ids of the other processes that have one of `paths` open (Linux; none elsewhere). */
export function processesUsing(paths: string[]) {
  if (!existsSync('/proc/self/fd')) return []
  const wanted = new Set(paths.filter((path) => existsSync(path)).map((path) => realpathSync(path)))
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    let descriptors: string[]
    try {
      descriptors = readdirSync(`/proc/${name}/fd`)
    } catch {
      continue // gone meanwhile, or another user's
    }
    const opens = descriptors.some((fd) => {
      try {
        return wanted.has(readlinkSync(`/proc/${name}/fd/${fd}`))
      } catch {
        return false
      }
    })
    if (opens) pids.push(Number(name))
  }
  return pids
}

/** zhiyin.db → zhiyin.replaced-20261206-123456Z.db, its side files renamed with it so SQLite still pairs them. */
function keepAside(target: string, now: Date) {
  const extension = extname(target)
  const keptAs = join(dirname(target), `${basename(target, extension)}.replaced-${fileStamp(now)}${extension}`)
  if (existsSync(keptAs)) throw new RestoreRefused(`${keptAs} already exists (one restore per second)`)
  renameSync(target, keptAs)
  for (const suffix of SIDE_FILE_SUFFIXES) {
    if (existsSync(target + suffix)) renameSync(target + suffix, keptAs + suffix)
  }
  return keptAs
}

export function describeRestore(file: string, result: RestoreResult) {
  const kept = result.keptAs ? `; the previous database is kept as ${result.keptAs}` : ''
  return `restore: ${result.target} ← ${file} (${formatSize(result.bytes)}, integrity ok, ${result.migrations} migrations applied in the copy)${kept}. Start the server: it migrates the copy and releases lapsed holds.`
}

async function main() {
  const file = process.argv[2]
  if (!file || process.argv.length > 3) {
    console.error('usage: npm run restore FILE   (FILE: a backup made by npm run backup)')
    process.exitCode = 2
    return
  }
  const url = databaseUrlOf(process.env)
  const target = localPathOf(url)
  if (target === null) {
    console.error(`restore refused: DATABASE_URL is a libsql server (${url}); restore its data file as README.md (部署 / Deployment → Backups) describes`)
    process.exitCode = 2
    return
  }
  try {
    const result = await restoreDatabase({ file: resolve(file), target: resolve(target) })
    console.log(describeRestore(file, result))
  } catch (error) {
    if (error instanceof RestoreRefused) console.error(`restore refused: ${error.message} — nothing was changed`)
    else console.error(`restore failed: ${causeMessage(error)}`)
    process.exitCode = 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
