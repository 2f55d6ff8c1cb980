// Buying a seat in a membership drop, against the real database: the window to the millisecond,
// one seat per user (also in parallel), sold out, upgrades that keep the number, the waitlist,
// member numbers 1..N across tiers while holds lapse between payments, refunds, and /membership.
import { and, asc, eq, gt, isNull, like, lt, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { dropWaitlist, drops, emailOutbox, holds, memberships, orderFlags, orders, type Drop } from '../../db/schema'
import { activeRank } from '~/domain/membership'
import { confirmPayment, releaseExpiredHolds, requestRefund } from '~/models/commerce.server'
import {
  LIVE_SEATS_SNAPSHOT_MS,
  createDrop,
  forgetLiveSeats,
  getLiveSeats,
  joinWaitlist,
  listDropTiers,
  placeSeatOrder,
  placeUpgradeOrder,
  type DropTierView,
} from '~/models/drop.server'
import { findMemberCard } from '~/models/member-card.server'
import { getMembershipPeriods } from '~/models/membership.server'
import { action as membershipAction, loader as membershipLoader } from '~/routes/membership._index'
import { loader as seatsLoader } from '~/routes/membership.seats'
import { db } from '~/utils/db.server'
import { adminId, tierIds } from '../factories/drops'
import { countRows } from '../factories/db'
import { expectConsistent, paidNotice, stockRow } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const HOLD_MS = 10 * MINUTE
// Model tests run on injected instants far from the real clock, so they never meet the
// real-time drops the route tests create.
const OPENS = new Date('2090-08-09T02:00:00.000Z')

/** A drop with a 亲情 and a 铁杆 tier; each call gets its own day, so drops never overlap. */
let slot = 0
async function makeDrop({
  opensAt,
  hours = 6,
  qinqing = 100,
  tiegan = 10,
}: { opensAt?: Date; hours?: number; qinqing?: number; tiegan?: number } = {}): Promise<{ drop: Drop; qinqing: DropTierView; tiegan: DropTierView }> {
  const opens = opensAt ?? new Date(OPENS.getTime() + ++slot * 24 * HOUR)
  const ids = await tierIds()
  const validUntil = new Date(opens.getTime() + 365 * 24 * HOUR)
  const result = await createDrop({
    input: {
      name: `测试招募 ${opens.toISOString()}`,
      announcement: '',
      opensAt: opens,
      closesAt: new Date(opens.getTime() + hours * HOUR),
      tiers: [
        { tierId: ids.qinqing, priceFen: 200_00, capacity: qinqing, validUntil },
        { tierId: ids.tiegan, priceFen: 1200_00, capacity: tiegan, validUntil },
      ],
    },
    actorId: await adminId(),
    now: new Date(opens.getTime() - HOUR),
  })
  if (!result.ok) throw new Error(`drop refused: ${JSON.stringify(result.errors)}`)
  const rows = await listDropTiers(result.drop.id, opens)
  return { drop: result.drop, qinqing: rows[0]!, tiegan: rows[1]! }
}

/**
 * A drop whose window is around the real clock (route tests read `new Date()`). Earlier ones of
 * this file that would overlap it are moved ten years back first.
 */
async function liveDrop(state: 'upcoming' | 'open' | 'closed', seats: { qinqing?: number; tiegan?: number } = {}) {
  const now = Date.now()
  const ids = await tierIds()
  const opensAt = new Date(state === 'upcoming' ? now + HOUR : state === 'open' ? now - MINUTE : now - 3 * HOUR)
  const closesAt = new Date(state === 'upcoming' ? now + 3 * HOUR : state === 'open' ? now + HOUR : now - 2 * HOUR)
  const TEN_YEARS = 10 * 365 * 24 * HOUR
  await db
    .update(drops)
    .set({ opensAt: sql`${drops.opensAt} - ${TEN_YEARS}`, closesAt: sql`${drops.closesAt} - ${TEN_YEARS}` })
    .where(and(like(drops.name, '实时招募%'), lt(drops.opensAt, closesAt), gt(drops.closesAt, opensAt)))
  const validUntil = new Date(now + 365 * 24 * HOUR)
  const result = await createDrop({
    input: {
      name: `实时招募 ${state}`,
      announcement: '下期招募预计明年八月开启',
      opensAt,
      closesAt,
      tiers: [
        { tierId: ids.qinqing, priceFen: 200_00, capacity: seats.qinqing ?? 100, validUntil },
        { tierId: ids.tiegan, priceFen: 1200_00, capacity: seats.tiegan ?? 10, validUntil },
      ],
    },
    actorId: await adminId(),
    now: new Date(opensAt.getTime() - MINUTE),
  })
  if (!result.ok) throw new Error(`drop refused: ${JSON.stringify(result.errors)}`)
  const rows = await listDropTiers(result.drop.id, new Date())
  return { drop: result.drop, qinqing: rows[0]!, tiegan: rows[1]! }
}

async function buyer() {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

async function orderById(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

async function seatOk(args: Parameters<typeof placeSeatOrder>[0]) {
  const result = await placeSeatOrder(args)
  if (!result.ok) throw new Error(`expected a seat, got ${result.reason}`)
  return orderById(result.orderId)
}

async function membershipsOfDrop(dropId: number) {
  return db.select().from(memberships).where(and(eq(memberships.dropId, dropId), isNull(memberships.revokedAt))).orderBy(asc(memberships.memberNumber))
}

// First, while the file's database has no drop yet.
describe('/membership without any drop', () => {
  it('shows the member tiers and no drop', async () => {
    const loaded = (await membershipLoader(routeArgs(requestFor('/membership')))) as Awaited<ReturnType<typeof membershipLoader>>
    expect(loaded.drop).toBeNull()
    expect(loaded.tiers.map((tier) => tier.name)).toEqual(['免费用户', '亲情会员', '铁杆会员'])
    forgetLiveSeats()
    const feed = await (await seatsLoader()).json()
    expect(feed).toMatchObject({ dropId: null, window: null, tiers: [] })
  })
})

describe('the window, to the millisecond (model, injected now)', () => {
  it('refuses one millisecond before opening, sells at the opening instant and until one millisecond before closing', async () => {
    const { drop, qinqing } = await makeDrop()
    const [a, b, c, d] = await Promise.all([buyer(), buyer(), buyer(), buyer()])
    const base = { dropId: drop.id, dropTierId: qinqing.id }
    expect(await placeSeatOrder({ ...base, userId: a.user.id, now: new Date(drop.opensAt.getTime() - 1) })).toEqual({ ok: false, reason: 'not_open_yet' })
    expect(await placeSeatOrder({ ...base, userId: a.user.id, now: drop.opensAt })).toMatchObject({ ok: true })
    expect(await placeSeatOrder({ ...base, userId: b.user.id, now: new Date(drop.closesAt.getTime() - 1) })).toMatchObject({ ok: true })
    expect(await placeSeatOrder({ ...base, userId: c.user.id, now: drop.closesAt })).toEqual({ ok: false, reason: 'closed' })
    expect(await placeSeatOrder({ ...base, userId: d.user.id, now: new Date(drop.closesAt.getTime() + 1) })).toEqual({ ok: false, reason: 'closed' })
    // a's hold (HOLD_MINUTES from the opening) lapsed long before b ordered at the last millisecond.
    await expectConsistent(qinqing.stockId, { held: 1 })
    expect((await db.select().from(orders).where(eq(orders.userId, a.user.id)))[0]?.state).toBe('expired')
  })
})

describe('the live seats feed: one reading a second, shared by every poll', () => {
  it('serves polls within LIVE_SEATS_SNAPSHOT_MS from one reading, and reads again after it', async () => {
    const { drop, qinqing } = await makeDrop({ qinqing: 5 })
    const at = (ms: number) => new Date(drop.opensAt.getTime() + ms)
    const seatsOf = async (ms: number) => (await getLiveSeats(at(ms)))!.tiers.find((tier) => tier.id === qinqing.id)!.available
    expect(await seatsOf(0)).toBe(5)
    const { user } = await buyer()
    await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: user.id, now: at(10) })
    expect(await seatsOf(LIVE_SEATS_SNAPSHOT_MS - 1)).toBe(5)
    expect(await seatsOf(LIVE_SEATS_SNAPSHOT_MS)).toBe(4)
  })

  it('works out the window from the instant of each poll, so the opening shows to the second', async () => {
    const { drop } = await makeDrop()
    const before = await getLiveSeats(new Date(drop.opensAt.getTime() - 500))
    const opening = await getLiveSeats(drop.opensAt)
    expect(before).toMatchObject({ dropId: drop.id, window: 'upcoming' })
    expect(opening).toMatchObject({ dropId: drop.id, window: 'open' })
    expect(opening!.tiers).toBe(before!.tiers)
  })

  it('shares one reading between polls that arrive together', async () => {
    const { drop } = await makeDrop()
    forgetLiveSeats()
    const polls = await Promise.all(Array.from({ length: 20 }, () => getLiveSeats(drop.opensAt)))
    for (const poll of polls) expect(poll!.tiers).toBe(polls[0]!.tiers)
  })
})

describe('buying a seat on /membership (route action, real clock)', () => {
  it('holds a seat and sends the buyer to pay, with the drop tier price and a hold of HOLD_MINUTES', async () => {
    const { drop, tiegan } = await liveDrop('open')
    const { user, cookie } = await buyer()
    const before = Date.now()
    const response = await membershipAction(
      routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(tiegan.id) } })),
    )
    const { location } = readRedirect(response)
    const orderId = Number(/^\/pay\/(\d+)$/.exec(location ?? '')?.[1])
    const order = await orderById(orderId)
    expect(order).toMatchObject({ userId: user.id, kind: 'membership', state: 'pending', totalFen: 1200_00, dropId: drop.id, exclusiveKey: `drop:${drop.id}:seat:${user.id}` })
    expect(order.expiresAt.getTime()).toBeGreaterThanOrEqual(before + HOLD_MS)
    await expectConsistent(tiegan.stockId, { held: 1 })
  })

  it('one seat per user per drop: 20 parallel buy requests of one user hold exactly one seat, the rest get 409', async () => {
    const { drop, qinqing, tiegan } = await liveDrop('open')
    const { user, cookie } = await buyer()
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        membershipAction(
          routeArgs(
            requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(i % 2 ? qinqing.id : tiegan.id) } }),
          ),
        ),
      ),
    )
    const redirects = responses.filter((r) => r instanceof Response)
    const refused = responses.filter((r) => !(r instanceof Response)).map((r) => readData<{ errors: { form: string } }>(r))
    expect(redirects).toHaveLength(1)
    expect(refused).toHaveLength(19)
    for (const r of refused) {
      expect(r.status).toBe(409)
      expect(r.data.errors.form).toBe('你已在本期招募中购买或锁定了席位')
    }
    const live = await db.select().from(orders).where(and(eq(orders.userId, user.id), eq(orders.dropId, drop.id)))
    expect(live.filter((o) => o.state === 'pending')).toHaveLength(1)
    await expectConsistent(qinqing.stockId)
    await expectConsistent(tiegan.stockId)
    expect((await stockRow(qinqing.stockId)).held + (await stockRow(tiegan.stockId)).held).toBe(1)
  })

  it('refuses before opening and after closing (403) and a tier of another drop (400), changing nothing', async () => {
    const upcoming = await liveDrop('upcoming')
    const closed = await liveDrop('closed')
    const { cookie } = await buyer()
    const ordersBefore = await countRows(orders)
    const post = (dropId: number, dropTierId: number) =>
      membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(dropId), dropTierId: String(dropTierId) } })))

    const early = readData<{ errors: { form: string } }>(await post(upcoming.drop.id, upcoming.qinqing.id))
    expect(early).toMatchObject({ status: 403, data: { errors: { form: '招募尚未开启，请在开启后再购买' } } })
    const late = readData<{ errors: { form: string } }>(await post(closed.drop.id, closed.qinqing.id))
    expect(late).toMatchObject({ status: 403, data: { errors: { form: '本期招募已结束' } } })
    const foreign = readData<{ errors: { form: string } }>(await post(upcoming.drop.id, closed.qinqing.id))
    expect(foreign).toMatchObject({ status: 400, data: { errors: { form: '这个会员等级不在本期招募中' } } })
    const garbage = readData<{ errors: { form: string } }>(
      await membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: 'x', dropTierId: '-1' } }))),
    )
    expect(garbage.status).toBe(400)
    expect(await countRows(orders)).toBe(ordersBefore)
  })

  it('tells the buyer 已满 (409) when the tier is sold out', async () => {
    const { drop, tiegan } = await liveDrop('open', { tiegan: 1 })
    const first = await buyer()
    const second = await buyer()
    const post = (cookie: string) =>
      membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(tiegan.id) } })))
    readRedirect(await post(first.cookie))
    expect(readData<{ errors: { form: string } }>(await post(second.cookie))).toMatchObject({ status: 409, data: { errors: { form: '已满' } } })
  })

  it('sends a visitor to sign in first (「登录后继续购买」), coming back to /membership at the tier chosen', async () => {
    const { drop, qinqing } = await liveDrop('open')
    const response = await membershipAction(
      routeArgs(requestFor('/membership', { form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id) } })),
    ).catch((thrown: unknown) => thrown)
    const location = new URL(readRedirect(response).location!, 'http://x')
    expect(location.pathname).toBe('/login')
    expect(location.searchParams.get('redirectTo')).toBe(`/membership?tier=${qinqing.id}#drop-tier-${qinqing.id}`)
    expect(location.searchParams.get('for')).toBe('purchase')
  })
})

