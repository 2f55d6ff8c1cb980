// 「到货提醒」/「开售提醒」 (issue 13, decision 023): a reader's waiting requests per product, and the
// job that tells them once. The job polls what is due instead of hooking every way stock comes back
// (lapsed holds, cancellations, refunds, an admin raising capacity): the reservation mechanism
// stays ignorant of its clients, and the delay is at most one pass (15 s).
import { and, asc, eq, inArray } from 'drizzle-orm'
import { productAlerts } from '../../db/schema'
import { isProductAlertDue, productAlertKind, type ProductAlertKindName } from '~/domain/product-alert'
import { isProductVisible } from '~/domain/product'
import { db, transaction } from '~/utils/db.server'
import { notify } from '~/utils/notify.server'
import { viewerOf } from './checkout.server'
import { getProductForSale, getProductsForSale } from './product.server'

export type ProductAlertResult = { ok: true; kind: ProductAlertKindName; on: boolean } | { ok: false; reason: 'not_found' | 'nothing_to_wait_for' }

/**
 * Turns the reader's alert for this product on or off. Only while there is something to wait
 * for (the sale has not started, or it is sold out), and only for a product this reader may see.
 */
export async function setProductAlert({ productId, userId, on, now = new Date() }: { productId: number; userId: number; on: boolean; now?: Date }): Promise<ProductAlertResult> {
  const [product, viewer] = await Promise.all([getProductForSale(productId), viewerOf(userId, db)])
  if (!product || !isProductVisible(product, viewer, now)) return { ok: false, reason: 'not_found' }
  const kind = productAlertKind(product, now)
  if (!kind) return { ok: false, reason: 'nothing_to_wait_for' }
  if (on) await db.insert(productAlerts).values({ userId, productId, kind, createdAt: now }).onConflictDoNothing()
  else await db.delete(productAlerts).where(and(eq(productAlerts.userId, userId), eq(productAlerts.productId, productId)))
  return { ok: true, kind, on }
}

export async function hasProductAlert({ productId, userId, kind }: { productId: number; userId: number; kind: ProductAlertKindName }) {
  const [row] = await db
    .select({ id: productAlerts.id })
    .from(productAlerts)
    .where(and(eq(productAlerts.userId, userId), eq(productAlerts.productId, productId), eq(productAlerts.kind, kind)))
  return Boolean(row)
}

const NOTIFICATION_KIND = { back: 'product_back', on_sale: 'product_on_sale' } as const

/**
 * Tells every waiting reader whose product is due (isProductAlertDue), once: the alert row is
 * deleted in the transaction that notifies, so a second process finds nothing to claim, and the
 * notification key (the alert's id) is unique anyway. A reader who may no longer see the product
 * is not told; their alert waits. Returns how many were notified.
 */
export async function sendDueProductAlerts(now = new Date(), limit = 500) {
  // Products first (few), so alerts waiting on products that are not due never crowd out due ones.
  // Both kinds are due alike: the sale is open and units can be bought.
  const waitedOn = await db.selectDistinct({ productId: productAlerts.productId }).from(productAlerts)
  if (waitedOn.length === 0) return 0
  const products = await getProductsForSale(waitedOn.map((row) => row.productId))
  const dueProducts = waitedOn.map((row) => row.productId).filter((id) => {
    const product = products.get(id)
    return product !== undefined && isProductAlertDue(product, now)
  })
  if (dueProducts.length === 0) return 0
  const due = await db.select().from(productAlerts).where(inArray(productAlerts.productId, dueProducts)).orderBy(asc(productAlerts.id)).limit(limit)
  let sent = 0
  for (const alert of due) {
    const product = products.get(alert.productId)!
    const created = await transaction(async (tx) => {
      if (!isProductVisible(product, await viewerOf(alert.userId, tx), now)) return false
      const claimed = await tx.delete(productAlerts).where(eq(productAlerts.id, alert.id)).returning({ id: productAlerts.id })
      if (claimed.length === 0) return false
      const kind = NOTIFICATION_KIND[alert.kind]
      const result = await notify(
        tx,
        { userId: alert.userId, kind, key: `${kind}:${product.id}:${alert.id}`, data: { path: `/shop/p/${encodeURIComponent(product.slug)}`, title: product.title } },
        now,
      )
      return result.created
    })
    if (created) sent++
  }
  return sent
}

