// /admin/products against this file's real SQLite database: creating a product writes its stock
// row (and edition counter) and audit entry together; every bad input answers 400 and changes
// nothing; editing, publishing, the limited-edition switch; capacity never below sold + held;
// photos checked by content, resized to 480/1200 px webp, reordered and deleted with their files.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { and, asc, eq, sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../db/client'
import { runMigrations } from '../../db/migrate'
import { auditLog, cartItems, counters, holds, media, orderLines, productCategories, productImages, products, productTierPrices, stock, users, type User } from '../../db/schema'
import { seedTiers } from '../../db/seed'
import { seedDemoShop, seedShopCategories } from '../../db/seed-shop'
import type { ProductInput } from '~/domain/product-forms.server'
import { t } from '~/i18n/zh-CN'
import { listProductImageReferences } from '~/models/media.server'
import { createProduct, getProductForSale } from '~/models/product.server'
import { placeOrder, releaseExpiredHolds } from '~/models/commerce.server'
import * as editRoute from '~/routes/admin.products.$id'
import * as listRoute from '~/routes/admin.products._index'
import * as newRoute from '~/routes/admin.products.new'
import { databaseHandle, db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { countRows } from '../factories/db'
import { pngDeclaring } from '../factories/images'
import { createTestProduct, putInCart } from '../factories/cart'
import { productInput } from '../factories/products'
import { readData, readRedirect, requestFor, routeArgs, SITE_ORIGIN, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie, tierIdOf } from '../factories/users'

let admin: User
let adminCookie: string
let editorCookie: string
let memberCookie: string
let categoryId: number
let otherCategoryId: number

beforeAll(async () => {
  await seedShopCategories(databaseHandle)
  const categories = await db.query.productCategories.findMany()
  categoryId = categories.find((c) => c.slug === 'stationery')!.id
  otherCategoryId = categories.find((c) => c.slug === 'books')!.id
  admin = (await createTestUser({ role: 'admin' })).user
  adminCookie = (await signedInCookie(admin.id)).cookie
  editorCookie = (await signedInCookie((await createTestUser({ role: 'editor' })).user.id)).cookie
  memberCookie = (await signedInCookie((await createTestUser({ tier: 'tiegan' })).user.id)).cookie
})

let sequence = 0

/** A complete, valid editor form; override fields to make it bad. */
function editorForm(overrides: Record<string, string> = {}) {
  const n = ++sequence
  return {
    intent: 'save',
    slug: `pen-${n}`,
    title: `知音钢笔 ${n}`,
    categoryId: String(categoryId),
    summary: '一支好笔',
    description: '## 详情\n\n黄铜笔身。',
    price: '368',
    tierPrice_1: '',
    tierPrice_2: '',
    minRank: '0',
    gatedVisibility: 'visible',
    saleStartsAt: '',
    saleEndsAt: '',
    capacity: '500',
    perMemberLimit: '',
    personalisationLabel: '',
    personalisationMaxLength: '',
    ...overrides,
  }
}

async function createVia(form: Record<string, string>, cookie = adminCookie) {
  return newRoute.action(routeArgs(requestFor('/admin/products/new', { form, cookie })))
}

async function editVia(id: number, form: Record<string, string>, cookie = adminCookie) {
  return editRoute.action(routeArgs(requestFor(`/admin/products/${id}`, { form, cookie }), { id: String(id) }))
}

function createdId(result: unknown) {
  const { location } = readRedirect(result)
  const match = /^\/admin\/products\/(\d+)$/.exec(location ?? '')
  expect(match, `redirected to ${location}`).not.toBeNull()
  return Number(match![1])
}

async function makeProduct(overrides: Partial<ProductInput> = {}, capacity: number | null = 100) {
  const saved = await createProduct({ input: productInput({ categoryId, ...overrides }), capacity, actorId: admin.id, now: new Date() })
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors))
  return saved.product
}

async function setLevels(stockId: number, levels: { sold?: number; held?: number }) {
  await db.update(stock).set(levels).where(eq(stock.id, stockId))
}

/** Everything an admin action may touch, to prove a refused one touched nothing. */
async function snapshot() {
  return {
    products: await db.select().from(products).orderBy(asc(products.id)),
    stock: await db.select().from(stock).orderBy(asc(stock.id)),
    counters: await countRows(counters),
    prices: await db.select().from(productTierPrices),
    images: await countRows(productImages),
    media: await countRows(media),
    audit: await countRows(auditLog),
  }
}