describe('paying for a seat', () => {
  it('creates a membership of the tier with the next member number, valid until the tier says, and emails the welcome', async () => {
    const { drop, qinqing, tiegan } = await makeDrop()
    const a = await buyer()
    const b = await buyer()
    const now = drop.opensAt
    const orderA = await seatOk({ dropId: drop.id, dropTierId: tiegan.id, userId: a.user.id, now })
    const orderB = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: b.user.id, now })
    // Paid in the other order than placed: numbers follow payment.
    expect((await confirmPayment(paidNotice(orderB), new Date(now.getTime() + 1000))).outcome).toBe('paid')
    expect((await confirmPayment(paidNotice(orderA), new Date(now.getTime() + 2000))).outcome).toBe('paid')
    const members = await membershipsOfDrop(drop.id)
    expect(members.map((m) => [m.userId, m.memberNumber, m.tierId, m.source, m.orderId])).toEqual([
      [b.user.id, 1, qinqing.tierId, 'drop', orderB.id],
      [a.user.id, 2, tiegan.tierId, 'drop', orderA.id],
    ])
    expect(members[0]!.validUntil).toEqual(qinqing.validUntil)
    expect(members[0]!.validFrom).toEqual(new Date(now.getTime() + 1000))

    // The one gating rule sees the new rank at once.
    const periods = await getMembershipPeriods(a.user.id)
    expect(activeRank(periods, new Date(now.getTime() + 3000))).toBe(2)
    const card = await findMemberCard({ userId: a.user.id, now: new Date(now.getTime() + 3000) })
    expect(card).toMatchObject({ memberNumber: 2, tierName: '铁杆会员', name: a.user.displayName, validUntil: tiegan.validUntil, dropName: drop.name })

    const [welcome] = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, a.user.email), eq(emailOutbox.template, 'drop-welcome')))
    expect(welcome?.subject).toBe('欢迎加入知音 · 你是第 0002 号会员')
    expect(welcome?.text).toContain('第 0002 号')
    expect(welcome?.text).toContain('铁杆会员')
    expect(welcome?.text).toContain('/membership/card')
    expect(await confirmPayment(paidNotice(orderA), new Date(now.getTime() + 4000))).toMatchObject({ outcome: 'paid', duplicate: true })
    expect(await membershipsOfDrop(drop.id)).toHaveLength(2)
  })

  it('keeps member numbers exactly 1..N across tiers while holds lapse between payments', async () => {
    const { drop, qinqing, tiegan } = await makeDrop({ qinqing: 30, tiegan: 10 })
    const people = await Promise.all(Array.from({ length: 24 }, () => buyer()))
    const t0 = drop.opensAt.getTime()
    // Wave 1: 12 holds at t0; half are paid (in shuffled order), half lapse.
    const wave1 = await Promise.all(
      people.slice(0, 12).map((p, i) => seatOk({ dropId: drop.id, dropTierId: i % 3 === 0 ? tiegan.id : qinqing.id, userId: p.user.id, now: new Date(t0) })),
    )
    for (const [k, order] of wave1.filter((_, i) => i % 2 === 1).reverse().entries()) {
      expect((await confirmPayment(paidNotice(order), new Date(t0 + MINUTE + k))).outcome).toBe('paid')
    }
    await releaseExpiredHolds(new Date(t0 + HOLD_MS))
    // Wave 2, after the lapse: 12 new buyers, and the lapsed buyers may try again.
    const wave2 = await Promise.all(
      [...people.slice(12), ...people.slice(0, 12).filter((_, i) => i % 2 === 0)].map((p, i) =>
        seatOk({ dropId: drop.id, dropTierId: i % 4 === 0 ? tiegan.id : qinqing.id, userId: p.user.id, now: new Date(t0 + HOLD_MS + 1) }),
      ),
    )
    // Some pay, one lapses, one pays after its hold lapsed while its seat is still free (re-seated).
    const late = wave2[0]!
    for (const [k, order] of wave2.slice(1, -1).entries()) {
      expect((await confirmPayment(paidNotice(order), new Date(t0 + HOLD_MS + MINUTE + k))).outcome).toBe('paid')
    }
    await releaseExpiredHolds(new Date(t0 + 2 * HOLD_MS + 1))
    expect((await confirmPayment(paidNotice(late), new Date(t0 + 2 * HOLD_MS + 2))).outcome).toBe('reseated')

    const members = await membershipsOfDrop(drop.id)
    const numbers = members.map((m) => m.memberNumber)
    expect(numbers).toEqual(Array.from({ length: members.length }, (_, i) => i + 1))
    expect(members).toHaveLength(6 + 16 + 1)
    expect(new Set(members.map((m) => m.userId)).size).toBe(members.length)
    for (const seats of [qinqing, tiegan]) {
      await expectConsistent(seats.stockId, { held: 0 })
    }
  })

  it('a refunded seat ends the membership, gives the seat back and never frees the number', async () => {
    const { drop, qinqing } = await makeDrop()
    const a = await buyer()
    const b = await buyer()
    const now = drop.opensAt
    const orderA = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: a.user.id, now })
    await confirmPayment(paidNotice(orderA), now)
    expect(await requestRefund({ orderId: orderA.id, actorId: await adminId(), now: new Date(now.getTime() + MINUTE) })).toBeTruthy()
    const [revoked] = await db.select().from(memberships).where(eq(memberships.orderId, orderA.id))
    expect(revoked?.revokedAt).toEqual(new Date(now.getTime() + MINUTE))
    expect(activeRank(await getMembershipPeriods(a.user.id), new Date(now.getTime() + 2 * MINUTE))).toBe(0)
    await expectConsistent(qinqing.stockId, { sold: 0 })

    const orderB = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: b.user.id, now: new Date(now.getTime() + 2 * MINUTE) })
    await confirmPayment(paidNotice(orderB), new Date(now.getTime() + 3 * MINUTE))
    const [memberB] = await db.select().from(memberships).where(eq(memberships.orderId, orderB.id))
    expect(memberB?.memberNumber).toBe(2)
  })
})

