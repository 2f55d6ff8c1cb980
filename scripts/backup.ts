// `npm run backup`: a consistent copy of the live database, taken while the site runs
// (docs/decisions/035-backups-and-deployment.md).
//
// A local file is copied with `VACUUM INTO`, which reads one snapshot of the database — its
// write-ahead log included — in a read transaction, so writers carry on meanwhile. A libsql
// server (sqld) is first synced into a temporary embedded replica, a plain local file, which is
// then copied the same way. The copy is checked with `PRAGMA integrity_check` before it gets
// its timestamped name; the newest BACKUP_KEEP copies are kept; with BACKUP_S3_* set the copy is
// also uploaded to S3-compatible storage.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createClient } from '@libsql/client'
import { AwsClient } from 'aws4fetch'
import { causeMessage, checkDatabaseFile, databaseUrlOf, fileStamp, formatSize, localPathOf, syncToDisk } from './database-file'

/** zhiyin-20261206-123456Z.db: the names rotation counts; anything else in the folder is left alone. */
const BACKUP_NAME = /^zhiyin-\d{8}-\d{6}Z\.db$/

export interface S3Target {
  /** e.g. https://s3.eu-central-1.amazonaws.com, https://<account>.r2.cloudflarestorage.com, http://minio:9000 */
  endpoint: string
  bucket: string
  region?: string
  accessKeyId: string
  secretAccessKey: string
}

export interface BackupOptions {
  /** The live database: `file:…`, or a libsql server's URL. */
  databaseUrl: string
  authToken?: string
  dir: string
  keep: number
  s3?: S3Target | null
  now?: Date
}

export interface BackupResult {
  file: string
  bytes: number
  /** Older copies deleted by rotation (file names). */
  rotated: string[]
  /** Where the copy was uploaded, when it was. */
  uploaded: string | null
}

export class BackupError extends Error {
  name = 'BackupError'
}

export function backupName(now: Date) {
  return `zhiyin-${fileStamp(now)}.db`
}

/** Copies the database into `dir`, checks the copy, rotates, uploads. Throws a BackupError, leaving no partial copy. */
export async function backupDatabase({ databaseUrl, authToken, dir, keep, s3 = null, now = new Date() }: BackupOptions): Promise<BackupResult> {
  mkdirSync(dir, { recursive: true })
  const name = backupName(now)
  const file = join(dir, name)
  if (existsSync(file)) throw new BackupError(`${file} already exists (one backup per second)`)
  // Written under a name rotation ignores, renamed once it passed its check: a crash or a
  // failed check never leaves something that looks like a backup.
  const partial = join(dir, `.${name}.partial`)
  const source = localPathOf(databaseUrl)
  try {
    if (source !== null) await vacuumInto(source, partial)
    else await copyFromServer(databaseUrl, authToken, dir, partial)
    const check = await checkDatabaseFile(partial)
    if (!check.ok) throw new BackupError(`the copy failed its check and was deleted: ${check.reason}`)
    // SQLite does not fsync what VACUUM INTO wrote: a backup is on disk before it is named one.
    syncToDisk(partial)
    renameSync(partial, file)
    syncToDisk(dir)
  } finally {
    rmSync(partial, { force: true })
  }
  const rotated = rotateBackups(dir, keep)
  let uploaded: string | null = null
  if (s3) {
    try {
      uploaded = await uploadBackup(file, s3)
    } catch (error) {
      throw new BackupError(`${file} is kept, but ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { file, bytes: statSync(file).size, rotated, uploaded }
}

/**
 * One consistent snapshot of a local database into `target`: VACUUM INTO runs in a read
 * transaction, so it sees the committed state of one moment (the WAL included) and never
 * blocks the site's writers. A plain copy of the file would miss what is still in the WAL.
 */
async function vacuumInto(source: string, target: string) {
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`)
  // The busy timeout only matters for a database not in WAL mode (a writer locks readers out there).
  const client = createClient({ url: `file:${source}`, timeout: 5000 })
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [target] })
  } catch (error) {
    throw new BackupError(`VACUUM INTO failed: ${causeMessage(error)}`)
  } finally {
    client.close()
  }
}

/**
 * A libsql server's database, copied through an embedded replica: the client pulls every frame
 * of the primary into a local file (`sync()`), which is then an ordinary SQLite file to copy.
 * The replica is opened again as a plain file for VACUUM INTO: the replica client refuses the
 * statement (Sqlite3UnsupportedStatement, @libsql/client 0.18 against sqld 0.24).
 */