describe('who may manage products', () => {
  it('an editor gets 403 and a member 403; a visitor is sent to sign in', async () => {
    expect((await thrownResponse(listRoute.loader(routeArgs(requestFor('/admin/products', { cookie: editorCookie }))))).status).toBe(403)
    expect((await thrownResponse(createVia(editorForm(), memberCookie))).status).toBe(403)
    const visitor = await thrownResponse(newRoute.loader(routeArgs(requestFor('/admin/products/new'))))
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
  })
})

describe('creating a product', () => {
  it('writes the product, its stock row, its edition counter, member prices by tier and an audit entry', async () => {
    const before = await countRows(auditLog)
    const id = createdId(
      await createVia(
        editorForm({
          slug: 'zhiyin-10th-pen',
          price: '368.50',
          tierPrice_1: '338',
          tierPrice_2: '318',
          capacity: '500',
          limitedEdition: 'on',
          perMemberLimit: '2',
          personalisationLabel: '刻字',
          personalisationMaxLength: '12',
          saleStartsAt: '2027-06-02T10:00',
          published: 'on',
        }),
      ),
    )
    const product = await getProductForSale(id)
    expect(product).toMatchObject({
      slug: 'zhiyin-10th-pen',
      priceFen: 36850,
      limitedEdition: true,
      perMemberLimit: 2,
      personalisationLabel: '刻字',
      personalisationMaxLength: 12,
      published: true,
      // 10:00 in Shanghai.
      saleStartsAt: new Date('2027-06-02T02:00:00Z'),
      stock: { capacity: 500, sold: 0, held: 0 },
    })
    expect(product!.publishedAt).toBeInstanceOf(Date)
    expect(product!.stock.counterId).not.toBeNull()
    expect(product!.tierPrices.map(({ tierRank, priceFen }) => ({ tierRank, priceFen }))).toEqual([
      { tierRank: 1, priceFen: 33800 },
      { tierRank: 2, priceFen: 31800 },
    ])
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'product.create'))
    expect(entry).toMatchObject({ actorId: admin.id, targetType: 'product', targetId: String(id) })
    expect(await countRows(auditLog)).toBe(before + 1)
  })

  it('an unlimited, unpublished product gets a stock row without capacity or counter and no publish time', async () => {
    const id = createdId(await createVia(editorForm({ capacity: '' })))
    const product = await getProductForSale(id)
    expect(product).toMatchObject({ published: false, publishedAt: null, limitedEdition: false, stock: { capacity: null, counterId: null } })
  })

  it.each([
    ['a slug with capitals and spaces', { slug: 'Zhiyin Pen' }, 'slug'],
    ['a slug another product has', { slug: 'zhiyin-10th-pen' }, 'slug'],
    ['no title', { title: '' }, 'title'],
    ['an unknown category', { categoryId: '9999' }, 'categoryId'],
    ['a price with three decimals', { price: '68.505' }, 'price'],
    ['a negative price', { price: '-1' }, 'price'],
    ['a price over ¥1,000,000', { price: '1000001' }, 'price'],
    ['a member price not below the price', { tierPrice_1: '400' }, 'tierPrice_1'],
    ['a tier that does not exist', { minRank: '9' }, 'minRank'],
    ['an end before the start', { saleStartsAt: '2027-06-02T10:00', saleEndsAt: '2027-06-01T10:00' }, 'saleEndsAt'],
    ['a fractional capacity', { capacity: '2.5' }, 'capacity'],
    ['a limited edition without capacity', { capacity: '', limitedEdition: 'on' }, 'capacity'],
    ['a personalisation longer than 50', { personalisationLabel: '刻字', personalisationMaxLength: '51' }, 'personalisationMaxLength'],
    ['a mystery box without a summary', { mystery: 'on', summary: '' }, 'summary'],
  ])('%s → 400 with the field’s message, nothing written', async (_name, overrides, field) => {
    const before = await snapshot()
    const { status, data } = readData<{ errors: Record<string, string>; values: Record<string, unknown> }>(await createVia(editorForm(overrides)))
    expect(status).toBe(400)
    expect(data.errors[field]).toMatch(/\S/)
    expect(await snapshot()).toEqual(before)
  })

  it('a taken slug is refused by the unique index after the stock row was written: the transaction leaves no orphan stock', async () => {
    const before = await snapshot()
    const { data } = readData(await createVia(editorForm({ slug: 'zhiyin-10th-pen', limitedEdition: 'on' })))
    expect(data.errors).toEqual({ slug: '这个网址标识已被其他商品使用' })
    expect(await snapshot()).toEqual(before)
  })

  it('sends the typed values back with the errors, so the form shows them again', async () => {
    const { data } = readData<{ values: { title: string; price: string } }>(await createVia(editorForm({ title: '保留我', price: 'abc' })))
    expect(data.values).toMatchObject({ title: '保留我', price: 'abc' })
  })
})

