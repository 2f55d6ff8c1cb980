// Users, memberships and signed-in cookies, written straight to the test database.
import { eq } from 'drizzle-orm'
import { memberships, tiers, type MembershipSource, type StaffRole, type User } from '../../db/schema'
import { createSession } from '~/models/session.server'
import { createUser } from '~/models/user.server'
import { SESSION_COOKIE } from '~/utils/auth.server'
import { db } from '~/utils/db.server'

export const DAY_MS = 24 * 60 * 60 * 1000
export const TEST_PASSWORD = 'correct horse battery'

let sequence = 0

export type TierSlug = 'qinqing' | 'tiegan'

export async function tierIdOf(slug: TierSlug | 'free') {
  const tier = await db.query.tiers.findFirst({ where: eq(tiers.slug, slug) })
  if (!tier) throw new Error(`tier ${slug} is not seeded`)
  return tier.id
}

export interface TestMembership {
  tier: TierSlug
  validFrom?: Date
  validUntil?: Date
  revokedAt?: Date | null
  source?: MembershipSource
}

/** Gives a user a membership; by default active from 30 days ago for a year. */
export async function addMembership(userId: number, { tier, validFrom, validUntil, revokedAt = null, source = 'demo' }: TestMembership) {
  const now = Date.now()
  const [row] = await db
    .insert(memberships)
    .values({
      userId,
      tierId: await tierIdOf(tier),
      validFrom: validFrom ?? new Date(now - 30 * DAY_MS),
      validUntil: validUntil ?? new Date(now + 335 * DAY_MS),
      revokedAt,
      source,
    })
    .returning()
  return row!
}

/**
 * A user with a password (TEST_PASSWORD unless given), a staff role, an optional membership and
 * a verified address unless `emailVerified: false` (a reader who signed up and has not clicked).
 */
export async function createTestUser({
  role = 'user',
  tier,
  email,
  displayName,
  password = TEST_PASSWORD,
  emailVerified = true,
}: {
  role?: StaffRole
  tier?: TierSlug | TestMembership
  email?: string
  displayName?: string
  password?: string
  emailVerified?: boolean
} = {}): Promise<{ user: User; password: string }> {
  const n = ++sequence
  const user = await createUser({
    email: email ?? `user${n}@example.com`,
    displayName: displayName ?? `测试用户${n}`,
    password,
    role,
    emailVerified,
  })
  if (tier) await addMembership(user.id, typeof tier === 'string' ? { tier } : tier)
  return { user, password }
}

/** Starts a session for the user; returns the Cookie header value and the raw token. */
export async function signedInCookie(userId: number, { now }: { now?: Date } = {}) {
  const { token } = await createSession({ userId, now })
  return { cookie: `${SESSION_COOKIE}=${token}`, token }
}
