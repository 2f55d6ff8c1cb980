// The drop's waiting room (issue 15, decision 031) against the real database: places in arrival
// order and admission in that order, lapsed places that let the line move, tickets that cannot be
// forged, copied to another account or used twice, one place and one hold for a flood from one
// account, 已满 told in line, a reload that keeps the place, and the line's length for the admin.
import { and, asc, eq, gt, like, lt, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { dropLineEntries, drops, holds, orders, users, type Drop } from '../../db/schema'
import { LINE_SEEN_LAPSE_MS, type LinePlace } from '~/domain/drop-line'
import { checkPlace, lineLength, lineTicket, lineWindow, requestSeat, type SeatRequestResult } from '~/models/drop-line.server'
import { createDrop, forgetLiveSeats, listDropTiers, type DropTierView } from '~/models/drop.server'
import { loader as statsLoader } from '~/routes/admin.drops.$id.stats'
import { action as lineAction } from '~/routes/membership.line'
import { action as membershipAction, loader as membershipLoader } from '~/routes/membership._index'
import { db } from '~/utils/db.server'
import { adminId, tierIds } from '../factories/drops'
import { countRows } from '../factories/db'
import { expectConsistent } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const OPENS = new Date('2091-03-01T02:00:00.000Z')

type TestDrop = { drop: Drop; qinqing: DropTierView; tiegan: DropTierView }

async function createTestDrop(opensAt: Date, closesAt: Date, seats: { qinqing?: number; tiegan?: number }, name: string): Promise<TestDrop> {
  const ids = await tierIds()
  const validUntil = new Date(closesAt.getTime() + 365 * 24 * HOUR)
  const result = await createDrop({
    input: {
      name,
      announcement: '',
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
  const rows = await listDropTiers(result.drop.id, opensAt)
  return { drop: result.drop, qinqing: rows[0]!, tiegan: rows[1]! }
}

/** A drop far from the real clock, each on its own day: model tests inject `now`. */
let slot = 0
function makeDrop(seats: { qinqing?: number; tiegan?: number } = {}) {
  const opens = new Date(OPENS.getTime() + ++slot * 24 * HOUR)
  return createTestDrop(opens, new Date(opens.getTime() + 6 * HOUR), seats, `排队测试 ${opens.toISOString()}`)
}

/** A drop open around the real clock (route tests read `new Date()`); earlier ones are moved ten years back. */
async function liveDrop(seats: { qinqing?: number; tiegan?: number } = {}) {
  const now = Date.now()
  const TEN_YEARS = 10 * 365 * 24 * HOUR
  await db
    .update(drops)
    .set({ opensAt: sql`${drops.opensAt} - ${TEN_YEARS}`, closesAt: sql`${drops.closesAt} - ${TEN_YEARS}` })
    .where(and(like(drops.name, '实时排队%'), lt(drops.opensAt, new Date(now + HOUR)), gt(drops.closesAt, new Date(now - MINUTE))))
  forgetLiveSeats()
  return createTestDrop(new Date(now - MINUTE), new Date(now + HOUR), seats, `实时排队 ${now}`)
}

async function buyer() {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

let plain = 0
/** A user row without password or session: enough for someone standing in line. */
async function plainUser() {
  const [user] = await db.insert(users).values({ email: `line-${Date.now()}-${++plain}@example.com`, displayName: `排队${plain}` }).returning({ id: users.id })
  return user!
}

/** Someone let through a moment ago and still deciding: with a window of one, the line is engaged behind them. */
async function atTheCounter(dropId: number, dropTierId: number, now: Date) {
  const user = await plainUser()
  const [max] = await db.select({ n: sql<number>`coalesce(max(${dropLineEntries.position}), 0)` }).from(dropLineEntries).where(eq(dropLineEntries.dropId, dropId))
  const position = Number(max?.n ?? 0) + 1
  await db.insert(dropLineEntries).values({ dropId, userId: user.id, dropTierId, position, joinedAt: now, lastSeenAt: now, admittedAt: now })
  return { userId: user.id, ticket: lineTicket({ dropId, userId: user.id, position }) }
}

function inLine(result: SeatRequestResult) {
  if (result.kind !== 'line') throw new Error(`expected a place in line, got ${JSON.stringify(result)}`)
  return result
}

function positionOf(ticket: string) {
  return Number(ticket.split('.')[1])
}

async function entryOf(dropId: number, userId: number) {
  const [row] = await db.select().from(dropLineEntries).where(and(eq(dropLineEntries.dropId, dropId), eq(dropLineEntries.userId, userId)))
  return row
}

async function heldSeats(userId: number) {
  return db.select().from(holds).where(and(eq(holds.userId, userId), eq(holds.state, 'held')))
}

describe('a quiet line', () => {
  it('decides a seat at once when nobody waits and the window has room, without a place in line', async () => {
    const { drop, qinqing } = await makeDrop()
    const { user } = await buyer()
    const result = await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: user.id, ticket: null, now: drop.opensAt, window: 1 })
    expect(result.kind).toBe('held')
    expect(await entryOf(drop.id, user.id)).toBeUndefined()
  })
})

describe('arrival order', () => {
  it('gives each buyer a place in the order they came and admits them in that order as the ones ahead finish', async () => {
    const { drop, qinqing } = await makeDrop()
    const now = new Date(drop.opensAt.getTime() + 1000)
    const counter = await atTheCounter(drop.id, qinqing.id, now)
    const [a, b, c] = [await buyer(), await buyer(), await buyer()]
    const ask = (userId: number, ticket: string | null) => requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId, ticket, now, window: 1 })
    const check = (userId: number, ticket: string) => checkPlace({ dropId: drop.id, userId, ticket, now, window: 1 })

    const placeA = inLine(await ask(a.user.id, null))
    const placeB = inLine(await ask(b.user.id, null))
    const placeC = inLine(await ask(c.user.id, null))
    expect([placeA, placeB, placeC].map((p) => p.place)).toMatchObject([
      { state: 'waiting', ahead: 0 },
      { state: 'waiting', ahead: 1 },
      { state: 'waiting', ahead: 2 },
    ])
    expect(positionOf(placeA.ticket)).toBeLessThan(positionOf(placeB.ticket))
    expect(positionOf(placeB.ticket)).toBeLessThan(positionOf(placeC.ticket))
    // Nobody is let through while the one at the counter is deciding, not even by asking.
    expect(await check(a.user.id, placeA.ticket)).toMatchObject({ state: 'waiting', ahead: 0 })
    expect(await heldSeats(a.user.id)).toHaveLength(0)

    // The one at the counter buys: the first in line is admitted, the others are not.
    expect((await ask(counter.userId, counter.ticket)).kind).toBe('held')
    expect(await check(c.user.id, placeC.ticket)).toMatchObject({ state: 'waiting', ahead: 2 })
    expect(await check(b.user.id, placeB.ticket)).toMatchObject({ state: 'waiting', ahead: 1 })
    expect(await check(a.user.id, placeA.ticket)).toEqual({ state: 'admitted' })
    expect(await check(b.user.id, placeB.ticket)).toMatchObject({ state: 'waiting', ahead: 0 })
    expect((await ask(a.user.id, placeA.ticket)).kind).toBe('held')

    expect(await check(c.user.id, placeC.ticket)).toMatchObject({ state: 'waiting', ahead: 1 })
    expect(await check(b.user.id, placeB.ticket)).toEqual({ state: 'admitted' })
    expect((await ask(b.user.id, placeB.ticket)).kind).toBe('held')
    expect(await check(c.user.id, placeC.ticket)).toEqual({ state: 'admitted' })
    expect((await ask(c.user.id, placeC.ticket)).kind).toBe('held')

    const admitted = await db
      .select({ userId: dropLineEntries.userId })
      .from(dropLineEntries)
      .where(eq(dropLineEntries.dropId, drop.id))
      .orderBy(asc(dropLineEntries.admittedAt), asc(dropLineEntries.position))
    expect(admitted.map((row) => row.userId)).toEqual([counter.userId, a.user.id, b.user.id, c.user.id])
    await expectConsistent(qinqing.stockId, { held: 4 })
  })

  it('measures the pace of admissions for the ETA once people have been let through', async () => {
    const { drop, qinqing } = await makeDrop()
    const start = drop.opensAt.getTime() + 1000
    const counter = await atTheCounter(drop.id, qinqing.id, new Date(start))
    const [a, b] = [await buyer(), await buyer()]
    const at = (ms: number) => new Date(start + ms)
    const placeA = inLine(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: a.user.id, ticket: null, now: at(0), window: 1 }))
    const placeB = inLine(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: b.user.id, ticket: null, now: at(0), window: 1 }))
    // One admission in the last 30 s (the one at the counter): one a 30 s, so b (one ahead) about a minute.
    expect(placeB.place).toMatchObject({ state: 'waiting', ahead: 1, etaSeconds: 60 })
    expect(placeA.place).toMatchObject({ state: 'waiting', ahead: 0, etaSeconds: 30 })
    expect(counter.userId).toBeGreaterThan(0)
  })
})