describe('editing a product', () => {
  it('saves the fields and replaces the member prices', async () => {
    const product = await makeProduct({ tierPrices: [{ tierId: await tierIdOf('qinqing'), priceFen: 60_00 }] })
    readRedirect(await editVia(product.id, editorForm({ slug: product.slug, title: '新名字', price: '88', tierPrice_2: '70', categoryId: String(otherCategoryId), published: 'on' })))
    const saved = await getProductForSale(product.id)
    expect(saved).toMatchObject({ title: '新名字', priceFen: 88_00, categoryId: otherCategoryId })
    expect(saved!.tierPrices.map((tp) => [tp.tierRank, tp.priceFen])).toEqual([[2, 70_00]])
  })

  it('stamps publishedAt on the first publish only: unpublishing and publishing again keep it', async () => {
    const product = await makeProduct({ published: false })
    const form = (published: boolean) => editorForm({ slug: product.slug, capacity: '', ...(published ? { published: 'on' } : {}) })
    readRedirect(await editVia(product.id, form(true)))
    const first = (await getProductForSale(product.id))!.publishedAt
    expect(first).toBeInstanceOf(Date)
    readRedirect(await editVia(product.id, form(false)))
    expect(await getProductForSale(product.id)).toMatchObject({ published: false, publishedAt: first })
    readRedirect(await editVia(product.id, form(true)))
    expect(await getProductForSale(product.id)).toMatchObject({ published: true, publishedAt: first })
    const actions = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, 'product'), eq(auditLog.targetId, String(product.id))))
    expect(actions.map((a) => a.action)).toEqual(['product.create', 'product.publish', 'product.unpublish', 'product.publish'])
  })

  it.each([
    ['an empty title', { title: '' }, 'title'],
    ['a price with three decimals', { price: '1.234' }, 'price'],
    ['a slug another product has', { slug: 'zhiyin-10th-pen' }, 'slug'],
    ['a personalisation label without a length', { personalisationLabel: '刻字' }, 'personalisationMaxLength'],
  ])('%s → 400, the product unchanged', async (_name, overrides, field) => {
    const product = await makeProduct()
    const before = await snapshot()
    const { status, data } = readData(await editVia(product.id, editorForm({ slug: product.slug, ...overrides })))
    expect(status).toBe(400)
    expect(data.errors[field]).toMatch(/\S/)
    expect(await snapshot()).toEqual(before)
  })

  it('turns a product into a numbered edition while nothing is sold, with a new counter', async () => {
    const product = await makeProduct({}, 50)
    readRedirect(await editVia(product.id, editorForm({ slug: product.slug, limitedEdition: 'on' })))
    const saved = await getProductForSale(product.id)
    expect(saved).toMatchObject({ limitedEdition: true })
    expect(saved!.stock.counterId).not.toBeNull()
  })

  it('refuses to switch numbering on or off once units are sold or held', async () => {
    const product = await makeProduct({ limitedEdition: true }, 50)
    await setLevels(product.stockId, { held: 1 })
    const before = await snapshot()
    const { status, data } = readData(await editVia(product.id, editorForm({ slug: product.slug })))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ limitedEdition: '已有售出或锁定的数量，不能再更改限量编号设置' })
    expect(await snapshot()).toEqual(before)
  })

  it('switches numbering on when the only hold has lapsed: the edit releases it first', async () => {
    const product = await makeProduct({}, 50)
    const { user } = await createTestUser()
    const lapsed = await placeOrder({
      userId: user.id,
      kind: 'goods',
      lines: [{ stockId: product.stockId, qty: 1, unitPriceFen: product.priceFen, title: product.title, productId: product.id }],
      now: new Date(Date.now() - 11 * 60_000),
    })
    expect(lapsed.ok).toBe(true)
    readRedirect(await editVia(product.id, editorForm({ slug: product.slug, limitedEdition: 'on' })))
    const saved = await getProductForSale(product.id)
    expect(saved).toMatchObject({ limitedEdition: true, stock: { held: 0, sold: 0 } })
    expect(saved!.stock.counterId).not.toBeNull()
    const [hold] = await db.select().from(holds).where(eq(holds.stockId, product.stockId))
    expect(hold!.state).toBe('released')
  })

  it('a limited edition of an unlimited product is refused: it needs a capacity first', async () => {
    const product = await makeProduct({}, null)
    const { data } = readData(await editVia(product.id, editorForm({ slug: product.slug, limitedEdition: 'on' })))
    expect(data.errors).toEqual({ limitedEdition: '限量编号的商品需要填写库存总量' })
  })

  it('an unknown product id is 404', async () => {
    expect((await thrownResponse(editVia(999_999, editorForm()))).status).toBe(404)
    expect((await thrownResponse(editRoute.loader(routeArgs(requestFor('/admin/products/abc', { cookie: adminCookie }), { id: 'abc' })))).status).toBe(404)
  })
})

