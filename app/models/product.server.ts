// All SQL of the catalogue: categories, products with their stock row, member prices and photos,
// the shelves (/shop lists) and the admin's edits. Every product owns one `stock` row, created
// in the same transaction; a limited edition also owns a `counters` row that numbers its units
// at payment (DESIGN.md §4, "One reservation mechanism").
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm'
import {
  counters,
  holds,
  media,
  orderLines,
  orders,
  productCategories,
  productImages,
  products,
  productTierPrices,
  productVariants,
  stock,
  tiers,
  type Product,
  type ProductCategory,
} from '../../db/schema'
import { PAID_ORDER_STATES } from '~/domain/order'
import { HOT_WINDOW_DAYS, weekBounds, type ProductRules, type ShelfProduct, type StockLevels } from '~/domain/product'
import type { ProductInput } from '~/domain/product-forms.server'
import { t } from '~/i18n/zh-CN'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'
import type { FieldErrors } from '~/utils/forms'
import { discardRenditions, type Rendition } from '~/utils/image-upload.server'
import { sumLevels } from '~/domain/variants'
import { recordAudit } from './audit.server'
import { releaseLapsedHolds, stockLevelsAt } from './commerce/index.server'
import { listVariants, type VariantForSale } from './variant.server'

const e = t.shop.admin.errors
const DAY_MS = 24 * 60 * 60 * 1000

// ---- categories --------------------------------------------------------------------------------

export function listCategories(): Promise<ProductCategory[]> {
  return db.query.productCategories.findMany({ orderBy: [asc(productCategories.sortOrder), asc(productCategories.id)] })
}

// ---- reading a product -------------------------------------------------------------------------

export interface TierPrice {
  tierId: number
  tierRank: number
  tierName: string
  priceFen: number
}

/**
 * A product as the shop sells it: its row, its stock, its member prices, its category and its
 * variants. With variants, `stock` holds the product's own row's id and counter but the levels
 * summed over its variants (its own row sells nothing then, decision 047).
 */
export interface ProductForSale extends Omit<Product, 'gatedVisibility'>, ProductRules {
  stock: StockLevels & { id: number; counterId: number | null }
  tierPrices: TierPrice[]
  category: { id: number; slug: string; name: string }
  variants: VariantForSale[]
  /** Every stock that sells this product: what its per-member limit counts across. */
  stockIds: number[]
}

/** A product's levels: its own stock's, or with variants the sum over them and its own (closed) row. */
function productLevels(own: StockLevels, variants: readonly VariantForSale[] | undefined): StockLevels {
  if (!variants || variants.length === 0) return own
  return sumLevels([own, ...variants.map((variant) => variant.stock)])
}

function saleColumns(now: Date) {
  return {
    product: products,
    stock: { id: stock.id, ...stockLevelsAt(now), counterId: stock.counterId },
    category: { id: productCategories.id, slug: productCategories.slug, name: productCategories.name },
  }
}

function tierPricesOf(productIds: number[], executor: Executor = db) {
  if (productIds.length === 0) return Promise.resolve([])
  return executor
    .select({
      productId: productTierPrices.productId,
      tierId: tiers.id,
      tierRank: tiers.rank,
      tierName: tiers.name,
      priceFen: productTierPrices.priceFen,
    })
    .from(productTierPrices)
    .innerJoin(tiers, eq(tiers.id, productTierPrices.tierId))
    .where(inArray(productTierPrices.productId, productIds))
    .orderBy(asc(tiers.rank))
}

/**
 * A product by slug (string) or id (number), with its stock as it stands at `now` (lapsed holds
 * count as free), member prices (rank and price, satisfying ProductRules) and category;
 * undefined when there is none. Whether the viewer may see or buy it is for the domain rules to say.
 */
export async function getProductForSale(slugOrId: string | number, executor: Executor = db, now = new Date()): Promise<ProductForSale | undefined> {
  const [product] = await productsForSale(typeof slugOrId === 'number' ? eq(products.id, slugOrId) : eq(products.slug, slugOrId), executor, now)
  return product
}

/** Several products by id (a cart's), read as getProductForSale reads one: two queries for all. */
export async function getProductsForSale(productIds: readonly number[], executor: Executor = db, now = new Date()): Promise<Map<number, ProductForSale>> {
  const found = productIds.length === 0 ? [] : await productsForSale(inArray(products.id, [...productIds]), executor, now)
  return new Map(found.map((product) => [product.id, product]))
}

