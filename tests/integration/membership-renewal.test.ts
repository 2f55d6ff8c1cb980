// Existing members in a new drop (issue 18, decision 049), against the real database: a renewal
// starts when the plan ends and keeps the member number; an upgrade from an earlier plan costs the
// higher tier less the unused days and keeps the number; a lower tier is refused with the plan
// named and nothing stored; renewals and new buyers race for the last seats of a tier.
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { drops, memberships, orderFlags, orders, type Drop } from '../../db/schema'
import { renewalEnd, seatUpgradePriceFen, upgradeCredit } from '~/domain/membership-plan'
import { confirmPayment, requestRefund } from '~/models/commerce.server'
import { countDropMembers, createDrop, listDropTiers, placeSeatOrder, placeUpgradeOrder, type DropTierView } from '~/models/drop.server'
import { getMemberPlan } from '~/models/membership-plan.server'
import { action as csvAction } from '~/routes/admin.drops.$id.csv'
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
    expect(renewal).toMatchObject({ memberNumber: 2, validFrom: lastYear.qinqing.validUntil, validUntil: renewalEnd(lastYear.qinqing.validUntil, TZ), source: 'drop', orderId: order.id, dropId: thisYear.drop.id, dropSale: 'renewal', numberDropId: null })
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 1 })
    const { plan } = await getMemberPlan({ userId: member.id, dropId: thisYear.drop.id, now: new Date(now.getTime() + 2 * MINUTE) })
    expect(plan).toMatchObject({ tierName: '亲情会员', memberNumber: 2, validUntil: renewal!.validUntil })
    // Still in force on the first day after the old end, by the renewal.
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: new Date(before!.validUntil.getTime() + DAY) })).plan?.memberNumber).toBe(2)

    // This drop's counter did not move: its first new member is No. 1.
    const newcomer = await buyer()
    await paidSeat(thisYear, 'qinqing', newcomer.id, new Date(now.getTime() + 3 * MINUTE))
    expect((await periodsOf(newcomer.id))[0]).toMatchObject({ memberNumber: 1, dropId: thisYear.drop.id, dropSale: 'new', numberDropId: thisYear.drop.id })

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
    expect(upper).toMatchObject({ tierId: thisYear.tiegan.tierId, memberNumber: 1, validFrom: paidAt, validUntil: thisYear.tiegan.validUntil, dropId: thisYear.drop.id, dropSale: 'upgrade', numberDropId: null, orderId: order.id })
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

async function paidUpgrade(d: TestDrop, userId: number, now: Date) {
  const result = await placeUpgradeOrder({ dropId: d.drop.id, dropTierId: d.tiegan.id, userId, now })
  if (!result.ok) throw new Error(`expected an upgrade, got ${result.reason}`)
  const order = await orderById(result.orderId)
  expect((await confirmPayment(paidNotice(order), now)).outcome).toBe('paid')
  return order
}

