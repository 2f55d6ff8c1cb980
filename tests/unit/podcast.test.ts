// Who has a private podcast feed and what it carries (decision 051): a table over viewers and
// whether they have bought a course.
import { describe, expect, it } from 'vitest'
import type { Viewer } from '~/domain/access'
import type { MembershipPeriod } from '~/domain/membership'
import { podcastContents, type PodcastContents } from '~/domain/podcast'

const now = new Date('2027-06-01T00:00:00Z')
const DAY_MS = 24 * 60 * 60 * 1000
const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY_MS)

function period(tierRank: number, overrides: Partial<MembershipPeriod> = {}): MembershipPeriod {
  return { tierRank, validFrom: daysFromNow(-30), validUntil: daysFromNow(335), revokedAt: null, ...overrides }
}

const member: PodcastContents = { dailies: true }
const coursesOnly: PodcastContents = { dailies: false }

// viewer, [without a course bought, with one]
const table: [string, Viewer, PodcastContents | null, PodcastContents | null][] = [
  ['a visitor', null, null, null],
  ['a user without a membership', { role: 'user', memberships: [] }, null, coursesOnly],
  ['a 亲情会员', { role: 'user', memberships: [period(1)] }, member, member],
  ['a 铁杆会员', { role: 'user', memberships: [period(2)] }, member, member],
  ['a lapsed 亲情会员', { role: 'user', memberships: [period(1, { validFrom: daysFromNow(-400), validUntil: daysFromNow(-35) })] }, null, coursesOnly],
  ['a revoked 铁杆会员', { role: 'user', memberships: [period(2, { revokedAt: daysFromNow(-1) })] }, null, coursesOnly],
  ['an editor', { role: 'editor', memberships: [] }, member, member],
  ['an admin', { role: 'admin', memberships: [] }, member, member],
]

describe('podcastContents', () => {
  for (const [who, viewer, withoutCourse, withCourse] of table) {
    it(`${who}: ${JSON.stringify(withoutCourse)} without a course bought, ${JSON.stringify(withCourse)} with one`, () => {
      expect(podcastContents(viewer, { boughtCourses: 0, now })).toEqual(withoutCourse)
      expect(podcastContents(viewer, { boughtCourses: 2, now })).toEqual(withCourse)
    })
  }
})
