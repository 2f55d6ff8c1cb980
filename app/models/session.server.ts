import { and, eq, lt, ne } from 'drizzle-orm'
import { sessions, users, type Session, type User } from '../../db/schema'
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
  /** True when the expiry moved: the cookie must be sent again. */
  renewed: boolean
}

export async function validateSessionToken(token: string, now = new Date()): Promise<ValidSession | null> {
  const id = hashToken(token)
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1)
  if (!row) return null
  const { session, user } = row
  if (now >= session.expiresAt) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  if (session.expiresAt.getTime() - now.getTime() < RENEW_WITHIN_MS) {
    session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS)
    session.lastSeenAt = now
    await db
      .update(sessions)
      .set({ expiresAt: session.expiresAt, lastSeenAt: now })
      .where(eq(sessions.id, id))
    return { session, user, renewed: true }
  }
  return { session, user, renewed: false }
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
