// The shop's loaders against this file's real SQLite database: a mystery item's description never
// leaves the server before purchase; hidden-below-tier and unpublished products do not exist for
// those below; 本周上新 follows the site-time week; 最热 ranks units paid in the last 30 days
// (falling back to the newest); prices, stock left and gating reasons per viewer.
import { desc, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { holds, orderLines, orders, products, stock, type User } from '../../db/schema'
import { seedShopCategories } from '../../db/seed-shop'
import { weekBounds } from '~/domain/product'
import type { ProductInput } from '~/domain/product-forms.server'
import { createProduct, listNewThisWeek } from '~/models/product.server'
import { loader as categoryLoader } from '~/routes/shop.c.$category'
import { loader as indexLoader } from '~/routes/shop._index'
import { loader as productLoader } from '~/routes/shop.p.$slug'
import { databaseHandle, db } from '~/utils/db.server'
import { productInput } from '../factories/products'
import { requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie, tierIdOf, type TierSlug } from '../factories/users'

type Who = 'visitor' | 'user' | 'qinqing' | 'tiegan' | 'admin'
const cookies: Record<Who, string | undefined> = { visitor: undefined, user: undefined, qinqing: undefined, tiegan: undefined, admin: undefined }
let admin: User
let buyer: User
let tiegan: User
const categoryIds: Record<string, number> = {}

beforeAll(async () => {
  await seedShopCategories(databaseHandle)
  for (const c of await db.query.productCategories.findMany()) categoryIds[c.slug] = c.id
  for (const [who, options] of [
    ['user', {}],
    ['qinqing', { tier: 'qinqing' as TierSlug }],
    ['tiegan', { tier: 'tiegan' as TierSlug }],
    ['admin', { role: 'admin' as const }],
  ] as const) {
    const { user } = await createTestUser(options)
    if (who === 'admin') admin = user
    if (who === 'tiegan') tiegan = user
    cookies[who] = (await signedInCookie(user.id)).cookie
  }
  buyer = (await createTestUser()).user
})

async function makeProduct(overrides: Partial<ProductInput> & { publishedAt?: Date; category?: string } = {}, capacity: number | null = 100) {
  const { publishedAt, category = 'books', ...input } = overrides
  const saved = await createProduct({
    input: productInput({ categoryId: categoryIds[category]!, ...input }),
    capacity,
    actorId: admin.id,
    now: new Date(),
  })
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors))
  if (publishedAt) await db.update(products).set({ publishedAt }).where(eq(products.id, saved.product.id))
  return saved.product
}

function viewProduct(slug: string, who: Who) {
  return productLoader(routeArgs(requestFor(`/shop/p/${slug}`, { cookie: cookies[who] }), { slug }))
}
const shopIndex = (who: Who = 'visitor') => indexLoader(routeArgs(requestFor('/shop', { cookie: cookies[who] })))
const category = (slug: string, who: Who = 'visitor') => categoryLoader(routeArgs(requestFor(`/shop/c/${slug}`, { cookie: cookies[who] }), { category: slug }))

/** A paid (or other state) order of `qty` units of a product, paid `daysAgo`, with its hold. */
async function sell(
  product: { id: number; stockId: number; title: string },
  qty: number,
  { daysAgo = 1, state = 'paid' as (typeof orders.$inferInsert)['state'], userId = buyer.id } = {},
) {
  const paidAt = new Date(Date.now() - daysAgo * DAY_MS)
  const [order] = await db
    .insert(orders)
    .values({ userId, kind: 'goods', state, totalFen: 68_00 * qty, expiresAt: paidAt, paidAt: state === 'pending' ? null : paidAt, updatedAt: paidAt })
    .returning()
  const [line] = await db
    .insert(orderLines)
    .values({ orderId: order!.id, stockId: product.stockId, productId: product.id, title: product.title, qty, unitPriceFen: 68_00 })
    .returning()
  const holdState = state === 'pending' ? 'held' : ['paid', 'shipped', 'completed'].includes(state!) ? 'sold' : 'released'
  const expiresAt = new Date(Date.now() + DAY_MS)
  await db.insert(holds).values({ stockId: product.stockId, orderId: order!.id, lineId: line!.id, userId, qty, state: holdState, expiresAt, updatedAt: paidAt })
  // The stock row follows its holds, as the reservation code keeps it.
  if (holdState === 'held') await db.update(stock).set({ held: sql`${stock.held} + ${qty}` }).where(eq(stock.id, product.stockId))
  if (holdState === 'sold') await db.update(stock).set({ sold: sql`${stock.sold} + ${qty}` }).where(eq(stock.id, product.stockId))
}

