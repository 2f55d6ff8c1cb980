// What the money path left behind for an order: its open flags, refunds and payment events.
import { and, asc, eq, isNull } from 'drizzle-orm'
import { orderFlags, paymentEvents, refunds } from '../../db/schema'
import { db } from '~/utils/db.server'

/** The names of the order's open flags, in the order they were raised. */
export async function openFlagsOf(orderId: number) {
  const rows = await db
    .select({ flag: orderFlags.flag })
    .from(orderFlags)
    .where(and(eq(orderFlags.orderId, orderId), isNull(orderFlags.clearedAt)))
    .orderBy(asc(orderFlags.id))
  return rows.map((row) => row.flag)
}

export function refundsOf(orderId: number) {
  return db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.id))
}

export function paymentEventsOf(orderId: number) {
  return db.select().from(paymentEvents).where(eq(paymentEvents.orderId, orderId)).orderBy(asc(paymentEvents.id))
}