describe('a buyer who closes the page', () => {
  it('loses the place after LINE_SEEN_LAPSE_MS without asking, and the line moves without them', async () => {
    const { drop, qinqing } = await makeDrop()
    const start = drop.opensAt.getTime() + 1000
    const at = (ms: number) => new Date(start + ms)
    const counter = await atTheCounter(drop.id, qinqing.id, at(0))
    const [gone, stays] = [await buyer(), await buyer()]
    const ask = (userId: number, ticket: string | null, ms: number) => requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId, ticket, now: at(ms), window: 1 })
    const check = (userId: number, ticket: string, ms: number) => checkPlace({ dropId: drop.id, userId, ticket, now: at(ms), window: 1 })
    const placeGone = inLine(await ask(gone.user.id, null, 0))
    const placeStays = inLine(await ask(stays.user.id, null, 0))
    expect(placeStays.place).toMatchObject({ state: 'waiting', ahead: 1 })
    // The one at the counter buys; the first in line would be next, but its page has been closed.
    expect((await ask(counter.userId, counter.ticket, 10_000)).kind).toBe('held')
    expect(await check(stays.user.id, placeStays.ticket, 10_000)).toMatchObject({ state: 'waiting', ahead: 1 })
    // `gone` never asks again: past the lapse it no longer counts, and the one behind is let through.
    expect(await check(stays.user.id, placeStays.ticket, LINE_SEEN_LAPSE_MS + 1000)).toEqual({ state: 'admitted' })
    expect(await check(gone.user.id, placeGone.ticket, LINE_SEEN_LAPSE_MS + 1000)).toEqual({ state: 'lapsed' })
    expect(await lineLength(drop.id, at(LINE_SEEN_LAPSE_MS + 1000))).toEqual({ waiting: 0, admitted: 1 })
    // Its old ticket buys nothing; asking again without one puts it at the back.
    const late = await ask(gone.user.id, placeGone.ticket, LINE_SEEN_LAPSE_MS + 2000)
    expect(late).toMatchObject({ kind: 'line', place: { state: 'lapsed' } })
    expect(await heldSeats(gone.user.id)).toHaveLength(0)
    const again = inLine(await ask(gone.user.id, null, LINE_SEEN_LAPSE_MS + 2000))
    expect(positionOf(again.ticket)).toBeGreaterThan(positionOf(placeStays.ticket))
  })

  it('frees the slot of an admitted buyer who does not buy within the admitted lapse', async () => {
    const { drop, qinqing } = await makeDrop()
    const start = drop.opensAt.getTime() + 1000
    const at = (ms: number) => new Date(start + ms)
    await atTheCounter(drop.id, qinqing.id, at(0))
    const next = await buyer()
    const place = inLine(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: next.user.id, ticket: null, now: at(0), window: 1 }))
    // The next one keeps asking, as its open page does.
    for (const ms of [5_000, 12_000, 19_000, 26_000]) {
      expect(await checkPlace({ dropId: drop.id, userId: next.user.id, ticket: place.ticket, now: at(ms), window: 1 })).toMatchObject({ state: 'waiting' })
    }
    // The one at the counter never buys: 30 s after being let through, the slot is the next one's.
    expect(await checkPlace({ dropId: drop.id, userId: next.user.id, ticket: place.ticket, now: at(31_000), window: 1 })).toEqual({ state: 'admitted' })
  })
})

