// A signed-in user's cart (cart_items): one row per user, product, variant (0 = a product without
// options) and personalisation (a unique index), so adding the same thing again adds to the row's quantity. The per-member limit and
// the number of lines are conditions of the one INSERT … ON CONFLICT statement that adds.
import { and, asc, count, eq, gt, inArray, or, sql } from 'drizzle-orm'
import { cartItems, holds } from '../../db/schema'
import type { CartLineData } from '~/components/order'
import type { Viewer } from '~/domain/access'
import { MAX_CART_LINES, lineKeyOf, lineProblem, productQtyInCart, variantQtyInCart, type CartLine, type LineProblem } from '~/domain/cart-forms'
import { MAX_QTY_PER_LINE, priceForViewer, stockState } from '~/domain/product'
import { variantLabel } from '~/domain/variants'
import { t } from '~/i18n/zh-CN'
import { db, transaction, type Executor } from '~/utils/db.server'
import { listTiers } from './membership.server'
import { getProductsForSale, productCoverThumbs, type ProductForSale } from './product.server'
import type { VariantForSale } from './variant.server'

export interface CartItem extends CartLine {
  id: number
}

/** The user's cart lines, oldest first (the order they were added in). */
// The header's cart link on every signed-in page: built once, not on each request (decision 032).
const countLinesStatement = db
  .select({ n: count() })
  .from(cartItems)
  .where(eq(cartItems.userId, sql.placeholder('userId')))
  .prepare()

/** How many lines a signed-in user's cart holds: the header's cart badge. */
export async function countCartLines(userId: number) {
  const [row] = await countLinesStatement.all({ userId })
  return row?.n ?? 0
}

export async function listCartItems(userId: number, executor: Executor = db): Promise<CartItem[]> {
  const rows = await executor
    .select({ id: cartItems.id, productId: cartItems.productId, variantId: cartItems.variantId, qty: cartItems.qty, personalisation: cartItems.personalisation })
    .from(cartItems)
    .where(eq(cartItems.userId, userId))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.id))
  return rows.map((row) => ({ ...row, variantId: row.variantId === 0 ? null : row.variantId }))
}

/** cart_items stores "no variant" as 0 (its unique index would see two NULLs as two lines). */
const storedVariant = (variantId: number | null) => variantId ?? 0

/**
 * Adds units to the user's line for this product and personalisation (a new line or more of
 * the same one), while the product's units across the cart stay within `limit` and the cart
 * holds at most MAX_CART_LINES lines. False when refused (nothing changed).
 */
export async function addCartItem({ userId, line, limit }: { userId: number; line: CartLine; limit: number | null }) {
  const { productId, qty, personalisation } = line
  const variantId = storedVariant(line.variantId)
  const rows = await db.all<{ id: number }>(sql`
    INSERT INTO cart_items (user_id, product_id, variant_id, qty, personalisation)
    SELECT ${userId}, ${productId}, ${variantId}, ${qty}, ${personalisation}
    WHERE EXISTS (SELECT 1 FROM products WHERE id = ${productId})
      AND (${limit} IS NULL OR ${qty} + coalesce((
        SELECT sum(qty) FROM cart_items WHERE user_id = ${userId} AND product_id = ${productId}
      ), 0) <= ${limit})
      AND ((SELECT count(*) FROM cart_items WHERE user_id = ${userId}) < ${MAX_CART_LINES}
        OR EXISTS (SELECT 1 FROM cart_items WHERE user_id = ${userId} AND product_id = ${productId} AND variant_id = ${variantId} AND personalisation = ${personalisation}))
    ON CONFLICT (user_id, product_id, variant_id, personalisation) DO UPDATE SET qty = min(${MAX_QTY_PER_LINE}, cart_items.qty + excluded.qty)
    RETURNING id`)
  return rows.length > 0
}

