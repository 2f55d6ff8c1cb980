// Product variants (decision 047): the variants of products with their stock at `now`, and the
// admin's two edits — the options (which make one variant per combination of values) and each
// variant's stock, price offset and SKU. Every variant owns a stock row that shares the product's
// edition counter, so the commerce core holds, sells and numbers a variant as it does any stock.
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { cartItems, counters, holds, orderLines, productVariants, products, stock } from '../../db/schema'
import type { StockLevels } from '~/domain/product'
import { combinations, variantLabel, type ProductOption } from '~/domain/variants'
import { t } from '~/i18n/zh-CN'
import { db, transaction, type Executor } from '~/utils/db.server'
import type { FieldErrors } from '~/utils/forms'
import { recordAudit } from './audit.server'
import { releaseLapsedHolds, stockLevelsAt } from './commerce/index.server'

const e = t.variantAdmin.errors

export interface VariantForSale {
  id: number
  productId: number
  optionValues: string[]
  priceOffsetFen: number
  sku: string | null
  stock: StockLevels & { id: number }
}

/** The variants of these products in their order, each with its stock at `now` (lapsed holds count as free). */
export async function listVariants(productIds: readonly number[], executor: Executor = db, now = new Date()): Promise<Map<number, VariantForSale[]>> {
  const byProduct = new Map<number, VariantForSale[]>()
  if (productIds.length === 0) return byProduct
  const rows = await executor
    .select({
      id: productVariants.id,
      productId: productVariants.productId,
      optionValues: productVariants.optionValues,
      priceOffsetFen: productVariants.priceOffsetFen,
      sku: productVariants.sku,
      stock: { id: stock.id, ...stockLevelsAt(now) },
    })
    .from(productVariants)
    .innerJoin(stock, eq(stock.id, productVariants.stockId))
    .where(inArray(productVariants.productId, [...productIds]))
    .orderBy(asc(productVariants.productId), asc(productVariants.position), asc(productVariants.id))
  for (const row of rows) byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), row])
  return byProduct
}

export type VariantSaveResult = { ok: true } | { ok: false; errors: FieldErrors } | null

/** Raised inside a transaction to roll it back with field errors. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('refused')
  }
}

async function refusedOrNull<T>(run: () => Promise<T>): Promise<T | { ok: false; errors: FieldErrors }> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors }
    throw error
  }
}

/** Whether anything was ever ordered from this stock (a variant that was is kept for its history). */
async function everOrdered(tx: Executor, stockId: number) {
  const [row] = await tx.all<{ ordered: number }>(
    sql`SELECT (EXISTS (SELECT 1 FROM ${orderLines} WHERE ${orderLines.stockId} = ${stockId}) OR EXISTS (SELECT 1 FROM ${holds} WHERE ${holds.stockId} = ${stockId})) AS ordered`
  )
  return Boolean(row?.ordered)
}

/**
 * Sets a product's options: one variant per combination of their values. Combinations that stay
 * keep their variant (stock, price offset, SKU); new ones start with no stock; a combination
 * that goes away takes its variant and stock with it, unless it was ever ordered (refused).
 * The first options close the product's own stock (capacity = sold): from then on it sells only
 * through its variants — refused while one of its units is held. No options: back to one stock.
 */
export async function saveProductOptions({
  productId,
  options,
  actorId,
  now,
}: {
  productId: number
  options: ProductOption[]
  actorId: number
  now: Date
}): Promise<VariantSaveResult> {
  return refusedOrNull(() =>
    transaction(async (tx) => {
      const [product] = await tx
        .select({
          stockId: products.stockId,
          options: products.options,
          counterId: stock.counterId,
        })
        .from(products)
        .innerJoin(stock, eq(stock.id, products.stockId))
        .where(eq(products.id, productId))
      if (!product) return null
      const existing = await tx.select().from(productVariants).where(eq(productVariants.productId, productId))
      const wanted = options.length > 0 ? combinations(options) : []
      const key = (values: readonly string[]) => JSON.stringify(values)
      const wantedKeys = new Map(wanted.map((values, position) => [key(values), position]))
      const kept = new Map(existing.map((variant) => [key(variant.optionValues), variant]))
      const removed = existing.filter((variant) => !wantedKeys.has(key(variant.optionValues)))
      // Lapsed checkouts hold nothing: released here, so they cannot lock a change.
      await releaseLapsedHolds(tx, now, [product.stockId, ...removed.map((variant) => variant.stockId)])
      for (const variant of removed) {
        if (await everOrdered(tx, variant.stockId))
          throw new Refused({
            options: e.variantOrdered(variantLabel(product.options, variant.optionValues)),
          })
      }
      if (removed.length > 0) {
        const ids = removed.map((variant) => variant.id)
        await tx.delete(cartItems).where(and(eq(cartItems.productId, productId), inArray(cartItems.variantId, ids)))
        await tx.delete(productVariants).where(inArray(productVariants.id, ids))
        await tx.delete(stock).where(
          inArray(
            stock.id,
            removed.map((variant) => variant.stockId)
          )
        )
      }
      if (existing.length === 0 && wanted.length > 0) {
        // The product's own units are sold only through variants from now on; its sales stay counted.
        const closed = await tx
          .update(stock)
          .set({ capacity: sql`${stock.sold}` })
          .where(and(eq(stock.id, product.stockId), eq(stock.held, 0)))
          .returning({ id: stock.id })
        if (closed.length === 0) throw new Refused({ options: e.optionsWhileHeld })
      }
      for (const [values, position] of wantedKeys) {
        const variant = kept.get(values)
        if (variant) {
          await tx.update(productVariants).set({ position }).where(eq(productVariants.id, variant.id))
          continue
        }
        const [row] = await tx.insert(stock).values({ capacity: 0, counterId: product.counterId }).returning({ id: stock.id })
        await tx.insert(productVariants).values({
          productId,
          optionValues: JSON.parse(values) as string[],
          stockId: row!.id,
          position,
        })
      }
      await tx.update(products).set({ options, updatedAt: now }).where(eq(products.id, productId))
      await recordAudit(
        {
          actorId,
          action: 'product.options',
          targetType: 'product',
          targetId: productId,
          detail: { options },
        },
        tx
      )
      return { ok: true as const }
    })
  )
}