describe('tickets', () => {
  async function waitingBuyer() {
    const { drop, qinqing } = await makeDrop()
    const now = new Date(drop.opensAt.getTime() + 1000)
    const counter = await atTheCounter(drop.id, qinqing.id, now)
    const a = await buyer()
    const place = inLine(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: a.user.id, ticket: null, now, window: 1 }))
    return { drop, qinqing, now, counter, a, place }
  }

  it('refuses a forged ticket, a ticket of another drop and a ticket copied into another account, changing nothing', async () => {
    const { drop, qinqing, now, counter, a, place } = await waitingBuyer()
    // The way in is free again, so only the ticket could stop these.
    expect((await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: counter.userId, ticket: counter.ticket, now, window: 1 })).kind).toBe('held')
    const before = await entryOf(drop.id, a.user.id)
    const [, position, signature] = place.ticket.split('.')
    const forgedSignature = `${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`
    const forgeries = [
      `${drop.id}.${position}.${forgedSignature}`,
      `${drop.id}.${Number(position) - 1}.${signature}`,
      `${drop.id + 1}.${position}.${signature}`,
      'garbage',
      '',
    ]
    for (const ticket of forgeries) {
      expect(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: a.user.id, ticket, now, window: 1 }), ticket).toEqual({ kind: 'ticket_invalid' })
      expect(await checkPlace({ dropId: drop.id, userId: a.user.id, ticket, now, window: 1 }), ticket).toBeNull()
    }
    const other = await buyer()
    expect(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: other.user.id, ticket: place.ticket, now, window: 1 })).toEqual({ kind: 'ticket_invalid' })
    expect(await checkPlace({ dropId: drop.id, userId: other.user.id, ticket: place.ticket, now, window: 1 })).toBeNull()
    expect(await entryOf(drop.id, a.user.id)).toEqual(before)
    expect(await entryOf(drop.id, other.user.id)).toBeUndefined()
    expect(await heldSeats(a.user.id)).toHaveLength(0)
    expect(await heldSeats(other.user.id)).toHaveLength(0)
  })

  it('buys once with a ticket: used again it is refused, and so is a ticket of an earlier place', async () => {
    const { drop, qinqing, now, counter, a, place } = await waitingBuyer()
    await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: counter.userId, ticket: counter.ticket, now, window: 1 })
    expect((await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: a.user.id, ticket: place.ticket, now, window: 1 })).kind).toBe('held')
    expect(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: a.user.id, ticket: place.ticket, now, window: 1 })).toMatchObject({
      kind: 'line',
      place: { state: 'used' },
    })
    expect(await checkPlace({ dropId: drop.id, userId: a.user.id, ticket: place.ticket, now, window: 1 })).toEqual({ state: 'used' })
    expect(await heldSeats(a.user.id)).toHaveLength(1)
  })
})