// ---- 最热 before anything is sold: the first tests of the file ----------------------------------

describe('最热 with nothing sold', () => {
  it('falls back to the newest products not already under 本周上新, under their own heading', async () => {
    // Before this week (whatever the weekday): only 最新上架 can show them.
    const older = await makeProduct({ publishedAt: new Date(Date.now() - 12 * DAY_MS) })
    const newer = await makeProduct({ publishedAt: new Date(Date.now() - 10 * DAY_MS) })
    const fresh = await makeProduct({ publishedAt: new Date() })
    const data = await shopIndex()
    expect(data.hotIsNewest).toBe(true)
    const ids = data.hottest.map((p) => p.id)
    expect(ids.indexOf(newer.id)).toBeGreaterThanOrEqual(0)
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id))
    expect(data.newThisWeek.map((p) => p.id)).toContain(fresh.id)
    expect(ids).not.toContain(fresh.id)
  })
})

describe('a mystery bundle', () => {
  const SECRET = '本期书单：《枪炮、病菌与钢铁》'
  let slug: string
  beforeAll(async () => {
    slug = (await makeProduct({ mystery: true, summary: '编辑精选 6 本书，付款后揭晓', description: SECRET })).slug
  })

  it.each<Who>(['visitor', 'user', 'tiegan', 'admin'])('never sends its description to %s (not in any field of the loader data)', async (who) => {
    const data = await viewProduct(slug, who)
    expect(JSON.stringify(data)).not.toContain('枪炮')
    expect(data.product).toMatchObject({ mystery: true, descriptionHtml: null, summary: '编辑精选 6 本书，付款后揭晓' })
  })

  it('nor in the lists', async () => {
    expect(JSON.stringify(await shopIndex('tiegan'))).not.toContain('枪炮')
    expect(JSON.stringify(await category('books', 'tiegan'))).not.toContain('枪炮')
  })

  it('an ordinary product’s description is rendered markdown', async () => {
    const plain = await makeProduct({ description: '## 详情\n\n**黄铜**笔身' })
    const data = await viewProduct(plain.slug, 'visitor')
    expect(data.product.descriptionHtml).toContain('<strong>黄铜</strong>')
  })
})

