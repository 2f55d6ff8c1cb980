// Seats of a membership drop (issue 7, decision 008): its tiers with the seats left, the live
// seats /membership polls, what a viewer holds, and the buyer's seat and upgrade orders. Seats
// are `stock` rows held and sold through the commerce core; all tiers of a drop share the
// drop's counter, so member numbers run 1..N across tiers in payment order.
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { dropTiers, dropWaitlist, drops, memberships, orderLines, orders, stock, tiers, type Drop, type DropSale, type Order, type OrderLine } from '../../db/schema'
import { decideUpgrade, dropWindow, seatKey, seatsAvailable, upgradeKey, type DropTimes, type UpgradeDecision, type UpgradeTier } from '~/domain/drop'
import { seatTerms, seatUpgradePriceFen, type MemberPlan, type SeatTerms } from '~/domain/membership-plan'
import { PAID_ORDER_STATES } from '~/domain/order'
import { t } from '~/i18n/zh-CN'
import { db, transaction, type Executor, type InStatement } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { DECIDE_IN_TRANSACTION, heldAt, holdOrder, orderRefusal, placeOrderInOneWrite, type LineRequest, type OrderRefusal } from './commerce/index.server'
import { planFingerprintIs, planOf, readPlan, type PlanRead } from './membership-plan.server'

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

export interface ViewerDropStatus {
  /** The viewer's period of the highest rank bought in this drop, whatever it was sold as. */
  membership: { memberNumber: number | null; tierName: string; rank: number; dropTierId: number; sale: DropSale | null; validUntil: Date } | null
  /** A paid seat order of this drop whose period has ended or was revoked: what it bought. */
  paidSeat: { title: string } | null
  /** A seat or upgrade order waiting for payment. */
  pendingOrder: { id: number; expiresAt: Date; upgrade: boolean; title: string } | null
  waitlistedTierIds: number[]
}

