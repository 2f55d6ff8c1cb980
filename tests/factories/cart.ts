// Products, carts and addresses for the cart, checkout and order tests, written straight to the
// test database (independent of the admin's product editor).
import { eq } from 'drizzle-orm'
import { cartItems, counters, productCategories, products, productTierPrices, stock } from '../../db/schema'
import type { LineRequest } from '~/models/commerce.server'
import { db } from '~/utils/db.server'
import { tierIdOf, type TierSlug } from './users'

let sequence = 0

async function categoryId() {
  const existing = await db.query.productCategories.findFirst({ where: eq(productCategories.slug, 'test') })
  if (existing) return existing.id
  const [row] = await db.insert(productCategories).values({ slug: 'test', name: '测试分类' }).returning()
  return row!.id
}

export interface TestProductOptions {
  title?: string
  priceFen?: number
  capacity?: number | null
  limitedEdition?: boolean
  perMemberLimit?: number | null
  minRank?: number
  gatedVisibility?: 'visible' | 'hidden'
  published?: boolean
  saleStartsAt?: Date | null
  saleEndsAt?: Date | null
  personalisation?: { label: string; max: number } | null
  mystery?: boolean
  description?: string
  memberPrices?: Partial<Record<TierSlug, number>>
}

/** A product with its stock row (and its edition counter when limited); published by default. */
export async function createTestProduct(options: TestProductOptions = {}) {
  const n = ++sequence
  const limitedEdition = options.limitedEdition ?? false
  const counter = limitedEdition ? (await db.insert(counters).values({}).returning())[0] : undefined
  const [stockRow] = await db
    .insert(stock)
    .values({ capacity: options.capacity === undefined ? 100 : options.capacity, counterId: counter?.id ?? null })
    .returning()
  const now = new Date()
  const published = options.published ?? true
  const [product] = await db
    .insert(products)
    .values({
      slug: `test-product-${n}`,
      title: options.title ?? `测试商品${n}`,
      categoryId: await categoryId(),
      summary: '一句话介绍',
      description: options.description ?? '商品详情',
      priceFen: options.priceFen ?? 6800,
      minRank: options.minRank ?? 0,
      gatedVisibility: options.gatedVisibility ?? 'visible',
      saleStartsAt: options.saleStartsAt ?? null,
      saleEndsAt: options.saleEndsAt ?? null,
      stockId: stockRow!.id,
      limitedEdition,
      perMemberLimit: options.perMemberLimit ?? null,
      personalisationLabel: options.personalisation?.label ?? null,
      personalisationMaxLength: options.personalisation?.max ?? null,
      mystery: options.mystery ?? false,
      published,
      publishedAt: published ? now : null,
      updatedAt: now,
    })
    .returning()
  for (const [tier, priceFen] of Object.entries(options.memberPrices ?? {})) {
    await db.insert(productTierPrices).values({ productId: product!.id, tierId: await tierIdOf(tier as TierSlug), priceFen })
  }
  return { ...product!, stock: stockRow! }
}

export type TestProduct = Awaited<ReturnType<typeof createTestProduct>>

/** An order line for a test product as checkout would place it: its price, limit and numbering. */
export function productLine(product: TestProduct, qty = 1): LineRequest {
  return {
    stockId: product.stock.id,
    qty,
    unitPriceFen: product.priceFen,
    title: product.title,
    productId: product.id,
    perUserLimit: product.perMemberLimit,
    takesNumbers: product.limitedEdition,
  }
}

/** Puts a line in a signed-in user's cart directly (as the race test does). */
export async function putInCart(userId: number, productId: number, qty = 1, personalisation = '') {
  await db.insert(cartItems).values({ userId, productId, qty, personalisation })
}

export function cartOf(userId: number) {
  return db
    .select({ productId: cartItems.productId, qty: cartItems.qty, personalisation: cartItems.personalisation })
    .from(cartItems)
    .where(eq(cartItems.userId, userId))
    .orderBy(cartItems.id)
}

export const GOOD_ADDRESS = {
  name: '张三',
  phone: '13800138000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  street: '文三路 1 号 2 幢 301',
} as const

/** The Cookie value of the cart cookie a response set (name=value), or null. */
export function cartCookieOf(setCookies: readonly string[]) {
  const header = setCookies.find((c) => c.startsWith('zhiyin_cart='))
  return header ? header.split(';')[0]! : null
}
