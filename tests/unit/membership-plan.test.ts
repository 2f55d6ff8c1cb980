// The plan rules of decision 049, as a table: what a seat of each tier is for each plan.
import { describe, expect, it } from 'vitest'
import { memberPlan, renewalEnd, seatTerms, seatUpgradePriceFen, upgradeCredit, type PlanPeriod, type SeatTier } from '~/domain/membership-plan'
import { endOfValidityDate } from '~/domain/time'

const TZ = 'Asia/Shanghai'
const day = (date: string) => endOfValidityDate(date, TZ)!
/** The instant a date begins in the site zone. */
const start = (date: string) => new Date(day(date).getTime() - 24 * 3600_000)

const NOW = new Date('2027-01-05T04:00:00.000Z') // 2027-01-05 12:00 in Shanghai

function period(overrides: Partial<PlanPeriod> & Pick<PlanPeriod, 'id'>): PlanPeriod {
  return { tierId: 1, tierName: '亲情会员', rank: 1, memberNumber: 37, source: 'drop', validFrom: start('2026-01-12'), validUntil: day('2027-12-31'), ...overrides }
}

const QINQING: SeatTier = { tierId: 1, tierName: '亲情会员', rank: 1, priceFen: 200_00, validUntil: day('2028-01-12') }
const TIEGAN: SeatTier = { tierId: 2, tierName: '铁杆会员', rank: 2, priceFen: 1200_00, validUntil: day('2028-01-12') }

describe('memberPlan', () => {
  it('is null without a period in force (ended, not begun, free rank)', () => {
    expect(memberPlan([], NOW)).toBeNull()
    expect(memberPlan([period({ id: 1, validUntil: start('2027-01-05') })], NOW)).toBeNull()
    expect(memberPlan([period({ id: 1, validFrom: start('2027-02-01') })], NOW)).toBeNull()
    expect(memberPlan([period({ id: 1, rank: 0 })], NOW)).toBeNull()
  })

  it('takes the highest rank in force and runs on through renewals of the same tier', () => {
    const plan = memberPlan(
      [
        period({ id: 1 }),
        period({ id: 2, tierId: 2, tierName: '铁杆会员', rank: 2, memberNumber: null, source: 'complimentary', validUntil: day('2027-03-01') }),
        // A renewal of the 亲情 plan: the 铁杆 gift is the plan now, so it does not count.
        period({ id: 3, validFrom: day('2027-12-31'), validUntil: day('2028-12-31') }),
      ],
      NOW,
    )
    expect(plan).toMatchObject({ membershipId: 2, tierName: '铁杆会员', memberNumber: null, validUntil: day('2027-03-01') })

    const renewed = memberPlan([period({ id: 1 }), period({ id: 3, memberNumber: 37, validFrom: day('2027-12-31'), validUntil: day('2028-12-31') })], NOW)
    expect(renewed).toMatchObject({ membershipId: 1, memberNumber: 37, validUntil: day('2028-12-31') })
  })
})

describe('renewalEnd: one calendar year after the last day', () => {
  it.each([
    ['2027-12-31', '2028-12-31'],
    ['2028-02-29', '2029-02-28'],
    ['2027-01-12', '2028-01-12'],
  ])('valid until %s → until %s', (last, next) => {
    expect(renewalEnd(day(last), TZ)).toEqual(day(next))
  })
})

describe('upgradeCredit', () => {
  it('credits the unused days (today and the last day counted) at the plan tier’s price per year, in whole 元', () => {
    // 2027-01-05 … 2027-12-31 is 361 days; capped at the upgrade's end (2028-01-12) it stays 361.
    const credit = upgradeCredit({ plan: { source: 'drop', validUntil: day('2027-12-31') }, planPriceFen: 200_00, coveredUntil: TIEGAN.validUntil, now: NOW, timeZone: TZ })
    expect(credit).toEqual({ days: 361, creditFen: 198_00 })
  })

  it('credits no more days than the upgrade covers, at most a year, and nothing for a gift', () => {
    const far = upgradeCredit({ plan: { source: 'drop', validUntil: day('2028-12-31') }, planPriceFen: 200_00, coveredUntil: day('2027-06-30'), now: NOW, timeZone: TZ })
    expect(far.days).toBe(177)
    const long = upgradeCredit({ plan: { source: 'drop', validUntil: day('2029-12-31') }, planPriceFen: 200_00, coveredUntil: day('2029-12-31'), now: NOW, timeZone: TZ })
    expect(long).toEqual({ days: 365, creditFen: 200_00 })
    expect(upgradeCredit({ plan: { source: 'complimentary', validUntil: day('2027-12-31') }, planPriceFen: 200_00, coveredUntil: TIEGAN.validUntil, now: NOW, timeZone: TZ })).toEqual({ creditFen: 0, days: 0 })
  })
})

describe('seatTerms: every plan × tier', () => {
  const qinqingPlan = memberPlan([period({ id: 1 })], NOW)
  const tieganPlan = memberPlan([period({ id: 9, tierId: 2, tierName: '铁杆会员', rank: 2, memberNumber: 12 })], NOW)
  const terms = (plan: typeof qinqingPlan, tier: SeatTier) => seatTerms({ plan, planPriceFen: 200_00, tier, now: NOW, timeZone: TZ })

  it('no plan: a new membership from now to the drop’s end at the tier price', () => {
    expect(terms(null, QINQING)).toEqual({ kind: 'new', from: NOW, until: QINQING.validUntil, priceFen: 200_00 })
  })

  it('the same tier: a renewal from the plan’s end for a year, full price, number kept', () => {
    expect(terms(qinqingPlan, QINQING)).toEqual({ kind: 'renewal', from: day('2027-12-31'), until: day('2028-12-31'), priceFen: 200_00, memberNumber: 37 })
    expect(terms(tieganPlan, TIEGAN)).toMatchObject({ kind: 'renewal', priceFen: 1200_00, memberNumber: 12 })
  })

  it('a higher tier: from now to the drop’s end, less the credit, number kept', () => {
    expect(terms(qinqingPlan, TIEGAN)).toEqual({ kind: 'upgrade', from: NOW, until: TIEGAN.validUntil, priceFen: 1002_00, creditFen: 198_00, creditDays: 361, memberNumber: 37 })
  })

  it('a lower tier while the higher plan runs: a downgrade, naming the plan and its end', () => {
    expect(terms(tieganPlan, QINQING)).toEqual({ kind: 'downgrade', planTierName: '铁杆会员', planUntil: day('2027-12-31') })
  })
})

describe('seatUpgradePriceFen: moving a seat of this drop up a tier', () => {
  const TZ = 'Asia/Shanghai'
  const now = new Date('2027-01-06T02:00:00.000Z') // 6 January, 10:00 in Shanghai
  it.each([
    ['a new membership: the difference of the prices', null, 1000_00],
    // 6 January 2027 to 5 January 2028, both counted: 365 days, the difference exactly.
    ['a renewal ending a year from today', endOfValidityDate('2028-01-05', TZ)!, 1000_00],
    // Ten more days of the old period before the renewal's year: ¥1,000 × 375 / 365 ≈ ¥1,027.
    ['a renewal of a period with ten more days', endOfValidityDate('2028-01-15', TZ)!, 1027_00],
  ])('%s', (_, renewalUntil, priceFen) => {
    expect(seatUpgradePriceFen({ differenceFen: 1000_00, renewalUntil, now, timeZone: TZ })).toBe(priceFen)
  })
})