async function productsForSale(where: SQL, executor: Executor, now: Date): Promise<ProductForSale[]> {
  const rows = await executor
    .select(saleColumns(now))
    .from(products)
    .innerJoin(stock, eq(stock.id, products.stockId))
    .innerJoin(productCategories, eq(productCategories.id, products.categoryId))
    .where(where)
  const productIds = rows.map((row) => row.product.id)
  const [prices, variantsById] = await Promise.all([tierPricesOf(productIds, executor), listVariants(productIds, executor, now)])
  return rows.map((row) => ({
    ...row.product,
    stock: { ...row.stock, ...productLevels(row.stock, variantsById.get(row.product.id)) },
    variants: variantsById.get(row.product.id) ?? [],
    stockIds: [row.stock.id, ...(variantsById.get(row.product.id) ?? []).map((variant) => variant.stock.id)],
    category: row.category,
    tierPrices: prices
      .filter((price) => price.productId === row.product.id)
      .map(({ tierId, tierRank, tierName, priceFen }) => ({ tierId, tierRank, tierName, priceFen })),
  }))
}

export function listProductImages(productId: number) {
  return db
    .select({ id: productImages.id, position: productImages.position, thumbMediaId: productImages.thumbMediaId, largeMediaId: productImages.largeMediaId, alt: productImages.alt })
    .from(productImages)
    .where(eq(productImages.productId, productId))
    .orderBy(asc(productImages.position), asc(productImages.id))
}

// ---- shelves -----------------------------------------------------------------------------------

/** Published products, newest first, with stock at `now`, member prices and the cover thumbnail. */
export async function listShelfProducts({
  categoryId,
  publishedFrom,
  publishedBefore,
  ids,
  now = new Date(),
}: { categoryId?: number; publishedFrom?: Date; publishedBefore?: Date; ids?: number[]; now?: Date } = {}): Promise<ShelfProduct[]> {
  const conditions: SQL[] = [eq(products.published, true)]
  if (categoryId !== undefined) conditions.push(eq(products.categoryId, categoryId))
  if (publishedFrom) conditions.push(gte(products.publishedAt, publishedFrom))
  if (publishedBefore) conditions.push(lt(products.publishedAt, publishedBefore))
  if (ids) {
    if (ids.length === 0) return []
    conditions.push(inArray(products.id, ids))
  }
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      title: products.title,
      summary: products.summary,
      priceFen: products.priceFen,
      minRank: products.minRank,
      gatedVisibility: products.gatedVisibility,
      saleStartsAt: products.saleStartsAt,
      saleEndsAt: products.saleEndsAt,
      perMemberLimit: products.perMemberLimit,
      personalisationLabel: products.personalisationLabel,
      personalisationMaxLength: products.personalisationMaxLength,
      limitedEdition: products.limitedEdition,
      mystery: products.mystery,
      published: products.published,
      publishedAt: products.publishedAt,
      ...stockLevelsAt(now),
      categorySlug: productCategories.slug,
      categoryName: productCategories.name,
    })
    .from(products)
    .innerJoin(stock, eq(stock.id, products.stockId))
    .innerJoin(productCategories, eq(productCategories.id, products.categoryId))
    .where(and(...conditions))
    .orderBy(desc(products.publishedAt), desc(products.id))
  const productIds = rows.map((r) => r.id)
  const [prices, covers, variantsById] = await Promise.all([tierPricesOf(productIds), productCoverThumbs(productIds), listVariants(productIds, db, now)])
  return rows.map(({ capacity, sold, held, categorySlug, categoryName, ...row }) => ({
    ...row,
    stock: productLevels({ capacity, sold, held }, variantsById.get(row.id)),
    category: { slug: categorySlug, name: categoryName },
    tierPrices: prices.filter((p) => p.productId === row.id).map(({ tierRank, priceFen }) => ({ tierRank, priceFen })),
    coverThumbId: covers.get(row.id) ?? null,
  }))
}

