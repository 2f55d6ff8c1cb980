import { describe, expect, it } from 'vitest'
import type { Viewer } from '~/domain/access'
import { checkLessonAccess, isHeardEnough, lessonSeconds, parseLessonPosition, priceTag, resumeAt, type CourseGate, type LessonAccess } from '~/domain/course'
import { formatClock } from '~/domain/player'
import type { MembershipPeriod } from '~/domain/membership'

const now = new Date('2027-06-01T00:00:00Z')
const DAY_MS = 24 * 60 * 60 * 1000
const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY_MS)
const period = (tierRank: number, overrides: Partial<MembershipPeriod> = {}): MembershipPeriod => ({
  tierRank,
  validFrom: daysFromNow(-30),
  validUntil: daysFromNow(335),
  revokedAt: null,
  ...overrides,
})

const viewers = {
  visitor: null,
  user: { role: 'user', memberships: [] },
  亲情: { role: 'user', memberships: [period(1)] },
  铁杆: { role: 'user', memberships: [period(2)] },
  lapsed: { role: 'user', memberships: [period(2, { validFrom: daysFromNow(-400), validUntil: daysFromNow(-35) })] },
  editor: { role: 'editor', memberships: [] },
} satisfies Record<string, Viewer>

const courses = {
  included铁杆: { priceFen: null, includedRank: 2 },
  included亲情: { priceFen: null, includedRank: 1 },
  priced: { priceFen: 9900, includedRank: null },
  pricedAndIncluded: { priceFen: 9900, includedRank: 2 },
  free: { priceFen: 0, includedRank: null },
  neither: { priceFen: null, includedRank: null },
} satisfies Record<string, CourseGate>

const open = (via: Extract<LessonAccess, { granted: true }>['via']): LessonAccess => ({ granted: true, via })
const refused = (reason: Extract<LessonAccess, { granted: false }>['reason'], ways: Extract<LessonAccess, { granted: false }>['ways']): LessonAccess => ({
  granted: false,
  reason,
  ways,
})

describe('checkLessonAccess: every course kind × viewer', () => {
  const table: [keyof typeof courses, keyof typeof viewers, LessonAccess][] = [
    ['included铁杆', 'visitor', refused('sign_in_required', ['sign_in', 'join'])],
    ['included铁杆', 'user', refused('membership_required', ['join'])],
    ['included铁杆', '亲情', refused('higher_tier_required', ['join'])],
    ['included铁杆', '铁杆', open('membership')],
    ['included铁杆', 'lapsed', refused('membership_expired', ['join'])],
    ['included铁杆', 'editor', open('staff')],
    // A higher tier includes what a lower one does (the site's tier rule).
    ['included亲情', '铁杆', open('membership')],
    ['included亲情', '亲情', open('membership')],
    ['priced', 'visitor', refused('sign_in_required', ['sign_in', 'buy'])],
    ['priced', 'user', refused('purchase_required', ['buy'])],
    ['priced', '铁杆', refused('purchase_required', ['buy'])],
    ['pricedAndIncluded', '亲情', refused('higher_tier_required', ['join', 'buy'])],
    ['pricedAndIncluded', '铁杆', open('membership')],
    ['free', 'visitor', open('free')],
    ['free', 'user', open('free')],
    ['neither', 'visitor', refused('not_on_sale', [])],
    ['neither', '铁杆', refused('not_on_sale', [])],
    ['neither', 'editor', open('staff')],
  ]
  it.each(table)('a lesson of a %s course, for %s', (course, viewer, expected) => {
    expect(checkLessonAccess(courses[course], { preview: false }, viewers[viewer], { now })).toEqual(expected)
  })

  it('a 试听 lesson opens to everyone, whatever the course', () => {
    for (const course of Object.values(courses)) {
      for (const viewer of Object.values(viewers)) {
        expect(checkLessonAccess(course, { preview: true }, viewer, { now })).toEqual(open('preview'))
      }
    }
  })

  it('a purchase opens a priced course to its buyer, and only a signed-in one', () => {
    expect(checkLessonAccess(courses.priced, { preview: false }, viewers.user, { now, purchased: true })).toEqual(open('purchase'))
    expect(checkLessonAccess(courses.priced, { preview: false }, viewers.visitor, { now, purchased: true }).granted).toBe(false)
  })
})

describe('progress rules', () => {
  it('≥ 90 % heard is learned', () => {
    expect(isHeardEnough(89, 100)).toBe(false)
    expect(isHeardEnough(90, 100)).toBe(true)
    expect(isHeardEnough(0, 0)).toBe(false)
  })

  it.each([
    ['12', 12],
    ['12.7', 12],
    ['0', 0],
    ['101', 100],
    ['102', null],
    ['-1', null],
    ['1e3', null],
    ['', null],
    ['Infinity', null],
  ] as const)('position %j of a 100-second lesson → %j', (raw, expected) => {
    expect(parseLessonPosition(raw, 100)).toBe(expected)
  })

  it('resumes at the saved position, from the start once heard to the end', () => {
    expect(resumeAt(null, 100)).toBe(0)
    expect(resumeAt(42, 100)).toBe(42)
    expect(resumeAt(99, 100)).toBe(0)
  })

  it('the price tag puts the inclusion before the price', () => {
    expect(priceTag({ priceFen: 0, includedTierName: null })).toEqual({ kind: 'free' })
    expect(priceTag({ priceFen: 9900, includedTierName: '铁杆会员' })).toEqual({ kind: 'included', tierName: '铁杆会员' })
    expect(priceTag({ priceFen: 9900, includedTierName: null })).toEqual({ kind: 'price', priceFen: 9900 })
    expect(priceTag({ priceFen: null, includedTierName: null })).toEqual({ kind: 'none' })
  })
})

describe('a lesson’s stored length', () => {
  it('reads in the course list as the player reads the media’s own length', () => {
    for (const ms of [28_600, 29_000, 59_999, 61_400, 3_599_500]) expect(formatClock(lessonSeconds(ms))).toBe(formatClock(ms / 1000))
    expect(lessonSeconds(28_600)).toBe(28)
  })

  it('is at least a second, also when the media’s length is unknown', () => {
    expect([null, 0, 400].map(lessonSeconds)).toEqual([1, 1, 1])
  })
})