describe('adjusting capacity', () => {
  const adjust = (id: number, capacity: string) => editVia(id, { intent: 'capacity', capacity })

  it('never below sold + held: 400 naming the floor, the stock unchanged', async () => {
    const product = await makeProduct({}, 20)
    await setLevels(product.stockId, { sold: 7, held: 3 })
    const before = await snapshot()
    const { status, data } = readData(await adjust(product.id, '9'))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ capacity: '不能低于已售 + 锁定的数量（10 件）' })
    expect(await snapshot()).toEqual(before)
  })

  it('a lapsed hold does not count: the capacity goes down to what is sold and held now', async () => {
    const product = await makeProduct({}, 5)
    const { user } = await createTestUser()
    const lapsed = await placeOrder({
      userId: user.id,
      kind: 'goods',
      lines: [{ stockId: product.stockId, qty: 5, unitPriceFen: product.priceFen, title: product.title, productId: product.id }],
      now: new Date(Date.now() - 11 * 60_000),
    })
    expect(lapsed.ok).toBe(true)
    readRedirect(await adjust(product.id, '2'))
    expect((await getProductForSale(product.id))!.stock).toMatchObject({ capacity: 2, sold: 0, held: 0 })
  })

  it('down to exactly sold + held, then up, each audited', async () => {
    const product = await makeProduct({}, 20)
    await setLevels(product.stockId, { sold: 7, held: 3 })
    readRedirect(await adjust(product.id, '10'))
    expect((await getProductForSale(product.id))!.stock).toMatchObject({ capacity: 10, sold: 7, held: 3 })
    readRedirect(await adjust(product.id, '30'))
    expect((await getProductForSale(product.id))!.stock.capacity).toBe(30)
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.action, 'product.capacity'), eq(auditLog.targetId, String(product.id))))
    expect(entries.map((e) => e.detail)).toEqual([{ capacity: 10 }, { capacity: 30 }])
  })

  it('a hold taken after the page was read still counts: the condition is in the UPDATE', async () => {
    const product = await makeProduct({}, 5)
    // The page showed 0 held; meanwhile a buyer holds 4.
    await db.update(stock).set({ held: sql`${stock.held} + 4` }).where(eq(stock.id, product.stockId))
    expect(readData(await adjust(product.id, '3')).data.errors.capacity).toBe('不能低于已售 + 锁定的数量（4 件）')
  })

  it('blank makes an ordinary product unlimited, but not a numbered edition', async () => {
    const plain = await makeProduct({}, 5)
    readRedirect(await adjust(plain.id, ''))
    expect((await getProductForSale(plain.id))!.stock.capacity).toBeNull()
    const numbered = await makeProduct({ limitedEdition: true }, 5)
    const { status, data } = readData(await adjust(numbered.id, ''))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ capacity: '限量编号的商品不能设为不限量' })
    expect((await getProductForSale(numbered.id))!.stock.capacity).toBe(5)
  })

  it.each([['-1'], ['2.5'], ['abc'], ['1000001']])('%j is not a capacity → 400', async (value) => {
    const product = await makeProduct({}, 5)
    const before = await snapshot()
    expect(readData(await adjust(product.id, value)).status).toBe(400)
    expect(await snapshot()).toEqual(before)
  })

  it('the list says where each product stands: 售罄, 定时开售 with its time, 隐藏 below its tier, 未上架, 已结束, 在售 (issue 18)', async () => {
    const hour = 3600_000
    const made = {
      soldOut: await createTestProduct({ title: '状态·售罄', capacity: 3 }),
      upcoming: await createTestProduct({ title: '状态·定时', saleStartsAt: new Date(Date.now() + 48 * hour) }),
      hidden: await createTestProduct({ title: '状态·隐藏', minRank: 2, gatedVisibility: 'hidden' }),
      draft: await createTestProduct({ title: '状态·草稿', published: false }),
      ended: await createTestProduct({ title: '状态·结束', saleEndsAt: new Date(Date.now() - hour) }),
      onSale: await createTestProduct({ title: '状态·在售', capacity: 5 }),
    }
    await setLevels(made.soldOut.stockId, { sold: 3, held: 0 })
    const { products: rows } = (await listRoute.loader(routeArgs(requestFor('/admin/products', { cookie: adminCookie })))) as Awaited<ReturnType<typeof listRoute.loader>>
    const row = (product: { id: number }) => rows.find((p) => p.id === product.id)
    expect(row(made.soldOut)).toMatchObject({ status: 'sold_out', startsAt: null, hiddenBelow: null })
    expect(row(made.upcoming)).toMatchObject({ status: 'upcoming', startsAt: expect.stringMatching(/\d{2}:\d{2}/) })
    expect(row(made.hidden)).toMatchObject({ status: 'on_sale', hiddenBelow: '铁杆会员' })
    expect(row(made.draft)).toMatchObject({ status: 'draft' })
    expect(row(made.ended)).toMatchObject({ status: 'ended' })
    expect(row(made.onSale)).toMatchObject({ status: 'on_sale', hiddenBelow: null })
    expect(t.shop.admin.status).toMatchObject({ sold_out: '售罄', upcoming: '定时开售' })
  })

  it('the list shows live sold / held / available / capacity', async () => {
    const product = await makeProduct({ title: '库存展示' }, 12)
    await setLevels(product.stockId, { sold: 5, held: 2 })
    const { products: rows } = (await listRoute.loader(routeArgs(requestFor('/admin/products', { cookie: adminCookie })))) as Awaited<ReturnType<typeof listRoute.loader>>
    expect(rows.find((p) => p.id === product.id)).toMatchObject({ sold: 5, held: 2, available: 5, capacity: 12 })
  })
})