describe('who sees which product', () => {
  let hidden: string
  let gatedVisible: string
  let draft: string
  beforeAll(async () => {
    hidden = (await makeProduct({ minRank: 2, gatedVisibility: 'hidden', category: 'bige' })).slug
    gatedVisible = (await makeProduct({ minRank: 2, category: 'bige' })).slug
    draft = (await makeProduct({ published: false, category: 'bige' })).slug
  })

  it.each<[Who, number]>([
    ['visitor', 404],
    ['user', 404],
    ['qinqing', 404],
  ])('a product hidden below 铁杆 is 404 for %s', async (who, status) => {
    expect((await thrownResponse(viewProduct(hidden, who))).status).toBe(status)
  })

  it('a product hidden below 铁杆 opens for 铁杆 and admins, and is listed for them only', async () => {
    expect((await viewProduct(hidden, 'tiegan')).product.slug).toBe(hidden)
    expect((await viewProduct(hidden, 'admin')).product.hiddenBelowTier).toBe('铁杆会员')
    const slugsFor = async (who: Who) => (await category('bige', who)).products.map((p) => p.slug)
    expect(await slugsFor('qinqing')).not.toContain(hidden)
    expect(await slugsFor('tiegan')).toContain(hidden)
    expect(await slugsFor('visitor')).toContain(gatedVisible)
  })

  it('a 铁杆-only product visible to all tells each viewer why they cannot buy it', async () => {
    const visitor = await viewProduct(gatedVisible, 'visitor')
    expect(visitor.tierBlock).toEqual({ message: '本商品仅限铁杆会员购买，请先登录', showLogin: true, showJoin: true })
    expect(visitor.canBuy).toBe(false)
    expect((await viewProduct(gatedVisible, 'qinqing')).tierBlock).toMatchObject({ message: '本商品仅限铁杆会员购买，升级会员即可购买', showLogin: false })
    const tiegan = await viewProduct(gatedVisible, 'tiegan')
    expect(tiegan.tierBlock).toBeNull()
    expect(tiegan.canBuy).toBe(true)
  })

  it('an unpublished product is 404 for customers, a preview for staff, and never listed', async () => {
    expect((await thrownResponse(viewProduct(draft, 'tiegan'))).status).toBe(404)
    const preview = await viewProduct(draft, 'admin')
    expect(preview).toMatchObject({ isStaffPreview: true, canBuy: false })
    expect((await category('bige', 'admin')).products.map((p) => p.slug)).not.toContain(draft)
  })

  it('unknown products and categories are 404', async () => {
    expect((await thrownResponse(viewProduct('no-such-thing', 'admin'))).status).toBe(404)
    expect((await thrownResponse(category('no-such-category'))).status).toBe(404)
  })
})