async function copyFromServer(syncUrl: string, authToken: string | undefined, dir: string, target: string) {
  const replicaDir = join(dir, `.replica-${process.pid}`)
  rmSync(replicaDir, { recursive: true, force: true })
  mkdirSync(replicaDir)
  try {
    const replicaFile = join(replicaDir, 'replica.db')
    try {
      // The client already syncs once as it opens; sync() makes sure it did to the latest frame.
      const replica = createClient({ url: `file:${replicaFile}`, syncUrl, authToken })
      try {
        await replica.sync()
      } finally {
        replica.close()
      }
    } catch (error) {
      throw new BackupError(`syncing a replica from ${syncUrl} failed: ${causeMessage(error)}`)
    }
    await vacuumInto(replicaFile, target)
  } finally {
    rmSync(replicaDir, { recursive: true, force: true })
  }
}

/** Deletes all but the `keep` newest backups in `dir`; returns the names deleted, oldest first. */
export function rotateBackups(dir: string, keep: number) {
  // The timestamp in the name sorts them; a file's mtime could be changed by a copy.
  const names = readdirSync(dir).filter((name) => BACKUP_NAME.test(name)).sort()
  const old = names.slice(0, Math.max(0, names.length - keep))
  for (const name of old) rmSync(join(dir, name))
  return old
}

/**
 * PUTs the file to `<endpoint>/<bucket>/<file name>` (path-style, which S3, R2 and MinIO all
 * accept), signed with AWS Signature V4. The body's SHA-256 is signed too (not UNSIGNED-PAYLOAD),
 * so the storage refuses a copy that changed on the way. One PUT: S3 takes up to 5 GB that way.
 */
export async function uploadBackup(file: string, target: S3Target) {
  const body = readFileSync(file)
  const key = file.split('/').pop()!
  const url = `${target.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(target.bucket)}/${encodeURIComponent(key)}`
  const aws = new AwsClient({
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    service: 's3',
    region: target.region,
    retries: 3,
  })
  let response: Response
  try {
    response = await aws.fetch(url, {
      method: 'PUT',
      body,
      headers: {
        'Content-Type': 'application/vnd.sqlite3',
        'X-Amz-Content-Sha256': createHash('sha256').update(body).digest('hex'),
      },
    })
  } catch (error) {
    throw new BackupError(`upload to ${url} failed: ${causeMessage(error)}`)
  }
  if (!response.ok) {
    const text = (await response.text()).slice(0, 300)
    throw new BackupError(`upload to ${url} failed: HTTP ${response.status} ${text}`)
  }
  return `s3://${target.bucket}/${key}`
}

/** BACKUP_* from an environment; throws a BackupError naming a wrong or missing variable. */
export function backupOptionsFrom(env: Record<string, string | undefined>): BackupOptions {
  const keepText = env.BACKUP_KEEP || '14'
  if (!/^\d+$/.test(keepText) || Number(keepText) < 1) throw new BackupError(`BACKUP_KEEP must be a whole number of at least 1, not "${keepText}"`)
  const s3Names = ['BACKUP_S3_ENDPOINT', 'BACKUP_S3_BUCKET', 'BACKUP_S3_ACCESS_KEY_ID', 'BACKUP_S3_SECRET_ACCESS_KEY'] as const
  const s3Set = s3Names.filter((name) => env[name])
  if (s3Set.length > 0 && s3Set.length < s3Names.length) {
    throw new BackupError(`${s3Names.join(', ')} are set together or not at all (missing: ${s3Names.filter((name) => !env[name]).join(', ')})`)
  }
  return {
    databaseUrl: databaseUrlOf(env),
    authToken: env.DATABASE_AUTH_TOKEN || undefined,
    dir: env.BACKUP_DIR || join(env.DATA_DIR || './data', 'backups'),
    keep: Number(keepText),
    s3:
      s3Set.length === 0
        ? null
        : {
            endpoint: env.BACKUP_S3_ENDPOINT!,
            bucket: env.BACKUP_S3_BUCKET!,
            region: env.BACKUP_S3_REGION || undefined,
            accessKeyId: env.BACKUP_S3_ACCESS_KEY_ID!,
            secretAccessKey: env.BACKUP_S3_SECRET_ACCESS_KEY!,
          },
  }
}

/** The one line the script prints. */
export function describeBackup(result: BackupResult) {
  const rotated = result.rotated.length === 0 ? 'nothing rotated out' : `rotated out ${result.rotated.length}: ${result.rotated.join(', ')}`
  const uploaded = result.uploaded ? `; uploaded to ${result.uploaded}` : ''
  return `backup: ${result.file} (${formatSize(result.bytes)}), integrity ok; ${rotated}${uploaded}`
}

async function main() {
  try {
    const result = await backupDatabase(backupOptionsFrom(process.env))
    console.log(describeBackup(result))
  } catch (error) {
    console.error(`backup failed: ${error instanceof BackupError ? error.message : causeMessage(error)}`)
    process.exitCode = 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