describe('product photos', () => {
  const uploads = () => getEnv().UPLOAD_DIR
  const png = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#9a3412' } })
      .png()
      .toBuffer()

  function uploadRequest(id: number, files: { name: string; bytes: Uint8Array; type: string }[]) {
    const form = new FormData()
    for (const file of files) form.append('images', new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name)
    return new Request(`${SITE_ORIGIN}/admin/products/${id}`, { method: 'POST', body: form, headers: { Cookie: adminCookie, Origin: SITE_ORIGIN } })
  }
  const upload = (id: number, files: { name: string; bytes: Uint8Array; type: string }[]) =>
    editRoute.action(routeArgs(uploadRequest(id, files), { id: String(id) }))

  it('resizes each photo into a 480 px thumbnail and a 1200 px large webp, recorded as media and in order', async () => {
    const product = await makeProduct()
    readRedirect(
      await upload(product.id, [
        { name: 'front.png', bytes: await png(2000, 1500), type: 'image/png' },
        { name: 'small.png', bytes: await png(600, 600), type: 'image/png' },
      ]),
    )
    const rows = await db.select().from(productImages).where(eq(productImages.productId, product.id)).orderBy(asc(productImages.position))
    expect(rows).toHaveLength(2)
    const [thumb, large] = await Promise.all([
      db.query.media.findFirst({ where: eq(media.id, rows[0]!.thumbMediaId) }),
      db.query.media.findFirst({ where: eq(media.id, rows[0]!.largeMediaId) }),
    ])
    expect(thumb).toMatchObject({ kind: 'image', mimeType: 'image/webp', originalName: 'front.png', uploadedBy: admin.id })
    expect(await sharp(join(uploads(), thumb!.path)).metadata()).toMatchObject({ format: 'webp', width: 480, height: 360 })
    expect(await sharp(join(uploads(), large!.path)).metadata()).toMatchObject({ format: 'webp', width: 1200, height: 900 })
    // A small photo is not enlarged.
    const smallLarge = await db.query.media.findFirst({ where: eq(media.id, rows[1]!.largeMediaId) })
    expect(await sharp(join(uploads(), smallLarge!.path)).metadata()).toMatchObject({ width: 600 })
    expect(rows.map((r) => r.position)).toEqual([0, 1])
  })

  it.each([
    ['a text file named .png', { name: 'fake.png', bytes: new TextEncoder().encode('not an image at all, just text'), type: 'image/png' }, 415],
    ['a GIF', { name: 'anim.gif', bytes: new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0]), type: 'image/gif' }, 415],
    ['a PNG header on garbage', { name: 'broken.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]), type: 'image/png' }, 400],
  ])('%s is refused (%i), nothing recorded and no file left behind', async (_name, file, status) => {
    const product = await makeProduct()
    const before = await snapshot()
    const filesBefore = readdirSync(uploads()).filter((f) => f !== 'tmp').sort()
    const result = readData(await upload(product.id, [file]))
    expect(result.status).toBe(status)
    expect(result.data.errors.images).toContain(file.name)
    expect(await snapshot()).toEqual(before)
    expect(readdirSync(uploads()).filter((f) => f !== 'tmp').sort()).toEqual(filesBefore)
    expect(readdirSync(join(uploads(), 'tmp'))).toEqual([])
  })

  it('a PNG declaring 30000×30000 pixels is refused as too large (400) before it is decoded, with nothing kept (fails without the fix)', async () => {
    const product = await makeProduct()
    const before = await snapshot()
    const result = readData(await upload(product.id, [{ name: 'bomb.png', bytes: pngDeclaring(30_000, 30_000), type: 'image/png' }]))
    expect(result.status).toBe(400)
    expect(result.data.errors.images).toBe(`bomb.png：${t.media.imageTooManyPixels}`)
    expect(await snapshot()).toEqual(before)
    expect(readdirSync(join(uploads(), 'tmp'))).toEqual([])
  })

  it('one bad photo among good ones keeps none of them', async () => {
    const product = await makeProduct()
    const before = await snapshot()
    const result = readData(
      await upload(product.id, [
        { name: 'good.png', bytes: await png(800, 800), type: 'image/png' },
        { name: 'bad.png', bytes: new TextEncoder().encode('nope'), type: 'image/png' },
      ]),
    )
    expect(result.status).toBe(415)
    expect(await snapshot()).toEqual(before)
  })

  it('no file chosen → 400', async () => {
    const product = await makeProduct()
    const form = new FormData()
    form.append('images', new Blob([]), '')
    const request = new Request(`${SITE_ORIGIN}/admin/products/${product.id}`, { method: 'POST', body: form, headers: { Cookie: adminCookie } })
    const result = readData(await editRoute.action(routeArgs(request, { id: String(product.id) })))
    expect(result.status).toBe(400)
    expect(result.data.errors.images).toBe('请选择至少一张图片')
  })

  it('moves a photo up, then deletes one with its two media rows and files', async () => {
    const product = await makeProduct()
    readRedirect(
      await upload(product.id, [
        { name: 'a.png', bytes: await png(500, 500), type: 'image/png' },
        { name: 'b.png', bytes: await png(510, 510), type: 'image/png' },
      ]),
    )
    const ordered = async () =>
      db.select().from(productImages).where(eq(productImages.productId, product.id)).orderBy(asc(productImages.position), asc(productImages.id))
    const [a, b] = await ordered()
    readRedirect(await editVia(product.id, { intent: 'move', imageId: String(b!.id), direction: 'up' }))
    expect((await ordered()).map((r) => r.id)).toEqual([b!.id, a!.id])

    const files = await db.select().from(media).where(sql`${media.id} in (${a!.thumbMediaId}, ${a!.largeMediaId})`)
    expect(files.map((file) => existsSync(join(uploads(), file.path)))).toEqual([true, true])
    readRedirect(await editVia(product.id, { intent: 'delete', imageId: String(a!.id) }))
    expect((await ordered()).map((r) => r.id)).toEqual([b!.id])
    expect(await db.select().from(media).where(sql`${media.id} in (${a!.thumbMediaId}, ${a!.largeMediaId})`)).toEqual([])
    for (const file of files) expect(existsSync(join(uploads(), file.path))).toBe(false)
    const actions = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, String(product.id)))
    expect(actions.map((x) => x.action)).toEqual(['product.create', 'product.image.add', 'product.image.move', 'product.image.delete'])
  })

  it('a photo of another product cannot be moved or deleted through this one (404, nothing changed)', async () => {
    const mine = await makeProduct()
    const theirs = await makeProduct()
    readRedirect(await upload(theirs.id, [{ name: 'x.png', bytes: await png(500, 500), type: 'image/png' }]))
    const [photo] = await db.select().from(productImages).where(eq(productImages.productId, theirs.id))
    const before = await snapshot()
    expect(readData(await editVia(mine.id, { intent: 'delete', imageId: String(photo!.id) })).status).toBe(404)
    expect(readData(await editVia(mine.id, { intent: 'move', imageId: String(photo!.id), direction: 'up' })).status).toBe(404)
    expect(await snapshot()).toEqual(before)
  })

  it('the media rule learns whether a photo’s product is published', async () => {
    const draft = await makeProduct({ published: false })
    readRedirect(await upload(draft.id, [{ name: 'd.png', bytes: await png(500, 500), type: 'image/png' }]))
    const [photo] = await db.select().from(productImages).where(eq(productImages.productId, draft.id))
    expect(await listProductImageReferences(photo!.thumbMediaId)).toEqual([{ published: false }])
    await db.update(products).set({ published: true }).where(eq(products.id, draft.id))
    expect(await listProductImageReferences(photo!.largeMediaId)).toEqual([{ published: true }])
    expect(await listProductImageReferences('no-such-file-000')).toEqual([])
  })
})