/** The first photo's thumbnail of each product (shelves, the cart, an order's lines). */
export async function productCoverThumbs(productIds: readonly number[]) {
  const covers = new Map<number, string>()
  if (productIds.length === 0) return covers
  const rows = await db
    .select({ productId: productImages.productId, thumbMediaId: productImages.thumbMediaId })
    .from(productImages)
    .where(inArray(productImages.productId, [...productIds]))
    .orderBy(asc(productImages.position), asc(productImages.id))
  for (const row of rows) if (!covers.has(row.productId)) covers.set(row.productId, row.thumbMediaId)
  return covers
}

/**
 * Units paid per product since `since` (orders paid, shipped or completed — refunded and
 * cancelled ones do not count), most first.
 */
export function listUnitsPaidSince(since: Date) {
  const units = sql<number>`sum(${orderLines.qty})`.mapWith(Number)
  return db
    .select({ productId: sql<number>`${orderLines.productId}`.mapWith(Number), units })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(inArray(orders.state, [...PAID_ORDER_STATES]), gte(orders.paidAt, since), isNotNull(orderLines.productId)))
    .groupBy(orderLines.productId)
    .orderBy(desc(units), asc(orderLines.productId))
}

// ---- admin -------------------------------------------------------------------------------------

/** Every product with its stock at `now` (summed over its variants) and edition counter, most recently changed first. */
export async function listProductsForAdmin(now = new Date()) {
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      title: products.title,
      priceFen: products.priceFen,
      published: products.published,
      limitedEdition: products.limitedEdition,
      minRank: products.minRank,
      gatedVisibility: products.gatedVisibility,
      saleStartsAt: products.saleStartsAt,
      saleEndsAt: products.saleEndsAt,
      categoryName: productCategories.name,
      ...stockLevelsAt(now),
      numbersIssued: counters.value,
    })
    .from(products)
    .innerJoin(stock, eq(stock.id, products.stockId))
    .innerJoin(productCategories, eq(productCategories.id, products.categoryId))
    .leftJoin(counters, eq(counters.id, stock.counterId))
    .orderBy(desc(products.updatedAt), desc(products.id))
  const variantsById = await listVariants(
    rows.map((row) => row.id),
    db,
    now,
  )
  return rows.map((row) => {
    const variants = variantsById.get(row.id)
    return { ...row, ...productLevels(row, variants), variantCount: variants?.length ?? 0 }
  })
}

/** How many numbers a counter has handed out (edition numbers issued so far). */
export async function numbersIssued(counterId: number | null) {
  if (counterId === null) return 0
  const row = await db.query.counters.findFirst({ where: eq(counters.id, counterId) })
  return row?.value ?? 0
}

export type SaveResult = { ok: true; product: Product } | { ok: false; errors: FieldErrors }

function conflictErrors(error: unknown): FieldErrors | null {
  const constraint = uniqueViolation(error)
  if (constraint === null) return null
  if (constraint.includes('products.slug')) return { slug: e.slugTaken }
  return null
}

/** Raised inside a transaction to roll it back with field errors. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('refused')
  }
}

async function replaceTierPrices(productId: number, prices: ProductInput['tierPrices'], tx: Executor) {
  await tx.delete(productTierPrices).where(eq(productTierPrices.productId, productId))
  if (prices.length > 0) await tx.insert(productTierPrices).values(prices.map((p) => ({ productId, ...p })))
}

function productValues(input: ProductInput) {
  const { tierPrices: _prices, ...values } = input
  return values
}

/** Creates a product, its stock row (and edition counter), member prices and audit entry together. */
export async function createProduct({
  input,
  capacity,
  actorId,
  now,
}: {
  input: ProductInput
  capacity: number | null
  actorId: number
  now: Date
}): Promise<SaveResult> {
  try {
    const product = await transaction(async (tx) => {
      const counter = input.limitedEdition ? (await tx.insert(counters).values({}).returning({ id: counters.id }))[0] : undefined
      const [stockRow] = await tx.insert(stock).values({ capacity, counterId: counter?.id ?? null }).returning({ id: stock.id })
      const [created] = await tx
        .insert(products)
        .values({ ...productValues(input), stockId: stockRow!.id, publishedAt: input.published ? now : null, createdAt: now, updatedAt: now })
        .returning()
      await replaceTierPrices(created!.id, input.tierPrices, tx)
      await recordAudit(
        { actorId, action: 'product.create', targetType: 'product', targetId: created!.id, detail: { slug: input.slug, capacity, published: input.published } },
        tx,
      )
      return created!
    })
    return { ok: true, product }
  } catch (error) {
    const errors = conflictErrors(error)
    if (errors) return { ok: false, errors }
    throw error
  }
}

