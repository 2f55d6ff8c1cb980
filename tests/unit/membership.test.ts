import { describe, expect, it } from 'vitest'
import { activeRank, hasLapsedMembership, isMembershipActive, type MembershipPeriod } from '~/domain/membership'

const now = new Date('2027-06-01T08:00:00Z')
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs)

function period(tierRank: number, validFrom: Date, validUntil: Date, revokedAt: Date | null = null): MembershipPeriod {
  return { tierRank, validFrom, validUntil, revokedAt }
}

describe('isMembershipActive at the boundary instants', () => {
  it('is active from the very instant it starts (validFrom == now)', () => {
    expect(isMembershipActive(period(1, now, at(1000)), now)).toBe(true)
  })

  it('is not active one millisecond before it starts', () => {
    expect(isMembershipActive(period(1, at(1), at(1000)), now)).toBe(false)
  })

  it('is still active one millisecond before it ends', () => {
    expect(isMembershipActive(period(1, at(-1000), at(1)), now)).toBe(true)
  })

  it('has ended at the instant it ends (validUntil == now)', () => {
    expect(isMembershipActive(period(1, at(-1000), now), now)).toBe(false)
  })

  it('is not active once revoked, even inside its dates', () => {
    expect(isMembershipActive(period(1, at(-1000), at(1000), at(-1)), now)).toBe(false)
  })
})

describe('activeRank', () => {
  it('is 0 (free) without memberships', () => {
    expect(activeRank([], now)).toBe(0)
  })

  it('is the highest rank among active memberships', () => {
    expect(activeRank([period(1, at(-1000), at(1000)), period(2, at(-1000), at(1000))], now)).toBe(2)
  })

  it('drops a 铁杆会员 at the instant it ends, leaving the running 亲情会员', () => {
    const memberships = [period(2, at(-1000), now), period(1, at(-1000), at(1000))]
    expect(activeRank(memberships, at(-1))).toBe(2)
    expect(activeRank(memberships, now)).toBe(1)
  })

  it('counts a membership from the instant it starts', () => {
    const memberships = [period(2, now, at(1000))]
    expect(activeRank(memberships, at(-1))).toBe(0)
    expect(activeRank(memberships, now)).toBe(2)
  })
})

describe('hasLapsedMembership', () => {
  it('is true for a paid membership that ended, false for one not yet started', () => {
    expect(hasLapsedMembership([period(1, at(-1000), now)], now)).toBe(true)
    expect(hasLapsedMembership([period(1, at(1), at(1000))], now)).toBe(false)
  })
})