describe('deleting a product', () => {
  const remove = (id: number, form: Record<string, string> = { intent: 'remove', confirm: 'yes' }, cookie = adminCookie) =>
    editVia(id, form, cookie)

  it('deletes a product nobody ordered with its prices, cart lines, photos and files, stock row and counter; audited', async () => {
    const product = await makeProduct({ limitedEdition: true, tierPrices: [{ tierId: await tierIdOf('tiegan'), priceFen: 29900 }] })
    const image = await sharp({ create: { width: 500, height: 500, channels: 3, background: '#9a3412' } }).png().toBuffer()
    const form = new FormData()
    form.append('images', new Blob([Buffer.from(image)], { type: 'image/png' }), 'a.png')
    readRedirect(
      await editRoute.action(
        routeArgs(new Request(`${SITE_ORIGIN}/admin/products/${product.id}`, { method: 'POST', body: form, headers: { Cookie: adminCookie, Origin: SITE_ORIGIN } }), {
          id: String(product.id),
        }),
      ),
    )
    const [photo] = await db.select().from(productImages).where(eq(productImages.productId, product.id))
    const files = await db.select().from(media).where(sql`${media.id} in (${photo!.thumbMediaId}, ${photo!.largeMediaId})`)
    expect(files.map((file) => existsSync(join(getEnv().UPLOAD_DIR, file.path)))).toEqual([true, true])
    await putInCart(admin.id, product.id, 1)
    const [{ counterId }] = (await db.select({ counterId: stock.counterId }).from(stock).where(eq(stock.id, product.stockId))) as [{ counterId: number }]
    const page = (await editRoute.loader(routeArgs(requestFor(`/admin/products/${product.id}`, { cookie: adminCookie }), { id: String(product.id) }))) as { deletable: boolean }
    expect(page.deletable).toBe(true)

    const { location } = readRedirect(await remove(product.id))
    expect(location).toBe('/admin/products')
    expect(await db.select().from(products).where(eq(products.id, product.id))).toEqual([])
    expect(await db.select().from(stock).where(eq(stock.id, product.stockId))).toEqual([])
    expect(await db.select().from(counters).where(eq(counters.id, counterId))).toEqual([])
    expect(await db.select().from(productTierPrices).where(eq(productTierPrices.productId, product.id))).toEqual([])
    expect(await db.select().from(productImages).where(eq(productImages.productId, product.id))).toEqual([])
    expect(await db.select().from(cartItems).where(eq(cartItems.productId, product.id))).toEqual([])
    expect(await db.select().from(media).where(sql`${media.id} in (${photo!.thumbMediaId}, ${photo!.largeMediaId})`)).toEqual([])
    for (const file of files) expect(existsSync(join(getEnv().UPLOAD_DIR, file.path))).toBe(false)
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'product.delete'), eq(auditLog.targetId, String(product.id))))
    expect(entry?.actorId).toBe(admin.id)
  })

  it('refuses a product that was ever ordered, even an order that lapsed (409, nothing changed): unpublish it instead', async () => {
    const product = await makeProduct()
    const order = await placeOrder({
      userId: admin.id,
      kind: 'goods',
      lines: [{ stockId: product.stockId, qty: 1, unitPriceFen: product.priceFen, title: product.title, productId: product.id }],
      now: new Date(Date.now() - 3600_000),
    })
    expect(order.ok).toBe(true)
    await releaseExpiredHolds(new Date())
    const page = (await editRoute.loader(routeArgs(requestFor(`/admin/products/${product.id}`, { cookie: adminCookie }), { id: String(product.id) }))) as { deletable: boolean }
    expect(page.deletable).toBe(false)
    const before = await snapshot()
    const refused = readData<{ errors: Record<string, string> }>(await remove(product.id))
    expect(refused.status).toBe(409)
    expect(refused.data.errors.form).toContain('已经有订单')
    expect(await snapshot()).toEqual(before)
  })

  it('asks for the confirmation first (400, nothing changed)', async () => {
    const product = await makeProduct()
    const before = await snapshot()
    const refused = readData<{ errors: Record<string, string> }>(await remove(product.id, { intent: 'remove' }))
    expect(refused.status).toBe(400)
    expect(refused.data.errors).toEqual({ confirm: '请先勾选确认' })
    expect(await snapshot()).toEqual(before)
  })

  it('is for admins only (an editor gets 403), and an unknown product is 404', async () => {
    const product = await makeProduct()
    expect((await thrownResponse(remove(product.id, undefined, editorCookie))).status).toBe(403)
    expect((await thrownResponse(remove(999_999))).status).toBe(404)
    expect(await db.select().from(products).where(eq(products.id, product.id))).toHaveLength(1)
  })
})