/**
 * Saves the editor's fields. Publishing stamps publishedAt the first time only (本周上新 counts
 * from then). The limited-edition switch only moves while nothing is sold or held: the edition
 * counter is attached or detached by a conditional statement on the stock row.
 */
export async function updateProduct({ id, input, actorId, now }: { id: number; input: ProductInput; actorId: number; now: Date }): Promise<SaveResult | null> {
  try {
    return await transaction(async (tx) => {
      const current = await getProductForSale(id, tx, now)
      if (!current) return null
      if (input.limitedEdition !== current.limitedEdition) {
        // A lapsed checkout holds nothing: released here, so it cannot lock the switch.
        await releaseLapsedHolds(tx, now, current.stockIds)
        if (input.limitedEdition && current.variants.some((variant) => variant.stock.capacity === null)) throw new Refused({ limitedEdition: t.variantAdmin.errors.variantUnlimitedLimited })
        const counterId = input.limitedEdition ? (await tx.insert(counters).values({}).returning({ id: counters.id }))[0]!.id : null
        // The product's own stock and its variants' share one counter (decision 047): all move, or none.
        const stocks = JSON.stringify(current.stockIds)
        const moved = await tx.all<{ id: number }>(sql`
          UPDATE stock SET counter_id = ${counterId}
          WHERE id IN (SELECT value FROM json_each(${stocks}))
            AND (SELECT sum(sold + held) FROM stock WHERE id IN (SELECT value FROM json_each(${stocks}))) = 0
          RETURNING id`)
        if (moved.length === 0) throw new Refused({ limitedEdition: e.limitedLocked })
      }
      const [product] = await tx
        .update(products)
        .set({
          ...productValues(input),
          publishedAt: input.published ? sql`coalesce(${products.publishedAt}, ${now.getTime()})` : products.publishedAt,
          updatedAt: now,
        })
        .where(eq(products.id, id))
        .returning()
      await replaceTierPrices(id, input.tierPrices, tx)
      const changedPublication = input.published !== current.published
      const action = changedPublication ? (input.published ? 'product.publish' : 'product.unpublish') : 'product.update'
      await recordAudit({ actorId, action, targetType: 'product', targetId: id, detail: { slug: input.slug } }, tx)
      return { ok: true as const, product: product! }
    })
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors }
    const errors = conflictErrors(error)
    if (errors) return { ok: false, errors }
    throw error
  }
}

export type CapacityResult = { ok: true } | { ok: false; errors: FieldErrors } | null

/**
 * Sets a product's capacity in one conditional statement: never below what is sold plus held
 * (a hold taken a moment ago counts), never below the highest edition number issued, and never
 * unlimited for a numbered edition.
 */
export async function setProductCapacity({
  productId,
  capacity,
  actorId,
  now = new Date(),
}: {
  productId: number
  capacity: number | null
  actorId: number
  now?: Date
}): Promise<CapacityResult> {
  return transaction(async (tx) => {
    const product = await tx.query.products.findFirst({ columns: { id: true, stockId: true, options: true }, where: eq(products.id, productId) })
    if (!product) return null
    // With options, the variants hold the stock (decision 047); the product's own row stays closed.
    if (product.options.length > 0) return { ok: false, errors: { capacity: t.variantAdmin.errors.capacityHasVariants } }
    // Lapsed holds are not held any more: written back here, not by a page that showed them.
    await releaseLapsedHolds(tx, now, [product.stockId])
    const updated =
      capacity === null
        ? await tx
            .update(stock)
            .set({ capacity: null })
            .where(and(eq(stock.id, product.stockId), sql`${stock.counterId} IS NULL`))
            .returning({ id: stock.id })
        : await tx
            .run(sql`
              UPDATE stock SET capacity = ${capacity}
              WHERE id = ${product.stockId} AND sold + held <= ${capacity}
                AND coalesce((SELECT value FROM counters WHERE id = stock.counter_id), 0) <= ${capacity}
              RETURNING id`)
            .then((r) => r.rows)
    if (updated.length === 0) {
      if (capacity === null) return { ok: false, errors: { capacity: e.unlimitedLimited } }
      const [levels] = await tx
        .select({ committed: sql<number>`${stock.sold} + ${stock.held}`.mapWith(Number), numbered: sql<number>`coalesce(${counters.value}, 0)`.mapWith(Number) })
        .from(stock)
        .leftJoin(counters, eq(counters.id, stock.counterId))
        .where(eq(stock.id, product.stockId))
      const committed = levels?.committed ?? 0
      // An edition's numbers run 1..capacity: a number already issued (even one waiting to be
      // issued again after a refund) must stay within it, or a buyer would hold 「No. 3 / 2」.
      return { ok: false, errors: { capacity: committed > capacity ? e.capacityBelowCommitted(committed) : e.capacityBelowNumbered(levels?.numbered ?? 0) } }
    }
    await recordAudit({ actorId, action: 'product.capacity', targetType: 'product', targetId: productId, detail: { capacity } }, tx)
    return { ok: true }
  })
}