describe('upgrading after renewing in the same drop', () => {
  it('moves the renewed member up from today to the renewal’s end for the difference per day left, keeps the number, swaps the seats, and a refund undoes exactly that', async () => {
    const { lastYear, thisYear } = await twoDrops({ tiegan: 2 })
    const member = await buyer()
    await paidSeat(lastYear, 'qinqing', member.id, lastYear.drop.opensAt) // No. 1 of last year
    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    await paidSeat(thisYear, 'qinqing', member.id, now)
    const [, renewal] = await periodsOf(member.id)
    expect(renewal).toMatchObject({ dropSale: 'renewal', validUntil: renewalEnd(lastYear.qinqing.validUntil, TZ) })

    // The 铁杆 seat is not a second seat: it is an upgrade of the renewal's seat.
    expect(await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: member.id, now })).toEqual({ ok: false, reason: 'second_seat' })
    const later = new Date(now.getTime() + MINUTE)
    const result = await placeUpgradeOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: member.id, now: later })
    if (!result.ok) throw new Error(result.reason)
    const upgradeOrder = await orderById(result.orderId)
    // About 165 days left of last year's period plus the renewal's 365: ¥1,000 a year for about 530 days.
    const price = seatUpgradePriceFen({ differenceFen: 1000_00, renewalUntil: renewal!.validUntil, now: later, timeZone: TZ })
    expect(price).toBeGreaterThan(1400_00)
    expect(price).toBeLessThan(1500_00)
    expect(upgradeOrder.totalFen).toBe(price)
    await expectConsistent(thisYear.tiegan.stockId, { held: 1, sold: 0 })

    const paidAt = new Date(later.getTime() + MINUTE)
    expect((await confirmPayment(paidNotice(upgradeOrder), paidAt)).outcome).toBe('paid')
    const [old, renewed, upgraded] = await periodsOf(member.id)
    expect(old!.revokedAt).toBeNull()
    expect(renewed).toMatchObject({ id: renewal!.id, tierId: thisYear.qinqing.tierId, revokedAt: null })
    // 铁杆 from today, not from the renewal's start, to the renewal's end; the number stays No. 1.
    expect(upgraded).toMatchObject({ tierId: thisYear.tiegan.tierId, memberNumber: 1, validFrom: paidAt, validUntil: renewal!.validUntil, dropId: thisYear.drop.id, dropSale: 'upgrade', numberDropId: null, orderId: upgradeOrder.id })
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: paidAt })).plan).toMatchObject({ tierName: '铁杆会员', memberNumber: 1, validUntil: renewal!.validUntil })
    // One seat in the drop: the 铁杆 one; the 亲情 seat went back to stock.
    await expectConsistent(thisYear.tiegan.stockId, { held: 0, sold: 1 })
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 0 })
    // Nothing higher to move to, and no second seat.
    expect(await placeUpgradeOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: member.id, now: paidAt })).toEqual({ ok: false, reason: 'not_higher' })
    expect(await placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.qinqing.id, userId: member.id, now: paidAt })).toEqual({ ok: false, reason: 'downgrade' })

    // The upgrade refunded: the 铁杆 period ends, the renewal takes its 亲情 seat again.
    await requestRefund({ orderId: upgradeOrder.id, actorId: await adminId(), now: new Date(paidAt.getTime() + MINUTE) })
    const afterRefund = await periodsOf(member.id)
    expect(afterRefund[2]!.revokedAt).not.toBeNull()
    expect(afterRefund[1]!.revokedAt).toBeNull()
    expect((await getMemberPlan({ userId: member.id, dropId: null, now: new Date(paidAt.getTime() + 2 * MINUTE) })).plan).toMatchObject({ tierName: '亲情会员', validUntil: renewal!.validUntil })
    await expectConsistent(thisYear.tiegan.stockId, { held: 0, sold: 0 })
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 1 })
  })

  it('ends the upgrade with the renewal when the renewal is refunded, freeing the 铁杆 seat and flagging the upgrade’s payment', async () => {
    const { lastYear, thisYear } = await twoDrops({ tiegan: 2 })
    const member = await buyer()
    await paidSeat(lastYear, 'qinqing', member.id, lastYear.drop.opensAt)
    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    const renewalOrder = await paidSeat(thisYear, 'qinqing', member.id, now)
    const upgradeOrder = await paidUpgrade(thisYear, member.id, new Date(now.getTime() + MINUTE))
    await requestRefund({ orderId: renewalOrder.id, actorId: await adminId(), now: new Date(now.getTime() + 2 * MINUTE) })
    const [old, renewal, upgrade] = await periodsOf(member.id)
    expect(old!.revokedAt).toBeNull()
    expect(renewal!.revokedAt).not.toBeNull()
    expect(upgrade!.revokedAt).not.toBeNull()
    await expectConsistent(thisYear.tiegan.stockId, { held: 0, sold: 0 })
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 0 })
    expect(await db.select().from(orderFlags).where(eq(orderFlags.orderId, upgradeOrder.id))).toContainEqual(expect.objectContaining({ flag: 'seat_refunded_after_upgrade' }))
  })

  it('sells the last 铁杆 seat once when renewed members press 升级 in two tabs while new buyers take 抢铁杆', async () => {
    const { lastYear, thisYear } = await twoDrops({ tiegan: 1 })
    const renewers = [await buyer(), await buyer(), await buyer()]
    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    for (const r of renewers) {
      await paidSeat(lastYear, 'qinqing', r.id, lastYear.drop.opensAt)
      await paidSeat(thisYear, 'qinqing', r.id, now)
    }
    const newcomers = await Promise.all(Array.from({ length: 3 }, () => buyer()))
    const at = new Date(now.getTime() + MINUTE)
    const requests = [
      // Each renewer twice, as from two tabs.
      ...renewers.flatMap((r) => [r, r].map((u) => () => placeUpgradeOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: u.id, now: at }))),
      ...renewers.map((r) => () => placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: r.id, now: at })),
      ...newcomers.map((n) => () => placeSeatOrder({ dropId: thisYear.drop.id, dropTierId: thisYear.tiegan.id, userId: n.id, now: at })),
    ].sort(() => Math.random() - 0.5)
    const results = await Promise.all(requests.map((request) => request()))
    const held = results.flatMap((r) => (r.ok ? [r.orderId] : []))
    expect(held).toHaveLength(1)
    const refusals = results.flatMap((r) => (r.ok ? [] : [r.reason]))
    expect(new Set(refusals)).toEqual(new Set(refusals.filter((reason) => reason === 'sold_out' || reason === 'upgrade_pending' || reason === 'second_seat')))
    await expectConsistent(thisYear.tiegan.stockId, { held: 1, sold: 0 })
    // Each renewer still holds exactly their 亲情 seat; nobody holds two of a kind.
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: 3 })
    const [{ n }] = (await db.all(sql`SELECT count(*) AS n FROM orders WHERE drop_id = ${thisYear.drop.id} AND state = 'pending'`)) as [{ n: number }]
    expect(Number(n)).toBe(1)
    // Paid: the winner has one 铁杆 seat, the 亲情 seats are one fewer if it was a renewer's upgrade.
    const winner = await orderById(held[0]!)
    expect((await confirmPayment(paidNotice(winner), new Date(at.getTime() + MINUTE))).outcome).toBe('paid')
    await expectConsistent(thisYear.tiegan.stockId, { held: 0, sold: 1 })
    const renewerWon = renewers.some((r) => r.id === winner.userId)
    await expectConsistent(thisYear.qinqing.stockId, { held: 0, sold: renewerWon ? 2 : 3 })
  })
})

