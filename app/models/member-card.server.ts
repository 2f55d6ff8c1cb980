// Member cards (/membership/card and its share image): one membership with its tier, holder
// and drop. A card outlives its membership — an ended or revoked one is still shown, as expired.
import { and, desc, eq, gt, lte, sql } from 'drizzle-orm'
import { drops, memberships, tiers, users } from '../../db/schema'
import type { MemberCardRecord } from '~/domain/member-card'
import { db } from '~/utils/db.server'
import { isCurrentShareSignature, parseShareToken } from '~/utils/member-card-image.server'
import { membershipActiveAt } from './membership.server'

function selectCards() {
  return db
    .select({
      membershipId: memberships.id,
      memberNumber: memberships.memberNumber,
      source: memberships.source,
      tierName: tiers.name,
      tierSlug: tiers.slug,
      rank: tiers.rank,
      name: users.displayName,
      validFrom: memberships.validFrom,
      validUntil: memberships.validUntil,
      revokedAt: memberships.revokedAt,
      dropName: drops.name,
      shareVersion: memberships.shareVersion,
    })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(drops, eq(drops.id, memberships.dropId))
}

/**
 * The card a user sees: their membership in force of the highest rank (a numbered one before
 * an unnumbered one of the same rank); when none is in force, the one that ended last.
 */
export async function findMemberCard({ userId, now }: { userId: number; now: Date }): Promise<MemberCardRecord | undefined> {
  const [row] = await selectCards()
    .where(and(eq(memberships.userId, userId), gt(tiers.rank, 0), lte(memberships.validFrom, now)))
    .orderBy(
      desc(sql`(${membershipActiveAt(now)})`),
      desc(tiers.rank),
      sql`${memberships.memberNumber} is null`,
      desc(sql`coalesce(${memberships.revokedAt}, ${memberships.validUntil})`),
    )
    .limit(1)
  return row
}

/** Any membership's card by its id. */
export async function getMemberCardById(membershipId: number): Promise<MemberCardRecord | undefined> {
  const [row] = await selectCards().where(and(eq(memberships.id, membershipId), gt(tiers.rank, 0)))
  return row
}

/** The card a share token opens: its signature must be the card's current one. */
export async function findSharedCard(token: string): Promise<MemberCardRecord | undefined> {
  const parsed = parseShareToken(token)
  if (!parsed) return undefined
  const card = await getMemberCardById(parsed.membershipId)
  return card && isCurrentShareSignature(card, parsed.signature) ? card : undefined
}

/**
 * 重置分享链接: the holder's card gets new share links; the ones already shared stop opening.
 * False when the membership is not the user's.
 */
export async function resetCardShare({ userId, membershipId }: { userId: number; membershipId: number }) {
  const updated = await db
    .update(memberships)
    .set({ shareVersion: sql`${memberships.shareVersion} + 1` })
    .where(and(eq(memberships.id, membershipId), eq(memberships.userId, userId)))
    .returning({ id: memberships.id })
  return updated.length > 0
}

