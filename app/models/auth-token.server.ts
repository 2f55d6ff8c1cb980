import { and, count, eq, gt, gte, isNull } from 'drizzle-orm'
import { authTokens, type AuthTokenPurpose } from '../../db/schema'
import { db, type Executor } from '~/utils/db.server'
import { generateToken, hashToken } from '~/utils/crypto.server'
import { t } from '~/i18n/zh-CN'

export const TOKEN_MINUTES: Record<AuthTokenPurpose, number> = {
  magic_link: 15,
  password_reset: 30,
  // A new reader may open the sign-up mail the next morning.
  verify_email: 24 * 60,
}

/** Emailed links per account and purpose per hour: more would let anyone flood an inbox. */
export const MAX_LINKS_PER_HOUR = 5

/** Whether another link of this purpose may be emailed to the user now. */
export async function mayEmailAnotherLink({ userId, purpose, now = new Date() }: { userId: number; purpose: AuthTokenPurpose; now?: Date }) {
  const [row] = await db
    .select({ n: count() })
    .from(authTokens)
    .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), gte(authTokens.createdAt, new Date(now.getTime() - 60 * 60_000))))
  return (row?.n ?? 0) < MAX_LINKS_PER_HOUR
}

/** Creates a single-use token for an emailed link; returns the token (only its hash is kept). */
export async function createAuthToken(
  { userId, purpose, now = new Date() }: { userId: number; purpose: AuthTokenPurpose; now?: Date },
  executor: Executor = db,
) {
  const token = generateToken()
  await executor.insert(authTokens).values({
    id: hashToken(token),
    userId,
    purpose,
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_MINUTES[purpose] * 60_000),
  })
  return token
}

/** Whether a token can still be used (for showing the confirm page); does not consume it. */
export async function peekAuthToken({ token, purpose, now = new Date() }: { token: string; purpose: AuthTokenPurpose; now?: Date }) {
  const row = await db.query.authTokens.findFirst({
    where: and(eq(authTokens.id, hashToken(token)), eq(authTokens.purpose, purpose)),
  })
  if (!row) return { ok: false as const, reason: 'invalid' as const }
  if (row.usedAt) return { ok: false as const, reason: 'used' as const }
  if (row.expiresAt <= now) return { ok: false as const, reason: 'expired' as const }
  return { ok: true as const, userId: row.userId }
}

/**
 * Uses a token up: one conditional UPDATE, so two clicks of the same link cannot both succeed.
 * Returns the user id, or null when the token is unknown, used or expired.
 */
export async function consumeAuthToken(
  { token, purpose, now = new Date() }: { token: string; purpose: AuthTokenPurpose; now?: Date },
  executor: Executor = db,
) {
  const [row] = await executor
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.id, hashToken(token)),
        eq(authTokens.purpose, purpose),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
      ),
    )
    .returning({ userId: authTokens.userId })
  return row?.userId ?? null
}

/**
 * For a loader: throws the page a reader sees when an emailed link no longer works
 * (404 unknown, 410 used or expired); returns when the token is still good.
 */
export async function assertAuthTokenUsable({ token, purpose }: { token: string; purpose: AuthTokenPurpose }) {
  const check = await peekAuthToken({ token, purpose })
  if (check.ok) return
  const message = { invalid: t.errors.tokenInvalid, used: t.errors.tokenUsed, expired: t.errors.tokenExpired }[check.reason]
  throw new Response(message, { status: check.reason === 'invalid' ? 404 : 410 })
}

/**
 * Ends every unused emailed link of a user (after a password change or reset none may linger).
 * Used ones stay, so reopening them still says "already used".
 */
export async function deleteUserAuthTokens(userId: number, executor: Executor = db) {
  await executor.delete(authTokens).where(and(eq(authTokens.userId, userId), isNull(authTokens.usedAt)))
}