describe('prices, stock and the sale window on the product page', () => {
  it('a member pays their tier’s price, with the base price struck through; all member prices are listed', async () => {
    const product = await makeProduct({
      priceFen: 68_00,
      tierPrices: [
        { tierId: await tierIdOf('qinqing'), priceFen: 58_00 },
        { tierId: await tierIdOf('tiegan'), priceFen: 52_00 },
      ],
    })
    expect((await viewProduct(product.slug, 'visitor')).price).toEqual({
      priceFen: 68_00,
      basePriceFen: null,
      memberPrices: [
        { label: '亲情会员价 ¥58', applies: false },
        { label: '铁杆会员价 ¥52', applies: false },
      ],
    })
    expect((await viewProduct(product.slug, 'qinqing')).price).toMatchObject({ priceFen: 58_00, basePriceFen: 68_00 })
    expect((await viewProduct(product.slug, 'tiegan')).price).toMatchObject({ priceFen: 52_00, basePriceFen: 68_00 })
  })

  it('shows 仅剩 N 件 at 20 or fewer, 已售罄 at none, and an edition size for a numbered edition', async () => {
    const product = await makeProduct({ limitedEdition: true, perMemberLimit: 2 }, 500)
    await db.update(stock).set({ sold: 470, held: 18 }).where(eq(stock.id, product.stockId))
    const low = await viewProduct(product.slug, 'user')
    expect(low.stock).toEqual({ kind: 'low', left: 12 })
    expect(low.stockNote).toEqual({ kind: 'edition', size: 500, left: 12, low: true })
    expect(low.product).toMatchObject({ editionSize: 500, perMemberLimit: 2 })
    expect(low.maxQty).toBe(2)
    await db.update(stock).set({ sold: 500, held: 0 }).where(eq(stock.id, product.stockId))
    const gone = await viewProduct(product.slug, 'user')
    expect(gone.stock).toEqual({ kind: 'sold_out', pending: 0 })
    expect(gone.stockNote).toEqual({ kind: 'sold_out' })
    expect(gone.canBuy).toBe(false)
    expect(gone.badges).toMatchObject({ soldOut: true, heldOut: false })
  })

  it('stock held by unpaid orders reads 已抢光 with the units that may come back, not 已售罄, on the page and the card', async () => {
    const product = await makeProduct({ limitedEdition: true, title: '抢光的纪念笔' }, 20)
    await sell(product, 8, { state: 'paid' })
    await sell(product, 9, { state: 'pending' })
    const open = await viewProduct(product.slug, 'visitor')
    expect(open.stockNote).toEqual({ kind: 'edition', size: 20, left: 3, low: true })
    const card = async () => (await shopIndex()).newThisWeek.find((p) => p.id === product.id)!
    expect((await card()).stockNote).toEqual({ kind: 'edition', size: 20, left: 3, low: true })

    await sell(product, 3, { state: 'pending' })
    const held = await viewProduct(product.slug, 'visitor')
    expect(held.stock).toEqual({ kind: 'sold_out', pending: 12 })
    expect(held.stockNote).toEqual({ kind: 'held_out', pending: 12 })
    expect(held.badges).toMatchObject({ soldOut: false, heldOut: true })
    expect(held.canBuy).toBe(false)
    expect(await card()).toMatchObject({ stockNote: { kind: 'held_out', pending: 12 }, badges: { soldOut: false, heldOut: true } })

    // A hold whose time is up counts as free at once (the commerce core's availability): 2 back.
    const [lapsed] = await db.select({ id: holds.id }).from(holds).where(eq(holds.stockId, product.stockId)).orderBy(desc(holds.id)).limit(1)
    await db.update(holds).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(holds.id, lapsed!.id))
    expect((await viewProduct(product.slug, 'visitor')).stockNote).toEqual({ kind: 'edition', size: 20, left: 3, low: true })
  })

  it('the per-member limit counts what the buyer already holds or bought', async () => {
    const product = await makeProduct({ perMemberLimit: 2 }, 50)
    expect(await viewProduct(product.slug, 'tiegan')).toMatchObject({ maxQty: 2, owned: 0 })
    await sell(product, 1, { userId: tiegan.id, state: 'pending' })
    expect(await viewProduct(product.slug, 'tiegan')).toMatchObject({ maxQty: 1, owned: 1 })
    await sell(product, 1, { userId: tiegan.id, state: 'paid' })
    expect(await viewProduct(product.slug, 'tiegan')).toMatchObject({ maxQty: 0, owned: 2, canBuy: true })
    // A refunded or cancelled order gives the allowance back; other buyers are not affected.
    await sell(product, 5, { userId: tiegan.id, state: 'refunded' })
    expect(await viewProduct(product.slug, 'tiegan')).toMatchObject({ owned: 2 })
    expect(await viewProduct(product.slug, 'qinqing')).toMatchObject({ maxQty: 2, owned: 0 })
  })

  it('before the sale opens: upcoming, not buyable, with the server’s clock for the countdown', async () => {
    const startsAt = new Date(Date.now() + DAY_MS)
    const product = await makeProduct({ saleStartsAt: startsAt })
    const before = Date.now()
    const data = await viewProduct(product.slug, 'tiegan')
    expect(data.sale).toMatchObject({ state: 'upcoming', startsAt })
    expect(data.canBuy).toBe(false)
    expect(Date.parse(data.serverNow)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(data.serverNow)).toBeLessThanOrEqual(Date.now())
  })

  it('after the sale ends: ended, not buyable', async () => {
    const product = await makeProduct({ saleStartsAt: new Date(Date.now() - 2 * DAY_MS), saleEndsAt: new Date(Date.now() - DAY_MS) })
    const data = await viewProduct(product.slug, 'tiegan')
    expect(data.sale.state).toBe('ended')
    expect(data.canBuy).toBe(false)
  })
})

