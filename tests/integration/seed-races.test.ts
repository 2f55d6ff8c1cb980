// Each seed on its own, run twice at once on one database (as two servers without the setup
// lease would): one run seeds, the other does nothing, and neither fails with a UNIQUE error.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { count } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../db/client'
import { runMigrations } from '../../db/migrate'
import { boards, drops, productCategories, products, threads, tiers, users } from '../../db/schema'
import { DEMO_ACCOUNTS, seedBoards, seedDemo, seedTiers } from '../../db/seed'
import { seedDemoCommunity } from '../../db/seed-community'
import { seedDemoDrop } from '../../db/seed-drop'
import { DEMO_PRODUCTS, seedDemoShop, seedShopCategories } from '../../db/seed-shop'
import { databaseHandle } from '~/utils/db.server'

const NOW = new Date('2026-12-06T04:00:00Z')
const dir = mkdtempSync(join(tmpdir(), 'zhiyin-seed-races-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const rowsOf = async (table: SQLiteTable, on: Pick<typeof databaseHandle, 'db'> = databaseHandle) => (await on.db.select({ n: count() }).from(table))[0]!.n

describe('seeds racing without the setup lease', () => {
  it('seed the tiers, boards and shop categories once between two connections on an empty file', async () => {
    const url = `file:${join(dir, 'empty.db')}`
    const [one, two] = [createDatabase(url), createDatabase(url)]
    try {
      await runMigrations(one)
      for (const seed of [seedTiers, seedBoards, seedShopCategories]) {
        const seeded = await Promise.all([seed(one), seed(two)])
        expect(seeded.filter(Boolean)).toHaveLength(1)
      }
      expect([await rowsOf(tiers, one), await rowsOf(boards, one), await rowsOf(productCategories, one)]).toEqual([3, 2, 4])
    } finally {
      one.close()
      two.close()
    }
  })

  it('seed the demo accounts, threads, drop and shop once when each runs twice at once', async () => {
    await Promise.all([seedBoards(databaseHandle), seedShopCategories(databaseHandle)])
    expect((await Promise.all([seedDemo(databaseHandle, { now: NOW }), seedDemo(databaseHandle, { now: NOW })])).filter(Boolean)).toHaveLength(1)
    expect(await rowsOf(users)).toBe(DEMO_ACCOUNTS.length)

    const threadsCreated = await Promise.all([seedDemoCommunity(databaseHandle, { now: NOW }), seedDemoCommunity(databaseHandle, { now: NOW })])
    expect(threadsCreated.filter((created) => created > 0)).toHaveLength(1)
    expect(await rowsOf(threads)).toBe(Math.max(...threadsCreated))

    const announced = await Promise.all([
      seedDemoDrop(databaseHandle, { now: NOW, timeZone: 'Asia/Shanghai' }),
      seedDemoDrop(databaseHandle, { now: NOW, timeZone: 'Asia/Shanghai' }),
    ])
    expect(announced.filter(Boolean)).toHaveLength(1)
    expect(await rowsOf(drops)).toBe(1)

    const shop = await Promise.all([
      seedDemoShop(databaseHandle, { now: NOW, timeZone: 'Asia/Shanghai' }),
      seedDemoShop(databaseHandle, { now: NOW, timeZone: 'Asia/Shanghai' }),
    ])
    expect(shop.sort()).toEqual([0, DEMO_PRODUCTS.length])
    expect(await rowsOf(products)).toBe(DEMO_PRODUCTS.length)
  }, 60_000)
})
