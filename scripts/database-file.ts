// What the backup and restore scripts need to know about a SQLite file of Zhiyin's
// (docs/decisions/035-backups-and-deployment.md): where the database of an environment lives,
// whether a file is a sound copy of one, and the files SQLite keeps beside it.
import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'

/** The table drizzle's migrator keeps: a file without it was never a Zhiyin database. */
const MIGRATIONS_TABLE = '__drizzle_migrations'

/** The files SQLite may keep beside a database: its write-ahead log, its shared memory, its rollback journal. */
export const SIDE_FILE_SUFFIXES = ['-wal', '-shm', '-journal'] as const

/**
 * The database an environment points at, as the server reads it (app/utils/env.server.ts):
 * DATABASE_URL, else `file:` DATA_DIR/zhiyin.db. The scripts read the environment themselves so
 * that a variable wrong for the site (a payment key, say) never stops a backup.
 */
export function databaseUrlOf(env: Record<string, string | undefined>) {
  return env.DATABASE_URL || `file:${join(env.DATA_DIR || './data', 'zhiyin.db')}`
}

/** The path of a `file:` URL, or null for a libsql server (http, https, libsql, ws, wss). */
export function localPathOf(url: string) {
  return url.startsWith('file:') ? url.slice('file:'.length) : null
}

export type FileCheck = { ok: true; migrations: number } | { ok: false; reason: string }

/**
 * Whether a file is a whole, uncorrupted Zhiyin database: `PRAGMA integrity_check` answers
 * `ok` and drizzle's migrations table is there. A damaged page can also make SQLite throw
 * before it answers; that is a refusal too, with SQLite's words.
 */
export async function checkDatabaseFile(path: string): Promise<FileCheck> {
  if (!existsSync(path)) return { ok: false, reason: `${path} does not exist` }
  const client = createClient({ url: `file:${path}` })
  try {
    const integrity = await client.execute('PRAGMA integrity_check')
    const problems = integrity.rows.map((row) => String(row[0])).filter((line) => line !== 'ok')
    if (problems.length > 0 || integrity.rows.length === 0) {
      return { ok: false, reason: `integrity_check failed: ${problems.slice(0, 3).join('; ') || 'no answer'}` }
    }
    const table = await client.execute({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", args: [MIGRATIONS_TABLE] })
    if (table.rows.length === 0) return { ok: false, reason: `not a Zhiyin database (no ${MIGRATIONS_TABLE} table)` }
    const applied = await client.execute(`SELECT count(*) FROM ${MIGRATIONS_TABLE}`)
    return { ok: true, migrations: Number(applied.rows[0]![0]) }
  } catch (error) {
    return { ok: false, reason: `unreadable: ${causeMessage(error)}` }
  } finally {
    client.close()
  }
}

/** SQLite's own words for a failure (libsql puts them in `cause`). */
export function causeMessage(error: unknown) {
  const cause = (error as { cause?: unknown })?.cause
  return String(cause instanceof Error ? cause.message : error instanceof Error ? error.message : error)
}

/** "2026-12-06T12:34:56.789Z" → "20261206-123456Z": file names that sort by time. */
export function fileStamp(now: Date) {
  const iso = now.toISOString()
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}Z`
}

/** "4.1 MB": a size for a log line. */
export function formatSize(bytes: number) {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** fsync of a file, or of a folder after a rename in it (Linux allows both on a read-only descriptor). */
export function syncToDisk(path: string) {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