export interface VariantInput {
  id: number
  capacity: number | null
  priceOffsetFen: number
  sku: string | null
}

/**
 * Saves each variant's stock, price offset and SKU, all or nothing. A capacity is set by one
 * conditional statement, never below what is sold plus held; a numbered edition keeps a capacity
 * on every variant and, across them, no fewer units than numbers issued; a SKU is unique in the
 * shop (the unique index decides). Errors are keyed `capacity-<id>`, `offset-<id>`, `sku-<id>`.
 */
export async function saveVariants({
  productId,
  rows,
  actorId,
  now,
}: {
  productId: number
  rows: readonly VariantInput[]
  actorId: number
  now: Date
}): Promise<VariantSaveResult> {
  return refusedOrNull(() =>
    transaction(async (tx) => {
      const [product] = await tx
        .select({ priceFen: products.priceFen, counterId: stock.counterId })
        .from(products)
        .innerJoin(stock, eq(stock.id, products.stockId))
        .where(eq(products.id, productId))
      if (!product) return null
      const existing = await tx.select({ id: productVariants.id, stockId: productVariants.stockId }).from(productVariants).where(eq(productVariants.productId, productId))
      const stockOf = new Map(existing.map((variant) => [variant.id, variant.stockId]))
      if (rows.length !== existing.length || rows.some((row) => !stockOf.has(row.id))) throw new Refused({ form: e.variantUnknown })
      const errors: FieldErrors = {}
      const lowestPrice = await lowestPriceFen(tx, productId, product.priceFen)
      for (const row of rows) {
        if (lowestPrice + row.priceOffsetFen < 0) errors[`offset-${row.id}`] = e.offsetBelowPrice
        if (product.counterId !== null && row.capacity === null) errors[`capacity-${row.id}`] = e.variantUnlimitedLimited
      }
      const skus = rows.flatMap((row) => (row.sku ? [row.sku] : []))
      if (skus.length > 0) {
        const taken = await tx
          .select({ sku: productVariants.sku })
          .from(productVariants)
          .where(and(inArray(productVariants.sku, skus), sql`${productVariants.productId} <> ${productId}`))
        for (const row of rows) if (row.sku && taken.some((other) => other.sku === row.sku)) errors[`sku-${row.id}`] = e.skuTaken
      }
      if (Object.keys(errors).length > 0) throw new Refused(errors)
      await releaseLapsedHolds(tx, now, [...stockOf.values()])
      for (const row of rows) {
        const stockId = stockOf.get(row.id)!
        const set = await tx.all<{ id: number }>(sql`
          UPDATE stock SET capacity = ${row.capacity}
          WHERE id = ${stockId} AND (${row.capacity} IS NULL OR sold + held <= ${row.capacity})
          RETURNING id`)
        if (set.length === 0) {
          const [levels] = await tx
            .select({
              committed: sql<number>`${stock.sold} + ${stock.held}`.mapWith(Number),
            })
            .from(stock)
            .where(eq(stock.id, stockId))
          errors[`capacity-${row.id}`] = t.shop.admin.errors.capacityBelowCommitted(levels?.committed ?? 0)
        }
      }
      if (product.counterId !== null) {
        // An edition's numbers run 1..capacity across its variants (decision 007, "Numbers after refunds").
        const [edition] = await tx.all<{
          issued: number
          capacity: number
        }>(sql`
          SELECT (SELECT value FROM ${counters} WHERE id = ${product.counterId}) AS issued,
                 (SELECT coalesce(sum(capacity), 0) FROM stock WHERE counter_id = ${product.counterId}) AS capacity`)
        if (edition && Number(edition.issued) > Number(edition.capacity)) errors.variants = t.shop.admin.errors.capacityBelowNumbered(Number(edition.issued))
      }
      if (Object.keys(errors).length > 0) throw new Refused(errors)
      for (const row of rows) {
        await tx
          .update(productVariants)
          .set({ priceOffsetFen: row.priceOffsetFen, sku: row.sku })
          .where(and(eq(productVariants.id, row.id), eq(productVariants.productId, productId)))
      }
      await recordAudit(
        {
          actorId,
          action: 'product.variants',
          targetType: 'product',
          targetId: productId,
          detail: {
            variants: rows.map(({ id, capacity, priceOffsetFen, sku }) => ({
              id,
              capacity,
              priceOffsetFen,
              sku,
            })),
          },
        },
        tx
      )
      return { ok: true as const }
    })
  )
}

/** The lowest price the product sells at (base or a member price): an offset may not take it below 0. */
async function lowestPriceFen(tx: Executor, productId: number, priceFen: number) {
  const [row] = await tx.all<{ lowest: number | null }>(sql`SELECT min(price_fen) AS lowest FROM product_tier_prices WHERE product_id = ${productId}`)
  return Math.min(priceFen, row?.lowest === null || row?.lowest === undefined ? priceFen : Number(row.lowest))
}
