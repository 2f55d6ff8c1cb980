// A drop's numbers for its admin (issue 7): seats per tier, revenue, members, waiting users, sales
// per minute, the audit trail and the member list export. Read-only.
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { auditLog, dropTiers, dropWaitlist, drops, memberships, orderLines, orders, tiers, users, type Drop, type DropSale } from '../../db/schema'
import { dropWindow, salesChartRange } from '~/domain/drop'
import { PAID_ORDER_STATES } from '~/domain/order'
import { db, type Executor } from '~/utils/db.server'
import { listDropTiers, type DropTierView } from './drop-seats.server'

/** The members of a drop: everyone holding a period it sold (new, renewal or upgrade, decision 049). */
export async function countDropMembers(dropId: number, executor: Executor = db) {
  const [row] = await executor
    .select({ n: sql<number>`count(distinct ${memberships.userId})` })
    .from(memberships)
    .where(and(eq(memberships.dropId, dropId), isNull(memberships.revokedAt)))
  return Number(row?.n ?? 0)
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
  userId: number
  memberNumber: number
  name: string
  email: string
  tierName: string
  /** What the drop sold the member: 新开, 续费 or 升级 (a renewal moved up a tier counts as 升级). */
  sale: DropSale
  paidAt: Date | null
  amountFen: number
}

/** Where a page of a drop's members ends: the next page starts after this member. */
export interface DropMemberCursor {
  memberNumber: number
  userId: number
}

/**
 * The drop's members in number order (then by user: a renewal keeps a number another drop issued, so
 * two members of one drop may share one), a page at a time (keyset) so an export never loads them
 * all. A member is listed once, with their period of the highest rank this drop sold; revoked
 * (refunded) periods are left out. The amount is everything they paid in this drop.
 */
export async function listDropMembersAfter(dropId: number, after: DropMemberCursor | null, limit: number): Promise<DropMemberRow[]> {
  const ranked = db
    .select({
      userId: memberships.userId,
      memberNumber: sql<number>`coalesce(${memberships.memberNumber}, 0)`.as('member_number'),
      tierName: sql<string>`${tiers.name}`.as('tier_name'),
      sale: sql<DropSale>`coalesce(${memberships.dropSale}, 'new')`.as('sale'),
      paidAt: sql<number | null>`${orders.paidAt}`.as('paid_at'),
      place: sql<number>`row_number() over (partition by ${memberships.userId} order by ${tiers.rank} desc, ${memberships.id} desc)`.as('place'),
    })
    .from(memberships)
    .innerJoin(tiers, eq(tiers.id, memberships.tierId))
    .leftJoin(orders, eq(orders.id, memberships.orderId))
    .where(and(eq(memberships.dropId, dropId), isNull(memberships.revokedAt)))
    .as('ranked')
  const rows = await db
    .select({
      userId: ranked.userId,
      memberNumber: ranked.memberNumber,
      name: users.displayName,
      email: users.email,
      tierName: ranked.tierName,
      sale: ranked.sale,
      paidAt: ranked.paidAt,
      amountFen: sql<number>`coalesce((select sum(o.total_fen) from orders o where o.drop_id = ${dropId} and o.user_id = ${ranked.userId} and o.state in ${[...PAID_ORDER_STATES]}), 0)`,
    })
    .from(ranked)
    .innerJoin(users, eq(users.id, ranked.userId))
    .where(
      and(
        eq(ranked.place, 1),
        after ? sql`(${ranked.memberNumber}, ${ranked.userId}) > (${after.memberNumber}, ${after.userId})` : undefined,
      ),
    )
    .orderBy(asc(ranked.memberNumber), asc(ranked.userId))
    .limit(limit)
  return rows.map((row) => ({
    ...row,
    memberNumber: Number(row.memberNumber),
    paidAt: row.paidAt === null ? null : new Date(Number(row.paidAt)),
    amountFen: Number(row.amountFen),
  }))
}
