// The keyword ritual's records (docs/decisions/017-keyword-ritual.md): which dailies a reader
// has opened with their keyword, and on which days that reply was the day's 打卡.
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import { dailies, keywordUnlocks, type Daily } from '../../db/schema'
import { db } from '~/utils/db.server'
import { live } from './daily.server'

/** The most recent live daily whose keyword has this normalised key, or undefined. */
export function findLiveDailyByKey(key: string, now = new Date()) {
  return db.query.dailies.findFirst({
    where: and(eq(dailies.keywordKey, key), live(now)),
    orderBy: [desc(dailies.date)],
  })
}

/**
 * Records that a signed-in reader replied with a daily's keyword on a local day. One row per
 * reader and daily: the first reply is kept, except that a reply given before the daily's date
 * (a daily published early, the evening before) gives way to the first reply on its date, which
 * is that day's 打卡. `first` says whether this reply opened the daily or made its 打卡.
 */
export async function recordKeywordUnlock({ userId, daily, day }: { userId: number; daily: Pick<Daily, 'id' | 'date'>; day: string }) {
  const insert = db.insert(keywordUnlocks).values({ userId, dailyId: daily.id, day })
  const recorded = await (day === daily.date
    ? insert.onConflictDoUpdate({ target: [keywordUnlocks.userId, keywordUnlocks.dailyId], set: { day }, setWhere: lt(keywordUnlocks.day, day) })
    : insert.onConflictDoNothing()
  ).returning({ id: keywordUnlocks.id })
  return { first: recorded.length > 0 }
}

/** Whether a signed-in reader has opened this daily with its keyword. */
export async function hasUnlocked({ userId, dailyId }: { userId: number; dailyId: number }) {
  return (await unlockedStatement.execute({ userId, dailyId })) !== undefined
}

// Both are read for every signed-in visit of / and /daily/:date: built once (decision 032).
const unlockedStatement = db.query.keywordUnlocks
  .findFirst({
    columns: { id: true },
    where: and(eq(keywordUnlocks.userId, sql.placeholder('userId')), eq(keywordUnlocks.dailyId, sql.placeholder('dailyId'))),
  })
  .prepare()
const checkinDaysStatement = db
  .select({ day: keywordUnlocks.day })
  .from(keywordUnlocks)
  .innerJoin(dailies, eq(dailies.id, keywordUnlocks.dailyId))
  .where(and(eq(keywordUnlocks.userId, sql.placeholder('userId')), sql`${keywordUnlocks.day} = ${dailies.date}`))
  .orderBy(desc(keywordUnlocks.day))
  .prepare()

/** The local days on which a reader answered that day's own keyword: their 打卡 days. */
export async function checkinDays(userId: number) {
  const rows = await checkinDaysStatement.all({ userId })
  return rows.map((row) => row.day)
}

/** A keyword a visitor gave before signing in, as their cookie remembers it. */
export interface RememberedUnlock {
  dailyId: number
  /** The local day of the reply. */
  day: string
  /** Whether that day was the daily's own date: a 打卡. */
  checkin: boolean
}

/**
 * Moves a visitor's replies into the account they signed in to, keeping the days they were
 * given on (so their 打卡 count). Dailies deleted since are skipped; replies the account
 * already has keep their first day.
 */
export async function adoptRememberedUnlocks(userId: number, unlocks: readonly RememberedUnlock[]) {
  if (unlocks.length === 0) return 0
  const existing = await db
    .select({ id: dailies.id })
    .from(dailies)
    .where(inArray(dailies.id, [...new Set(unlocks.map((u) => u.dailyId))]))
  const ids = new Set(existing.map((row) => row.id))
  const rows = unlocks.filter((u) => ids.has(u.dailyId)).map((u) => ({ userId, dailyId: u.dailyId, day: u.day }))
  if (rows.length === 0) return 0
  const inserted = await db.insert(keywordUnlocks).values(rows).onConflictDoNothing().returning({ id: keywordUnlocks.id })
  return inserted.length
}
