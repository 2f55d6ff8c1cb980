// Reading orders. Ownership is part of every buyer-facing query (the owner's id is in WHERE).
import { and, asc, eq } from 'drizzle-orm'
import { orderLines, orders } from '../../db/schema'
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

/** Sets the provider's checkout reference of a pending order the user owns. */
export async function recordCheckout({
  orderId,
  userId,
  provider,
  providerRef,
  now,
}: {
  orderId: number
  userId: number
  provider: 'test' | 'stripe'
  providerRef: string
  now: Date
}) {
  await db
    .update(orders)
    .set({ provider, providerRef, updatedAt: now })
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId), eq(orders.state, 'pending')))
}
