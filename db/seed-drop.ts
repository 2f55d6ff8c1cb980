// Outside production, a fresh database gets the next membership drop announced: it opens in 30
// days at 10:00 site time for a week, 亲情会员 ¥200 × 5,500 seats and 铁杆会员 ¥1,200 × 500,
// memberships valid for a year after it closes. /membership then shows its countdown at once;
// an admin can open it early at /admin/drops to try buying a seat.
import { count, inArray } from 'drizzle-orm'
import type { DatabaseHandle } from './client'
import { counters, drops, dropTiers, stock, tiers } from './schema'
import { addDays, endOfValidityDate, localDate, startOfDateIn } from '~/domain/time'

const HOUR_MS = 60 * 60 * 1000

const DEMO_SEATS = [
  { slug: 'qinqing', priceFen: 200_00, capacity: 5500 },
  { slug: 'tiegan', priceFen: 1200_00, capacity: 500 },
] as const

export async function seedDemoDrop(handle: DatabaseHandle, { now, timeZone }: { now: Date; timeZone: string }) {
  const { db } = handle
  const [existing] = await db.select({ n: count() }).from(drops)
  if ((existing?.n ?? 0) > 0) return null
  const openDay = addDays(localDate(now, timeZone), 30)!
  const opensAt = new Date(startOfDateIn(openDay, timeZone)!.getTime() + 10 * HOUR_MS)
  const closesAt = new Date(startOfDateIn(addDays(openDay, 7)!, timeZone)!.getTime() + 10 * HOUR_MS)
  const validUntil = endOfValidityDate(addDays(openDay, 7 + 365)!, timeZone)!
  // Named for the year its memberships mostly cover.
  const year = Number(addDays(openDay, 180)!.slice(0, 4))
  const tierRows = await db
    .select()
    .from(tiers)
    .where(inArray(tiers.slug, DEMO_SEATS.map((seat) => seat.slug)))
  return handle.transaction(async (tx) => {
    // Checked again inside the write: another process may have announced one since.
    const [again] = await tx.select({ n: count() }).from(drops)
    if ((again?.n ?? 0) > 0) return null
    const [counter] = await tx.insert(counters).values({}).returning()
    const [drop] = await tx
      .insert(drops)
      .values({
        name: `${year} 年度会员招募`,
        opensAt,
        closesAt,
        announcement: '一年只开一次，席位有限，按付款顺序编号。错过了可以加入候补，有人放弃时我们按顺序邮件通知。',
        counterId: counter!.id,
        updatedAt: now,
      })
      .returning()
    for (const seat of DEMO_SEATS) {
      const tier = tierRows.find((row) => row.slug === seat.slug)
      if (!tier) continue
      const [seats] = await tx.insert(stock).values({ capacity: seat.capacity, counterId: counter!.id }).returning()
      await tx.insert(dropTiers).values({ dropId: drop!.id, tierId: tier.id, priceFen: seat.priceFen, stockId: seats!.id, validUntil })
    }
    return drop!
  })
}
