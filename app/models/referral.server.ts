// Referrals (issue 13, docs/decisions/022-share-posters-referral.md): each reader's stable code,
// who brought whom, and how many readers someone brought — counted once per referred account,
// and only once that account's address is verified.
import { randomBytes } from 'node:crypto'
import { and, count, eq, isNotNull, isNull, ne } from 'drizzle-orm'
import { referralCodes, referrals } from '../../db/schema'
import { db, uniqueViolation, type Executor } from '~/utils/db.server'

// No 0/o, 1/l/i: a code may be read aloud or typed from a poster.
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz'
const CODE_LENGTH = 8
export const REFERRAL_CODE = /^[2-9a-hjkmnp-z]{8}$/

function newReferralCode() {
  const bytes = randomBytes(CODE_LENGTH)
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')
}

/** The reader's referral code, made on first use (existing accounts get theirs lazily). */
export async function referralCodeFor(userId: number): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await db.query.referralCodes.findFirst({ where: eq(referralCodes.userId, userId) })
    if (existing) return existing.code
    try {
      // Two requests at once: the primary key keeps the first, the second reads it next time round.
      await db.insert(referralCodes).values({ userId, code: newReferralCode() }).onConflictDoNothing({ target: referralCodes.userId })
    } catch (error) {
      // Another reader already has this code (31^8 codes: rare): draw again.
      if (!uniqueViolation(error)) throw error
    }
  }
  throw new Error(`no referral code for user ${userId}`)
}

/** The reader a code belongs to, or null for an unknown or malformed code. */
export async function findReferrerByCode(code: string) {
  if (!REFERRAL_CODE.test(code)) return null
  const row = await db.query.referralCodes.findFirst({ where: eq(referralCodes.code, code) })
  return row ? row.userId : null
}

/**
 * Notes that a new account came through `referrerId`'s link; it counts once the address is
 * verified (confirmReferral). One row per referred account; a reader never refers themselves.
 */
export async function recordReferral({ referrerId, referredUserId }: { referrerId: number; referredUserId: number }, executor: Executor = db) {
  if (referrerId === referredUserId) return false
  const rows = await executor.insert(referrals).values({ referrerId, referredUserId }).onConflictDoNothing().returning({ id: referrals.referredUserId })
  return rows.length === 1
}

/** The referred account's address is verified: its referral counts from now (once). */
export async function confirmReferral({ userId, now }: { userId: number; now: Date }, executor: Executor = db) {
  await executor
    .update(referrals)
    .set({ verifiedAt: now })
    .where(and(eq(referrals.referredUserId, userId), isNull(referrals.verifiedAt), ne(referrals.referrerId, userId)))
}

/** How many verified readers came through this reader's links. */
export async function countReferrals(referrerId: number) {
  const [row] = await db
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.referrerId, referrerId), isNotNull(referrals.verifiedAt)))
  return row?.n ?? 0
}

/** What /account shows: how many readers this reader brought, and their invitation link. */
export async function referralSummary({ userId, siteUrl }: { userId: number; siteUrl: string }) {
  const [code, invited] = await Promise.all([referralCodeFor(userId), countReferrals(userId)])
  return { invited, link: `${siteUrl}/?ref=${code}` }
}
