// Pure rules about memberships and tiers. No I/O: callers pass `now`.

export interface MembershipPeriod {
  tierRank: number
  validFrom: Date
  validUntil: Date
  revokedAt: Date | null
}

export function isMembershipActive(m: MembershipPeriod, now: Date) {
  return m.revokedAt === null && m.validFrom <= now && now < m.validUntil
}

/** The active membership of the highest rank, if any. */
export function highestActiveMembership<T extends MembershipPeriod>(memberships: readonly T[], now: Date): T | undefined {
  return memberships.reduce<T | undefined>(
    (best, m) => (isMembershipActive(m, now) && (!best || m.tierRank > best.tierRank) ? m : best),
    undefined,
  )
}

/** A viewer's member rank: the highest rank among their active memberships, else 0 (free). */
export function activeRank(memberships: readonly MembershipPeriod[], now: Date) {
  return highestActiveMembership(memberships, now)?.tierRank ?? 0
}

/** True when the viewer once held a paid rank that has since ended or been revoked. */
export function hasLapsedMembership(memberships: readonly MembershipPeriod[], now: Date) {
  return memberships.some((m) => m.tierRank > 0 && !isMembershipActive(m, now) && m.validFrom <= now)
}
