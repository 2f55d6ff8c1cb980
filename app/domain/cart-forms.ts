// The cart's forms and rules: what the cart actions accept, how lines combine, and why a line
// cannot be bought right now (the same answer for adding, showing the cart and checking out).
// Pure: callers pass the product, the viewer and `now`. Stock shown here is advice; holding
// stock at checkout decides, atomically (DESIGN.md §4). The zod schemas of the forms are in
// cart-forms.server.ts, out of the browser's script (decision 028).
import type { Viewer } from './access'
import {
  MAX_QTY_PER_LINE,
  availableUnits,
  checkPurchase,
  isProductVisible,
  personalisationError,
  purchaseBlockMessage,
  type ProductRules,
  type StockLevels,
} from './product'
import type { ProductOption, VariantLevels } from './variants'
import { ordersZhCN } from '~/i18n/orders.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN }

const e = t.orders.cart.errors

/** Distinct lines a cart may hold (a visitor's cart lives in a cookie of about 4 KB). */
export const MAX_CART_LINES = 10

/** Raw personalisation input is refused past this, before the product's own, shorter, rule applies. */
export const PERSONALISATION_INPUT_MAX = 200

export interface CartLine {
  productId: number
  /** The variant chosen (decision 047); null for a product without options. Part of the line's identity. */
  variantId: number | null
  qty: number
  /** Trimmed; '' when none. Part of the line's identity: two engravings are two lines. */
  personalisation: string
}

export const CART_INTENTS = ['add', 'buy', 'update', 'remove'] as const
export type CartIntent = (typeof CART_INTENTS)[number]

export function isCartIntent(value: unknown): value is CartIntent {
  return (CART_INTENTS as readonly unknown[]).includes(value)
}

/**
 * 立即购买 checks out one line alone and leaves the cart as it is: the line travels to /checkout
 * in the query (`buy`, `qty`, `p`), through the sign-in page when needed.
 */
export function buyNowPath(line: CartLine) {
  const search = new URLSearchParams({ buy: String(line.productId), qty: String(line.qty) })
  if (line.variantId !== null) search.set('v', String(line.variantId))
  if (line.personalisation) search.set('p', line.personalisation)
  return `/checkout?${search}`
}

type LineIdentity = Pick<CartLine, 'productId' | 'variantId' | 'personalisation'>

export function sameLine(a: LineIdentity, b: LineIdentity) {
  return a.productId === b.productId && a.variantId === b.variantId && a.personalisation === b.personalisation
}

/** A line's key on a page (which line an error belongs to): `12:知音`, or `12/7:知音` for variant 7. */
export function lineKeyOf(line: LineIdentity) {
  return `${line.productId}${line.variantId === null ? '' : `/${line.variantId}`}:${line.personalisation}`
}

/** Adds a line to a cart: the same product and personalisation add up (never past 99). */
export function addLine(lines: readonly CartLine[], added: CartLine): CartLine[] {
  const existing = lines.find((line) => sameLine(line, added))
  if (!existing) return [...lines, added]
  return lines.map((line) => (line === existing ? { ...line, qty: Math.min(MAX_QTY_PER_LINE, line.qty + added.qty) } : line))
}

/** Sets one line's quantity. */
export function setLineQty(lines: readonly CartLine[], target: Omit<CartLine, 'qty'>, qty: number): CartLine[] {
  return lines.map((line) => (sameLine(line, target) ? { ...line, qty } : line))
}

export function removeLine(lines: readonly CartLine[], target: Omit<CartLine, 'qty'>): CartLine[] {
  return lines.filter((line) => !sameLine(line, target))
}

/** Units of one product across the cart's lines (each personalisation and each variant is its own line). */
export function productQtyInCart(lines: readonly CartLine[], productId: number) {
  return lines.reduce((sum, line) => (line.productId === productId ? sum + line.qty : sum), 0)
}

/** Units of one product's variant (or of a product without options) across the cart: what its stock must cover. */
export function variantQtyInCart(lines: readonly CartLine[], productId: number, variantId: number | null) {
  return lines.reduce((sum, line) => (line.productId === productId && line.variantId === variantId ? sum + line.qty : sum), 0)
}

/** Why a line cannot be bought now; `status` is what an action answers with. */
export type LineProblem =
  | { kind: 'unavailable'; status: 400; field: 'form'; message: string }
  | { kind: 'blocked'; status: 403; field: 'form'; message: string }
  | { kind: 'variant'; status: 400; field: 'variant'; message: string }
  | { kind: 'personalisation'; status: 400; field: 'personalisation'; message: string }
  | { kind: 'limit'; status: 400; field: 'qty'; message: string; limit: number }
  | { kind: 'sold_out'; status: 409; field: 'qty'; message: string; left: number }

export interface SellableProduct extends ProductRules {
  stock: StockLevels
  options: readonly ProductOption[]
  variants: readonly VariantLevels[]
}

/**
 * The first reason a line cannot be bought by this viewer now, or null. `productQty` is the
 * units of this product in the whole cart (with this line as it would be), which the
 * per-member limit (with the `owned` units the buyer already holds or bought) and the stock
 * left are compared with. `tierName` names the product's minimum tier in the message.
 */
export function lineProblem({
  product,
  viewer,
  now,
  personalisation,
  variantId = null,
  productQty,
  variantQty = productQty,
  owned = 0,
  tierName,
}: {
  product: SellableProduct | undefined
  viewer: Viewer
  now: Date
  personalisation: string
  /** The variant chosen; null when none was (or the product has no options). */
  variantId?: number | null
  productQty: number
  /** Units of this line's variant in the cart (as productQty); the variant's stock must cover them. */
  variantQty?: number
  owned?: number
  tierName?: string
}): LineProblem | null {
  if (!product || !product.published || !isProductVisible(product, viewer, now)) {
    return { kind: 'unavailable', status: 400, field: 'form', message: e.unavailable }
  }
  const purchase = checkPurchase(product, viewer, now)
  if (!purchase.allowed) return { kind: 'blocked', status: 403, field: 'form', message: purchaseBlockMessage(purchase, tierName) }
  const variant = product.variants.find((candidate) => candidate.id === variantId)
  if (product.variants.length > 0 ? !variant : variantId !== null) {
    const message = variantId === null ? e.chooseVariant(product.options.map((option) => option.name).join('、')) : e.variantGone
    return { kind: 'variant', status: 400, field: 'variant', message }
  }
  const personalised = personalisationError(product, personalisation)
  if (personalised) return { kind: 'personalisation', status: 400, field: 'personalisation', message: personalised }
  const limit = product.perMemberLimit
  if (limit !== null && productQty + owned > limit) {
    return { kind: 'limit', status: 400, field: 'qty', message: owned > 0 ? e.limitOwned(limit, owned) : e.limit(limit), limit }
  }
  const left = availableUnits(variant ? variant.stock : product.stock)
  if (left !== null && variantQty > left) {
    return { kind: 'sold_out', status: 409, field: 'qty', message: left === 0 ? e.soldOut : e.short(left), left }
  }
  return null
}
