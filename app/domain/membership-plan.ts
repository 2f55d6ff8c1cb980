// A member's current plan, and what buying a seat of a drop tier means for them: a new
// membership, a renewal, an upgrade, or a downgrade that is refused (issue 18, decision 049).
// Pure: callers pass `now` and the site time zone. The seat order and its payment both decide with
// seatTerms, so what the page offers is what the write does.
import { lastDayOf } from './membership-expiry'
import { endOfValidityDate, localDate } from './time'

/** One membership period of a user (not revoked), as the plan is worked out from. */
export interface PlanPeriod {
  id: number
  tierId: number
  tierName: string
  rank: number
  memberNumber: number | null
  /** Only periods paid for ('drop') are credited on an upgrade; gifts are not. */
  source: string
  validFrom: Date
  validUntil: Date
}

export interface MemberPlan {
  /** The period in force now. */
  membershipId: number
  tierId: number
  tierName: string
  rank: number
  /** The member's number: the one in force, else one of the periods continuing it. */
  memberNumber: number | null
  source: string
  /** When the plan ends: the period in force, continued by later periods of the same tier (renewals). */
  validUntil: Date
}

/**
 * The plan of a member at `now`: their period in force of the highest rank (a numbered one first,
 * then the longest), continued through the periods of the same tier that begin before it ends.
 * Null for a reader with no membership in force.
 */
export function memberPlan(periods: readonly PlanPeriod[], now: Date): MemberPlan | null {
  const inForce = periods.filter((p) => p.rank > 0 && p.validFrom <= now && now < p.validUntil)
  const current = inForce.reduce<PlanPeriod | undefined>((best, p) => (!best || planOrder(p, best) < 0 ? p : best), undefined)
  if (!current) return null
  let validUntil = current.validUntil
  let memberNumber = current.memberNumber
  for (;;) {
    const next = periods
      .filter((p) => p.tierId === current.tierId && p.validFrom <= validUntil && p.validUntil > validUntil)
      .sort((a, b) => b.validUntil.getTime() - a.validUntil.getTime())[0]
    if (!next) break
    validUntil = next.validUntil
    memberNumber ??= next.memberNumber
  }
  return { membershipId: current.id, tierId: current.tierId, tierName: current.tierName, rank: current.rank, memberNumber, source: current.source, validUntil }
}

function planOrder(a: PlanPeriod, b: PlanPeriod) {
  if (a.rank !== b.rank) return b.rank - a.rank
  if ((a.memberNumber === null) !== (b.memberNumber === null)) return a.memberNumber === null ? 1 : -1
  return b.validUntil.getTime() - a.validUntil.getTime()
}

/**
 * A renewal adds one year to the plan: the new period starts when the current one ends and covers
 * the same calendar date a year later (29 February → 28 February), counted in the site time zone.
 */
