// Existing members in a new drop (issue 18, decision 049), against the real database: a renewal
// starts when the plan ends and keeps the member number; an upgrade from an earlier plan costs the
// higher tier less the unused days and keeps the number; a lower tier is refused with the plan
// named and nothing stored; renewals and new buyers race for the last seats of a tier.
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { drops, memberships, orders, type Drop } from '../../db/schema'
import { renewalEnd, upgradeCredit } from '~/domain/membership-plan'
import { confirmPayment, requestRefund } from '~/models/commerce.server'
import { createDrop, listDropTiers, placeSeatOrder, type DropTierView } from '~/models/drop.server'
import { getMemberPlan } from '~/models/membership-plan.server'
import { action as membershipAction, loader as membershipLoader } from '~/routes/membership._index'
import { db } from '~/utils/db.server'
import { adminId, tierIds } from '../factories/drops'
import { countRows } from '../factories/db'
import { expectConsistent, paidNotice } from '../factories/orders'
import { readData, requestFor, routeArgs } from '../factories/requests'
import { addMembership, createTestUser, signedInCookie } from '../factories/users'

const TZ = 'Asia/Shanghai'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
// Model tests run on injected instants far from the real clock and from each other.
const FIRST = new Date('2091-01-05T02:00:00.000Z')

type TestDrop = { drop: Drop; qinqing: DropTierView; tiegan: DropTierView }

async function makeDrop({ opensAt, hours = 6, qinqing = 100, tiegan = 10 }: { opensAt: Date; hours?: number; qinqing?: number; tiegan?: number }): Promise<TestDrop> {
  const ids = await tierIds()
  const validUntil = new Date(opensAt.getTime() + 365 * DAY)
  const result = await createDrop({
    input: {
      name: `续费测试 ${opensAt.toISOString()}`,
      announcement: '',
      opensAt,
      closesAt: new Date(opensAt.getTime() + hours * HOUR),
      tiers: [
        { tierId: ids.qinqing, priceFen: 200_00, capacity: qinqing, validUntil },
        { tierId: ids.tiegan, priceFen: 1200_00, capacity: tiegan, validUntil },
      ],
    },
    actorId: await adminId(),
    now: new Date(opensAt.getTime() - HOUR),
  })
  if (!result.ok) throw new Error(`drop refused: ${JSON.stringify(result.errors)}`)
  const rows = await listDropTiers(result.drop.id, opensAt)
  return { drop: result.drop, qinqing: rows[0]!, tiegan: rows[1]! }
}

/** Last year's drop and this year's, 200 days apart: last year's members are still in force when this one opens. */
let pair = 0
async function twoDrops(seats: { qinqing?: number; tiegan?: number } = {}) {
  const base = FIRST.getTime() + pair++ * 1000 * DAY
  const lastYear = await makeDrop({ opensAt: new Date(base) })
  const thisYear = await makeDrop({ opensAt: new Date(base + 200 * DAY), ...seats })
  return { lastYear, thisYear }
}

async function buyer() {
  return (await createTestUser()).user
}

async function orderById(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

async function paidSeat(d: TestDrop, tier: 'qinqing' | 'tiegan', userId: number, now: Date) {
  const result = await placeSeatOrder({ dropId: d.drop.id, dropTierId: d[tier].id, userId, now })
  if (!result.ok) throw new Error(`expected a seat, got ${result.reason}`)
  const order = await orderById(result.orderId)
  expect((await confirmPayment(paidNotice(order), now)).outcome).toBe('paid')
  return order
}

async function periodsOf(userId: number) {
  return db.select().from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.id))
}