describe('本周上新 follows the site-time week (Monday 00:00, Asia/Shanghai)', () => {
  it('lists a product published at the week’s first instant and not one a millisecond before', async () => {
    const { start } = weekBounds(new Date(), 'Asia/Shanghai')
    const first = await makeProduct({ publishedAt: start })
    const lastWeek = await makeProduct({ publishedAt: new Date(start.getTime() - 1) })
    const ids = (await shopIndex()).newThisWeek.map((p) => p.id)
    expect(ids).toContain(first.id)
    expect(ids).not.toContain(lastWeek.id)
  })

  it('on a Wednesday lists what was published from that Monday 00:00 up to, not including, the next Monday', async () => {
    const monday = new Date('2026-11-23T00:00:00+08:00')
    const first = await makeProduct({ publishedAt: monday })
    const sundayNight = await makeProduct({ publishedAt: new Date(monday.getTime() - 1) })
    const nextMonday = await makeProduct({ publishedAt: new Date('2026-11-30T00:00:00+08:00') })
    const ids = (await listNewThisWeek({ now: new Date('2026-11-25T12:00:00+08:00'), timeZone: 'Asia/Shanghai' })).map((p) => p.id)
    expect(ids).toContain(first.id)
    expect(ids).not.toContain(sundayNight.id)
    expect(ids).not.toContain(nextMonday.id)
  })

  it('leaves out a hidden-below-tier product for those below it', async () => {
    const hidden = await makeProduct({ minRank: 2, gatedVisibility: 'hidden', publishedAt: new Date() })
    expect((await shopIndex('qinqing')).newThisWeek.map((p) => p.id)).not.toContain(hidden.id)
    expect((await shopIndex('tiegan')).newThisWeek.map((p) => p.id)).toContain(hidden.id)
  })
})

describe('最热 ranks units paid in the last 30 days', () => {
  it('most units first; pending, cancelled, refunded and older sales do not count', async () => {
    // Published before this week: 最热 leaves out what 本周上新 already shows.
    const publishedAt = new Date(Date.now() - 10 * DAY_MS)
    const a = await makeProduct({ title: '热门 A', publishedAt })
    const b = await makeProduct({ title: '热门 B', publishedAt })
    const c = await makeProduct({ title: '热门 C', publishedAt })
    const d = await makeProduct({ title: '冷门 D', publishedAt })
    await sell(a, 2, { state: 'paid' })
    await sell(a, 1, { state: 'completed', daysAgo: 29 })
    await sell(b, 5, { state: 'shipped' })
    await sell(c, 1, { state: 'paid' })
    await sell(c, 9, { state: 'refunded' })
    await sell(c, 9, { state: 'pending' })
    await sell(c, 9, { state: 'cancelled' })
    await sell(d, 50, { state: 'completed', daysAgo: 31 })
    const data = await shopIndex()
    expect(data.hotIsNewest).toBe(false)
    // Earlier tests of this file sold other products too; among these four the order is:
    expect(data.hottest.map((p) => p.title).filter((title) => /^(热门|冷门)/.test(title))).toEqual(['热门 B', '热门 A', '热门 C'])
    // Only products with paid units are listed.
    expect(data.hottest.every((p) => p.title !== '冷门 D')).toBe(true)
  })

  it('never repeats an item of 本周上新, and fills its places from further down the ranking', async () => {
    const newAndHot = await makeProduct({ title: '新又热' })
    const oldAndHot = await makeProduct({ title: '旧而热', publishedAt: new Date(Date.now() - 10 * DAY_MS) })
    await sell(newAndHot, 90, { state: 'paid' })
    await sell(oldAndHot, 80, { state: 'paid' })
    for (const who of ['visitor', 'tiegan', 'admin'] as const) {
      const data = await shopIndex(who)
      const fresh = new Set(data.newThisWeek.map((p) => p.id))
      expect(fresh.has(newAndHot.id)).toBe(true)
      expect(data.hottest.filter((p) => fresh.has(p.id))).toEqual([])
      expect(data.hottest[0]?.id).toBe(oldAndHot.id)
    }
  })
})
