// Signing up (docs/decisions/014-signup-and-email-verification.md): the answer is the same
// whether or not the address has an account, and nobody is signed in by it. A new address gets
// an unverified account and a single-use link that verifies it and signs in; an address with an
// account gets a mail saying so, with the ways in. Only the owner of the address learns which.
import { and, eq, exists, sql } from 'drizzle-orm'
import { legalDocuments, passwords, users, wechatIdentities, type User } from '../../db/schema'
import type { LegalDocumentSlug } from '~/domain/legal'
import { accountExistsEmail, verifyEmailEmail } from '~/emails/auth'
import { db, transaction, uniqueViolation } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { hashPassword } from '~/utils/password.server'
import { safeRedirect } from '~/utils/redirect'
import { consumeAuthToken, createAuthToken, deleteUserAuthTokens, mayEmailAnotherLink, TOKEN_MINUTES } from './auth-token.server'
import { takeRateLimit, type RateLimit } from './rate-limit.server'
import { recordReferral } from './referral.server'
import { confirmEmailOwnership, getUserByEmail, isDisplayNameReserved, normalizeEmail } from './user.server'

/** Sign-ups from one client address per hour (every submission that passed the form counts). */
export const SIGNUP_LIMIT: RateLimit = { bucket: 'signup', limit: 10, windowMs: 60 * 60_000 }
/** "You already have an account" mails to one account per hour: past that, nothing is sent. */
const ACCOUNT_EXISTS_LIMIT: RateLimit = { bucket: 'signup_existing', limit: 3, windowMs: 60 * 60_000 }

export type SignupResult = { ok: true } | { ok: false; reason: 'rate_limited'; waitSeconds: number } | { ok: false; reason: 'name_reserved' }

/** The current version (updated_at) of a legal text, read inside the insert that records consent. */
function agreedVersion(slug: LegalDocumentSlug) {
  return sql`(SELECT ${legalDocuments.updatedAt} FROM ${legalDocuments} WHERE ${legalDocuments.slug} = ${slug})`
}

export async function signUp({
  email,
  displayName,
  password,
  ip,
  redirectTo,
  referrerId = null,
  now = new Date(),
}: {
  email: string
  displayName: string
  password: string
  ip: string
  redirectTo?: string
  /** Whose `?ref=` link brought this visitor (their cookie), counted once the address is verified. */
  referrerId?: number | null
  now?: Date
}): Promise<SignupResult> {
  const limited = await takeRateLimit(SIGNUP_LIMIT, ip, now)
  if (!limited.ok) return { ok: false, reason: 'rate_limited', waitSeconds: limited.waitSeconds }
  // Decided before the address is looked at, so the answer cannot depend on it.
  if (await isDisplayNameReserved({ displayName })) return { ok: false, reason: 'name_reserved' }
  // Hashed either way (outside the write lock), so a registered address answers no faster.
  const hash = await hashPassword(password)
  const created = await transaction(async (tx) => {
    // The unique index on the address decides whether it is new.
    const [user] = await tx
      .insert(users)
      .values({
        email: normalizeEmail(email),
        displayName,
        role: 'user',
        emailVerified: false,
        // The texts as they stand at this write are the ones agreed to (decision 050).
        termsVersionAgreed: agreedVersion('terms'),
        privacyVersionAgreed: agreedVersion('privacy'),
      })
      .onConflictDoNothing()
      .returning()
    if (!user) return false
    await tx.insert(passwords).values({ userId: user.id, hash })
    if (referrerId !== null) await recordReferral({ referrerId, referredUserId: user.id }, tx)
    const token = await createAuthToken({ userId: user.id, purpose: 'verify_email', now }, tx)
    const mail = verifyEmailEmail({ name: user.displayName, url: verificationUrl(token, redirectTo), hours: TOKEN_MINUTES.verify_email / 60 })
    await sendEmail({ ...mail, to: user.email, template: 'verify_email' }, tx, now)
    return true
  })
  if (!created) await tellOwnerAccountExists(email, now)
  return { ok: true }
}

async function tellOwnerAccountExists(email: string, now: Date) {
  const user = await getUserByEmail(email)
  if (!user || !(await takeRateLimit(ACCOUNT_EXISTS_LIMIT, String(user.id), now)).ok) return
  const site = getEnv().SITE_URL
  const mail = accountExistsEmail({ name: user.displayName, loginUrl: `${site}/login`, resetUrl: `${site}/forgot-password` })
  await sendEmail({ ...mail, to: user.email, template: 'signup_existing' }, undefined, now)
}

