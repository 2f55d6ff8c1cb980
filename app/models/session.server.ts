import { and, eq, lt, ne, sql } from 'drizzle-orm'
import { memberships, sessions, tiers, users, type Session, type User } from '../../db/schema'
import type { MembershipPeriod } from '~/domain/membership'
import { db, type Executor } from '~/utils/db.server'
import { generateToken, hashToken } from '~/utils/crypto.server'

const DAY_MS = 24 * 60 * 60 * 1000
export const SESSION_LIFETIME_MS = 30 * DAY_MS
/** A session used within this much of its expiry is extended by a full lifetime (sliding expiry). */
const RENEW_WITHIN_MS = 15 * DAY_MS

export interface SessionContext {
  userAgent?: string
  ip?: string
}

export async function createSession(
  { userId, context = {}, now = new Date() }: { userId: number; context?: SessionContext; now?: Date },
  executor: Executor = db,
) {
  const token = generateToken()
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS)
  await executor.insert(sessions).values({
    id: hashToken(token),
    userId,
    expiresAt,
    createdAt: now,
    lastSeenAt: now,
    userAgent: (context.userAgent ?? '').slice(0, 300),
    ip: (context.ip ?? '').slice(0, 64),
  })
  return { token, expiresAt }
}

export interface ValidSession {
  session: Session
  user: User
  /** Every membership of the user with its tier's rank and name: the input of checkAccess. */
  memberships: (MembershipPeriod & { tierName: string })[]
  /** True when the expiry moved: the cookie must be sent again. */
  renewed: boolean
}

/**
 * The session, its user and the user's memberships in one statement, built once (every signed-in
 * page reads it first; decision 032): a row per membership, or one row with no membership.
 */
const readSession = db
  .select({
    session: sessions,
    user: users,
    tierRank: tiers.rank,
    tierName: tiers.name,
    validFrom: memberships.validFrom,
    validUntil: memberships.validUntil,
    revokedAt: memberships.revokedAt,
  })
  .from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId))
  .leftJoin(memberships, eq(memberships.userId, sessions.userId))
  .leftJoin(tiers, eq(tiers.id, memberships.tierId))
  .where(eq(sessions.id, sql.placeholder('id')))
  .prepare()

export async function validateSessionToken(token: string, now = new Date()): Promise<ValidSession | null> {
  const id = hashToken(token)
  const rows = await readSession.all({ id })
  const first = rows[0]
  if (!first) return null
  const { session, user } = first
  if (now >= session.expiresAt) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  const periods = rows.flatMap((row) =>
    row.tierRank === null || row.tierName === null || row.validFrom === null || row.validUntil === null
      ? []
      : [{ tierRank: row.tierRank, tierName: row.tierName, validFrom: row.validFrom, validUntil: row.validUntil, revokedAt: row.revokedAt }],
  )
  // Written only when the expiry slides (at most about once in 15 days), never on every read.
  if (session.expiresAt.getTime() - now.getTime() < RENEW_WITHIN_MS) {
    session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS)
    session.lastSeenAt = now
    await db
      .update(sessions)
      .set({ expiresAt: session.expiresAt, lastSeenAt: now })
      .where(eq(sessions.id, id))
    return { session, user, memberships: periods, renewed: true }
  }
  return { session, user, memberships: periods, renewed: false }
}

export async function invalidateSession(sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}

/** Revokes one of a user's sessions; the user id in the query keeps others' sessions safe. */
export async function revokeUserSession({ userId, sessionId }: { userId: number; sessionId: string }) {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id })
  return deleted.length > 0
}

export async function invalidateUserSessions(userId: number, executor: Executor = db) {
  await executor.delete(sessions).where(eq(sessions.userId, userId))
}

export async function listUserSessions(userId: number, now = new Date()) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)))
  return db.query.sessions.findMany({
    where: eq(sessions.userId, userId),
    orderBy: (s, { desc }) => [desc(s.lastSeenAt)],
  })
}

export async function revokeOtherSessions({ userId, keepSessionId }: { userId: number; keepSessionId: string }) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
}