describe('renewing in this year’s drop', () => {
  it('starts the new period when the plan ends, for a year, keeps the member number and takes a seat of the tier', async () => {
    const { lastYear, thisYear } = await twoDrops({ qinqing: 5 })
    const member = await buyer()
    await paidSeat(lastYear, 'qinqing', (await buyer()).id, lastYear.drop.opensAt) // No. 1 of last year
    await paidSeat(lastYear, 'qinqing', member.id, lastYear.drop.opensAt) // No. 2 of last year
    const [before] = await periodsOf(member.id)
    expect(before).toMatchObject({ memberNumber: 2, validUntil: lastYear.qinqing.validUntil })

    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    const result = await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.qinqing.id, userId: member.id, now })
    if (!result.ok) throw new Error(result.reason)
    const order = await orderById(result.orderId)
    // Full price, one order per buyer and drop, the seat of the tier held.
    expect(order).toMatchObject({ totalFen: 200_00, exclusiveKey: `drop:${thisYear.drop.id}:seat:${member.id}` })
    await expectConsistent(thisYear.qinqing.stockId, { held: 1, sold: 0 })
    expect(await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.qinqing.id, userId: member.id, now })).toEqual({ ok: false, reason: 'second_seat' })

    expect((await confirmPayment(paidNotice(order), new Date(now.getTime() + MINUTE))).outcome).toBe('paid')
    const [old, renewal] = await periodsOf(member.id)
    expect(old).toMatchObject({ id: before!.id, validUntil: lastYear.qinqing.validUntil, revokedAt: null })
    // Not from now, not to this drop's end: from the plan's end, one year on; the number stays No. 2.
    expect(renewal).toMatchObject({ memberNumber: 2, validFrom: lastYear.qinqing.validUntil, validUntil: renewalEnd(lastYear.qinqing.validUntil, TZ), source: 'drop', orderId: order.id, dropId: null })
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 1 })
    const { plan } = await getMemberPlan({ userId: member.id, dropId: thisYear.drop.id, now: new Date(now.getTime() + 2 * MINUTE) })
    expect(plan).toMatchObject({ tierName: '亲情会员', memberNumber: 2, validUntil: renewal!.validUntil })
    // Still in force on the first day after the old end, by the renewal.
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: new Date(before!.validUntil.getTime() + DAY) })).plan?.memberNumber).toBe(2)

    // This drop's counter did not move: its first new member is No. 1.
    const newcomer = await buyer()
    await paidSeat(thisYear, 'qinqing', newcomer.id, new Date(now.getTime() + 3 * MINUTE))
    expect((await periodsOf(newcomer.id))[0]).toMatchObject({ memberNumber: 1, dropId: thisYear.drop.id })

    // A refunded renewal ends that period only; the plan is back to its old end, the seat back in stock.
    await requestRefund({ orderId: order.id, actorId: await adminId(), now: new Date(now.getTime() + 4 * MINUTE) })
    const [, refunded] = await periodsOf(member.id)
    expect(refunded!.revokedAt).not.toBeNull()
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: new Date(now.getTime() + 5 * MINUTE) })).plan?.validUntil).toEqual(before!.validUntil)
    await expectConsistent(thisYear.qinqing.stockId, { sold: 1 })
  })
})

describe('upgrading from last year’s plan', () => {
  it('costs the higher tier less the unused days, starts now, keeps the number and leaves the lower plan underneath', async () => {
    const { lastYear, thisYear } = await twoDrops({ tiegan: 2 })
    const member = await buyer()
    await paidSeat(lastYear, 'qinqing', member.id, lastYear.drop.opensAt)
    const [plan] = await periodsOf(member.id)

    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    const result = await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: member.id, now })
    if (!result.ok) throw new Error(result.reason)
    const order = await orderById(result.orderId)
    const credit = upgradeCredit({ plan: { source: 'drop', validUntil: plan!.validUntil }, planPriceFen: 200_00, coveredUntil: thisYear.tiegan.validUntil, now, timeZone: TZ })
    // About 165 of the 365 days are left: ¥1,200 less about ¥90.
    expect(credit.days).toBeGreaterThan(160)
    expect(credit.days).toBeLessThan(170)
    expect(order.totalFen).toBe(1200_00 - credit.creditFen)

    const paidAt = new Date(now.getTime() + MINUTE)
    expect((await confirmPayment(paidNotice(order), paidAt)).outcome).toBe('paid')
    const [lower, upper] = await periodsOf(member.id)
    expect(lower).toMatchObject({ id: plan!.id, tierId: thisYear.qinqing.tierId, validUntil: plan!.validUntil, revokedAt: null })
    expect(upper).toMatchObject({ tierId: thisYear.tiegan.tierId, memberNumber: 1, validFrom: paidAt, validUntil: thisYear.tiegan.validUntil, dropId: null, orderId: order.id })
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: paidAt })).plan).toMatchObject({ tierName: '铁杆会员', memberNumber: 1 })
    await expectConsistent(thisYear.tiegan.stockId, { sold: 1 })

    // Refunded: the 铁杆 period ends; the 亲情 plan under it is as it was.
    await requestRefund({ orderId: order.id, actorId: await adminId(), now: new Date(paidAt.getTime() + MINUTE) })
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: new Date(paidAt.getTime() + 2 * MINUTE) })).plan).toMatchObject({
      tierName: '亲情会员',
      memberNumber: 1,
      validUntil: plan!.validUntil,
    })
  })
})