describe('upgrading 亲情 → 铁杆 during the drop', () => {
  it('costs the difference, keeps the member number and gives the 亲情 seat back', async () => {
    const { drop, qinqing, tiegan } = await makeDrop({ qinqing: 5, tiegan: 5 })
    const member = await buyer()
    const other = await buyer()
    const now = drop.opensAt
    const seat = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: member.user.id, now })
    await confirmPayment(paidNotice(seat), now)
    const otherSeat = await seatOk({ dropId: drop.id, dropTierId: tiegan.id, userId: other.user.id, now })
    await confirmPayment(paidNotice(otherSeat), now)

    const result = await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: member.user.id, now: new Date(now.getTime() + MINUTE) })
    if (!result.ok) throw new Error(result.reason)
    const upgrade = await orderById(result.orderId)
    expect(upgrade).toMatchObject({ totalFen: 1000_00, exclusiveKey: `drop:${drop.id}:upgrade:${member.user.id}`, kind: 'membership' })
    // A second upgrade order while this one is live is refused by the exclusive key.
    expect(await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: member.user.id, now: new Date(now.getTime() + MINUTE) })).toEqual({
      ok: false,
      reason: 'upgrade_pending',
    })
    expect((await confirmPayment(paidNotice(upgrade), new Date(now.getTime() + 2 * MINUTE))).outcome).toBe('paid')

    const [row] = await db.select().from(memberships).where(eq(memberships.userId, member.user.id))
    expect(row).toMatchObject({ tierId: tiegan.tierId, memberNumber: 1, orderId: seat.id, validUntil: tiegan.validUntil })
    await expectConsistent(qinqing.stockId, { sold: 0 })
    await expectConsistent(tiegan.stockId, { sold: 2 })
    // The counter did not move: the next seat is number 3.
    const next = await buyer()
    const third = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: next.user.id, now: new Date(now.getTime() + 3 * MINUTE) })
    await confirmPayment(paidNotice(third), new Date(now.getTime() + 3 * MINUTE))
    expect((await db.select().from(memberships).where(eq(memberships.orderId, third.id)))[0]?.memberNumber).toBe(3)
    const [mail] = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, member.user.email), eq(emailOutbox.template, 'drop-upgrade')))
    expect(mail?.text).toContain('第 0001 号')

    // Refunding the upgrade puts the member back on 亲情 (a 亲情 seat is free), same number.
    await requestRefund({ orderId: upgrade.id, actorId: await adminId(), now: new Date(now.getTime() + 4 * MINUTE) })
    const [back] = await db.select().from(memberships).where(eq(memberships.userId, member.user.id))
    expect(back).toMatchObject({ tierId: qinqing.tierId, memberNumber: 1, revokedAt: null, validUntil: qinqing.validUntil })
    await expectConsistent(qinqing.stockId, { sold: 2 })
    await expectConsistent(tiegan.stockId, { sold: 1 })
  })

  it('refunding the upgrade retakes a 亲情 seat that only a lapsed checkout was holding', async () => {
    const { drop, qinqing, tiegan } = await makeDrop({ qinqing: 1, tiegan: 5 })
    const member = await buyer()
    const late = await buyer()
    const now = drop.opensAt
    const seat = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: member.user.id, now })
    await confirmPayment(paidNotice(seat), now)
    const result = await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: member.user.id, now: new Date(now.getTime() + MINUTE) })
    if (!result.ok) throw new Error(result.reason)
    const upgrade = await orderById(result.orderId)
    expect((await confirmPayment(paidNotice(upgrade), new Date(now.getTime() + 2 * MINUTE))).outcome).toBe('paid')
    // The freed 亲情 seat is held by someone who never pays; their hold lapses, not yet released.
    await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: late.user.id, now: new Date(now.getTime() + 3 * MINUTE) })
    const refundedAt = new Date(now.getTime() + 3 * MINUTE + HOLD_MS + MINUTE)

    await requestRefund({ orderId: upgrade.id, actorId: await adminId(), now: refundedAt })
    const [back] = await db.select().from(memberships).where(eq(memberships.userId, member.user.id))
    expect(back).toMatchObject({ tierId: qinqing.tierId, memberNumber: 1, revokedAt: null })
    expect(await db.select().from(orderFlags).where(eq(orderFlags.orderId, upgrade.id))).toEqual([])
    await expectConsistent(qinqing.stockId, { sold: 1, held: 0 })
  })

  it('is refused to non-members of the drop, to 铁杆 members, outside the window and when 铁杆 is full', async () => {
    const { drop, qinqing, tiegan } = await makeDrop({ tiegan: 1 })
    const now = drop.opensAt
    const outsider = await buyer()
    expect(await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: outsider.user.id, now })).toEqual({ ok: false, reason: 'not_member' })

    const big = await buyer()
    const bigSeat = await seatOk({ dropId: drop.id, dropTierId: tiegan.id, userId: big.user.id, now })
    await confirmPayment(paidNotice(bigSeat), now)
    expect(await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: big.user.id, now })).toEqual({ ok: false, reason: 'not_higher' })

    const small = await buyer()
    const smallSeat = await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: small.user.id, now })
    await confirmPayment(paidNotice(smallSeat), now)
    expect(await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: small.user.id, now })).toEqual({ ok: false, reason: 'sold_out' })
    expect(await placeUpgradeOrder({ dropId: drop.id, dropTierId: tiegan.id, userId: small.user.id, now: drop.closesAt })).toEqual({ ok: false, reason: 'closed' })
    expect(await placeUpgradeOrder({ dropId: drop.id, dropTierId: qinqing.id, userId: small.user.id, now })).toEqual({ ok: false, reason: 'not_higher' })
  })
})