describe('a flood of seat requests from one account', () => {
  it('gets one place and one ticket, and on its turn one hold', async () => {
    const { drop, qinqing, tiegan } = await makeDrop()
    const now = new Date(drop.opensAt.getTime() + 1000)
    const counter = await atTheCounter(drop.id, qinqing.id, now)
    const greedy = await buyer()
    const flood = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        requestSeat({ dropId: drop.id, dropTierId: i % 2 ? qinqing.id : tiegan.id, userId: greedy.user.id, ticket: null, now, window: 1 }),
      ),
    )
    const tickets = new Set(flood.map((result) => inLine(result).ticket))
    expect(tickets.size).toBe(1)
    expect(await countRows(dropLineEntries)).toBeGreaterThan(0)
    expect(await db.select().from(dropLineEntries).where(eq(dropLineEntries.userId, greedy.user.id))).toHaveLength(1)

    await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: counter.userId, ticket: counter.ticket, now, window: 1 })
    const [ticket] = tickets
    const turn = await Promise.all(
      Array.from({ length: 20 }, () => requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: greedy.user.id, ticket: ticket!, now, window: 1 })),
    )
    expect(turn.filter((r) => r.kind === 'held')).toHaveLength(1)
    expect(turn.filter((r) => r.kind === 'line' && r.place.state === 'used')).toHaveLength(19)
    // And without the ticket, while that seat is being decided or held: still one.
    const more = await Promise.all(
      Array.from({ length: 5 }, () => requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: greedy.user.id, ticket: null, now, window: 1 })),
    )
    expect(more.filter((r) => r.kind === 'held')).toHaveLength(0)
    expect(await heldSeats(greedy.user.id)).toHaveLength(1)
    expect(await db.select().from(dropLineEntries).where(eq(dropLineEntries.userId, greedy.user.id))).toHaveLength(1)
    await expectConsistent(qinqing.stockId)
    await expectConsistent(tiegan.stockId)
  })
})

