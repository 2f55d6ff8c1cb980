// A member's plan as the drop reads it (decision 049): their membership periods with this drop's
// price of each period's tier, and a fingerprint of them that a seat's write checks, so a seat
// decided from a read before the write is placed only while the plan is as read (decision 038).
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { dropTiers, memberships, tiers, users } from '../../db/schema'
import { memberPlan, type MemberPlan, type PlanPeriod } from '~/domain/membership-plan'
import { db, type Executor } from '~/utils/db.server'

export interface PlanRead {
  periods: (PlanPeriod & { priceFen: number })[]
  /** planFingerprint's value when the periods were read. */
  fingerprint: string
  buyer: { email: string; name: string } | null
}

// Changes whenever a membership of the user is added, revoked, moved to another tier or extended:
// what a seat decided from an earlier read re-checks inside its write.
const FINGERPRINT = `SELECT printf('%d:%d:%d:%d:%d', count(*), coalesce(max(id), 0), coalesce(sum(valid_until), 0),
  coalesce(sum(tier_id), 0), coalesce(sum(revoked_at), 0)) FROM memberships WHERE user_id = ?`

/** The fingerprint of the user's memberships, as a value in a query. */
export function planFingerprint(userId: number) {
  return sql<string>`(${sql.raw(FINGERPRINT.slice(0, -1))}${userId})`
}

/** The same fingerprint as a condition of a raw statement: `(…) = ?`, with its two arguments. */
export function planFingerprintIs(userId: number, fingerprint: string) {
  return { sql: `(${FINGERPRINT}) = ?`, args: [userId, fingerprint] }
}

/**
 * The user's paid-rank periods (not revoked, not yet ended at `now`) with their tier's price in
 * `dropId`, and the user's name and email (a payment's fulfilment mails them): one read.
 */
export async function readPlan({ userId, dropId, now }: { userId: number; dropId: number | null; now: Date }, executor: Executor = db): Promise<PlanRead> {
  const rows = await executor
    .select({
      id: memberships.id,
      tierId: memberships.tierId,
      tierName: tiers.name,
      rank: tiers.rank,
      memberNumber: memberships.memberNumber,
      source: memberships.source,
      validFrom: memberships.validFrom,
      validUntil: memberships.validUntil,
      priceFen: sql<number | null>`coalesce(${dropTiers.priceFen}, ${tiers.priceFen})`,
      fingerprint: planFingerprint(userId),
      email: users.email,
      name: users.displayName,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), isNull(memberships.revokedAt), gt(memberships.validUntil, now)))
    .leftJoin(tiers, eq(tiers.id, memberships.tierId))
    .leftJoin(dropTiers, and(eq(dropTiers.tierId, memberships.tierId), eq(dropTiers.dropId, dropId ?? -1)))
    .where(eq(users.id, userId))
  const [first] = rows
  const periods = rows.flatMap(({ id, tierId, tierName, rank, memberNumber, source, validFrom, validUntil, priceFen }) =>
    id !== null && tierId !== null && tierName !== null && rank !== null && source !== null && validFrom !== null && validUntil !== null
      ? [{ id, tierId, tierName, rank, memberNumber, source, validFrom, validUntil, priceFen: Number(priceFen ?? 0) }]
      : [],
  )
  return { periods, fingerprint: first?.fingerprint ?? '', buyer: first ? { email: first.email, name: first.name } : null }
}

/** The plan of `read` at `now`, with this drop's price of its tier (the upgrade credit's base). */
export function planOf(read: PlanRead, now: Date): { plan: MemberPlan | null; planPriceFen: number } {
  const plan = memberPlan(read.periods, now)
  const planPriceFen = plan ? read.periods.find((p) => p.id === plan.membershipId)?.priceFen ?? 0 : 0
  return { plan, planPriceFen }
}

/** The user's plan at `now` (for pages): null without a membership in force. */
export async function getMemberPlan({ userId, dropId, now }: { userId: number; dropId: number | null; now: Date }, executor: Executor = db) {
  return planOf(await readPlan({ userId, dropId, now }, executor), now)
}
