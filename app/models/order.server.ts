// Reading orders. Ownership is part of every buyer-facing query (the owner's id is in WHERE).
import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { orderLines, orders, products, stock } from '../../db/schema'
import { db } from '~/utils/db.server'

/** One of the user's orders with its lines, or undefined (also when it belongs to someone else). */
export async function getOrderForUser({ orderId, userId }: { orderId: number; userId: number }) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
  if (!order) return undefined
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.id))
  return { order, lines }
}

export const ORDERS_PER_PAGE = 20

/** One page of the user's orders, newest first, each with its first line's title, its number of lines and units. */
export async function listOrdersForUser({ userId, page }: { userId: number; page: number }) {
  const rows = await db
    .select({
      id: orders.id,
      kind: orders.kind,
      state: orders.state,
      totalFen: orders.totalFen,
      createdAt: orders.createdAt,
      expiresAt: orders.expiresAt,
      // Correlated subqueries name the outer table in full: a bare "id" would be the line's own.
      firstTitle: sql<string | null>`(SELECT ol.title FROM order_lines ol WHERE ol.order_id = orders.id ORDER BY ol.id LIMIT 1)`,
      lineCount: sql<number>`(SELECT count(*) FROM order_lines ol WHERE ol.order_id = orders.id)`.mapWith(Number),
      units: sql<number>`(SELECT coalesce(sum(ol.qty), 0) FROM order_lines ol WHERE ol.order_id = orders.id)`.mapWith(Number),
    })
    .from(orders)
    .where(eq(orders.userId, userId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(ORDERS_PER_PAGE + 1)
    .offset((page - 1) * ORDERS_PER_PAGE)
  return { orders: rows.slice(0, ORDERS_PER_PAGE), hasMore: rows.length > ORDERS_PER_PAGE }
}

/**
 * One of the user's orders for its page: the order, and each line with its stock's capacity
 * (the edition size) and its product's slug, personalisation label, mystery flag and
 * description. The caller decides what of the description may be shown.
 */
export async function getOrderDetailForUser({ orderId, userId }: { orderId: number; userId: number }) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
  if (!order) return undefined
  const lines = await db
    .select({
      line: orderLines,
      capacity: stock.capacity,
      product: {
        slug: products.slug,
        personalisationLabel: products.personalisationLabel,
        mystery: products.mystery,
        description: products.description,
      },
    })
    .from(orderLines)
    .innerJoin(stock, eq(stock.id, orderLines.stockId))
    .leftJoin(products, eq(products.id, orderLines.productId))
    .where(eq(orderLines.orderId, order.id))
    .orderBy(asc(orderLines.id))
  return { order, lines }
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