describe('the drop’s member CSV', () => {
  it('lists every member the drop sold a period to, once each, with 新开, 续费 or 升级', async () => {
    const { lastYear, thisYear } = await twoDrops({ tiegan: 5 })
    const [renewer, planUpgrader, renewedUpgrader, newcomer] = [await buyer(), await buyer(), await buyer(), await buyer()]
    for (const u of [renewer, planUpgrader, renewedUpgrader]) await paidSeat(lastYear, 'qinqing', u.id, lastYear.drop.opensAt) // last year's 1..3
    const now = new Date(thisYear.drop.opensAt.getTime() + MINUTE)
    await paidSeat(thisYear, 'qinqing', renewer.id, now)
    await paidSeat(thisYear, 'tiegan', planUpgrader.id, now)
    await paidSeat(thisYear, 'qinqing', renewedUpgrader.id, now)
    await paidUpgrade(thisYear, renewedUpgrader.id, new Date(now.getTime() + MINUTE))
    await paidSeat(thisYear, 'qinqing', newcomer.id, now) // this year's No. 1

    const admin = await createTestUser({ role: 'admin' })
    const response = await csvAction(routeArgs(requestFor(`/admin/drops/${thisYear.drop.id}/csv`, { cookie: (await signedInCookie(admin.user.id)).cookie, form: {} }), { id: String(thisYear.drop.id) }))
    const lines = (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(lines[0]).toBe('会员编号,姓名,邮箱,会员等级,开通方式,付款时间,金额（元）')
    const rows = lines.slice(1).map((line) => line.split(','))
    // Numbers in order; two members share No. 1 (last year's and this year's), each listed once.
    const sharingNo1 = [
      { id: renewer.id, email: renewer.email, sale: '续费' },
      { id: newcomer.id, email: newcomer.email, sale: '新开' },
    ].sort((a, b) => a.id - b.id)
    expect(rows.map(([number, , email, tier, sale]) => [number, email, tier, sale])).toEqual([
      ...sharingNo1.map((m) => ['0001', m.email, '亲情会员', m.sale]),
      ['0002', planUpgrader.email, '铁杆会员', '升级'],
      ['0003', renewedUpgrader.email, '铁杆会员', '升级'],
    ])
    expect(await countDropMembers(thisYear.drop.id)).toBe(4)
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
    for (const m of renewed) expect(m).toMatchObject({ dropId: thisYear.drop.id, dropSale: 'renewal', numberDropId: null, validFrom: lastYear.tiegan.validUntil })
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