/** Addresses added on /account by accounts made with WeChat, per client address per hour (as sign-up). */
export const ADD_EMAIL_LIMIT: RateLimit = { bucket: 'add_email', limit: 10, windowMs: 60 * 60_000 }

export type AddEmailResult = { ok: true } | { ok: false; reason: 'rate_limited'; waitSeconds: number } | { ok: false; reason: 'taken' | 'not_allowed' }

/**
 * A WeChat account (decision 021) gives itself an address: stored unverified in place of the
 * placeholder (or of an unverified one it added before), with a verification link mailed to it.
 * An address another account has is refused ('taken'); that answer tells whether the address is
 * registered, so it is counted against the same hourly limit as sign-up before it is looked at.
 */
export async function addEmailAddress({
  user,
  email,
  ip,
  now = new Date(),
}: {
  user: Pick<User, 'id' | 'displayName'>
  email: string
  ip: string
  now?: Date
}): Promise<AddEmailResult> {
  const limited = await takeRateLimit(ADD_EMAIL_LIMIT, ip, now)
  if (!limited.ok) return { ok: false, reason: 'rate_limited', waitSeconds: limited.waitSeconds }
  const address = normalizeEmail(email)
  try {
    return await transaction(async (tx) => {
      // Only an account that signs in with WeChat and has no verified address; the unique index decides "taken".
      const [changed] = await tx
        .update(users)
        .set({ email: address, emailVerified: false })
        .where(and(eq(users.id, user.id), eq(users.emailVerified, false), exists(db.select().from(wechatIdentities).where(eq(wechatIdentities.userId, user.id)))))
        .returning({ id: users.id })
      if (!changed) return { ok: false, reason: 'not_allowed' } as const
      // Links mailed to an address added before must not verify (or sign in to) this one.
      await deleteUserAuthTokens(user.id, tx)
      const token = await createAuthToken({ userId: user.id, purpose: 'verify_email', now }, tx)
      const mail = verifyEmailEmail({ name: user.displayName, url: verificationUrl(token, '/account'), hours: TOKEN_MINUTES.verify_email / 60 })
      await sendEmail({ ...mail, to: address, template: 'verify_email' }, tx, now)
      return { ok: true } as const
    })
  } catch (error) {
    if (uniqueViolation(error) === null) throw error
    return { ok: false, reason: 'taken' }
  }
}

/** The emailed verification link; it brings the reader back where sign-up started. */
export function verificationUrl(token: string, redirectTo?: string | null) {
  const back = safeRedirect(redirectTo, '')
  return `${getEnv().SITE_URL}/verify-email/${token}${back ? `?${new URLSearchParams({ redirectTo: back })}` : ''}`
}

export type ResendResult = { ok: true } | { ok: false; reason: 'already_verified' | 'too_many' }

/** Another verification link for a signed-in reader whose address is not verified yet. */
export async function resendVerificationEmail(user: Pick<User, 'id' | 'email' | 'displayName' | 'emailVerified'>, now = new Date()): Promise<ResendResult> {
  if (user.emailVerified) return { ok: false, reason: 'already_verified' }
  if (!(await mayEmailAnotherLink({ userId: user.id, purpose: 'verify_email', now }))) return { ok: false, reason: 'too_many' }
  await transaction(async (tx) => {
    const token = await createAuthToken({ userId: user.id, purpose: 'verify_email', now }, tx)
    const mail = verifyEmailEmail({ name: user.displayName, url: verificationUrl(token), hours: TOKEN_MINUTES.verify_email / 60 })
    await sendEmail({ ...mail, to: user.email, template: 'verify_email' }, tx, now)
  })
  return { ok: true }
}

/**
 * Uses a verification link: the address is verified, once. Returns the account's id, or null
 * when the link is unknown, used or expired.
 */
export async function redeemVerificationLink(token: string, now = new Date()) {
  return transaction(async (tx) => {
    const userId = await consumeAuthToken({ token, purpose: 'verify_email', now }, tx)
    if (userId === null) return null
    await confirmEmailOwnership({ userId, via: 'verify_email' }, tx)
    return userId
  })
}
