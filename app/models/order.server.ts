// Reading orders. Ownership is part of every buyer-facing query (the owner's id is in WHERE).
// Orders are read as they stand at `now`: a pending order whose hold ran out reads as expired
// before the job has written it so, because a page that shows it never writes (issue 15).
import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { courses, orderLines, orders, products, stock, type Order } from '../../db/schema'
import { db } from '~/utils/db.server'
import { numberedCapacity } from './commerce/index.server'

/** The order as it stands at `now`: a pending order past its expiry is expired (at its expiry). */
export function orderAt<T extends Pick<Order, 'state' | 'expiresAt' | 'expiredAt'>>(order: T, now: Date): T {
  if (order.state !== 'pending' || order.expiresAt.getTime() > now.getTime()) return order
  return { ...order, state: 'expired', expiredAt: order.expiresAt }
}

/** An order's state at `now`, in SQL: orderAt for a list. */
function stateAt(now: Date) {
  return sql<Order['state']>`CASE WHEN ${orders.state} = 'pending' AND ${orders.expiresAt} <= ${now.getTime()} THEN 'expired' ELSE ${orders.state} END`
}

/** One of the user's orders with its lines, or undefined (also when it belongs to someone else). */
export async function getOrderForUser({ orderId, userId, now }: { orderId: number; userId: number; now: Date }) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
  if (!order) return undefined
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.id))
  return { order: orderAt(order, now), lines }
}

export const ORDERS_PER_PAGE = 20

/** The course an order line bought, joined on its stock: slug, cover and whether readers may see it (decision 044). */
const LINE_COURSE = { slug: courses.slug, coverId: courses.coverId, published: courses.published }

/**
 * One page of the user's orders, newest first, each with its first line (title, product, the
 * course it bought), its number of lines and units. The first line is joined in the same query,
 * so a page of orders is one query, whatever their kinds.
 */
export async function listOrdersForUser({ userId, page, now }: { userId: number; page: number; now: Date }) {
  const rows = await db
    .select({
      id: orders.id,
      kind: orders.kind,
      state: stateAt(now),
      totalFen: orders.totalFen,
      createdAt: orders.createdAt,
      expiresAt: orders.expiresAt,
      firstTitle: orderLines.title,
      firstProductId: orderLines.productId,
      firstCourse: LINE_COURSE,
      // Correlated subqueries name the outer table in full: a bare "id" would be the line's own.
      lineCount: sql<number>`(SELECT count(*) FROM order_lines ol WHERE ol.order_id = orders.id)`.mapWith(Number),
      units: sql<number>`(SELECT coalesce(sum(ol.qty), 0) FROM order_lines ol WHERE ol.order_id = orders.id)`.mapWith(Number),
    })
    .from(orders)
    .leftJoin(orderLines, eq(orderLines.id, sql`(SELECT min(ol.id) FROM order_lines ol WHERE ol.order_id = orders.id)`))
    .leftJoin(courses, eq(courses.stockId, orderLines.stockId))
    .where(eq(orders.userId, userId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(ORDERS_PER_PAGE + 1)
    .offset((page - 1) * ORDERS_PER_PAGE)
  return { orders: rows.slice(0, ORDERS_PER_PAGE), hasMore: rows.length > ORDERS_PER_PAGE }
}

/**
 * One of the user's orders for its page: the order, and each line with its stock's capacity
 * (the edition size), its product's slug, personalisation label, mystery flag and
 * description, and the course it bought. The caller decides what of the description may be shown.
 */
export async function getOrderDetailForUser({ orderId, userId, now }: { orderId: number; userId: number; now: Date }) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
  if (!order) return undefined
  const lines = await db
    .select({
      line: orderLines,
      capacity: numberedCapacity(),
      product: {
        slug: products.slug,
        personalisationLabel: products.personalisationLabel,
        mystery: products.mystery,
        description: products.description,
      },
      course: LINE_COURSE,
    })
    .from(orderLines)
    .innerJoin(stock, eq(stock.id, orderLines.stockId))
    .leftJoin(products, eq(products.id, orderLines.productId))
    .leftJoin(courses, eq(courses.stockId, orderLines.stockId))
    .where(eq(orderLines.orderId, order.id))
    .orderBy(asc(orderLines.id))
  return { order: orderAt(order, now), lines }
}

/** The buyer confirms a shipped order arrived: shipped → completed, in one conditional update. */
export async function confirmReceipt({ orderId, userId, now }: { orderId: number; userId: number; now: Date }) {
  const updated = await db
    .update(orders)
    .set({ state: 'completed', completedAt: now, updatedAt: now })
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId), eq(orders.state, 'shipped')))
    .returning({ id: orders.id })
  return updated.length > 0
}
