// Pure rules of the catalogue: who sees a product, who may buy it now, at what price, and what
// the shelves show (new this week, stock left). No I/O: callers pass `now` and the time zone.
import { checkAccess, isStaff, type Viewer } from './access'
import { activeRank } from './membership'
import { addDays, localDate, startOfDateIn } from './time'
import { shopZhCN } from '~/i18n/shop.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { shop: shopZhCN }

/** The parts of a product that decide visibility, buying and price. */
export interface ProductRules {
  published: boolean
  minRank: number
  gatedVisibility: 'visible' | 'hidden'
  saleStartsAt: Date | null
  saleEndsAt: Date | null
  priceFen: number
  tierPrices: readonly { tierRank: number; priceFen: number }[]
  personalisationLabel: string | null
  personalisationMaxLength: number | null
  perMemberLimit: number | null
}

/** A product's stock row: capacity null = unlimited. */
export interface StockLevels {
  capacity: number | null
  sold: number
  held: number
}

/** Lowest of the base price and the member prices of tiers whose rank ≤ the viewer's active rank. */
export function priceForViewer(product: ProductRules, viewer: Viewer, now: Date): number {
  const rank = viewer ? activeRank(viewer.memberships, now) : 0
  return product.tierPrices.reduce(
    (lowest, tp) => (tp.tierRank <= rank && tp.tierRank > 0 && tp.priceFen < lowest ? tp.priceFen : lowest),
    product.priceFen,
  )
}

/** Member prices below the base price, lowest rank first (what the product page lists). */
export function memberPrices(product: ProductRules) {
  return product.tierPrices
    .filter((tp) => tp.tierRank > 0 && tp.priceFen < product.priceFen)
    .slice()
    .sort((a, b) => a.tierRank - b.tierRank)
}

/**
 * Whether the product appears in lists and its page exists for this viewer: unpublished ones
 * only for staff; a product "hidden below tier" only for viewers of that rank (and staff).
 */
export function isProductVisible(product: ProductRules, viewer: Viewer, now: Date): boolean {
  if (viewer && isStaff(viewer.role)) return true
  if (!product.published) return false
  if (product.gatedVisibility === 'hidden' && product.minRank > 0) {
    return checkAccess({ minRank: product.minRank }, viewer, now).granted
  }
  return true
}

export type SaleWindowState = 'upcoming' | 'on_sale' | 'ended'

/** The sale window: starts inclusive, ends exclusive. */
export function saleWindowState(product: Pick<ProductRules, 'saleStartsAt' | 'saleEndsAt'>, now: Date): SaleWindowState {
  if (product.saleStartsAt && now < product.saleStartsAt) return 'upcoming'
  if (product.saleEndsAt && now >= product.saleEndsAt) return 'ended'
  return 'on_sale'
}

/** Where a product stands for the admin's list: its sale, or why nobody can buy it now. */
export type AdminProductStatus = 'draft' | 'upcoming' | 'on_sale' | 'sold_out' | 'ended'

export function adminProductStatus(
  product: Pick<ProductRules, 'saleStartsAt' | 'saleEndsAt'> & { published: boolean; available: number | null },
  now: Date,
): AdminProductStatus {
  if (!product.published) return 'draft'
  const window = saleWindowState(product, now)
  if (window !== 'on_sale') return window
  return product.available === 0 ? 'sold_out' : 'on_sale'
}

export type PurchaseCheck =
  | { allowed: true }
  | {
      allowed: false
      reason:
        | 'not_published'
        | 'not_on_sale_yet'
        | 'sale_ended'
        | 'sign_in_required'
        | 'membership_required'
        | 'membership_expired'
        | 'higher_tier_required'
      requiredRank?: number
      startsAt?: Date
    }

/**
 * May this viewer buy it now? Published, inside the sale window (staff too: the window is the
 * same for everyone), and the tier rule of checkAccess. Stock is not part of this: holding
 * stock decides sold out, atomically.
 */
