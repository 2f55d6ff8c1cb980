import { and, eq, gt, like, ne, or, sql, count, desc, type SQL } from 'drizzle-orm'
import { loginFailures, passwords, users, wechatIdentities, type AuthTokenPurpose, type StaffRole, type User } from '../../db/schema'
import { displayNameKey, isReservedWord } from '~/domain/display-name-key'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'
import { generateToken } from '~/utils/crypto.server'
import { hashPassword, verifyPassword } from '~/utils/password.server'
import { recordAudit } from './audit.server'
import { confirmReferral } from './referral.server'
import { invalidateUserSessions } from './session.server'

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase()
}

export function getUserById(id: number) {
  return db.query.users.findFirst({ where: eq(users.id, id) })
}

export function getUserByEmail(email: string) {
  return db.query.users.findFirst({ where: sql`lower(${users.email}) = ${normalizeEmail(email)}` })
}

export class EmailTakenError extends Error {
  name = 'EmailTakenError'
}


/**
 * Creates a user with a password; the unique index (not a prior SELECT) decides "email taken".
 * For seeds, tests and staff-made accounts: readers sign up through signUp (signup.server).
 */
export async function createUser(input: {
  email: string
  displayName: string
  password: string
  role?: StaffRole
  /** Whether the address is known to be the owner's (see users.emailVerified). */
  emailVerified: boolean
}): Promise<User> {
  // Hash before taking the write lock: argon2 is deliberately slow.
  const hash = await hashPassword(input.password)
  try {
    return await transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: normalizeEmail(input.email), displayName: input.displayName, role: input.role ?? 'user', emailVerified: input.emailVerified })
        .returning()
      if (!user) throw new Error('insert returned no row')
      await tx.insert(passwords).values({ userId: user.id, hash })
      return user
    })
  } catch (error) {
    if (uniqueViolation(error) !== null) throw new EmailTakenError(input.email)
    throw error
  }
}

export type OwnershipProof = { firstProof: boolean; passwordRemoved: boolean }

/**
 * An emailed link to the account's address was used: the address is its owner's. The first
 * time this happens through a link other than the sign-up's own verification link (a magic
 * link, a password reset), whoever signed the account up may not have owned the address — they
 * could have signed it up to wait for its owner — so the password chosen then and every session
 * end with it (a reset sets a new password right after). docs/decisions/014.
 */
export async function confirmEmailOwnership(
  { userId, via }: { userId: number; via: AuthTokenPurpose },
  executor: Executor,
): Promise<OwnershipProof> {
  const [changed] = await executor
    .update(users)
    .set({ emailVerified: true })
    .where(and(eq(users.id, userId), eq(users.emailVerified, false)))
    .returning({ id: users.id })
  // Sign-up is complete: a referral that brought this account counts from now (decision 022).
  if (changed) await confirmReferral({ userId, now: new Date() }, executor)
  if (!changed || via === 'verify_email') return { firstProof: Boolean(changed), passwordRemoved: false }
  await executor.delete(passwords).where(eq(passwords.userId, userId))
  // An address added by a WeChat account (decision 021) is the same case: the WeChat that added it goes too.
  await executor.delete(wechatIdentities).where(eq(wechatIdentities.userId, userId))
  await invalidateUserSessions(userId, executor)
  return { firstProof: true, passwordRemoved: true }
}