describe('a lower tier while a higher plan is in force', () => {
  it('is refused as a downgrade and stores nothing', async () => {
    const { lastYear, thisYear } = await twoDrops()
    const member = await buyer()
    await paidSeat(lastYear, 'tiegan', member.id, lastYear.drop.opensAt)
    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    const [ordersBefore, membershipsBefore] = [await countRows(orders), await countRows(memberships)]
    expect(await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.qinqing.id, userId: member.id, now })).toEqual({ ok: false, reason: 'downgrade' })
    expect(await countRows(orders)).toBe(ordersBefore)
    expect(await countRows(memberships)).toBe(membershipsBefore)
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 0 })
    // The 铁杆 seat is the renewal.
    const renew = await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: member.id, now })
    expect(renew.ok).toBe(true)
  })
})

describe('renewals and new buyers at the cap', () => {
  it('hold exactly the seats there are: renewals use seats of the tier like anyone, numbers stay 1..N for the new', async () => {
    const { lastYear, thisYear } = await twoDrops({ tiegan: 3 })
    const renewers = [await buyer(), await buyer(), await buyer()]
    for (const r of renewers) await paidSeat(lastYear, 'tiegan', r.id, lastYear.drop.opensAt)
    const newcomers = await Promise.all(Array.from({ length: 6 }, () => buyer()))
    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)

    const everyone = [...renewers, ...newcomers].sort(() => Math.random() - 0.5)
    const results = await Promise.all(everyone.map((user) => placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: user.id, now })))
    const held = results.flatMap((result) => (result.ok ? [result.orderId] : []))
    expect(held).toHaveLength(3)
    expect(results.filter((result) => !result.ok).map((result) => !result.ok && result.reason)).toEqual(Array(6).fill('sold_out'))
    await expectConsistent(thisYear.tiegan.stockId, { held: 3, sold: 0 })

    for (const [i, orderId] of held.entries()) await confirmPayment(paidNotice(await orderById(orderId)), new Date(now.getTime() + (i + 1) * 1000))
    await expectConsistent(thisYear.tiegan.stockId, { held: 0, sold: 3 })
    const paid = await db
      .select()
      .from(memberships)
      .where(and(sql`${memberships.orderId} in ${held}`, isNull(memberships.revokedAt)))
    const renewerIds = new Set(renewers.map((r) => r.id))
    const renewed = paid.filter((m) => renewerIds.has(m.userId))
    const fresh = paid.filter((m) => !renewerIds.has(m.userId))
    expect(renewed.length + fresh.length).toBe(3)
    // Renewals kept last year's numbers (1..3) and follow on from last year's end; the new are this drop's 1..k.
    for (const m of renewed) expect(m).toMatchObject({ dropId: null, validFrom: lastYear.tiegan.validUntil })
    expect(fresh.map((m) => m.memberNumber).sort()).toEqual(fresh.map((_, i) => i + 1))
    const [counter] = await db.select({ value: sql<number>`(SELECT value FROM counters WHERE id = ${thisYear.drop.counterId})` }).from(drops).limit(1)
    expect(Number(counter!.value)).toBe(fresh.length)
  })
})