describe('the demo shop seed', () => {
  const dir = mkdtempSync(join(getEnv().DATA_DIR, 'demo-shop-'))
  const handle = createDatabase(`file:${join(dir, 'zhiyin.db')}`)
  // A Wednesday noon in Shanghai: this week began on Monday the 23rd.
  const NOW = new Date('2026-11-25T12:00:00+08:00')
  afterAll(() => {
    handle.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('seeds a dozen products across the four categories, each with its stock row and a photo', async () => {
    await runMigrations(handle)
    await seedTiers(handle)
    expect(await seedShopCategories(handle)).toBe(true)
    // The demo buyers (the full demo seed creates them with passwords).
    await handle.db.insert(users).values(['tiegan', 'qinqing', 'user'].map((who) => ({ email: `${who}@zhiyin.local`, displayName: who })))
    const started = Date.now()
    expect(await seedDemoShop(handle, { now: NOW, timeZone: 'Asia/Shanghai' })).toBe(12)
    expect(Date.now() - started).toBeLessThan(5000)

    const rows = await handle.db.select().from(products)
    expect(rows).toHaveLength(12)
    const categories = await handle.db.select().from(productCategories)
    expect(categories.map((c) => [c.slug, c.name])).toEqual([
      ['books', '精神粮食'],
      ['survival', '生存处方'],
      ['stationery', '文具精选'],
      ['bige', '逼格工场'],
    ])
    expect(new Set(rows.map((p) => p.categoryId)).size).toBe(4)
    expect(new Set(rows.map((p) => p.stockId)).size).toBe(12)
    expect(await handle.db.$count(productImages)).toBe(12)
    expect(await handle.db.$count(media)).toBe(24)
  })

  it('includes a numbered limited edition with engraving, a 铁杆-only item, a personalised one, a mystery bundle and one opening tomorrow', async () => {
    const rows = await handle.db.select().from(products)
    const pen = rows.find((p) => p.title === '知音十周年纪念钢笔')!
    expect(pen).toMatchObject({ limitedEdition: true, perMemberLimit: 2, personalisationLabel: '刻字', personalisationMaxLength: 12 })
    expect(rows.find((p) => p.minRank === 2 && p.gatedVisibility === 'visible')).toBeDefined()
    expect(rows.find((p) => p.minRank === 2 && p.gatedVisibility === 'hidden')).toBeDefined()
    expect(rows.find((p) => p.title === '神秘书单盲盒')).toMatchObject({ mystery: true })
    expect(rows.filter((p) => p.personalisationLabel !== null).length).toBeGreaterThanOrEqual(2)
    expect(rows.find((p) => p.saleStartsAt !== null)!.saleStartsAt).toEqual(new Date('2026-11-26T10:00:00+08:00'))
    expect(await handle.db.$count(productTierPrices)).toBeGreaterThan(0)
  })

  it('publishes them over this week and last week (site time), all before now', async () => {
    const rows = await handle.db.select().from(products)
    const monday = new Date('2026-11-23T00:00:00+08:00')
    const thisWeek = rows.filter((p) => p.publishedAt! >= monday)
    expect(thisWeek.length).toBeGreaterThanOrEqual(5)
    expect(rows.length - thisWeek.length).toBeGreaterThanOrEqual(3)
    expect(rows.every((p) => p.publishedAt! <= NOW && p.publishedAt! >= new Date(monday.getTime() - 7 * 24 * 3600 * 1000))).toBe(true)
  })

  it('its paid demo orders keep stock = sold holds, number the edition 1..N and sell the small run out', async () => {
    const levels = await handle.db.select().from(stock)
    const sold = await handle.db
      .select({ stockId: holds.stockId, units: sql<number>`sum(${holds.qty})`.mapWith(Number) })
      .from(holds)
      .where(eq(holds.state, 'sold'))
      .groupBy(holds.stockId)
    for (const row of levels) expect(row.sold, `stock ${row.id}`).toBe(sold.find((s) => s.stockId === row.id)?.units ?? 0)
    const pen = (await handle.db.select().from(products).where(eq(products.slug, 'zhiyin-10th-pen')))[0]!
    const lines = await handle.db.select().from(orderLines).where(eq(orderLines.productId, pen.id))
    expect(lines.flatMap((l) => l.numbers).sort((a, b) => a - b)).toEqual([1, 2])
    const bag = (await handle.db.select().from(products).where(eq(products.slug, 'sike-canvas-bag')))[0]!
    expect(levels.find((s) => s.id === bag.stockId)).toMatchObject({ capacity: 3, sold: 3, held: 0 })
  })

  it('adds nothing the second time', async () => {
    expect(await seedShopCategories(handle)).toBe(false)
    expect(await seedDemoShop(handle, { now: NOW, timeZone: 'Asia/Shanghai' })).toBe(0)
    expect(await handle.db.$count(products)).toBe(12)
  })
})