/** The user when the password matches, else null (and the caller records a failure). */
export async function verifyLogin(email: string, password: string) {
  const [row] = await db
    .select({ user: users, hash: passwords.hash })
    .from(users)
    .innerJoin(passwords, eq(passwords.userId, users.id))
    .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`)
    .limit(1)
  // Hash anyway when the account is unknown, so timing does not reveal which emails exist.
  const valid = await verifyPassword(row?.hash ?? DUMMY_HASH, password)
  return row && valid ? row.user : null
}
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$jx7VBhMcfe0b/2kEH+2xzA$lWw7pMx6wFeEzEC/YcaN4AHOuDHWDssX6aSnvtyDDFo'

export async function checkPassword(userId: number, password: string) {
  const row = await db.query.passwords.findFirst({ where: eq(passwords.userId, userId) })
  return row ? verifyPassword(row.hash, password) : false
}

/** Stores an argon2id hash made beforehand with hashPassword (kept out of write transactions). */
export async function setPasswordHash({ userId, hash }: { userId: number; hash: string }, executor: Executor = db) {
  await executor
    .insert(passwords)
    .values({ userId, hash })
    .onConflictDoUpdate({ target: passwords.userId, set: { hash, updatedAt: new Date() } })
}

/**
 * A first password for an account that has none (made by WeChat sign-in): one INSERT that does
 * nothing when a password exists, so it can never stand in for changing one. False then.
 */
export async function setFirstPassword({ userId, hash }: { userId: number; hash: string }) {
  const rows = await db.insert(passwords).values({ userId, hash }).onConflictDoNothing().returning({ userId: passwords.userId })
  return rows.length === 1
}

export async function hasPassword(userId: number) {
  return (await db.query.passwords.findFirst({ columns: { userId: true }, where: eq(passwords.userId, userId) })) !== undefined
}

/**
 * Whether a non-staff user may not take this (normalized) name: a reserved word, or what a staff
 * member is called, compared by displayNameKey (case, spacing, look-alike letters ignored).
 */
export async function isDisplayNameReserved({ displayName, exceptUserId = null }: { displayName: string; exceptUserId?: number | null }) {
  const key = displayNameKey(displayName)
  if (key === '') return false
  if (isReservedWord(displayName)) return true
  // Staff are a handful of rows.
  const staff = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(ne(users.role, 'user'))
  return staff.some((member) => member.id !== exceptUserId && displayNameKey(member.displayName) === key)
}

export type ProfileUpdate = { ok: true } | { ok: false; reason: 'name_reserved' }

/** Sets a user's display name (already validated by the profile form); staff names are refused to others. */
export async function updateProfile({ user, displayName }: { user: Pick<User, 'id' | 'role'>; displayName: string }): Promise<ProfileUpdate> {
  if (user.role === 'user' && (await isDisplayNameReserved({ displayName, exceptUserId: user.id }))) return { ok: false, reason: 'name_reserved' }
  await db.update(users).set({ displayName }).where(eq(users.id, user.id))
  return { ok: true }
}

export async function updateEmailPreferences({
  userId,
  emailDaily,
}: {
  userId: number
  emailDaily: boolean
}) {
  await db.update(users).set({ emailDaily }).where(eq(users.id, userId))
}

/** An admin sets a user's staff role; the change and its audit entry commit together. */
export async function changeRole({ userId, role, actorId }: { userId: number; role: StaffRole; actorId: number }) {
  return transaction(async (tx) => {
    const [before] = await tx.select({ role: users.role }).from(users).where(eq(users.id, userId))
    if (!before) return undefined
    const [user] = await tx.update(users).set({ role }).where(eq(users.id, userId)).returning()
    await recordAudit({ actorId, action: 'role.set', targetType: 'user', targetId: userId, detail: { from: before.role, to: role } }, tx)
    return user
  })
}

export const USERS_PAGE_SIZE = 20

export async function searchUsers({ query, page = 1 }: { query: string; page?: number }) {
  const q = query.trim()
  const where = q
    ? or(like(users.email, `%${escapeLike(q.toLowerCase())}%`), like(users.displayName, `%${escapeLike(q)}%`))
    : undefined
  const [rows, [total]] = await Promise.all([
    db.query.users.findMany({
      where,
      orderBy: [desc(users.id)],
      limit: USERS_PAGE_SIZE,
      offset: (page - 1) * USERS_PAGE_SIZE,
    }),
    db.select({ n: count() }).from(users).where(where),
  ])
  return { users: rows, total: total?.n ?? 0 }
}

function escapeLike(text: string) {
  // drizzle's like() has no ESCAPE clause; strip the wildcards so a search for "%" is literal-ish.
  return text.replace(/[%_]/g, '')
}

// ---- failed sign-ins (rate limiting) --------------------------------------------------------

export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000
/**
 * Wrong passwords for one account from one address in the window. Counted per address, so a
 * stranger guessing does not lock the owner out; the per-account limit is much higher and only
 * stops guessing spread over many addresses; the per-address limit slows one address trying
 * many accounts without locking a shared network (a campus, a carrier's NAT) at the first few.
 */
export const LOGIN_LIMITS = { perAccountAndAddress: 10, perAccount: 100, perAddress: 50 } as const

export type LoginAttempt =
  | { ok: true; user: User }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; waitSeconds: number }

/**
 * A sign-in with a password. The attempt is recorded first, by one conditional INSERT that only
 * writes while every limit has room; only a recorded attempt reaches the (slow) password check.
 * So parallel guesses cannot all pass a check made before any of them is counted: at most the
 * limit of them are ever checked. A success removes this account's failures from this address
 * (its own attempt among them); a failure stays counted.
 */
export async function attemptLogin({ email, password, ip, now = new Date() }: { email: string; password: string; ip: string; now?: Date }): Promise<LoginAttempt> {
  const address = normalizeEmail(email)
  if (!(await recordLoginAttempt({ email: address, ip, now }))) {
    return { ok: false, reason: 'locked', waitSeconds: await loginLockoutSeconds({ email: address, ip, now }) }
  }
  const user = await verifyLogin(address, password)
  if (!user) return { ok: false, reason: 'wrong' }
  await db.delete(loginFailures).where(and(eq(loginFailures.email, address), eq(loginFailures.ip, ip)))
  return { ok: true, user }
}

async function recordLoginAttempt({ email, ip, now }: { email: string; ip: string; now: Date }) {
  const since = now.getTime() - LOGIN_FAILURE_WINDOW_MS
  const recent = (where: SQL) => sql`(SELECT count(*) FROM ${loginFailures} WHERE ${where} AND ${loginFailures.createdAt} > ${since})`
  const rows = await db.all<{ id: number }>(sql`
    INSERT INTO ${loginFailures} (email, ip, created_at)
    SELECT ${email}, ${ip}, ${now.getTime()}
    WHERE ${recent(sql`${loginFailures.email} = ${email} AND ${loginFailures.ip} = ${ip}`)} < ${LOGIN_LIMITS.perAccountAndAddress}
      AND ${recent(sql`${loginFailures.email} = ${email}`)} < ${LOGIN_LIMITS.perAccount}
      AND ${recent(sql`${loginFailures.ip} = ${ip}`)} < ${LOGIN_LIMITS.perAddress}
    RETURNING id`)
  return rows.length > 0
}

/** Seconds until every limit this attempt hit has room again (at least 1). */
async function loginLockoutSeconds({ email, ip, now }: { email: string; ip: string; now: Date }) {
  const since = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS)
  const scopes = [
    { where: and(eq(loginFailures.email, email), eq(loginFailures.ip, ip)), limit: LOGIN_LIMITS.perAccountAndAddress },
    { where: eq(loginFailures.email, email), limit: LOGIN_LIMITS.perAccount },
    { where: eq(loginFailures.ip, ip), limit: LOGIN_LIMITS.perAddress },
  ]
  let wait = 1
  for (const { where, limit } of scopes) {
    const recent = await db
      .select({ createdAt: loginFailures.createdAt })
      .from(loginFailures)
      .where(and(where, gt(loginFailures.createdAt, since)))
      .orderBy(desc(loginFailures.createdAt))
      .limit(limit)
    // Full: room comes back when the limit-th newest failure leaves the window.
    if (recent.length >= limit) {
      const oldest = recent[recent.length - 1]!.createdAt
      wait = Math.max(wait, Math.ceil((oldest.getTime() + LOGIN_FAILURE_WINDOW_MS - now.getTime()) / 1000))
    }
  }
  return wait
}

// ---- private podcast feed -------------------------------------------------------------------

/** A new random secret for the user's podcast feed URL; the old URL stops working. */
export async function resetPodcastToken(userId: number) {
  const token = generateToken()
  await db.update(users).set({ podcastToken: token }).where(eq(users.id, userId))
  return token
}

export function getUserByPodcastToken(token: string) {
  if (!/^[a-z2-7]{32}$/.test(token)) return Promise.resolve(undefined)
  return db.query.users.findFirst({ where: eq(users.podcastToken, token) })
}

export async function unsubscribeFromDaily(userId: number) {
  await db.update(users).set({ emailDaily: false }).where(eq(users.id, userId))
}
