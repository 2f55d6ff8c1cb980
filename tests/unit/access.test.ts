import { describe, expect, it } from 'vitest'
import { checkAccess, type Access, type Viewer } from '~/domain/access'
import type { MembershipPeriod } from '~/domain/membership'

const now = new Date('2027-06-01T00:00:00Z')
const DAY_MS = 24 * 60 * 60 * 1000
const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY_MS)

function period(tierRank: number, overrides: Partial<MembershipPeriod> = {}): MembershipPeriod {
  return { tierRank, validFrom: daysFromNow(-30), validUntil: daysFromNow(335), revokedAt: null, ...overrides }
}

const viewers: Record<string, Viewer> = {
  visitor: null,
  'user without membership': { role: 'user', memberships: [] },
  亲情会员: { role: 'user', memberships: [period(1)] },
  铁杆会员: { role: 'user', memberships: [period(2)] },
  'expired 亲情会员': { role: 'user', memberships: [period(1, { validFrom: daysFromNow(-400), validUntil: daysFromNow(-35) })] },
  'revoked 铁杆会员': { role: 'user', memberships: [period(2, { revokedAt: daysFromNow(-1) })] },
  'not-yet-started 铁杆会员': { role: 'user', memberships: [period(2, { validFrom: daysFromNow(1) })] },
  editor: { role: 'editor', memberships: [] },
  admin: { role: 'admin', memberships: [] },
}

const publicContent: Access = { granted: true, via: 'public' }
const member: Access = { granted: true, via: 'membership' }
const staff: Access = { granted: true, via: 'staff' }
const blocked = (reason: Exclude<Access, { granted: true }>['reason'], requiredRank: number): Access => ({
  granted: false,
  reason,
  requiredRank,
})

// Rows: viewer → what they get on content of minRank 0 (public), 1 (亲情会员), 2 (铁杆会员).
const table: [viewer: string, rank0: Access, rank1: Access, rank2: Access][] = [
  ['visitor', publicContent, blocked('sign_in_required', 1), blocked('sign_in_required', 2)],
  ['user without membership', publicContent, blocked('membership_required', 1), blocked('membership_required', 2)],
  ['亲情会员', publicContent, member, blocked('higher_tier_required', 2)],
  ['铁杆会员', publicContent, member, member],
  ['expired 亲情会员', publicContent, blocked('membership_expired', 1), blocked('membership_expired', 2)],
  ['revoked 铁杆会员', publicContent, blocked('membership_expired', 1), blocked('membership_expired', 2)],
  ['not-yet-started 铁杆会员', publicContent, blocked('membership_required', 1), blocked('membership_required', 2)],
  ['editor', publicContent, staff, staff],
  ['admin', publicContent, staff, staff],
]

const CONTENT = ['public content', '亲情会员 content (rank 1)', '铁杆会员 content (rank 2)']
const describeAccess = (a: Access) => (a.granted ? `granted via ${a.via}` : `blocked: ${a.reason}`)

const cases = table.flatMap(([viewer, ...byRank]) =>
  byRank.map((expected, minRank) => ({ viewer, minRank, content: CONTENT[minRank], outcome: describeAccess(expected), expected })),
)

describe('checkAccess: every visibility × viewer', () => {
  it('covers every viewer at every rank', () => {
    expect(cases).toHaveLength(Object.keys(viewers).length * 3)
  })

  it.each(cases)('$viewer on $content → $outcome', ({ viewer, minRank, expected }) => {
    expect(checkAccess({ minRank }, viewers[viewer]!, now)).toEqual(expected)
  })
})

describe('checkAccess: combinations a member can hold', () => {
  it('a 亲情会员 whose old 铁杆会员 lapsed still needs a higher tier for rank-2 content', () => {
    const viewer: Viewer = { role: 'user', memberships: [period(2, { validUntil: daysFromNow(-1) }), period(1)] }
    expect(checkAccess({ minRank: 2 }, viewer, now)).toEqual(blocked('higher_tier_required', 2))
    expect(checkAccess({ minRank: 1 }, viewer, now)).toEqual(member)
  })

  it('the same membership is granted before its end and blocked after it, by the injected clock', () => {
    const viewer: Viewer = { role: 'user', memberships: [period(1, { validUntil: daysFromNow(10) })] }
    expect(checkAccess({ minRank: 1 }, viewer, now)).toEqual(member)
    expect(checkAccess({ minRank: 1 }, viewer, daysFromNow(11))).toEqual(blocked('membership_expired', 1))
  })
})