export function checkPurchase(product: ProductRules, viewer: Viewer, now: Date): PurchaseCheck {
  if (!product.published) return { allowed: false, reason: 'not_published' }
  const window = saleWindowState(product, now)
  if (window === 'upcoming') return { allowed: false, reason: 'not_on_sale_yet', startsAt: product.saleStartsAt ?? undefined }
  if (window === 'ended') return { allowed: false, reason: 'sale_ended' }
  const access = checkAccess({ minRank: product.minRank }, viewer, now)
  if (!access.granted) return { allowed: false, reason: access.reason, requiredRank: access.requiredRank }
  return { allowed: true }
}

/** zh-CN message for a blocked purchase; pass the required tier's name when known. */
export function purchaseBlockMessage(check: Extract<PurchaseCheck, { allowed: false }>, tierName?: string): string {
  const m = t.shop.purchaseBlocked
  const tier = tierName ?? m.anyMember
  switch (check.reason) {
    case 'not_published':
    case 'not_on_sale_yet':
    case 'sale_ended':
      return m[check.reason]
    default:
      return m[check.reason](tier)
  }
}

// Newlines and control characters would break an engraving and the packing slip.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u

/** Characters as a buyer counts them: code points, so 刻 and 😀 are one each. */
export function characterCount(text: string) {
  return [...text].length
}

/** Personalisation text (checked trimmed): an error message, or null when it is fine. Empty is fine. */
export function personalisationError(product: ProductRules, text: string): string | null {
  const value = text.trim()
  if (value === '') return null
  const m = t.shop.personalisation
  if (!product.personalisationLabel) return m.notOffered
  const label = product.personalisationLabel
  if (CONTROL.test(value)) return m.invalidCharacters(label)
  const max = product.personalisationMaxLength ?? 0
  if (characterCount(value) > max) return m.tooLong(label, max)
  return null
}

/** Units left to sell: capacity − sold − held; null = unlimited. Never negative. */
export function availableUnits(stock: StockLevels): number | null {
  if (stock.capacity === null) return null
  return Math.max(0, stock.capacity - stock.sold - stock.held)
}

/** How many one buyer may put in one order: what the per-member limit leaves them, the units left, and a sane cap. */
export const MAX_QTY_PER_LINE = 99

export function maxOrderQuantity(product: Pick<ProductRules, 'perMemberLimit'>, stock: StockLevels, owned = 0) {
  const left = availableUnits(stock)
  const allowance = product.perMemberLimit === null ? MAX_QTY_PER_LINE : product.perMemberLimit - owned
  return Math.max(0, Math.min(MAX_QTY_PER_LINE, allowance, left ?? MAX_QTY_PER_LINE))
}

/** "仅剩 N 件" shows when this few are left. */
export const LOW_STOCK_THRESHOLD = 20

/**
 * What the stock says to a reader. When nothing is left to hold, units still held by unpaid
 * orders are `pending`: those holds may lapse and come back, so the item is 抢光 for now rather
 * than 售罄 for good (issue 18).
 */
export type StockState =
  | { kind: 'unlimited' }
  | { kind: 'plenty'; left: number }
  | { kind: 'low'; left: number }
  | { kind: 'sold_out'; pending: number }

export function stockState(stock: StockLevels): StockState {
  const left = availableUnits(stock)
  if (left === null) return { kind: 'unlimited' }
  if (left <= 0) return { kind: 'sold_out', pending: unitsPendingPayment(stock) }
  if (left <= LOW_STOCK_THRESHOLD) return { kind: 'low', left }
  return { kind: 'plenty', left }
}

/** Units held by unpaid orders, never more than capacity − sold (a counter may run ahead of a correction). */
export function unitsPendingPayment(stock: StockLevels): number {
  if (stock.capacity === null) return 0
  return Math.max(0, Math.min(stock.held, stock.capacity - stock.sold))
}

/**
 * The stock line of a product card and page: a numbered edition says its size and what is left
 * (「限量 500 · 剩 37」); an item with nothing left says whether unpaid holds may free some.
 */
export type StockNote = { kind: 'edition'; size: number; left: number; low: boolean } | { kind: 'held_out'; pending: number } | { kind: 'sold_out' }

