// The demo drop a fresh development database starts with: announced, so /membership shows the
// countdown straight away.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { dropTiers, stock, tiers } from '../../db/schema'
import { seedDemoDrop } from '../../db/seed-drop'
import { dropWindow } from '~/domain/drop'
import { getCurrentDrop } from '~/models/drop.server'
import { databaseHandle, db } from '~/utils/db.server'

const NOW = new Date('2026-11-23T08:00:00Z')

describe('seedDemoDrop', () => {
  it('announces next year’s drop 30 days out at 10:00 site time, a week long, with both paid tiers on one counter', async () => {
    const drop = await seedDemoDrop(databaseHandle, { now: NOW, timeZone: 'Asia/Shanghai' })
    expect(drop).toMatchObject({ name: '2027 年度会员招募' })
    expect(drop!.opensAt.toISOString()).toBe('2026-12-23T02:00:00.000Z')
    expect(drop!.closesAt.toISOString()).toBe('2026-12-30T02:00:00.000Z')
    expect(dropWindow(drop!, NOW)).toBe('upcoming')
    expect((await getCurrentDrop(NOW))?.id).toBe(drop!.id)

    const seats = await db
      .select({ slug: tiers.slug, priceFen: dropTiers.priceFen, capacity: stock.capacity, counterId: stock.counterId, validUntil: dropTiers.validUntil })
      .from(dropTiers)
      .innerJoin(tiers, eq(tiers.id, dropTiers.tierId))
      .innerJoin(stock, eq(stock.id, dropTiers.stockId))
      .where(eq(dropTiers.dropId, drop!.id))
    expect(seats.map(({ slug, priceFen, capacity }) => ({ slug, priceFen, capacity })).sort((a, b) => a.priceFen - b.priceFen)).toEqual([
      { slug: 'qinqing', priceFen: 20_000, capacity: 5500 },
      { slug: 'tiegan', priceFen: 120_000, capacity: 500 },
    ])
    expect(new Set(seats.map((s) => s.counterId))).toEqual(new Set([drop!.counterId]))
    // Valid through the last day of the year after the drop closes (site time).
    expect(seats[0]!.validUntil.toISOString()).toBe('2027-12-30T16:00:00.000Z')
  })

  it('adds nothing once a drop exists', async () => {
    expect(await seedDemoDrop(databaseHandle, { now: NOW, timeZone: 'Asia/Shanghai' })).toBeNull()
  })
})