export function renewalEnd(validUntil: Date, timeZone: string): Date {
  const last = lastDayOf(validUntil, timeZone)
  const [year, month, day] = last.split('-').map(Number) as [number, number, number]
  const sameDay = `${year + 1}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const target = month === 2 && day === 29 ? `${year + 1}-02-28` : sameDay
  return endOfValidityDate(target, timeZone)!
}

/** A year of membership in days: what an upgrade's credit is a share of. */
export const CREDIT_YEAR_DAYS = 365

/**
 * What the unused days of a paid plan are worth when the member moves up: the plan tier's price in
 * this drop, shared over a year, for each day from today to the plan's last day (both counted, at
 * most up to the last day the upgrade covers, at most a year), rounded to whole 元. Gifts earn none.
 */
export function upgradeCredit({
  plan,
  planPriceFen,
  coveredUntil,
  now,
  timeZone,
}: {
  plan: Pick<MemberPlan, 'source' | 'validUntil'>
  planPriceFen: number
  coveredUntil: Date
  now: Date
  timeZone: string
}): { creditFen: number; days: number } {
  if (plan.source !== 'drop') return { creditFen: 0, days: 0 }
  const today = Date.parse(localDate(now, timeZone))
  const last = Math.min(Date.parse(lastDayOf(plan.validUntil, timeZone)), Date.parse(lastDayOf(coveredUntil, timeZone)))
  const days = Math.min(CREDIT_YEAR_DAYS, Math.max(0, Math.round((last - today) / 86_400_000) + 1))
  const creditFen = Math.round((planPriceFen * days) / CREDIT_YEAR_DAYS / 100) * 100
  return { creditFen: Math.min(planPriceFen, creditFen), days }
}

/** The drop tier a buyer chose, as seatTerms reads it. */
export interface SeatTier {
  tierId: number
  tierName: string
  rank: number
  priceFen: number
  /** When memberships sold in this drop end. */
  validUntil: Date
}

export type SeatTerms =
  /** No plan in force: a membership from now to the drop's end, with the next member number. */
  | { kind: 'new'; from: Date; until: Date; priceFen: number }
  /** The plan's own tier: one more year from the plan's end, at the full price, the number kept. */
  | { kind: 'renewal'; from: Date; until: Date; priceFen: number; memberNumber: number | null }
  /**
   * A higher tier: from now to the drop's end at its full price, less the credit for the plan's
   * unused days; the number kept. The lower plan runs on underneath (a refund leaves it as it was).
   */
  | { kind: 'upgrade'; from: Date; until: Date; priceFen: number; creditFen: number; creditDays: number; memberNumber: number | null }
  /** A lower tier while a higher plan is in force: refused, with the plan it would waste. */
  | { kind: 'downgrade'; planTierName: string; planUntil: Date }

/**
 * What a seat of `tier` is for a buyer whose plan is `plan`. The seat order prices and numbers its
 * line with it; the payment gives the period it says.
 */
export function seatTerms({
  plan,
  planPriceFen,
  tier,
  now,
  timeZone,
}: {
  plan: MemberPlan | null
  /** This drop's price of the plan's tier (else the tier's list price): the upgrade credit's base. */
  planPriceFen: number
  tier: SeatTier
  now: Date
  timeZone: string
}): SeatTerms {
  if (!plan) return { kind: 'new', from: now, until: tier.validUntil, priceFen: tier.priceFen }
  if (plan.rank > tier.rank) return { kind: 'downgrade', planTierName: plan.tierName, planUntil: plan.validUntil }
  if (plan.rank === tier.rank) {
    return { kind: 'renewal', from: plan.validUntil, until: renewalEnd(plan.validUntil, timeZone), priceFen: tier.priceFen, memberNumber: plan.memberNumber }
  }
  const credit = upgradeCredit({ plan, planPriceFen, coveredUntil: tier.validUntil, now, timeZone })
  return {
    kind: 'upgrade',
    from: now,
    until: tier.validUntil,
    priceFen: Math.max(0, tier.priceFen - credit.creditFen),
    creditFen: Math.min(tier.priceFen, credit.creditFen),
    creditDays: credit.days,
    memberNumber: plan.memberNumber,
  }
}

/**
 * What moving a seat bought in this drop up to a higher tier of it costs (decisions 008 and 049):
 * the difference of the two tiers' prices in this drop (`decideUpgrade`). A renewal's seat moves up
 * from today, not from when the renewal begins, so the member pays the difference for every day
 * from today to the renewal's last day (both counted): a 365th of it per day, rounded to whole 元.
 */
export function seatUpgradePriceFen({
  differenceFen,
  renewalUntil,
  now,
  timeZone,
}: {
  differenceFen: number
  /** The end of the renewal the seat bought; null for a new membership or an upgrade from a plan. */
  renewalUntil: Date | null
  now: Date
  timeZone: string
}): number {
  if (!renewalUntil) return differenceFen
  const today = Date.parse(localDate(now, timeZone))
  const days = Math.max(0, Math.round((Date.parse(lastDayOf(renewalUntil, timeZone)) - today) / 86_400_000) + 1)
  return Math.round((differenceFen * days) / CREDIT_YEAR_DAYS / 100) * 100
}