describe('a flood of seat requests from one account, while its turn is being decided', () => {
  it('finds the one place already used: no second place, no second turn', async () => {
    const { drop, qinqing } = await makeDrop()
    const now = new Date(drop.opensAt.getTime() + 1000)
    await atTheCounter(drop.id, qinqing.id, now)
    const greedy = await buyer()
    const place = inLine(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: greedy.user.id, ticket: null, now, window: 1 }))
    // The moment between claiming the turn and the hold being written: the place is used, no seat yet.
    await db.update(dropLineEntries).set({ doneAt: now, outcome: 'buy' }).where(and(eq(dropLineEntries.dropId, drop.id), eq(dropLineEntries.userId, greedy.user.id)))
    const flood = await Promise.all(
      Array.from({ length: 10 }, () => requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: greedy.user.id, ticket: null, now: new Date(now.getTime() + 100), window: 1 })),
    )
    for (const result of flood) expect(result).toEqual({ kind: 'line', ticket: place.ticket, place: { state: 'used' } })
    expect(await entryOf(drop.id, greedy.user.id)).toMatchObject({ position: positionOf(place.ticket), outcome: 'buy' })
    expect(await heldSeats(greedy.user.id)).toHaveLength(0)
  })
})

describe('已满, told in line', () => {
  it('tells a buyer 已满 at once when the people ahead for the same tier outnumber its seats, and stops counting them', async () => {
    const { drop, qinqing, tiegan } = await makeDrop({ qinqing: 2 })
    const now = new Date(drop.opensAt.getTime() + 1000)
    await atTheCounter(drop.id, qinqing.id, now)
    const [a, other, b, c] = [await buyer(), await buyer(), await buyer(), await buyer()]
    const ask = (userId: number, dropTierId: number) => requestSeat({ dropId: drop.id, dropTierId, userId, ticket: null, now, window: 1 })
    expect(inLine(await ask(a.user.id, qinqing.id)).place).toMatchObject({ state: 'waiting' })
    // Someone ahead who chose the other tier takes no 亲情 seat.
    expect(inLine(await ask(other.user.id, tiegan.id)).place).toMatchObject({ state: 'waiting' })
    // Two seats, two ahead for 亲情 (the one at the counter and a): b would only be told 已满 later.
    expect(inLine(await ask(b.user.id, qinqing.id)).place).toEqual({ state: 'full', reason: 'outnumbered' })
    expect(inLine(await ask(c.user.id, qinqing.id)).place).toEqual({ state: 'full', reason: 'outnumbered' })
    expect((await entryOf(drop.id, b.user.id))?.outcome).toBe('full')
    expect(await lineLength(drop.id, now)).toEqual({ waiting: 2, admitted: 1 })
  })

  it('tells a buyer in line 已满 once the tier has no seat left', async () => {
    const { drop, qinqing } = await makeDrop({ qinqing: 1 })
    const now = new Date(drop.opensAt.getTime() + 1000)
    const first = await buyer()
    // Sold before the line engaged.
    expect((await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: first.user.id, ticket: null, now, window: 1 })).kind).toBe('held')
    await atTheCounter(drop.id, qinqing.id, now)
    forgetLiveSeats()
    const late = await buyer()
    expect(inLine(await requestSeat({ dropId: drop.id, dropTierId: qinqing.id, userId: late.user.id, ticket: null, now, window: 1 })).place).toEqual({
      state: 'full',
      reason: 'sold_out',
    })
  })
})

