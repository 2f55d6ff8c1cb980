// Membership drops (issue 7): the admin's drops and their tiers, the buyer's seat and upgrade
// orders, the waitlist, and the live numbers. Seats are `stock` rows held and sold through the
// one reservation mechanism (reservation.server.ts, payment.server.ts); all tiers of a drop
// share the drop's counter, so member numbers run 1..N across tiers in payment order.
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, ne, sql } from 'drizzle-orm'
import {
  auditLog,
  counters,
  dropTiers,
  dropWaitlist,
  drops,
  memberships,
  orderLines,
  orders,
  stock,
  tiers,
  users,
  type Drop,
  type Order,
  type OrderLine,
} from '../../db/schema'
import {
  canApplyWindowAction,
  decideUpgrade,
  dropWindow,
  salesChartRange,
  seatKey,
  seatKeyPrefix,
  seatsAvailable,
  upgradeKey,
  WAITLIST_NOTICE_MINUTES,
  waitlistNoticeCount,
  windowsOverlap,
  type DropTimes,
  type WindowAction,
} from '~/domain/drop'
import type { DropInput, OpenDropEdit } from '~/domain/drop-forms.server'
import { LIVE_ORDER_STATES, PAID_ORDER_STATES } from '~/domain/order'
import { nextDropEmail, waitlistNoticeEmail } from '~/emails/drop'
import { t } from '~/i18n/zh-CN'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'
import { sendEmails } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import type { FieldErrors } from '~/utils/forms'
import { recordAudit } from './audit.server'
import { heldAt } from './commerce/availability.server'
import { holdOrder, orderRefusal, releaseLapsedHolds, type LineRequest } from './reservation.server'

const e = t.drops.errors

// ---- reading ----------------------------------------------------------------------------------

export interface DropTierView {
  id: number
  tierId: number
  tierName: string
  tierSlug: string
  rank: number
  priceFen: number
  validUntil: Date
  stockId: number
  capacity: number
  sold: number
  /** Held by checkouts still running at `now`. */
  held: number
  available: number
}

/** A drop's tiers, lowest rank first, with seats counted at `now`. */
export async function listDropTiers(dropId: number, now: Date, executor: Executor = db): Promise<DropTierView[]> {
  const rows = await executor
    .select({
      id: dropTiers.id,
      tierId: dropTiers.tierId,
      tierName: tiers.name,
      tierSlug: tiers.slug,
      rank: tiers.rank,
      priceFen: dropTiers.priceFen,
      validUntil: dropTiers.validUntil,
      stockId: dropTiers.stockId,
      capacity: stock.capacity,
      sold: stock.sold,
      held: heldAt(now),
    })
    .from(dropTiers)
    .innerJoin(tiers, eq(tiers.id, dropTiers.tierId))
    .innerJoin(stock, eq(stock.id, dropTiers.stockId))
    .where(eq(dropTiers.dropId, dropId))
    .orderBy(asc(tiers.rank))
  return rows.map((row) => {
    const capacity = row.capacity ?? 0
    const held = Number(row.held)
    return { ...row, capacity, held, available: seatsAvailable({ capacity, sold: row.sold, held }) }
  })
}

export function getDrop(dropId: number) {
  return db.query.drops.findFirst({ where: eq(drops.id, dropId) })
}

/**
 * The drop /membership shows at `now`: the open one, else the next upcoming one, else the one
 * that closed last; undefined when there has never been a drop.
 */
export async function getCurrentDrop(now: Date): Promise<Drop | undefined> {
  const at = now.getTime()
  const [row] = await db
    .select()
    .from(drops)
    .orderBy(
      sql`case when ${drops.opensAt} <= ${at} and ${drops.closesAt} > ${at} then 0 when ${drops.opensAt} > ${at} then 1 else 2 end`,
      sql`case when ${drops.opensAt} > ${at} then ${drops.opensAt} else -${drops.closesAt} end`,
    )
    .limit(1)
  return row
}

export interface LiveSeats {
  dropId: number
  window: ReturnType<typeof dropWindow>
  tiers: { id: number; available: number; capacity: number }[]
}

/**
 * How long one reading of the current drop's seats serves every poll of /membership/seats.
 * Every open /membership page polls every few seconds, so during a drop thousands of polls a
 * second would each run the same two queries; one reading a second answers them all. The
 * window (即将开启 / 招募中 / 已结束) is still worked out from each poll's own instant.
 */
export const LIVE_SEATS_SNAPSHOT_MS = 1000

type SeatsReading = { drop: Drop; tiers: LiveSeats['tiers'] } | null
let reading: { takenAt: number; value: Promise<SeatsReading> } | null = null

