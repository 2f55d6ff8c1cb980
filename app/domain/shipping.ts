// Shipping fees (decision 048): one pure rule for what an order of goods pays for delivery and
// what a product page says about it. The shop has a flat fee per order, waived when the goods
// come to `freeOverFen`; a product may carry its own fee instead of the flat one, or 0 (包邮).
// Pure and import-free, so the product page, the cart and checkout's transaction all use it.

export interface ShippingRule {
  /** Charged once per order of goods. */
  flatFeeFen: number
  /** Goods worth this much or more ship free; null = no such threshold. */
  freeOverFen: number | null
}

/** No rule set by the admin yet: nothing is charged. */
export const NO_SHIPPING_FEE: ShippingRule = { flatFeeFen: 0, freeOverFen: null }

/** This product's fee: its own (0 = 包邮) or else the shop's flat fee. */
export function productShippingFee(rule: ShippingRule, productFeeFen: number | null) {
  return productFeeFen ?? rule.flatFeeFen
}

export interface ShippingLine {
  /** What the line's goods cost (unit price × quantity). */
  subtotalFen: number
  /** The product's own fee; null = the shop's flat fee. */
  productFeeFen: number | null
}

/**
 * What an order of goods pays for delivery: nothing when its goods reach the free-over amount or
 * every line ships free (包邮); otherwise the highest fee among its lines, charged once — one
 * parcel per order, as 有赞 and Shopify's flat rates do.
 */
export function orderShippingFee(rule: ShippingRule, lines: readonly ShippingLine[]) {
  if (lines.length === 0) return 0
  const goodsFen = lines.reduce((sum, line) => sum + line.subtotalFen, 0)
  if (rule.freeOverFen !== null && goodsFen >= rule.freeOverFen) return 0
  return Math.max(0, ...lines.map((line) => productShippingFee(rule, line.productFeeFen)))
}

export type ShippingNote = { kind: 'free' } | { kind: 'fee'; feeFen: number; freeOverFen: number | null }

/**
 * What a product page says: 「包邮」 when this product ships free (its fee is 0, or its price alone
 * reaches the free-over amount), else its fee and the free-over amount, if any.
 */
export function productShippingNote(rule: ShippingRule, productFeeFen: number | null, unitPriceFen: number): ShippingNote {
  const feeFen = productShippingFee(rule, productFeeFen)
  if (feeFen === 0 || (rule.freeOverFen !== null && unitPriceFen >= rule.freeOverFen)) return { kind: 'free' }
  return { kind: 'fee', feeFen, freeOverFen: rule.freeOverFen }
}