// ---- photos ------------------------------------------------------------------------------------

export type AddImagesResult = { ok: true; added: number } | { ok: false; error: string } | null

/**
 * Records resized photos (two media rows each) after the product's existing ones. The files are
 * already in place; when recording is refused or fails they are removed.
 */
export async function addProductImages({
  productId,
  images,
  originalNames,
  actorId,
  maxImages,
}: {
  productId: number
  images: readonly { thumb: Rendition; large: Rendition }[]
  originalNames: readonly string[]
  actorId: number
  maxImages: number
}): Promise<AddImagesResult> {
  try {
    const result = await transaction(async (tx) => {
      const product = await tx.query.products.findFirst({ columns: { id: true }, where: eq(products.id, productId) })
      if (!product) return null
      const [existing] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number), last: sql<number>`coalesce(max(${productImages.position}), -1)`.mapWith(Number) })
        .from(productImages)
        .where(eq(productImages.productId, productId))
      if ((existing?.n ?? 0) + images.length > maxImages) return { ok: false as const, error: e.tooManyImages(maxImages) }
      let position = existing?.last ?? -1
      for (const [index, image] of images.entries()) {
        const originalName = (originalNames[index] ?? '').slice(0, 200)
        await tx.insert(media).values(
          [image.thumb, image.large].map((r) => ({ id: r.id, kind: 'image' as const, mimeType: r.mimeType, bytes: r.bytes, path: r.path, originalName, uploadedBy: actorId })),
        )
        await tx.insert(productImages).values({ productId, position: ++position, thumbMediaId: image.thumb.id, largeMediaId: image.large.id })
      }
      await recordAudit({ actorId, action: 'product.image.add', targetType: 'product', targetId: productId, detail: { count: images.length } }, tx)
      return { ok: true as const, added: images.length }
    })
    if (!result?.ok) await discardRenditions(images.flatMap((i) => [i.thumb, i.large]))
    return result
  } catch (error) {
    await discardRenditions(images.flatMap((i) => [i.thumb, i.large]))
    throw error
  }
}

/** Moves a photo one place up or down (the first photo is the cover). */
export async function moveProductImage({
  productId,
  imageId,
  direction,
  actorId,
}: {
  productId: number
  imageId: number
  direction: 'up' | 'down'
  actorId: number
}) {
  return transaction(async (tx) => {
    const rows = await tx
      .select({ id: productImages.id })
      .from(productImages)
      .where(eq(productImages.productId, productId))
      .orderBy(asc(productImages.position), asc(productImages.id))
    const from = rows.findIndex((r) => r.id === imageId)
    if (from === -1) return false
    const to = direction === 'up' ? from - 1 : from + 1
    if (to >= 0 && to < rows.length) {
      const order = rows.map((r) => r.id)
      ;[order[from], order[to]] = [order[to]!, order[from]!]
      for (const [position, id] of order.entries()) {
        await tx.update(productImages).set({ position }).where(and(eq(productImages.id, id), eq(productImages.productId, productId)))
      }
    }
    await recordAudit({ actorId, action: 'product.image.move', targetType: 'product', targetId: productId, detail: { imageId, direction } }, tx)
    return true
  })
}

