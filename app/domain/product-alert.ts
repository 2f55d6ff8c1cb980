// 「到货提醒」/「开售提醒」 (issue 13): what a reader may wait for on a product, and when the wait is
// over. Pure rules on the catalogue's own (saleWindowState, stockState), no I/O.
import { saleWindowState, stockState, type ProductRules, type StockLevels } from './product'

/** Mirrors PRODUCT_ALERT_KINDS in db/schema.ts (kept here so components never reach the schema). */
export type ProductAlertKindName = 'back' | 'on_sale'

type AlertRules = Pick<ProductRules, 'published' | 'saleStartsAt' | 'saleEndsAt'> & { stock: StockLevels }

/** The alert a reader may ask for now: 开售提醒 before the sale, 到货提醒 while sold out; else null. */
export function productAlertKind(product: AlertRules, now: Date): ProductAlertKindName | null {
  if (!product.published) return null
  const window = saleWindowState(product, now)
  if (window === 'upcoming') return 'on_sale'
  if (window === 'on_sale' && stockState(product.stock).kind === 'sold_out') return 'back'
  return null
}

/**
 * Whether the thing waited for has happened: the sale is open and units can be bought — for
 * 到货提醒 units are back; for 开售提醒 too, so a sale that opens with nothing to sell (capacity 0)
 * tells its readers when units are on sale, not at an opening they cannot use.
 */
export function isProductAlertDue(product: AlertRules, now: Date): boolean {
  if (!product.published || saleWindowState(product, now) !== 'on_sale') return false
  return stockState(product.stock).kind !== 'sold_out'
}