describe('the waiting room on /membership (routes, real clock, the default window)', () => {
  /** Enough buyers let through and still deciding to fill the default window: the next one waits. */
  async function fillWindow(dropId: number, dropTierId: number) {
    const now = new Date()
    for (let i = 0; i < lineWindow(); i++) await atTheCounter(dropId, dropTierId, now)
  }

  it('answers a buyer with a place (200) instead of a hold, keeps it through a reload, and reports it to /membership/line', async () => {
    const { drop, qinqing, tiegan } = await liveDrop({ qinqing: 500 })
    await fillWindow(drop.id, tiegan.id)
    const { user, cookie } = await buyer()
    const holdsBefore = await countRows(holds)
    const answer = readData<{ line: { ticket: string; place: LinePlace } }>(
      await membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id) } }))),
    )
    expect(answer.status).toBe(200)
    expect(answer.data.line.place).toMatchObject({ state: 'waiting', ahead: 0 })
    expect(await countRows(holds)).toBe(holdsBefore)

    const page = (await membershipLoader(routeArgs(requestFor('/membership', { cookie })))) as Awaited<ReturnType<typeof membershipLoader>>
    expect(page.viewer?.line).toMatchObject({ ticket: answer.data.line.ticket, dropTierId: qinqing.id, place: { state: 'waiting', ahead: 0 } })

    const asked = await lineAction(routeArgs(requestFor('/membership/line', { cookie, form: { dropId: String(drop.id), ticket: answer.data.line.ticket } })))
    expect(asked.status).toBe(200)
    expect(await asked.json()).toMatchObject({ state: 'waiting', ahead: 0 })
    expect(await entryOf(drop.id, user.id)).toMatchObject({ doneAt: null, admittedAt: null })

    const stats = await statsLoader(routeArgs(requestFor(`/admin/drops/${drop.id}/stats`, { cookie: (await signedInCookie(await adminId())).cookie }), { id: String(drop.id) }))
    expect(await stats.json()).toMatchObject({ line: { waiting: 1, admitted: lineWindow() } })
  })

  it('refuses forged, copied and used tickets with zh-CN messages (4xx), changing nothing', async () => {
    const { drop, qinqing, tiegan } = await liveDrop()
    await fillWindow(drop.id, tiegan.id)
    const a = await buyer()
    const b = await buyer()
    const join = readData<{ line: { ticket: string } }>(
      await membershipAction(routeArgs(requestFor('/membership', { cookie: a.cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id) } }))),
    )
    const ticket = join.data.line.ticket
    const entryBefore = await entryOf(drop.id, a.user.id)
    const ordersBefore = await countRows(orders)
    const post = (cookie: string, form: Record<string, string>) =>
      membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id), ...form } })))

    const forged = readData<{ errors: { form: string } }>(await post(a.cookie, { ticket: `${ticket.slice(0, -2)}xx` }))
    expect(forged).toMatchObject({ status: 403, data: { errors: { form: '排队凭证无效，请刷新页面后重新排队。' } } })
    const copied = readData<{ errors: { form: string } }>(await post(b.cookie, { ticket }))
    expect(copied).toMatchObject({ status: 403, data: { errors: { form: '排队凭证无效，请刷新页面后重新排队。' } } })
    const tooLong = readData<{ errors: { form: string } }>(await post(a.cookie, { ticket: 'x'.repeat(500) }))
    expect(tooLong.status).toBe(403)
    const pollCopied = await lineAction(routeArgs(requestFor('/membership/line', { cookie: b.cookie, form: { dropId: String(drop.id), ticket } })))
    expect(pollCopied.status).toBe(403)
    expect(await pollCopied.json()).toEqual({ error: '排队凭证无效，请刷新页面后重新排队。' })
    const pollGarbage = await lineAction(routeArgs(requestFor('/membership/line', { cookie: a.cookie, form: { dropId: 'x', ticket } })))
    expect(pollGarbage.status).toBe(400)
    expect(await entryOf(drop.id, a.user.id)).toEqual(entryBefore)
    expect(await entryOf(drop.id, b.user.id)).toBeUndefined()
    expect(await countRows(orders)).toBe(ordersBefore)

    // The window frees: a's turn buys once; the same ticket again is refused (409).
    await db.update(dropLineEntries).set({ doneAt: new Date(), outcome: 'buy' }).where(and(eq(dropLineEntries.dropId, drop.id), eq(dropLineEntries.dropTierId, tiegan.id)))
    const { location } = readRedirect(await post(a.cookie, { ticket }))
    expect(location).toMatch(/^\/pay\/\d+$/)
    const again = readData<{ errors: { form: string } }>(await post(a.cookie, { ticket }))
    expect(again).toMatchObject({ status: 409, data: { errors: { form: '这个排队位置已经用过了：每个位置只能下单一次。' } } })
    expect(await heldSeats(a.user.id)).toHaveLength(1)
  })

  it('tells a buyer 已满 in line (409) when those ahead already outnumber the seats left', async () => {
    const { drop, qinqing } = await liveDrop({ qinqing: 3 })
    await fillWindow(drop.id, qinqing.id)
    const { cookie } = await buyer()
    const answer = readData<{ errors: { form: string } }>(
      await membershipAction(routeArgs(requestFor('/membership', { cookie, form: { intent: 'buy', dropId: String(drop.id), dropTierId: String(qinqing.id) } }))),
    )
    expect(answer.status).toBe(409)
    expect(answer.data.errors.form).toContain('已满')
    expect(answer.data.errors.form).toContain('前面排队的人已多于剩余席位')
  })
})