async function readSeats(now: Date): Promise<SeatsReading> {
  const drop = await getCurrentDrop(now)
  if (!drop) return null
  const tierRows = await listDropTiers(drop.id, now)
  return { drop, tiers: tierRows.map(({ id, available, capacity }) => ({ id, available, capacity })) }
}

/**
 * Seats left per tier of the current drop: what /membership/seats sends every few seconds.
 * At most LIVE_SEATS_SNAPSHOT_MS old; polls arriving together share one reading.
 */
export async function getLiveSeats(now: Date): Promise<LiveSeats | null> {
  const at = now.getTime()
  if (!reading || at < reading.takenAt || at - reading.takenAt >= LIVE_SEATS_SNAPSHOT_MS) {
    const value = readSeats(now)
    const taken = { takenAt: at, value }
    reading = taken
    // A failed reading is not kept: the next poll tries again.
    value.catch(() => {
      if (reading === taken) reading = null
    })
  }
  const seats = await reading.value
  return seats && { dropId: seats.drop.id, window: dropWindow(seats.drop, now), tiers: seats.tiers }
}

/** Drops the shared reading, so the next poll reads the database (tests, after changing seats). */
export function forgetLiveSeats() {
  reading = null
}

export async function countDropMembers(dropId: number, executor: Executor = db) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)` })
    .from(memberships)
    .where(and(eq(memberships.dropId, dropId), isNull(memberships.revokedAt)))
  return Number(row?.n ?? 0)
}

export interface ViewerDropStatus {
  membership: { memberNumber: number | null; tierName: string; rank: number; dropTierId: number } | null
  /** A seat or upgrade order waiting for payment. */
  pendingOrder: { id: number; expiresAt: Date; upgrade: boolean; title: string } | null
  waitlistedTierIds: number[]
}

/** What the signed-in viewer has in this drop: their membership, an unpaid order, their waitlist places. */
export async function getViewerDropStatus({ dropId, userId, now }: { dropId: number; userId: number; now: Date }): Promise<ViewerDropStatus> {
  const [member, [pending], waiting] = await Promise.all([
    getDropMembership({ dropId, userId }),
    db
      .select({ id: orders.id, expiresAt: orders.expiresAt, exclusiveKey: orders.exclusiveKey, title: orderLines.title })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .where(and(eq(orders.dropId, dropId), eq(orders.userId, userId), eq(orders.state, 'pending'), gt(orders.expiresAt, now)))
      .orderBy(desc(orders.id))
      .limit(1),
    db
      .select({ dropTierId: dropWaitlist.dropTierId })
      .from(dropWaitlist)
      .innerJoin(dropTiers, eq(dropTiers.id, dropWaitlist.dropTierId))
      .where(and(eq(dropTiers.dropId, dropId), eq(dropWaitlist.userId, userId))),
  ])
  return {
    membership: member
      ? { memberNumber: member.membership.memberNumber, tierName: member.tier.name, rank: member.tier.rank, dropTierId: member.dropTier.id }
      : null,
    pendingOrder: pending
      ? { id: pending.id, expiresAt: pending.expiresAt, upgrade: pending.exclusiveKey === upgradeKey(dropId, userId), title: pending.title }
      : null,
    waitlistedTierIds: waiting.map((w) => w.dropTierId),
  }
}

export interface DropSummary {
  drop: Drop
  tiers: DropTierView[]
  revenueFen: number
  members: number
}

/** Every drop, newest opening first, with its seats and revenue (the admin list). */
export async function listDrops(now: Date): Promise<DropSummary[]> {
  const rows = await db.select().from(drops).orderBy(desc(drops.opensAt))
  return Promise.all(
    rows.map(async (drop) => {
      const [tierRows, revenueFen, members] = await Promise.all([listDropTiers(drop.id, now), dropRevenueFen(drop.id), countDropMembers(drop.id)])
      return { drop, tiers: tierRows, revenueFen, members }
    }),
  )
}

export async function dropRevenueFen(dropId: number) {
  const [row] = await db
    .select({ fen: sql<number>`coalesce(sum(${orders.totalFen}), 0)` })
    .from(orders)
    .where(and(eq(orders.dropId, dropId), inArray(orders.state, [...PAID_ORDER_STATES])))
  return Number(row?.fen ?? 0)
}

/** Waiting users per drop tier (all, notified or not). */
export async function waitlistCounts(dropId: number) {
  const rows = await db
    .select({ dropTierId: dropWaitlist.dropTierId, n: sql<number>`count(*)` })
    .from(dropWaitlist)
    .innerJoin(dropTiers, eq(dropTiers.id, dropWaitlist.dropTierId))
    .where(eq(dropTiers.dropId, dropId))
    .groupBy(dropWaitlist.dropTierId)
  return new Map(rows.map((row) => [row.dropTierId, Number(row.n)]))
}

export interface SalesMinute {
  /** Start of the minute, ms since the epoch. */
  minute: number
  seats: number
}

/** Seats paid per minute (upgrades are not new seats), for the minutes that had any. */
export async function salesPerMinute(dropId: number): Promise<SalesMinute[]> {
  const minute = sql<number>`(${orders.paidAt} / 60000) * 60000`
  const rows = await db
    .select({ minute, seats: sql<number>`sum(${orderLines.qty})` })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(and(eq(orders.dropId, dropId), inArray(orders.state, [...PAID_ORDER_STATES]), isNotNull(orders.paidAt), eq(orderLines.takesNumbers, true)))
    .groupBy(minute)
    .orderBy(minute)
  return rows.map((row) => ({ minute: Number(row.minute), seats: Number(row.seats) }))
}

export interface DropStats {
  window: ReturnType<typeof dropWindow>
  tiers: (DropTierView & { waiting: number })[]
  revenueFen: number
  members: number
  sales: { points: SalesMinute[]; from: number; to: number } | null
}

/** The admin's live numbers of a drop at `now`: seats per tier, revenue, members, sales chart. */
export async function getDropStats(drop: Drop, now: Date): Promise<DropStats> {
  const [tierRows, revenueFen, members, waiting, points] = await Promise.all([
    listDropTiers(drop.id, now),
    dropRevenueFen(drop.id),
    countDropMembers(drop.id),
    waitlistCounts(drop.id),
    salesPerMinute(drop.id),
  ])
  const range = salesChartRange(drop, now, points.at(-1)?.minute ?? null)
  return {
    window: dropWindow(drop, now),
    tiers: tierRows.map((row) => ({ ...row, waiting: waiting.get(row.id) ?? 0 })),
    revenueFen,
    members,
    sales: range ? { points: points.filter((p) => p.minute >= range.from && p.minute <= range.to), ...range } : null,
  }
}

/** The numbers as JSON-ready plain values, for the admin page and its live feed alike. */
export function presentDropStats(stats: DropStats) {
  return {
    window: stats.window,
    revenueFen: stats.revenueFen,
    members: stats.members,
    tiers: stats.tiers.map(({ id, tierName, priceFen, capacity, sold, held, available, waiting }) => ({
      id,
      tierName,
      priceFen,
      capacity,
      sold,
      held,
      available,
      waiting,
    })),
    sales: stats.sales,
  }
}
export type DropStatsView = ReturnType<typeof presentDropStats>

/** The audit entries of a drop, newest first, with the admin's name. */
export async function listDropAudit(dropId: number, limit = 50) {
  return db
    .select({ id: auditLog.id, action: auditLog.action, detail: auditLog.detail, createdAt: auditLog.createdAt, actorName: users.displayName })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.targetType, 'drop'), eq(auditLog.targetId, String(dropId))))
    .orderBy(desc(auditLog.id))
    .limit(limit)
}

export interface DropMemberRow {
  memberNumber: number
  name: string
  email: string
  tierName: string
  paidAt: Date | null
  amountFen: number
}

/**
 * The drop's members in number order, a page at a time (keyset on the member number) so an
 * export never loads them all. Revoked (refunded) memberships are left out.
 */
export async function listDropMembersAfter(dropId: number, afterNumber: number, limit: number): Promise<DropMemberRow[]> {
  const rows = await db
    .select({
      memberNumber: memberships.memberNumber,
      name: users.displayName,
      email: users.email,
      tierName: tiers.name,
      paidAt: orders.paidAt,
      amountFen: sql<number>`coalesce((select sum(o.total_fen) from orders o where o.drop_id = ${memberships.dropId} and o.user_id = ${memberships.userId} and o.state in ${[...PAID_ORDER_STATES]}), 0)`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .leftJoin(orders, eq(orders.id, memberships.orderId))
    .where(and(eq(memberships.dropId, dropId), isNull(memberships.revokedAt), gt(memberships.memberNumber, afterNumber)))
    .orderBy(asc(memberships.memberNumber))
    .limit(limit)
  return rows.map((row) => ({ ...row, memberNumber: row.memberNumber ?? 0, amountFen: Number(row.amountFen) }))
}

// ---- admin: creating and editing --------------------------------------------------------------

export type DropWriteResult = { ok: true; drop: Drop } | { ok: false; errors: FieldErrors }

/** Thrown inside a transaction to roll it back; turned into field errors outside. */
class DropRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('drop refused')
  }
}

async function refusedAsErrors(run: () => Promise<Drop>): Promise<DropWriteResult> {
  try {
    return { ok: true, drop: await run() }
  } catch (error) {
    if (error instanceof DropRefused) return { ok: false, errors: error.errors }
    throw error
  }
}

/** An opening time a minute or more in the past is refused (the admin opens early on purpose). */
const OPENS_AT_GRACE_MS = 60_000

async function assertNoOverlap(tx: Executor, window: DropTimes, exceptId: number | null, field: string) {
  const others = await tx
    .select({ id: drops.id, name: drops.name, opensAt: drops.opensAt, closesAt: drops.closesAt })
    .from(drops)
    .where(exceptId === null ? undefined : ne(drops.id, exceptId))
  const clash = others.find((other) => windowsOverlap(window, other))
  if (clash) throw new DropRefused({ [field]: e.overlaps(clash.name) })
}

async function insertDropTier(tx: Executor, drop: Drop, tier: DropInput['tiers'][number]) {
  const [seats] = await tx.insert(stock).values({ capacity: tier.capacity, counterId: drop.counterId }).returning({ id: stock.id })
  await tx.insert(dropTiers).values({ dropId: drop.id, tierId: tier.tierId, priceFen: tier.priceFen, stockId: seats!.id, validUntil: tier.validUntil })
}

function tierAudit(input: DropInput['tiers']) {
  return input.map(({ tierId, priceFen, capacity, validUntil }) => ({ tierId, priceFen, capacity, validUntil: validUntil.toISOString() }))
}

/**
 * Creates a drop with a seat stock per tier (sharing one new member-number counter). Users who
 * asked to hear about the next drop are emailed in the same transaction.
 */
export async function createDrop({ input, actorId, now }: { input: DropInput; actorId: number; now: Date }): Promise<DropWriteResult> {
  if (input.opensAt.getTime() < now.getTime() - OPENS_AT_GRACE_MS) return { ok: false, errors: { opensAt: e.opensInPast } }
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      await assertNoOverlap(tx, input, null, 'opensAt')
      const [counter] = await tx.insert(counters).values({}).returning({ id: counters.id })
      const [drop] = await tx
        .insert(drops)
        .values({
          name: input.name,
          announcement: input.announcement,
          opensAt: input.opensAt,
          closesAt: input.closesAt,
          counterId: counter!.id,
          createdBy: actorId,
          updatedAt: now,
        })
        .returning()
      for (const tier of input.tiers) await insertDropTier(tx, drop!, tier)
      await recordAudit(
        {
          actorId,
          action: 'drop.create',
          targetType: 'drop',
          targetId: drop!.id,
          detail: { name: input.name, opensAt: input.opensAt.toISOString(), closesAt: input.closesAt.toISOString(), tiers: tierAudit(input.tiers) },
        },
        tx,
      )
      await notifyNextDropWaitlist(tx, drop!, now)
      return drop!
    }),
  )
}

/** Edits a drop that has not opened yet: anything goes (tiers may be added or removed). */
export async function updateUpcomingDrop({
  dropId,
  input,
  actorId,
  now,
}: {
  dropId: number
  input: DropInput
  actorId: number
  now: Date
}): Promise<DropWriteResult> {
  if (input.opensAt.getTime() < now.getTime() - OPENS_AT_GRACE_MS) return { ok: false, errors: { opensAt: e.opensInPast } }
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      // The condition decides "not opened yet", in the statement that changes it.
      const [drop] = await tx
        .update(drops)
        .set({ name: input.name, announcement: input.announcement, opensAt: input.opensAt, closesAt: input.closesAt, updatedAt: now })
        .where(and(eq(drops.id, dropId), gt(drops.opensAt, now)))
        .returning()
      if (!drop) throw new DropRefused({ form: e.windowLocked })
      await assertNoOverlap(tx, input, dropId, 'opensAt')
      const existing = await tx.select().from(dropTiers).where(eq(dropTiers.dropId, dropId))
      for (const tier of input.tiers) {
        const current = existing.find((row) => row.tierId === tier.tierId)
        if (!current) {
          await insertDropTier(tx, drop, tier)
          continue
        }
        await tx.update(dropTiers).set({ priceFen: tier.priceFen, validUntil: tier.validUntil }).where(eq(dropTiers.id, current.id))
        await setCapacity(tx, current.stockId, tier.capacity, `capacity_${tier.tierId}`)
      }
      for (const gone of existing.filter((row) => !input.tiers.some((tier) => tier.tierId === row.tierId))) {
        await tx.delete(dropTiers).where(eq(dropTiers.id, gone.id))
        await tx.delete(stock).where(and(eq(stock.id, gone.stockId), eq(stock.sold, 0), eq(stock.held, 0)))
      }
      await recordAudit(
        {
          actorId,
          action: 'drop.update',
          targetType: 'drop',
          targetId: dropId,
          detail: { name: input.name, opensAt: input.opensAt.toISOString(), closesAt: input.closesAt.toISOString(), tiers: tierAudit(input.tiers) },
        },
        tx,
      )
      return drop
    }),
  )
}

/** Capacity never below paid + held: one conditional UPDATE decides; zero rows is a field error. */
async function setCapacity(tx: Executor, stockId: number, capacity: number, field: string) {
  const rows = await tx.all<{ id: number }>(sql`
    UPDATE stock SET capacity = ${capacity}
    WHERE id = ${stockId} AND sold + held <= ${capacity}
    RETURNING id`)
  if (rows.length > 0) return
  const [seats] = await tx.select({ sold: stock.sold, held: stock.held }).from(stock).where(eq(stock.id, stockId))
  throw new DropRefused({ [field]: e.capacityBelowTaken((seats?.sold ?? 0) + (seats?.held ?? 0)) })
}

/**
 * Edits a drop that has opened (or closed): name, announcement and capacities. A changed price
 * or validity is refused: buyers paid for what the page said.
 */
export async function updateOpenDrop({
  dropId,
  input,
  actorId,
  now,
}: {
  dropId: number
  input: OpenDropEdit
  actorId: number
  now: Date
}): Promise<DropWriteResult> {
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      const [drop] = await tx
        .update(drops)
        .set({ name: input.name, announcement: input.announcement, updatedAt: now })
        .where(and(eq(drops.id, dropId), lte(drops.opensAt, now)))
        .returning()
      if (!drop) throw new DropRefused({ form: e.dropNotFound })
      const existing = await tx.select().from(dropTiers).where(eq(dropTiers.dropId, dropId))
      const errors: FieldErrors = {}
      for (const tier of input.tiers) {
        const current = existing.find((row) => row.tierId === tier.tierId)
        if (!current) errors[`capacity_${tier.tierId}`] = e.tiersLocked
        else if (tier.priceFen !== undefined && tier.priceFen !== current.priceFen) errors[`price_${tier.tierId}`] = e.priceLocked
        else if (tier.validUntil !== undefined && tier.validUntil.getTime() !== current.validUntil.getTime())
          errors[`validUntil_${tier.tierId}`] = e.validityLocked
      }
      if (Object.keys(errors).length > 0) throw new DropRefused(errors)
      // Lapsed holds are not paid + held any more: give them back before the capacity check.
      await releaseLapsedHolds(
        tx,
        now,
        existing.map((row) => row.stockId),
      )
      const changed: { tierId: number; from: number | null; to: number }[] = []
      for (const tier of input.tiers) {
        const current = existing.find((row) => row.tierId === tier.tierId)!
        const [before] = await tx.select({ capacity: stock.capacity }).from(stock).where(eq(stock.id, current.stockId))
        if (before?.capacity === tier.capacity) continue
        await setCapacity(tx, current.stockId, tier.capacity, `capacity_${tier.tierId}`)
        changed.push({ tierId: tier.tierId, from: before?.capacity ?? null, to: tier.capacity })
      }
      await recordAudit(
        { actorId, action: 'drop.update', targetType: 'drop', targetId: dropId, detail: { name: input.name, capacities: changed } },
        tx,
      )
      // More seats may mean seats for the people waiting.
      const grown = changed.filter((c) => c.from !== null && c.to > c.from).map((c) => existing.find((row) => row.tierId === c.tierId)!.stockId)
      if (grown.length > 0) await notifyWaitlists(tx, grown, now)
      return drop
    }),
  )
}

/** Opens now, closes now, or moves the close later; each one conditional UPDATE, audited. */
export async function applyWindowAction({
  dropId,
  action,
  closesAt,
  actorId,
  now,
}: {
  dropId: number
  action: WindowAction
  closesAt?: Date
  actorId: number
  now: Date
}): Promise<DropWriteResult> {
  return refusedAsErrors(() =>
    transaction(async (tx) => {
      const [before] = await tx.select().from(drops).where(eq(drops.id, dropId))
      if (!before) throw new DropRefused({ form: e.dropNotFound })
      if (!canApplyWindowAction(action, before, now, closesAt)) {
        const message = { open_now: e.notUpcoming, close_now: e.notOpen, extend: dropWindow(before, now) === 'upcoming' ? e.extendUpcoming : e.extendInvalid }[action]
        throw new DropRefused(action === 'extend' ? { closesAt: message } : { form: message })
      }
      const at = now.getTime()
      const change =
        action === 'open_now'
          ? { set: { opensAt: now }, where: gt(drops.opensAt, now) }
          : action === 'close_now'
            ? { set: { closesAt: now }, where: and(sql`${drops.opensAt} < ${at}`, gt(drops.closesAt, now)) }
            : { set: { closesAt: closesAt! }, where: and(lte(drops.opensAt, now), sql`${drops.closesAt} < ${closesAt!.getTime()}`) }
      if (action === 'extend') await assertNoOverlap(tx, { opensAt: before.opensAt, closesAt: closesAt! }, dropId, 'closesAt')
      const [drop] = await tx
        .update(drops)
        .set({ ...change.set, updatedAt: now })
        .where(and(eq(drops.id, dropId), change.where))
        .returning()
      if (!drop) throw new DropRefused({ form: e.dropNotFound })
      await recordAudit(
        {
          actorId,
          action: `drop.${action}`,
          targetType: 'drop',
          targetId: dropId,
          detail: { opensAt: [before.opensAt.toISOString(), drop.opensAt.toISOString()], closesAt: [before.closesAt.toISOString(), drop.closesAt.toISOString()] },
        },
        tx,
      )
      return drop
    }),
  )
}

// ---- buying -----------------------------------------------------------------------------------

/** A drop tier with its drop and tier; with `dropId`, only when it belongs to that drop. */
export async function getDropTier(dropTierId: number, { dropId, executor = db }: { dropId?: number; executor?: Executor } = {}) {
  const [row] = await executor
    .select({ dropTier: dropTiers, drop: drops, tier: tiers })
    .from(dropTiers)
    .innerJoin(drops, eq(drops.id, dropTiers.dropId))
    .innerJoin(tiers, eq(tiers.id, dropTiers.tierId))
    .where(and(eq(dropTiers.id, dropTierId), dropId === undefined ? undefined : eq(dropTiers.dropId, dropId)))
  return row
}

/** The user's membership of the drop (not revoked, highest rank), with the drop tier it sits on. */
export async function getDropMembership({ dropId, userId }: { dropId: number; userId: number }, executor: Executor = db) {
  const [row] = await executor
    .select({ membership: memberships, dropTier: dropTiers, tier: tiers })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .innerJoin(dropTiers, and(eq(dropTiers.dropId, memberships.dropId), eq(dropTiers.tierId, memberships.tierId)))
    .where(and(eq(memberships.dropId, dropId), eq(memberships.userId, userId), isNull(memberships.revokedAt)))
    .orderBy(desc(tiers.rank))
    .limit(1)
  return row
}

/**
 * The instant a seat decision is taken at: the buyer's `now`, but never earlier than the last
 * change to the drop that the deciding transaction reads. A request stamps `now` when it
 * arrives and may wait in the write queue while an admin's 「提前结束」 (closesAt = the admin's
 * now) commits; judged by its arrival time it would still find the drop open and take a seat
 * in a drop that had already ended. The write comes after the change it read, so its instant
 * does too (docs/decisions/029-commerce-core.md).
 */
function decisionInstant(now: Date, drop: Pick<Drop, 'updatedAt'>): Date {
  return drop.updatedAt.getTime() > now.getTime() ? drop.updatedAt : now
}

/** What the buyer's actions on a drop tier take. */
interface DropTierRequest {
  dropId: number
  dropTierId: number
  userId: number
  now: Date
}

export type SeatOrderResult =
  | { ok: true; orderId: number }
  | { ok: false; reason: 'tier_invalid' | 'not_open_yet' | 'closed' | 'sold_out' | 'second_seat' | 'not_member' | 'not_higher' | 'upgrade_pending' }

type SeatRefusal = Exclude<SeatOrderResult, { ok: true }>['reason']

/**
 * What a seat (or, for `upgrade`, an upgrade) order of this buyer would be now: its one line and
 * exclusive key, or why it would be refused. The window is judged at the decision's instant
 * (`now`, or the drop's last change if later; to the millisecond) and the price is the drop's,
 * both read in the caller's write transaction: placing the order and accepting a late payment
 * for it use this one rule.
 */
export async function dropOrderLine(
  tx: Executor,
  kind: 'seat' | 'upgrade',
  { dropId, dropTierId, userId, now }: DropTierRequest,
): Promise<{ ok: true; line: LineRequest; exclusiveKey: string; at: Date } | { ok: false; reason: SeatRefusal }> {
  const target = await getDropTier(dropTierId, { dropId, executor: tx })
  if (!target) return { ok: false, reason: 'tier_invalid' }
  const at = decisionInstant(now, target.drop)
  const window = dropWindow(target.drop, at)
  if (kind === 'seat') {
    if (window === 'upcoming') return { ok: false, reason: 'not_open_yet' }
    if (window === 'closed') return { ok: false, reason: 'closed' }
    return {
      ok: true,
      at,
      // One live seat order per user and drop: the orders table's unique index decides.
      exclusiveKey: seatKey(dropId, userId),
      line: {
        stockId: target.dropTier.stockId,
        qty: 1,
        unitPriceFen: target.dropTier.priceFen,
        title: t.drops.page.orderTitle(target.drop.name, target.tier.name),
        dropTierId: target.dropTier.id,
        takesNumbers: true,
      },
    }
  }
  const current = await getDropMembership({ dropId, userId }, tx)
  if (!current) return { ok: false, reason: 'not_member' }
  const decision = decideUpgrade(
    target.drop,
    { dropTierId: current.dropTier.id, rank: current.tier.rank, priceFen: current.dropTier.priceFen },
    { dropTierId: target.dropTier.id, rank: target.tier.rank, priceFen: target.dropTier.priceFen },
    at,
  )
  if (!decision.ok) return { ok: false, reason: decision.reason === 'not_open' ? (window === 'upcoming' ? 'not_open_yet' : 'closed') : 'not_higher' }
  return {
    ok: true,
    at,
    exclusiveKey: upgradeKey(dropId, userId),
    line: {
      stockId: target.dropTier.stockId,
      qty: 1,
      unitPriceFen: decision.priceFen,
      title: t.drops.page.upgradeTitle(target.drop.name, current.tier.name, target.tier.name),
      dropTierId: target.dropTier.id,
      // An upgrade keeps the member's number.
      takesNumbers: false,
    },
  }
}

/** Holds a seat of a drop tier for the buyer: the rule (dropOrderLine) and the hold in one transaction. */
export function placeSeatOrder(request: DropTierRequest): Promise<SeatOrderResult> {
  return placeDropOrder('seat', request)
}

/**
 * A member of this drop moves to a higher tier of it, paying the difference: the higher tier's
 * seat is held like any other; paying keeps their number and gives the old seat back.
 */
export function placeUpgradeOrder(request: DropTierRequest): Promise<SeatOrderResult> {
  return placeDropOrder('upgrade', request)
}

async function placeDropOrder(kind: 'seat' | 'upgrade', request: DropTierRequest): Promise<SeatOrderResult> {
  try {
    return await transaction(async (tx) => {
      const decided = await dropOrderLine(tx, kind, request)
      if (!decided.ok) return decided
      const { order } = await holdOrder(tx, {
        userId: request.userId,
        kind: 'membership',
        lines: [decided.line],
        exclusiveKey: decided.exclusiveKey,
        dropId: request.dropId,
        now: decided.at,
      })
      return { ok: true as const, orderId: order.id }
    })
  } catch (error) {
    const refused = orderRefusal(error)
    if (!refused) throw error
    return { ok: false, reason: refused.reason === 'exclusive_taken' ? (kind === 'seat' ? 'second_seat' : 'upgrade_pending') : 'sold_out' }
  }
}

/**
 * Would this seat or upgrade order be accepted now, as it stands? Null if so, else why not (the
 * drop window, the buyer's membership for an upgrade, the price). Seats left and the exclusive
 * key (one seat per buyer) are the caller's to take, as for any order. In the caller's transaction.
 */
export async function membershipOrderProblem(tx: Executor, order: Order, lines: readonly OrderLine[], now: Date): Promise<string | null> {
  const [line] = lines
  if (!line || line.dropTierId === null || order.dropId === null) return 'tier_invalid'
  const decided = await dropOrderLine(tx, line.takesNumbers ? 'seat' : 'upgrade', { dropId: order.dropId, dropTierId: line.dropTierId, userId: order.userId, now })
  if (!decided.ok) return decided.reason
  return decided.line.unitPriceFen === line.unitPriceFen ? null : 'price_changed'
}

// ---- waitlist ---------------------------------------------------------------------------------

export type WaitlistResult = { ok: true; next: boolean } | { ok: false; reason: 'tier_invalid' | 'not_yet' | 'not_sold_out' | 'already' | 'has_seat' }

/**
 * Joins a drop tier's waitlist, once (the unique index decides): while the drop is open and the
 * tier sold out, or after it closed (then it means "tell me about the next drop").
 */
export async function joinWaitlist({ dropId, dropTierId, userId, now }: DropTierRequest): Promise<WaitlistResult> {
  const found = await getDropTier(dropTierId, { dropId })
  if (!found) return { ok: false, reason: 'tier_invalid' }
  const window = dropWindow(found.drop, now)
  if (window === 'upcoming') return { ok: false, reason: 'not_yet' }
  if (window === 'open') {
    const tierRows = await listDropTiers(dropId, now)
    if ((tierRows.find((row) => row.id === dropTierId)?.available ?? 0) > 0) return { ok: false, reason: 'not_sold_out' }
    const [seat] = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.exclusiveKey, seatKey(dropId, userId)), inArray(orders.state, [...LIVE_ORDER_STATES])))
      .limit(1)
    if (seat) return { ok: false, reason: 'has_seat' }
  }
  try {
    await db.insert(dropWaitlist).values({ dropTierId, userId, createdAt: now })
  } catch (error) {
    if (uniqueViolation(error)) return { ok: false, reason: 'already' }
    throw error
  }
  return { ok: true, next: window === 'closed' }
}

/**
 * Seats of these stocks came back (lapsed holds, cancellations, refunds, more capacity): email
 * the earliest waiting users of each open drop tier who have not been told yet — never more
 * than the seats free now minus the notices still outstanding — and mark them notified. Runs in
 * the caller's transaction; returns how many were emailed.
 */
export async function notifyWaitlists(tx: Executor, stockIds: number[], now: Date): Promise<number> {
  const unique = [...new Set(stockIds)]
  if (unique.length === 0) return 0
  const candidates = await tx
    .select({
      dropTierId: dropTiers.id,
      stockId: dropTiers.stockId,
      dropId: drops.id,
      dropName: drops.name,
      opensAt: drops.opensAt,
      closesAt: drops.closesAt,
      tierName: tiers.name,
      capacity: stock.capacity,
      sold: stock.sold,
      held: heldAt(now),
    })
    .from(dropTiers)
    .innerJoin(drops, eq(drops.id, dropTiers.dropId))
    .innerJoin(tiers, eq(tiers.id, dropTiers.tierId))
    .innerJoin(stock, eq(stock.id, dropTiers.stockId))
    .where(inArray(dropTiers.stockId, unique))
  let notified = 0
  const noticeSince = now.getTime() - WAITLIST_NOTICE_MINUTES * 60_000
  for (const tier of candidates) {
    if (dropWindow(tier, now) !== 'open') continue
    const available = seatsAvailable({ capacity: tier.capacity ?? 0, sold: tier.sold, held: tier.held })
    if (available === 0) continue
    // A waiting user "has a seat" once they hold or bought one in this drop: their notice is spent.
    // The prefix is bound as text: a bound number would be concatenated as "1.0".
    const hasSeat = sql`exists (select 1 from orders o where o.exclusive_key = ${seatKeyPrefix(tier.dropId)} || ${dropWaitlist.userId} and o.state in ${[...LIVE_ORDER_STATES]})`
    const [outstanding] = await tx
      .select({ n: sql<number>`count(*)` })
      .from(dropWaitlist)
      .where(and(eq(dropWaitlist.dropTierId, tier.dropTierId), sql`${dropWaitlist.notifiedAt} > ${noticeSince}`, sql`not ${hasSeat}`))
    const queue = await tx
      .select({ id: dropWaitlist.id })
      .from(dropWaitlist)
      .where(and(eq(dropWaitlist.dropTierId, tier.dropTierId), isNull(dropWaitlist.notifiedAt), sql`not ${hasSeat}`))
      .orderBy(asc(dropWaitlist.createdAt), asc(dropWaitlist.id))
      .limit(available)
    const count = waitlistNoticeCount({ available, outstanding: Number(outstanding?.n ?? 0), waiting: queue.length })
    if (count === 0) continue
    const chosen = await tx
      .update(dropWaitlist)
      .set({ notifiedAt: now })
      .where(
        and(
          inArray(
            dropWaitlist.id,
            queue.slice(0, count).map((row) => row.id),
          ),
          isNull(dropWaitlist.notifiedAt),
        ),
      )
      .returning({ userId: dropWaitlist.userId })
    if (chosen.length === 0) continue
    const people = await tx
      .select({ email: users.email, name: users.displayName })
      .from(users)
      .where(
        inArray(
          users.id,
          chosen.map((row) => row.userId),
        ),
      )
    const url = `${getEnv().SITE_URL}/membership`
    await sendEmails(
      people.map((person) => ({
        ...waitlistNoticeEmail({ name: person.name, dropName: tier.dropName, tierName: tier.tierName, url }),
        to: person.email,
        template: 'drop-waitlist',
      })),
      tx,
      now,
    )
    notified += chosen.length
  }
  return notified
}

/** A new drop was announced: everyone who asked after a closed drop hears about it, once. */
async function notifyNextDropWaitlist(tx: Executor, drop: Drop, now: Date) {
  const waiting = await tx
    .update(dropWaitlist)
    .set({ notifiedAt: now })
    .where(
      and(
        isNull(dropWaitlist.notifiedAt),
        inArray(
          dropWaitlist.dropTierId,
          tx
            .select({ id: dropTiers.id })
            .from(dropTiers)
            .innerJoin(drops, eq(drops.id, dropTiers.dropId))
            .where(and(ne(drops.id, drop.id), lte(drops.closesAt, now))),
        ),
      ),
    )
    .returning({ userId: dropWaitlist.userId })
  const userIds = [...new Set(waiting.map((row) => row.userId))]
  if (userIds.length === 0) return
  const people = await tx.select({ email: users.email, name: users.displayName }).from(users).where(inArray(users.id, userIds))
  const env = getEnv()
  await sendEmails(
    people.map((person) => ({
      ...nextDropEmail({ name: person.name, drop, url: `${env.SITE_URL}/membership`, timeZone: env.SITE_TIMEZONE }),
      to: person.email,
      template: 'drop-next',
    })),
    tx,
    now,
  )
}
