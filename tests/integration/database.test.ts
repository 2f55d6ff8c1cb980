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

  it('syncs every commit on every connection of the pool (synchronous = FULL), not on one of them only', async () => {
    // Open transactions each hold a connection of their own, so holding several at once makes
    // the pool open (or reuse) that many: the one that ran the migrations among them.
    const open = await Promise.all(Array.from({ length: 6 }, () => databaseHandle.client.transaction('deferred')))
    try {
      const levels = await Promise.all(open.map(async (tx) => Number((await tx.execute('PRAGMA synchronous')).rows[0]![0])))
      // 2 is FULL; 1 (NORMAL) can undo a commit already answered 200 when the power fails.
      expect(levels).toEqual([2, 2, 2, 2, 2, 2])
    } finally {
      for (const tx of open) tx.close()
    }
    const [plain] = await db.all<{ synchronous: number }>(sql`PRAGMA synchronous`)
    expect(plain?.synchronous).toBe(2)
  })

  it('runs in WAL mode, as the server does', async () => {
    const [mode] = await db.all<{ journal_mode: string }>(sql`PRAGMA journal_mode`)
    expect(mode?.journal_mode).toBe('wal')
  })
})

describe('writes outside a transaction while one is open (docs/decisions/003)', () => {
  it('wait for the open transaction instead of blocking the process until SQLITE_BUSY', async () => {
    const started = Date.now()
    const order: string[] = []
    const slowTransaction = databaseHandle.transaction(async (tx) => {
      await tx.insert(users).values({ email: 'in-tx@example.com', displayName: '事务内' })
      // The transaction holds the write lock across an await, as real ones do.
      await new Promise((resolve) => setTimeout(resolve, 200))
      order.push('transaction')
    })
    // A plain write issued meanwhile (e.g. a session renewal) on the shared connection.
    await new Promise((resolve) => setTimeout(resolve, 20))
    const plainWrite = db
      .insert(users)
      .values({ email: 'outside@example.com', displayName: '事务外' })
      .then(() => order.push('plain write'))
    await Promise.all([slowTransaction, plainWrite])
    expect(order).toEqual(['transaction', 'plain write'])
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('applies to batches on the shared connection too', async () => {
    const order: string[] = []
    const slowTransaction = databaseHandle.transaction(async (tx) => {
      await tx.insert(users).values({ email: 'tx-2@example.com', displayName: '事务内二' })
      await new Promise((resolve) => setTimeout(resolve, 100))
      order.push('transaction')
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    const batch = db
      .batch([db.insert(users).values({ email: 'batch-1@example.com', displayName: '批一' }), db.select().from(users)])
      .then(() => order.push('batch'))
    await Promise.all([slowTransaction, batch])
    expect(order).toEqual(['transaction', 'batch'])
  })
})
