// A drop's numbers for its admin (issue 7): seats per tier, revenue, members, waiting users, sales
// per minute, the audit trail and the member list export. Read-only.
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { auditLog, dropTiers, dropWaitlist, drops, memberships, orderLines, orders, tiers, users, type Drop } from '../../db/schema'
import { dropWindow, salesChartRange } from '~/domain/drop'
import { PAID_ORDER_STATES } from '~/domain/order'
import { db, type Executor } from '~/utils/db.server'
import { listDropTiers, type DropTierView } from './drop-seats.server'

export async function countDropMembers(dropId: number, executor: Executor = db) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)` })
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
