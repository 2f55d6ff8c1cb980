// Limits on an action per key over a sliding window (sign-ups per client address), kept in the
// database so every server process counts the same hits. A hit is recorded by one conditional
// INSERT that writes only while the window has room, so parallel requests cannot all slip past
// a count taken before any of them was recorded.
import { and, desc, eq, gt, lt, sql } from 'drizzle-orm'
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { loginFailures, rateLimitHits } from '../../db/schema'
import { db, type Executor } from '~/utils/db.server'

export interface RateLimit {
  bucket: string
  limit: number
  windowMs: number
}

export type RateLimitResult = { ok: true } | { ok: false; waitSeconds: number }

/** Records one hit for `key` when the window has room; otherwise how long until it has. */
export async function takeRateLimit({ bucket, limit, windowMs }: RateLimit, key: string, now = new Date()): Promise<RateLimitResult> {
  const since = now.getTime() - windowMs
  const rows = await db.all<{ id: number }>(sql`
    INSERT INTO ${rateLimitHits} (bucket, key, created_at)
    SELECT ${bucket}, ${key}, ${now.getTime()}
    WHERE (SELECT count(*) FROM ${rateLimitHits}
           WHERE ${rateLimitHits.bucket} = ${bucket} AND ${rateLimitHits.key} = ${key} AND ${rateLimitHits.createdAt} > ${since}) < ${limit}
    RETURNING id`)
  if (rows.length > 0) return { ok: true }
  const recent = await db
    .select({ createdAt: rateLimitHits.createdAt })
    .from(rateLimitHits)
    .where(and(eq(rateLimitHits.bucket, bucket), eq(rateLimitHits.key, key), gt(rateLimitHits.createdAt, new Date(since))))
    .orderBy(desc(rateLimitHits.createdAt))
    .limit(limit)
  // Room comes back when the limit-th newest hit leaves the window.
  const oldest = recent[recent.length - 1]?.createdAt ?? now
  return { ok: false, waitSeconds: Math.max(1, Math.ceil((oldest.getTime() + windowMs - now.getTime()) / 1000)) }
}

/** Rows no window looks at any more (every window here is at most a day). */
export async function forgetOldRateLimitRecords(now = new Date()) {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000)
  await db.delete(rateLimitHits).where(lt(rateLimitHits.createdAt, dayAgo))
  await db.delete(loginFailures).where(lt(loginFailures.createdAt, dayAgo))
}

/** Where an author's posts are kept: community threads and replies, 留言 under dailies. */
export interface PostTable {
  table: SQLiteTable
  author: AnySQLiteColumn<{ data: number; notNull: true }>
  createdAt: AnySQLiteColumn<{ data: Date; notNull: true }>
}

/**
 * Seconds until the oldest of `limit` recent posts leaves its window, or null under the limit.
 * Call it inside the write transaction that inserts, so parallel requests cannot both slip in.
 */
export async function waitForRecentPosts(
  executor: Executor,
  { table, author, createdAt }: PostTable,
  { authorId, windowMs, limit, now }: { authorId: number; windowMs: number; limit: number; now: Date },
) {
  const since = new Date(now.getTime() - windowMs)
  const recent = await executor
    .select({ createdAt })
    .from(table)
    // Strictly inside the window: a post exactly one window old no longer counts, so waiting
    // the time we told the member is enough.
    .where(and(eq(author, authorId), gt(createdAt, since)))
    .orderBy(desc(createdAt))
    .limit(limit)
  if (recent.length < limit) return null
  const oldest = recent[recent.length - 1]!.createdAt
  return Math.max(1, Math.ceil((oldest.getTime() + windowMs - now.getTime()) / 1000))
}