describe('the waitlist of a sold-out tier', () => {
  async function soldOutTier(capacity: number) {
    const made = await makeDrop({ tiegan: capacity })
    const holders = await Promise.all(Array.from({ length: capacity }, () => buyer()))
    const held = []
    for (const h of holders) held.push(await seatOk({ dropId: made.drop.id, dropTierId: made.tiegan.id, userId: h.user.id, now: made.drop.opensAt }))
    return { ...made, held }
  }

  it('takes each user once, only while the tier is sold out', async () => {
    const { drop, tiegan, qinqing } = await soldOutTier(1)
    const u = await buyer()
    const now = new Date(drop.opensAt.getTime() + 1000)
    expect(await joinWaitlist({ dropId: drop.id, dropTierId: qinqing.id, userId: u.user.id, now })).toEqual({ ok: false, reason: 'not_sold_out' })
    expect(await joinWaitlist({ dropId: drop.id, dropTierId: tiegan.id, userId: u.user.id, now })).toEqual({ ok: true, next: false })
    expect(await joinWaitlist({ dropId: drop.id, dropTierId: tiegan.id, userId: u.user.id, now })).toEqual({ ok: false, reason: 'already' })
    expect(await joinWaitlist({ dropId: drop.id, dropTierId: tiegan.id, userId: u.user.id, now: new Date(drop.opensAt.getTime() - 1) })).toEqual({
      ok: false,
      reason: 'not_yet',
    })
    expect(await countRows(dropWaitlist)).toBeGreaterThanOrEqual(1)
  })

  it('emails the earliest waiting users in order, never more than the seats that came back', async () => {
    const { drop, tiegan, held } = await soldOutTier(3)
    const waiting = []
    for (let i = 0; i < 5; i++) {
      const w = await buyer()
      expect(await joinWaitlist({ dropId: drop.id, dropTierId: tiegan.id, userId: w.user.id, now: new Date(drop.opensAt.getTime() + 1000 + i) })).toMatchObject({ ok: true })
      waiting.push(w)
    }
    const notified = async () =>
      (await db.select().from(dropWaitlist).where(eq(dropWaitlist.dropTierId, tiegan.id)).orderBy(asc(dropWaitlist.id)))
        .filter((w) => w.notifiedAt !== null)
        .map((w) => w.userId)

    // Two of the three holders pay; one lets the hold lapse: one seat comes back → one email.
    await confirmPayment(paidNotice(held[0]!), new Date(drop.opensAt.getTime() + MINUTE))
    await confirmPayment(paidNotice(held[1]!), new Date(drop.opensAt.getTime() + MINUTE))
    const lapse = new Date(drop.opensAt.getTime() + HOLD_MS)
    await releaseExpiredHolds(lapse)
    expect(await notified()).toEqual([waiting[0]!.user.id])
    const [mail] = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, waiting[0]!.user.email), eq(emailOutbox.template, 'drop-waitlist')))
    expect(mail?.subject).toBe('铁杆会员有席位空出了')

    // The notified user takes the seat; a paid seat is refunded: one more seat → the next one.
    const taken = await seatOk({ dropId: drop.id, dropTierId: tiegan.id, userId: waiting[0]!.user.id, now: new Date(lapse.getTime() + 1000) })
    expect(taken.state).toBe('pending')
    await requestRefund({ orderId: held[0]!.id, actorId: await adminId(), now: new Date(lapse.getTime() + 2000) })
    expect(await notified()).toEqual([waiting[0]!.user.id, waiting[1]!.user.id])

    // The second notified user does nothing; another seat comes back while that notice is
    // outstanding: 2 free seats − 1 outstanding notice = 1 more email, to the third in line.
    await requestRefund({ orderId: held[1]!.id, actorId: await adminId(), now: new Date(lapse.getTime() + 3000) })
    expect(await notified()).toEqual([waiting[0]!.user.id, waiting[1]!.user.id, waiting[2]!.user.id])
    const seats = (await listDropTiers(drop.id, new Date(lapse.getTime() + 3000))).find((row) => row.id === tiegan.id)!
    expect(seats.available).toBe(2)
  })
})

