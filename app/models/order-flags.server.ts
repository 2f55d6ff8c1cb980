// What an admin must look at on an order (ORDER_FLAGS in app/domain/order.ts). Flags accumulate:
// raising one never hides another, and raising one that is already open changes nothing (the
// partial unique index decides). An admin clears each with a note, audited.
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { orderFlags, orders } from '../../db/schema'
import type { OrderFlag } from '~/domain/order'
import { db, transaction, type Executor } from '~/utils/db.server'
import { recordAudit } from './audit.server'

/** SQL condition on `orders`: the order has a flag an admin has not cleared yet (需处理). */
export const hasOpenFlag = sql`EXISTS (SELECT 1 FROM ${orderFlags} WHERE ${orderFlags.orderId} = ${orders.id} AND ${orderFlags.clearedAt} IS NULL)`

/** Raises a flag on an order, in the caller's transaction. */
export async function raiseFlag(tx: Executor, { orderId, flag, now, detail = null }: { orderId: number; flag: OrderFlag; now: Date; detail?: Record<string, unknown> | null }) {
  await tx.insert(orderFlags).values({ orderId, flag, detail, raisedAt: now }).onConflictDoNothing()
}

/** The order's open flags, oldest first. */
export function listOpenFlags(orderId: number, executor: Executor = db) {
  return executor
    .select({ id: orderFlags.id, flag: orderFlags.flag, detail: orderFlags.detail, raisedAt: orderFlags.raisedAt })
    .from(orderFlags)
    .where(and(eq(orderFlags.orderId, orderId), isNull(orderFlags.clearedAt)))
    .orderBy(asc(orderFlags.id))
}

/** An admin has dealt with one flag of the order: it is cleared with the note, and audited. Null when it was not open. */
export async function clearOrderFlag({ orderId, flagId, note, actorId, now }: { orderId: number; flagId: number; note: string; actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const [cleared] = await tx
      .update(orderFlags)
      .set({ clearedAt: now, clearedBy: actorId, clearNote: note })
      .where(and(eq(orderFlags.id, flagId), eq(orderFlags.orderId, orderId), isNull(orderFlags.clearedAt)))
      .returning({ flag: orderFlags.flag })
    if (!cleared) return null
    await recordAudit({ actorId, action: 'order.clear_flag', targetType: 'order', targetId: orderId, detail: { flag: cleared.flag, note } }, tx)
    return cleared
  })
}