/** Deletes a photo of this product, its two media rows and then their files. */
export async function deleteProductImage({ productId, imageId, actorId }: { productId: number; imageId: number; actorId: number }) {
  const removed = await transaction(async (tx) => {
    const [image] = await tx
      .delete(productImages)
      .where(and(eq(productImages.id, imageId), eq(productImages.productId, productId)))
      .returning()
    if (!image) return null
    const files = await tx.delete(media).where(inArray(media.id, [image.thumbMediaId, image.largeMediaId])).returning({ path: media.path })
    await recordAudit({ actorId, action: 'product.image.delete', targetType: 'product', targetId: productId, detail: { imageId } }, tx)
    return files
  })
  if (!removed) return false
  await discardRenditions(removed)
  return true
}

/** Whether anything was ever ordered from this stock: such a product keeps its history. */
function everOrdered(stockId: number | SQL) {
  return sql`(EXISTS (SELECT 1 FROM ${orderLines} WHERE ${orderLines.stockId} = ${stockId})
    OR EXISTS (SELECT 1 FROM ${holds} WHERE ${holds.stockId} = ${stockId}))`
}

/** Whether the product can be deleted: it was never ordered (otherwise it is unpublished instead). */
export async function isProductDeletable(stockIds: readonly number[]) {
  const rows = await Promise.all(stockIds.map((stockId) => db.all<{ ordered: number }>(sql`SELECT ${everOrdered(stockId)} AS ordered`)))
  return rows.every(([row]) => !row?.ordered)
}

/**
 * Deletes a product nobody ever ordered, with everything that is only its own: member prices,
 * cart lines, photos (rows and files), its stock row and edition counter; audited. A product
 * with any order keeps its history and is refused ('ordered'): unpublish it instead. The
 * condition is part of the DELETE, so an order placed after the page was read still counts.
 * null when there is no such product.
 */
export async function deleteProduct({ productId, actorId }: { productId: number; actorId: number }) {
  const outcome = await transaction(async (tx) => {
    const [product] = await tx
      .select({ title: products.title, slug: products.slug, stockId: products.stockId, counterId: stock.counterId })
      .from(products)
      .innerJoin(stock, eq(stock.id, products.stockId))
      .where(eq(products.id, productId))
    if (!product) return null
    const images = await tx.select().from(productImages).where(eq(productImages.productId, productId))
    const variantStocks = (await tx.select({ stockId: productVariants.stockId }).from(productVariants).where(eq(productVariants.productId, productId))).map((v) => v.stockId)
    const stockIds = [product.stockId, ...variantStocks]
    const [deleted] = await tx
      .delete(products)
      .where(and(eq(products.id, productId), ...stockIds.map((stockId) => sql`NOT ${everOrdered(stockId)}`)))
      .returning({ id: products.id })
    if (!deleted) return { ok: false as const, reason: 'ordered' as const }
    const mediaIds = images.flatMap((image) => [image.thumbMediaId, image.largeMediaId])
    const files = mediaIds.length > 0 ? await tx.delete(media).where(inArray(media.id, mediaIds)).returning({ path: media.path }) : []
    // The variants went with the product (ON DELETE CASCADE); their stock rows go here.
    await tx.delete(stock).where(inArray(stock.id, stockIds))
    if (product.counterId !== null) await tx.delete(counters).where(eq(counters.id, product.counterId))
    await recordAudit({ actorId, action: 'product.delete', targetType: 'product', targetId: productId, detail: { slug: product.slug, title: product.title } }, tx)
    return { ok: true as const, title: product.title, files }
  })
  if (outcome?.ok) await discardRenditions(outcome.files)
  return outcome
}

// ---- the shop's shelves ------------------------------------------------------------------------

/** 本周上新: published products whose publishedAt falls in this week (Monday start, site zone). */
export function listNewThisWeek({ now, timeZone }: { now: Date; timeZone: string }) {
  const { start, end } = weekBounds(now, timeZone)
  return listShelfProducts({ publishedFrom: start, publishedBefore: end, now })
}

/** 最热: published products by units paid in the last HOT_WINDOW_DAYS, most first (none sold → empty). */
export async function listHottest({ now }: { now: Date }) {
  const units = await listUnitsPaidSince(new Date(now.getTime() - HOT_WINDOW_DAYS * DAY_MS))
  const shelf = await listShelfProducts({ ids: units.map((u) => u.productId), now })
  const rank = new Map(units.map((u, index) => [u.productId, index]))
  return shelf.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)
}