describe('/membership shows one state of (drop, now)', () => {
  it('open: live seats per tier, the viewer’s pending order with its expiry, the seats feed with the server clock', async () => {
    const { drop, qinqing } = await liveDrop('open', { qinqing: 3 })
    const { user, cookie } = await buyer()
    readRedirect(
      await membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id) } }))),
    )
    const loaded = (await membershipLoader(routeArgs(requestFor('/membership', { cookie })))) as Awaited<ReturnType<typeof membershipLoader>>
    expect(loaded.drop?.id).toBe(drop.id)
    expect(loaded.dropTiers.find((t) => t.id === qinqing.id)).toMatchObject({ capacity: 3, available: 2, priceFen: 200_00 })
    expect(loaded.viewer?.pendingOrder).toMatchObject({ upgrade: false })
    const [pending] = await db.select().from(orders).where(and(eq(orders.userId, user.id), eq(orders.state, 'pending')))
    expect(loaded.viewer?.pendingOrder?.id).toBe(pending!.id)

    const before = Date.now()
    forgetLiveSeats()
    const feed = await (await seatsLoader()).json()
    expect(feed.dropId).toBe(drop.id)
    expect(feed.window).toBe('open')
    expect(feed.serverNow).toBeGreaterThanOrEqual(before)
    expect(feed.tiers.find((t: { id: number }) => t.id === qinqing.id)).toEqual({ id: qinqing.id, available: 2, capacity: 3 })
  })

  it('a seat held past its expiry counts as free on the page before the release job runs', async () => {
    const { drop, qinqing } = await liveDrop('open', { qinqing: 1 })
    const { user } = await buyer()
    await seatOk({ dropId: drop.id, dropTierId: qinqing.id, userId: user.id, now: new Date() })
    await db.update(holds).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(holds.userId, user.id))
    const rows = await listDropTiers(drop.id, new Date())
    expect(rows.find((r) => r.id === qinqing.id)?.available).toBe(1)
  })
})
