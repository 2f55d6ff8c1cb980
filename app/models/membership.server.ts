import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm'
import { memberships, tiers, type MembershipSource } from '../../db/schema'
import type { MembershipPeriod } from '~/domain/membership'
import { recordAudit } from './audit.server'
import { db, transaction, type Executor } from '~/utils/db.server'

/** SQL condition: the membership is in force at `now` (not revoked, started, not ended). */
export function membershipActiveAt(now: Date) {
  return and(isNull(memberships.revokedAt), lte(memberships.validFrom, now), gt(memberships.validUntil, now))
}

// Every page lists the tiers: the statement is built once (decision 032).
const listTiersStatement = db.query.tiers.findMany({ orderBy: [asc(tiers.rank)] }).prepare()

export function listTiers(executor: Executor = db) {
  return executor === db ? listTiersStatement.all() : executor.query.tiers.findMany({ orderBy: [asc(tiers.rank)] })
}

export function getTierById(id: number) {
  return db.query.tiers.findFirst({ where: eq(tiers.id, id) })
}

/** Every membership of a user with its tier's rank and name: the input of checkAccess / activeRank. */
export async function getMembershipPeriods(userId: number, executor: Executor = db): Promise<(MembershipPeriod & { tierName: string })[]> {
  return executor
    .select({
      tierRank: tiers.rank,
      tierName: tiers.name,
      validFrom: memberships.validFrom,
      validUntil: memberships.validUntil,
      revokedAt: memberships.revokedAt,
    })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .where(eq(memberships.userId, userId))
}

/** The user's current membership of the highest rank, with its tier, or undefined. */
export async function getActiveMembership(userId: number, now = new Date()) {
  const [row] = await activeMembershipStatement.all({ userId, now: now.getTime() })
  return row
}

// /membership reads it for every signed-in visit: built once (decision 032). The instant is
// bound in milliseconds, as the timestamp_ms columns store it.
const activeMembershipStatement = db
  .select({ membership: memberships, tier: tiers })
  .from(memberships)
  .innerJoin(tiers, eq(tiers.id, memberships.tierId))
  .where(
    and(
      eq(memberships.userId, sql.placeholder('userId')),
      isNull(memberships.revokedAt),
      lte(memberships.validFrom, sql.placeholder('now')),
      gt(memberships.validUntil, sql.placeholder('now')),
    ),
  )
  .orderBy(desc(tiers.rank), desc(memberships.validUntil))
  .limit(1)
  .prepare()


/** An admin's gift of a membership, recorded with the audit entry in one transaction. */
export async function grantComplimentaryMembership({
  userId,
  tierId,
  validUntil,
  note = '',
  actorId,
  now = new Date(),
}: {
  userId: number
  tierId: number
  validUntil: Date
  note?: string
  actorId: number
  now?: Date
}) {
  return transaction(async (tx) => {
    const [membership] = await tx
      .insert(memberships)
      .values({
        userId,
        tierId,
        validFrom: now,
        validUntil,
        source: 'complimentary' satisfies MembershipSource,
        grantedBy: actorId,
        note,
      })
      .returning()
    if (!membership) throw new Error('insert returned no row')
    await recordAudit(
      {
        actorId,
        action: 'membership.grant',
        targetType: 'user',
        targetId: userId,
        detail: { membershipId: membership.id, tierId, validUntil: validUntil.toISOString(), note },
      },
      tx,
    )
    return membership
  })
}

/** Ends a membership now; only a membership of that user (checked in the query). */
export async function revokeMembership({
  userId,
  membershipId,
  actorId,
  now = new Date(),
}: {
  userId: number
  membershipId: number
  actorId: number
  now?: Date
}) {
  return transaction(async (tx) => {
    const [revoked] = await tx
      .update(memberships)
      .set({ revokedAt: now })
      .where(and(eq(memberships.id, membershipId), eq(memberships.userId, userId), isNull(memberships.revokedAt)))
      .returning()
    if (revoked) {
      await recordAudit(
        { actorId, action: 'membership.revoke', targetType: 'user', targetId: userId, detail: { membershipId } },
        tx,
      )
    }
    return revoked
  })
}

/**
 * Memberships of many users at once (for admin lists): userId → the highest-rank active one and,
 * so that a lapsed member is not just 「无」, the one that ended last (issue 18).
 */
export async function membershipsForUserList(userIds: number[], now = new Date()) {
  type Held = { membershipId: number; tierName: string; rank: number; validUntil: Date }
  const byUser = new Map<number, { current: Held | null; lapsed: Held | null }>()
  if (userIds.length === 0) return byUser
  // One query for the page: what each user holds now, and what they held last (ended, not revoked).
  const rows = await db
    .select({
      userId: memberships.userId,
      membershipId: memberships.id,
      tierName: tiers.name,
      rank: tiers.rank,
      validUntil: memberships.validUntil,
      active: sql<number>`(${membershipActiveAt(now)})`,
    })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .where(and(inArray(memberships.userId, userIds), isNull(memberships.revokedAt), lte(memberships.validFrom, now)))
  for (const { userId, active, ...m } of rows) {
    const seen = byUser.get(userId) ?? { current: null, lapsed: null }
    if (active) {
      if (!seen.current || m.rank > seen.current.rank) seen.current = m
    } else if (!seen.lapsed || m.validUntil > seen.lapsed.validUntil) {
      seen.lapsed = m
    }
    byUser.set(userId, seen)
  }
  return byUser
}
