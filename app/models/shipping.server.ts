// The shop's shipping fee rule and each product's own fee, as the admin sets them (decision 048).
// What an order pays is computed by the pure rule in app/domain/shipping.ts, inside the checkout's
// transaction (placeCheckout), from what these functions read there.
import { eq } from 'drizzle-orm'
import { products, shippingRules } from '../../db/schema'
import { NO_SHIPPING_FEE, orderShippingFee, productShippingNote, type ShippingRule } from '~/domain/shipping'
import { shippingZhCN } from '~/i18n/shipping.zh-CN'
import { formatFen } from '~/utils/format'
import { db, transaction, type Executor } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import type { PricedCart } from './cart.server'

const RULE_ID = 1

/** The shop's rule; no fee at all until the admin sets one. */
export async function getShippingRule(executor: Executor = db): Promise<ShippingRule> {
  const [row] = await executor
    .select({ flatFeeFen: shippingRules.flatFeeFen, freeOverFen: shippingRules.freeOverFen })
    .from(shippingRules)
    .where(eq(shippingRules.id, RULE_ID))
  return row ?? NO_SHIPPING_FEE
}

/** Sets the shop's rule (validated money in fen, never negative: the table's CHECK says so too). */
export function saveShippingRule({ rule, actorId, now }: { rule: ShippingRule; actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const values = { flatFeeFen: rule.flatFeeFen, freeOverFen: rule.freeOverFen, updatedAt: now }
    await tx
      .insert(shippingRules)
      .values({ id: RULE_ID, ...values })
      .onConflictDoUpdate({ target: shippingRules.id, set: values })
    await recordAudit({ actorId, action: 'shipping.rule', targetType: 'shipping', targetId: RULE_ID, detail: { ...rule } }, tx)
  })
}

/** Sets a product's own fee (null = the shop's rule, 0 = 包邮); false when there is no such product. */
export function setProductShippingFee({ productId, feeFen, actorId, now }: { productId: number; feeFen: number | null; actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const updated = await tx.update(products).set({ shippingFeeFen: feeFen, updatedAt: now }).where(eq(products.id, productId)).returning({ id: products.id })
    if (updated.length === 0) return false
    await recordAudit({ actorId, action: 'product.shipping', targetType: 'product', targetId: productId, detail: { shippingFeeFen: feeFen } }, tx)
    return true
  })
}

/**
 * What a priced cart pays for delivery under the rule (decision 048): the lines as priced, each
 * with its product's own fee. Checkout's page and its transaction both ask this, the transaction
 * with what it read under the write lock.
 */
export function cartShippingFee(rule: ShippingRule, priced: PricedCart) {
  const lines = priced.lines.flatMap((line) => (line.product ? [{ subtotalFen: line.unitPriceFen * line.qty, productFeeFen: line.product.shippingFeeFen }] : []))
  return orderShippingFee(rule, lines)
}

/** What a product page says about shipping: 「运费 ¥10 · 满 ¥199 包邮」 or 「包邮」. */
export function productShippingText(rule: ShippingRule, productFeeFen: number | null, unitPriceFen: number) {
  const note = productShippingNote(rule, productFeeFen, unitPriceFen)
  return note.kind === 'free' ? shippingZhCN.free : shippingZhCN.note(formatFen(note.feeFen), note.freeOverFen === null ? null : formatFen(note.freeOverFen))
}

/** The shop's rule in words, for the admin's 「按店铺规则」 choice. */
export function shippingRuleText(rule: ShippingRule) {
  return rule.flatFeeFen === 0 ? shippingZhCN.free : shippingZhCN.note(formatFen(rule.flatFeeFen), rule.freeOverFen === null ? null : formatFen(rule.freeOverFen))
}
