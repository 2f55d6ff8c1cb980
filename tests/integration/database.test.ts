import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { tiers, users } from '../../db/schema'
import { databaseHandle, db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { countRows } from '../factories/db'

// Every integration file relies on this: its own migrated SQLite file, empty but for the tiers.
describe('the test database of this file', () => {
  it('is a file inside this test file’s own DATA_DIR, held by the one app handle', async () => {
    const [main] = await db.all<{ name: string; file: string }>(sql`PRAGMA database_list`)
    expect(main?.file).toBe(`${process.env.DATA_DIR}/test.db`)
    expect(getEnv().DATABASE_URL).toBe(`file:${main?.file}`)
    expect(globalThis.__zhiyinDatabase).toBe(databaseHandle)
  })

  it('starts with the three seeded tiers and no users', async () => {
    expect(await countRows(users)).toBe(0)
    expect(await db.select({ slug: tiers.slug, rank: tiers.rank }).from(tiers).orderBy(tiers.rank)).toEqual([
      { slug: 'free', rank: 0 },
      { slug: 'qinqing', rank: 1 },
      { slug: 'tiegan', rank: 2 },
    ])
  })

  it('runs in WAL mode, as the server does', async () => {
    const [mode] = await db.all<{ journal_mode: string }>(sql`PRAGMA journal_mode`)
    expect(mode?.journal_mode).toBe('wal')
  })
})