export function stockNote(product: { limitedEdition: boolean }, stock: StockLevels): StockNote | null {
  const state = stockState(stock)
  if (state.kind === 'sold_out') return state.pending > 0 ? { kind: 'held_out', pending: state.pending } : { kind: 'sold_out' }
  if (product.limitedEdition && stock.capacity !== null && (state.kind === 'low' || state.kind === 'plenty')) {
    return { kind: 'edition', size: stock.capacity, left: state.left, low: state.kind === 'low' }
  }
  return null
}

/**
 * The current week in the site time zone, Monday 00:00 (inclusive) to the next Monday
 * (exclusive): what 本周上新 shows.
 */
export function weekBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const today = localDate(now, timeZone)
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  // getUTCDay of the calendar date itself: 0 = Sunday … 6 = Saturday.
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  const monday = addDays(today, -((weekday + 6) % 7))!
  const nextMonday = addDays(monday, 7)!
  return { start: startOfDateIn(monday, timeZone)!, end: startOfDateIn(nextMonday, timeZone)! }
}

/** 最热 counts units paid in this many days before now. */
export const HOT_WINDOW_DAYS = 30

/**
 * The second shelf of /shop: the hottest items not already under 本周上新 (a reader scrolling
 * down should meet new things), or, when none of those sold in the window, the newest ones not
 * already shown. `newest` is only read for that fallback. At most `count`.
 */
export function secondShelf<T extends { id: number }>({ newThisWeek, hottest, newest, count }: { newThisWeek: readonly T[]; hottest: readonly T[]; newest: readonly T[]; count: number }) {
  const shown = new Set(newThisWeek.map((item) => item.id))
  const hot = hottest.filter((item) => !shown.has(item.id)).slice(0, count)
  if (hot.length > 0) return { kind: 'hottest' as const, items: hot }
  return { kind: 'newest' as const, items: newest.filter((item) => !shown.has(item.id)).slice(0, count) }
}

// ---- what the shop shows -----------------------------------------------------------------------

/** The URL of an uploaded file (served by /media/:id). */
export const mediaUrl = (id: string) => `/media/${id}`

export interface ProductCardView {
  id: number
  slug: string
  title: string
  summary: string
  priceFen: number
  /** The base price when the viewer pays less (struck through), else null. */
  basePriceFen: number | null
  thumbUrl: string | null
  category: { slug: string; name: string }
  /** The stock line under the price (null when there is nothing worth saying). */
  stockNote: StockNote | null
  badges: {
    limited: boolean
    /** The name of the tier it is reserved for, when gated. */
    tierOnly: string | null
    /** Nothing left and nothing held: gone for good. */
    soldOut: boolean
    /** Nothing left, but unpaid holds may free some (已抢光). */
    heldOut: boolean
    upcoming: boolean
    ended: boolean
    mystery: boolean
  }
}

/** A product as the shelves (/shop lists) read it: what a product card is made from. */
export interface ShelfProduct extends ProductRules {
  id: number
  slug: string
  title: string
  summary: string
  limitedEdition: boolean
  mystery: boolean
  publishedAt: Date | null
  stock: StockLevels
  category: { slug: string; name: string }
  coverThumbId: string | null
}

/** A product card for this viewer: their price, the cover thumbnail and the badges. */
export function productCard(
  product: ShelfProduct,
  viewer: Viewer,
  now: Date,
  tierName: (rank: number) => string,
): ProductCardView {
  const price = priceForViewer(product, viewer, now)
  const window = saleWindowState(product, now)
  const note = stockNote(product, product.stock)
  return {
    id: product.id,
    slug: product.slug,
    title: product.title,
    summary: product.summary,
    priceFen: price,
    basePriceFen: price < product.priceFen ? product.priceFen : null,
    thumbUrl: product.coverThumbId ? mediaUrl(product.coverThumbId) : null,
    category: product.category,
    stockNote: note,
    badges: {
      limited: product.limitedEdition,
      tierOnly: product.minRank > 0 ? tierName(product.minRank) : null,
      soldOut: note?.kind === 'sold_out',
      heldOut: note?.kind === 'held_out',
      upcoming: window === 'upcoming',
      ended: window === 'ended',
      mystery: product.mystery,
    },
  }
}
