// The pure rules of buying a course once and of course lessons in the private feed (decision 044).
import { describe, expect, it } from 'vitest'
import type { Viewer } from '~/domain/access'
import { courseExclusiveKey, isCourseTheirs, priceTag, purchaseProblem, syllabusDates, type CourseForSale, type PurchaseProblem } from '~/domain/course'
import type { MembershipPeriod } from '~/domain/membership'

const now = new Date('2027-06-01T00:00:00Z')
const DAY_MS = 24 * 60 * 60 * 1000
const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY_MS)
const TIER_NAMES: Record<number, string> = { 1: '亲情会员', 2: '铁杆会员' }
const period = (tierRank: number, overrides: Partial<MembershipPeriod> = {}) => ({
  tierRank,
  tierName: TIER_NAMES[tierRank]!,
  validFrom: daysFromNow(-30),
  validUntil: daysFromNow(335),
  revokedAt: null,
  ...overrides,
})

const members = {
  user: [],
  亲情: [period(1)],
  铁杆: [period(2)],
  lapsed铁杆: [period(2, { validFrom: daysFromNow(-400), validUntil: daysFromNow(-35) })],
  revoked铁杆: [period(2, { revokedAt: daysFromNow(-1) })],
}

const course = (overrides: Partial<CourseForSale>): CourseForSale => ({ priceFen: 9900, includedRank: null, published: true, ...overrides })

describe('purchaseProblem: who may buy which course', () => {
  const cases: [string, CourseForSale, keyof typeof members, boolean, PurchaseProblem | null][] = [
    ['a plain reader buys a priced course', course({}), 'user', false, null],
    ['a 亲情 member buys a priced course that 铁杆 includes', course({ includedRank: 2 }), '亲情', false, null],
    ['a lapsed 铁杆 member buys a course 铁杆 includes', course({ includedRank: 2 }), 'lapsed铁杆', false, null],
    ['a revoked 铁杆 member buys a course 铁杆 includes', course({ includedRank: 2 }), 'revoked铁杆', false, null],
    ['a 铁杆 member: their tier includes it, named', course({ includedRank: 2 }), '铁杆', false, { reason: 'included', tierName: '铁杆会员' }],
    ['a 铁杆 member and a 亲情 course: the higher tier includes it too', course({ includedRank: 1 }), '铁杆', false, { reason: 'included', tierName: '铁杆会员' }],
    ['bought already', course({}), 'user', true, { reason: 'already_bought' }],
    ['a free course', course({ priceFen: 0 }), 'user', false, { reason: 'free' }],
    ['a course not sold on its own', course({ priceFen: null, includedRank: 2 }), 'user', false, { reason: 'not_on_sale' }],
    ['an unpublished course', course({ published: false }), 'user', false, { reason: 'unpublished' }],
  ]
  it.each(cases)('%s', (_name, forSale, member, purchased, expected) => {
    expect(purchaseProblem(forSale, members[member], { purchased, now })).toEqual(expected)
  })

  it('one exclusive key per reader and course', () => {
    expect(courseExclusiveKey(7, 42)).toBe('course:7:42')
    expect(courseExclusiveKey(7, 43)).not.toBe(courseExclusiveKey(7, 42))
  })

  it('the price tag says 已购买 before anything else once bought', () => {
    expect(priceTag({ priceFen: 9900, includedTierName: '铁杆会员' }, { purchased: true })).toEqual({ kind: 'bought' })
    expect(priceTag({ priceFen: 9900, includedTierName: null }, { purchased: false })).toEqual({ kind: 'price', priceFen: 9900 })
  })
})

describe('isCourseTheirs: what the private feed carries', () => {
  const viewer = (memberships: MembershipPeriod[], role: 'user' | 'editor' = 'user'): Viewer => ({ role, memberships })
  it('a course included in the subscriber’s tier (or a lower one) is theirs; a higher one is not', () => {
    expect(isCourseTheirs({ includedRank: 2 }, viewer(members.铁杆), { purchased: false, now })).toBe(true)
    expect(isCourseTheirs({ includedRank: 1 }, viewer(members.铁杆), { purchased: false, now })).toBe(true)
    expect(isCourseTheirs({ includedRank: 2 }, viewer(members.亲情), { purchased: false, now })).toBe(false)
  })
  it('a bought course is theirs whatever their tier; a course merely sold or free is not', () => {
    expect(isCourseTheirs({ includedRank: null }, viewer(members.亲情), { purchased: true, now })).toBe(true)
    expect(isCourseTheirs({ includedRank: null }, viewer(members.铁杆), { purchased: false, now })).toBe(false)
  })
  it('staff have every included course (the tier rule lets them in), not the courses sold only', () => {
    expect(isCourseTheirs({ includedRank: 2 }, viewer([], 'editor'), { purchased: false, now })).toBe(true)
    expect(isCourseTheirs({ includedRank: null }, viewer([], 'editor'), { purchased: false, now })).toBe(false)
  })
})

describe('syllabusDates: the feed keeps the syllabus order for apps that sort by date', () => {
  it('lessons released together get a second each, in order', () => {
    const t0 = new Date('2027-01-01T00:00:00Z')
    expect(syllabusDates([t0, t0, t0]).map((date) => date.getTime() - t0.getTime())).toEqual([0, 1000, 2000])
  })
  it('a weekly release keeps its own dates', () => {
    const weeks = [0, 7, 14].map((days) => new Date(now.getTime() + days * DAY_MS))
    expect(syllabusDates(weeks)).toEqual(weeks)
  })
  it('a lesson released before the one it follows in the syllabus is dated just after it', () => {
    const late = new Date('2027-01-08T00:00:00Z')
    const early = new Date('2027-01-01T00:00:00Z')
    expect(syllabusDates([late, early])).toEqual([late, new Date(late.getTime() + 1000)])
  })
})