/** What the signed-in viewer has in this drop: their membership, an unpaid order, their waitlist places. */
export async function getViewerDropStatus({ dropId, userId, now }: { dropId: number; userId: number; now: Date }): Promise<ViewerDropStatus> {
  const [member, [paid], [pending], waiting] = await Promise.all([
    getDropMembership({ dropId, userId }),
    db
      .select({ title: orderLines.title })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .where(and(eq(orders.exclusiveKey, seatKey(dropId, userId)), inArray(orders.state, [...PAID_ORDER_STATES])))
      .limit(1),
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
      ? {
          memberNumber: member.membership.memberNumber,
          tierName: member.tier.name,
          rank: member.tier.rank,
          dropTierId: member.dropTier.id,
          sale: member.membership.dropSale,
          validUntil: member.membership.validUntil,
        }
      : null,
    paidSeat: paid && !member ? { title: paid.title } : null,
    pendingOrder: pending
      ? { id: pending.id, expiresAt: pending.expiresAt, upgrade: pending.exclusiveKey === upgradeKey(dropId, userId), title: pending.title }
      : null,
    waitlistedTierIds: waiting.map((w) => w.dropTierId),
  }
}

/**
 * The viewer's plan and what a seat of each tier of the drop would be for them at `now` (new,
 * renewal, upgrade, downgrade): what /membership offers, by the rule the seat order applies.
 */
export async function getViewerSeatTerms({ dropId, userId, now }: { dropId: number | null; userId: number; now: Date }, dropTierRows: readonly DropTierView[]) {
  const read = await readPlan({ userId, dropId, now })
  const { plan, planPriceFen } = planOf(read, now)
  const timeZone = getEnv().SITE_TIMEZONE
  const terms = new Map<number, SeatTerms>(
    dropTierRows.map((row) => [
      row.id,
      seatTerms({ plan, planPriceFen, tier: { tierId: row.tierId, tierName: row.tierName, rank: row.rank, priceFen: row.priceFen, validUntil: row.validUntil }, now, timeZone }),
    ]),
  )
  return { plan: plan satisfies MemberPlan | null, terms }
}

// ---- buying -----------------------------------------------------------------------------------

type DropTierRow = NonNullable<Awaited<ReturnType<typeof getDropTier>>>

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

/**
 * The user's period bought in this drop (not revoked, highest rank) — a new membership, a renewal or
 * an upgrade (decision 049) — with the drop tier it sits on.
 */
export async function getDropMembership({ dropId, userId }: { dropId: number; userId: number }, executor: Executor = db) {
  const [row] = await executor
    .select({ membership: memberships, dropTier: dropTiers, tier: tiers })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .innerJoin(dropTiers, and(eq(dropTiers.dropId, memberships.dropId), eq(dropTiers.tierId, memberships.tierId)))
    .where(and(eq(memberships.dropId, dropId), eq(memberships.userId, userId), isNull(memberships.revokedAt)))
    .orderBy(desc(tiers.rank), desc(memberships.id))
    .limit(1)
  return row
}

/** A seat the member bought in this drop, as moving it up a tier is decided and priced. */
export interface SeatToUpgrade extends UpgradeTier {
  sale: DropSale | null
  validUntil: Date
}

/**
 * The one rule for moving a seat of this drop up a tier: decideUpgrade (open window, a higher tier,
 * the difference of this drop's prices), and for a renewal's seat the difference for each day from
 * today to the renewal's end (seatUpgradePriceFen). The page's offer and the order both ask.
 */
export function decideSeatUpgrade(drop: DropTimes, from: SeatToUpgrade, to: UpgradeTier, at: Date): UpgradeDecision {
  const decision = decideUpgrade(drop, from, to, at)
  if (!decision.ok) return decision
  const renewalUntil = from.sale === 'renewal' ? from.validUntil : null
  return { ok: true, priceFen: seatUpgradePriceFen({ differenceFen: decision.priceFen, renewalUntil, now: at, timeZone: getEnv().SITE_TIMEZONE }) }
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
export interface DropTierRequest {
  dropId: number
  dropTierId: number
  userId: number
  now: Date
}

export type SeatOrderResult =
  | { ok: true; orderId: number }
  | {
      ok: false
      reason: 'tier_invalid' | 'not_open_yet' | 'closed' | 'sold_out' | 'second_seat' | 'not_member' | 'not_higher' | 'upgrade_pending' | 'downgrade'
    }

type SeatRefusal = Exclude<SeatOrderResult, { ok: true }>['reason']

/** What a seat is decided from: the drop tier and the buyer's plan (decision 049). */
export interface SeatRead {
  tier: DropTierRow
  plan: PlanRead
}

/** The seat decision's reads, made before the write (the hot path) or inside it. */
async function readSeat({ dropId, dropTierId, userId, now }: DropTierRequest, executor: Executor = db): Promise<SeatRead | undefined> {
  const [tier, plan] = await Promise.all([getDropTier(dropTierId, { dropId, executor }), readPlan({ userId, dropId, now }, executor)])
  return tier && { tier, plan }
}

/**
 * What a seat of this drop tier is for this buyer at `at`: a new membership, a renewal of their
 * plan, an upgrade from it, or a downgrade (refused). The seat order and its payment both ask.
 */
export function seatTermsOf({ tier, plan: read }: SeatRead, at: Date): { terms: SeatTerms; planTierName: string | null } {
  const { plan, planPriceFen } = planOf(read, at)
  const terms = seatTerms({
    plan,
    planPriceFen,
    tier: { tierId: tier.tier.id, tierName: tier.tier.name, rank: tier.tier.rank, priceFen: tier.dropTier.priceFen, validUntil: tier.dropTier.validUntil },
    now: at,
    timeZone: getEnv().SITE_TIMEZONE,
  })
  return { terms, planTierName: plan?.tierName ?? null }
}

function seatTitle({ tier }: SeatRead, terms: SeatTerms, planTierName: string | null) {
  const p = t.drops.page
  if (terms.kind === 'renewal') return p.renewalTitle(tier.drop.name, tier.tier.name)
  if (terms.kind === 'upgrade') return p.upgradeTitle(tier.drop.name, planTierName ?? '', tier.tier.name)
  return p.orderTitle(tier.drop.name, tier.tier.name)
}

/**
 * What a seat (or, for `upgrade`, an upgrade within the drop) order of this buyer would be now: its
 * one line and exclusive key, or why it would be refused. The window is judged at the decision's
 * instant (`now`, or the drop's last change if later; to the millisecond); the price and what the
 * seat is for this buyer (new, renewal, upgrade from an earlier plan, refused downgrade) are read
 * in the caller's write transaction (or `read` before it, which the caller's write then checks:
 * placeDropOrder): placing the order and accepting a late payment for it use this one rule.
 */
export async function dropOrderLine(
  tx: Executor,
  kind: 'seat' | 'upgrade',
  request: DropTierRequest,
  read: SeatRead | undefined = undefined,
): Promise<{ ok: true; line: LineRequest; exclusiveKey: string; at: Date } | { ok: false; reason: SeatRefusal }> {
  const { dropId, dropTierId, userId, now } = request
  const target = read?.tier ?? (await getDropTier(dropTierId, { dropId, executor: tx }))
  if (!target) return { ok: false, reason: 'tier_invalid' }
  const at = decisionInstant(now, target.drop)
  const window = dropWindow(target.drop, at)
  if (kind === 'seat') {
    if (window === 'upcoming') return { ok: false, reason: 'not_open_yet' }
    if (window === 'closed') return { ok: false, reason: 'closed' }
    const seat = { tier: target, plan: read?.plan ?? (await readPlan({ userId, dropId, now: at }, tx)) }
    const { terms, planTierName } = seatTermsOf(seat, at)
    // A lower tier would waste the higher plan in force: explained, not sold (decision 049).
    if (terms.kind === 'downgrade') return { ok: false, reason: 'downgrade' }
    return {
      ok: true,
      at,
      // One seat order per user and drop, whatever the seat is for: the orders table's unique index decides.
      exclusiveKey: seatKey(dropId, userId),
      line: {
        stockId: target.dropTier.stockId,
        qty: 1,
        unitPriceFen: terms.priceFen,
        title: seatTitle(seat, terms, planTierName),
        dropTierId: target.dropTier.id,
        // A renewal or an upgrade keeps the member's number; a member without one gets the next.
        takesNumbers: terms.kind === 'new' || terms.memberNumber === null,
      },
    }
  }
  const current = await getDropMembership({ dropId, userId }, tx)
  if (!current) return { ok: false, reason: 'not_member' }
  const decision = decideSeatUpgrade(
    target.drop,
    { dropTierId: current.dropTier.id, rank: current.tier.rank, priceFen: current.dropTier.priceFen, sale: current.membership.dropSale, validUntil: current.membership.validUntil },
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
    // A seat (the drop storm's hot path) is decided from the drop tier read just before the write,
    // and the write — statements alone, sent with the other writes waiting (decision 057) — takes
    // it only while the drop still is as read. A drop changed meanwhile, or a lapsed hold in the
    // way, is decided again from reads inside a write transaction, as an upgrade always is.
    const read = kind === 'seat' ? await readSeat(request) : undefined
    if (read && isOpenAsRead(read.tier, request.now)) {
      const decided = await dropOrderLine(db, kind, request, read)
      if (!decided.ok) return decided
      const placed = await placeOrderInOneWrite(seatOrder(request, decided, read))
      if (placed !== DECIDE_IN_TRANSACTION) {
        return placed.ok ? { ok: true, orderId: placed.order.id } : dropRefusal(kind, placed)
      }
    }
    return await transaction((tx) => decideAndHold(tx, kind, request))
  } catch (error) {
    const refused = orderRefusal(error)
    if (!refused) throw error
    return dropRefusal(kind, refused)
  }
}

/** A refused hold as the drop says it: a live order under the buyer's key is a second seat, or an upgrade already pending. */
function dropRefusal(kind: 'seat' | 'upgrade', refused: OrderRefusal): SeatOrderResult {
  return { ok: false, reason: refused.reason === 'exclusive_taken' ? (kind === 'seat' ? 'second_seat' : 'upgrade_pending') : 'sold_out' }
}

/** Whether the drop, as read before the write, is open at the seat decision's instant. */
function isOpenAsRead(read: DropTierRow, now: Date) {
  return dropWindow(read.drop, decisionInstant(now, read.drop)) === 'open'
}

/** The rule and the hold in the caller's write transaction, from reads inside it. */
async function decideAndHold(tx: Executor, kind: 'seat' | 'upgrade', request: DropTierRequest): Promise<SeatOrderResult> {
  const decided = await dropOrderLine(tx, kind, request)
  if (!decided.ok) return decided
  const { order } = await holdOrder(tx, seatOrder(request, decided))
  return { ok: true as const, orderId: order.id }
}

/** The order of a decided seat (or upgrade); decided from `read`, it holds only while the drop still is as read. */
function seatOrder(request: DropTierRequest, decided: { line: LineRequest; exclusiveKey: string; at: Date }, read?: SeatRead) {
  return {
    userId: request.userId,
    kind: 'membership' as const,
    lines: [decided.line],
    exclusiveKey: decided.exclusiveKey,
    dropId: request.dropId,
    now: decided.at,
    stillValid: read && seatAsRead(read, request.userId),
  }
}

/**
 * A row while the drop tier is as `read` saw it — the window, the last change (the decision's
 * instant), the price and the stock — and the buyer's memberships too (their plan decides what the
 * seat is). Every change an admin makes to a drop or its tiers sets the drop's updated_at in the
 * same transaction; the other columns guard against two in one millisecond.
 */
function seatAsRead({ tier: { drop, dropTier }, plan }: SeatRead, userId: number): InStatement {
  const samePlan = planFingerprintIs(userId, plan.fingerprint)
  return {
    sql: `SELECT 1 FROM drops JOIN drop_tiers ON drop_tiers.drop_id = drops.id
          WHERE drop_tiers.id = ? AND drops.opens_at = ? AND drops.closes_at = ? AND drops.updated_at = ?
            AND drop_tiers.price_fen = ? AND drop_tiers.stock_id = ? AND ${samePlan.sql}`,
    args: [dropTier.id, drop.opensAt.getTime(), drop.closesAt.getTime(), drop.updatedAt.getTime(), dropTier.priceFen, dropTier.stockId, ...samePlan.args],
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
  const kind = order.exclusiveKey === upgradeKey(order.dropId, order.userId) ? 'upgrade' : 'seat'
  const decided = await dropOrderLine(tx, kind, { dropId: order.dropId, dropTierId: line.dropTierId, userId: order.userId, now })
  if (!decided.ok) return decided.reason
  // A seat placed as a renewal that would now be a new membership (or the other way round) is not this order.
  if (decided.line.takesNumbers !== line.takesNumbers) return 'plan_changed'
  return decided.line.unitPriceFen === line.unitPriceFen ? null : 'price_changed'
}