/** Sets the quantity of one of the user's lines; false when the user has no such line. */
export async function setCartItemQty({ userId, productId, variantId, personalisation, qty }: CartLine & { userId: number }) {
  const updated = await db
    .update(cartItems)
    .set({ qty })
    .where(and(eq(cartItems.userId, userId), eq(cartItems.productId, productId), eq(cartItems.variantId, storedVariant(variantId)), eq(cartItems.personalisation, personalisation)))
    .returning({ id: cartItems.id })
  return updated.length > 0
}

export async function removeCartItem({ userId, productId, variantId, personalisation }: Omit<CartLine, 'qty'> & { userId: number }) {
  const removed = await db
    .delete(cartItems)
    .where(and(eq(cartItems.userId, userId), eq(cartItems.productId, productId), eq(cartItems.variantId, storedVariant(variantId)), eq(cartItems.personalisation, personalisation)))
    .returning({ id: cartItems.id })
  return removed.length > 0
}

/** Removes the lines an order was placed for (by id, and only the user's own), in the caller's transaction. */
export async function removeCartItems({ userId, ids }: { userId: number; ids: readonly number[] }, tx: Executor) {
  if (ids.length === 0) return
  await tx.delete(cartItems).where(and(eq(cartItems.userId, userId), inArray(cartItems.id, [...ids])))
}

/**
 * A visitor's cart joins the account's at sign-in: the same product and personalisation add
 * up (at most 99), new lines are added, and products that no longer exist are dropped. Limits
 * are not applied here; the cart page shows a line over its limit and checkout refuses it.
 */
export async function mergeIntoCart({ userId, lines }: { userId: number; lines: readonly CartLine[] }) {
  if (lines.length === 0) return
  await transaction(async (tx) => {
    for (const { productId, variantId, qty, personalisation } of lines) {
      await tx.run(sql`
        INSERT INTO cart_items (user_id, product_id, variant_id, qty, personalisation)
        SELECT ${userId}, ${productId}, ${storedVariant(variantId)}, ${Math.min(qty, MAX_QTY_PER_LINE)}, ${personalisation}
        WHERE EXISTS (SELECT 1 FROM products WHERE id = ${productId})
        ON CONFLICT (user_id, product_id, variant_id, personalisation) DO UPDATE SET qty = min(${MAX_QTY_PER_LINE}, cart_items.qty + excluded.qty)`)
    }
  })
}

// ---- pricing -----------------------------------------------------------------------------------

export interface PricedLine extends CartLine {
  /** The cart_items row of a signed-in user's line; null in a visitor's cart. */
  id: number | null
  /** Undefined when the product no longer exists. Server-side only: it holds the description. */
  product: ProductForSale | undefined
  /** The variant of the line, while the product has it (decision 047). */
  variant: VariantForSale | undefined
  unitPriceFen: number
  coverThumbId: string | null
  problem: LineProblem | null
}

export interface PricedCart {
  lines: PricedLine[]
  totalFen: number
  units: number
  /** Some line cannot be bought now: checkout waits until it is changed or removed. */
  blocked: boolean
}

/**
 * The cart as this viewer would buy it now: each line with the viewer's price and the reason,
 * if any, it cannot be bought (the same rules the add action and checkout apply). Prices come
 * from the database only.
 */