// ---- the page (real clock) --------------------------------------------------------------------

let live: Promise<TestDrop> | undefined
/** One drop open around the real clock for the page tests (drop windows may not overlap). */
function liveDrops() {
  live ??= makeLiveDrop()
  return live
}

async function makeLiveDrop(): Promise<TestDrop> {
  const now = Date.now()
  const ids = await tierIds()
  const opensAt = new Date(now - MINUTE)
  const result = await createDrop({
    input: {
      name: '实时续费招募',
      announcement: '',
      opensAt,
      closesAt: new Date(now + HOUR),
      tiers: [
        { tierId: ids.qinqing, priceFen: 200_00, capacity: 100, validUntil: new Date(now + 365 * DAY) },
        { tierId: ids.tiegan, priceFen: 1200_00, capacity: 10, validUntil: new Date(now + 365 * DAY) },
      ],
    },
    actorId: await adminId(),
    now: new Date(opensAt.getTime() - MINUTE),
  })
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  const rows = await listDropTiers(result.drop.id, new Date())
  return { drop: result.drop, qinqing: rows[0]!, tiegan: rows[1]! }
}

describe('/membership for existing members', () => {
  it('shows a 铁杆 member their plan, offers the 铁杆 renewal, explains 亲情 and refuses it with the sentence (409)', async () => {
    const { drop, qinqing, tiegan } = await liveDrops()
    const { user } = await createTestUser()
    const validUntil = new Date(Date.now() + 100 * DAY)
    const period = await addMembership(user.id, { tier: 'tiegan', source: 'drop', validUntil })
    await db.update(memberships).set({ memberNumber: 37 }).where(eq(memberships.id, period.id))
    const { cookie } = await signedInCookie(user.id)

    const loaded = (await membershipLoader(routeArgs(requestFor('/membership', { cookie })))) as Awaited<ReturnType<typeof membershipLoader>>
    expect(loaded.mine).toEqual({ tierName: '铁杆会员', memberNumber: 37, validUntil: validUntil.getTime() })
    const terms = loaded.viewer!.seatTerms
    expect(terms[qinqing.id]).toEqual({ kind: 'downgrade', planTierName: '铁杆会员', planUntil: validUntil.getTime() })
    expect(terms[tiegan.id]).toMatchObject({ kind: 'renewal', priceFen: 1200_00, from: validUntil.getTime(), memberNumber: 37 })

    const ordersBefore = await countRows(orders)
    const refused = readData<{ errors: { form: string } }>(
      await membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id) } }))),
    )
    expect(refused.status).toBe(409)
    expect(refused.data.errors.form).toMatch(/^你是铁杆会员至 \d{4}年\d{1,2}月\d{1,2}日，亲情会员席位不适合你：到期后可选择亲情会员续费。$/)
    expect(await countRows(orders)).toBe(ordersBefore)
  })

  it('offers a 亲情 member the upgrade with its price and credit before any purchase', async () => {
    const { qinqing, tiegan } = await liveDrops()
    const { user } = await createTestUser()
    await addMembership(user.id, { tier: 'qinqing', source: 'drop', validUntil: new Date(Date.now() + 100 * DAY) })
    const { cookie } = await signedInCookie(user.id)
    const loaded = (await membershipLoader(routeArgs(requestFor('/membership', { cookie })))) as Awaited<ReturnType<typeof membershipLoader>>
    expect(loaded.viewer!.seatTerms[qinqing.id]).toMatchObject({ kind: 'renewal', priceFen: 200_00 })
    const upgrade = loaded.viewer!.seatTerms[tiegan.id]
    expect(upgrade).toMatchObject({ kind: 'upgrade', memberNumber: null })
    if (upgrade?.kind !== 'upgrade') throw new Error('expected an upgrade')
    expect(upgrade.creditDays).toBeGreaterThanOrEqual(100)
    expect(upgrade.priceFen).toBe(1200_00 - upgrade.creditFen)
    expect(upgrade.creditFen).toBe(Math.round((200_00 * upgrade.creditDays) / 365 / 100) * 100)
  })
})