export async function priceCart({
  lines,
  viewer,
  userId,
  now,
  executor = db,
}: {
  lines: readonly (CartLine & { id?: number })[]
  viewer: Viewer
  userId: number | null
  now: Date
  /**
   * A write transaction when the result decides an order (placeCheckout, a late payment): the
   * pictures are not read then, nothing under the write lock needs them.
   */
  executor?: Executor
}): Promise<PricedCart> {
  const productIds = [...new Set(lines.map((line) => line.productId))]
  const deciding = executor !== db
  const [byId, tiers, covers] = await Promise.all([
    getProductsForSale(productIds, executor, now),
    productIds.length > 0 ? listTiers(executor) : Promise.resolve([]),
    deciding ? new Map<number, string>() : productCoverThumbs(productIds),
  ])
  const limited = [...byId.values()].flatMap((product) => (product.perMemberLimit !== null ? product.stockIds : []))
  const owned = userId === null ? new Map<number, number>() : await unitsOwned({ userId, stockIds: limited, executor, now })
  // A per-member limit counts across a product's variants (decision 047).
  const ownedOf = (product: ProductForSale) => product.stockIds.reduce((sum, stockId) => sum + (owned.get(stockId) ?? 0), 0)
  const priced = lines.map((line): PricedLine => {
    const product = byId.get(line.productId)
    const variant = product?.variants.find((candidate) => candidate.id === line.variantId)
    const problem = lineProblem({
      product,
      viewer,
      now,
      personalisation: line.personalisation,
      variantId: line.variantId,
      productQty: productQtyInCart(lines, line.productId),
      variantQty: variantQtyInCart(lines, line.productId, line.variantId),
      owned: product ? ownedOf(product) : 0,
      tierName: product ? tiers.find((tier) => tier.rank === product.minRank)?.name : undefined,
    })
    return {
      id: line.id ?? null,
      productId: line.productId,
      variantId: line.variantId,
      qty: line.qty,
      personalisation: line.personalisation,
      product,
      variant,
      unitPriceFen: product ? priceForViewer(product, viewer, now) + (variant?.priceOffsetFen ?? 0) : 0,
      coverThumbId: covers.get(line.productId) ?? null,
      problem,
    }
  })
  const live = priced.filter((line) => line.product)
  return {
    lines: priced,
    totalFen: live.reduce((sum, line) => sum + line.unitPriceFen * line.qty, 0),
    units: live.reduce((sum, line) => sum + line.qty, 0),
    blocked: priced.some((line) => line.problem !== null),
  }
}

/**
 * Units of these stocks the user holds at `now` or has bought (what per-member limits count; a
 * lapsed hold no longer counts, released or not). Advice for the cart page; placing the order
 * decides again, in its transaction and its own conditional statement.
 */
export async function unitsOwned({
  userId,
  stockIds,
  executor = db,
  now = new Date(),
}: {
  userId: number
  stockIds: readonly number[]
  executor?: Executor
  now?: Date
}) {
  const owned = new Map<number, number>()
  if (stockIds.length === 0) return owned
  const rows = await executor
    .select({ stockId: holds.stockId, units: sql<number>`sum(${holds.qty})`.mapWith(Number) })
    .from(holds)
    .where(
      and(
        eq(holds.userId, userId),
        inArray(holds.stockId, [...stockIds]),
        or(eq(holds.state, 'sold'), and(eq(holds.state, 'held'), gt(holds.expiresAt, now))),
      ),
    )
    .groupBy(holds.stockId)
  for (const row of rows) owned.set(row.stockId, row.units)
  return owned
}

/** Units of a product (all its variants) the user holds at `now` or has bought: what its per-member limit has counted. */
export async function productUnitsOwned({ userId, product, now = new Date() }: { userId: number; product: Pick<ProductForSale, 'stockIds'>; now?: Date }) {
  const owned = await unitsOwned({ userId, stockIds: product.stockIds, now })
  return [...owned.values()].reduce((sum, units) => sum + units, 0)
}

/** What a page shows of a priced line: never the product's description. */
export function cartLineView(line: PricedLine): CartLineData {
  const product = line.product
  const stock = product ? stockState(line.variant ? line.variant.stock : product.stock) : undefined
  return {
    key: lineKeyOf(line),
    productId: line.productId,
    variantId: line.variantId,
    slug: product?.slug ?? null,
    title: product?.title ?? t.orders.cart.errors.unavailable,
    variantLabel: product && line.variant ? variantLabel(product.options, line.variant.optionValues) : null,
    personalisation: line.personalisation,
    personalisationLabel: product?.personalisationLabel ?? null,
    qty: line.qty,
    unitPriceFen: line.unitPriceFen,
    basePriceFen: product ? product.priceFen + (line.variant?.priceOffsetFen ?? 0) : line.unitPriceFen,
    coverThumbId: line.coverThumbId,
    lowStock: stock?.kind === 'low' ? stock.left : null,
    perMemberLimit: product?.perMemberLimit ?? null,
    problem: line.problem?.message ?? null,
  }
}

