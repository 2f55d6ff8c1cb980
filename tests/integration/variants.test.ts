// Product variants (decision 047) against a real SQLite database: the admin's options make one
// variant per combination, each variant's stock, price offset and SKU are validated (zh-CN field
// errors, 4xx, nothing stored); a numbered edition is numbered across its variants; a variant's
// hold takes only its own stock while the per-member limit counts the whole product.
import { asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, orderLines, productVariants, products, stock, type User } from '../../db/schema'
import { seedTiers } from '../../db/seed'
import { seedShopCategories } from '../../db/seed-shop'
import { confirmPayment } from '~/models/commerce.server'
import { placeCheckout } from '~/models/checkout.server'
import { getProductForSale } from '~/models/product.server'
import * as editRoute from '~/routes/admin.products.$id'
import { databaseHandle, db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { GOOD_ADDRESS, createTestProduct } from '../factories/cart'
import { createBuyers, paidNotice } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

let admin: User
let adminCookie: string

beforeAll(async () => {
  await seedShopCategories(databaseHandle)
  await seedTiers(databaseHandle)
  admin = (await createTestUser({ role: 'admin' })).user
  adminCookie = (await signedInCookie(admin.id)).cookie
})

function editVia(id: number, form: Record<string, string>) {
  return editRoute.action(routeArgs(requestFor(`/admin/products/${id}`, { form, cookie: adminCookie }), { id: String(id) }))
}

async function snapshot() {
  return {
    products: await db.select().from(products).orderBy(asc(products.id)),
    variants: await db.select().from(productVariants).orderBy(asc(productVariants.id)),
    stock: await db.select().from(stock).orderBy(asc(stock.id)),
    audit: await countRows(auditLog),
  }
}

/** A product given sizes through the admin's form, then each size's stock through the second form. */
async function productWithSizes(sizes: Record<string, string>, options: Parameters<typeof createTestProduct>[0] = {}) {
  const product = await createTestProduct({ capacity: 0, ...options })
  readRedirect(await editVia(product.id, { intent: 'options', optionName0: '尺码', optionValues0: Object.keys(sizes).join('、') }))
  const variants = await db.select().from(productVariants).where(eq(productVariants.productId, product.id)).orderBy(asc(productVariants.position))
  const form: Record<string, string> = { intent: 'variants' }
  variants.forEach((variant) => (form[`capacity-${variant.id}`] = sizes[variant.optionValues[0]!]!))
  readRedirect(await editVia(product.id, form))
  const bySize = Object.fromEntries(variants.map((variant) => [variant.optionValues[0]!, variant]))
  return { product, variants: bySize }
}

describe('the admin sets options and variants', () => {
  it('options make one variant per combination, each with a stock row of its own sharing the product’s counter; the product list sums them', async () => {
    const product = await createTestProduct({ capacity: 0, limitedEdition: true })
    readRedirect(await editVia(product.id, { intent: 'options', optionName0: '尺码', optionValues0: 'S, M、L', optionName1: '颜色', optionValues1: '黑，白' }))
    const sale = (await getProductForSale(product.id))!
    expect(sale.options).toEqual([
      { name: '尺码', values: ['S', 'M', 'L'] },
      { name: '颜色', values: ['黑', '白'] },
    ])
    expect(sale.variants.map((variant) => variant.optionValues)).toEqual([
      ['S', '黑'],
      ['S', '白'],
      ['M', '黑'],
      ['M', '白'],
      ['L', '黑'],
      ['L', '白'],
    ])
    const rows = await db.select().from(stock).where(eq(stock.counterId, product.stock.counterId!))
    expect(rows).toHaveLength(7)
    const form: Record<string, string> = { intent: 'variants' }
    sale.variants.forEach((variant, index) => {
      form[`capacity-${variant.id}`] = String(index + 1)
      form[`sku-${variant.id}`] = `TEE-${index}`
    })
    readRedirect(await editVia(product.id, form))
    expect((await getProductForSale(product.id))!.stock).toMatchObject({ capacity: 21, sold: 0, held: 0 })
  })

  it.each([
    ['a capacity that is not a whole number', (id: number) => ({ [`capacity-${id}`]: '2.5' }), (id: number) => `capacity-${id}`, '库存须为 0 到 1,000,000 之间的整数'],
    ['an offset with three decimals', (id: number) => ({ [`offset-${id}`]: '1.005' }), (id: number) => `offset-${id}`, '请填写金额，例如 20、-10 或 12.50'],
    ['an offset taking the price below 0', (id: number) => ({ [`offset-${id}`]: '-100' }), (id: number) => `offset-${id}`, '加价后价格不能低于 0'],
    ['a SKU with spaces', (id: number) => ({ [`sku-${id}`]: 'A B' }), (id: number) => `sku-${id}`, 'SKU 只能包含字母、数字、连字符和下划线，最多 40 个字符'],
  ])('%s → 400 with the field’s zh-CN message, nothing stored', async (_name, fields, field, message) => {
    const { product, variants } = await productWithSizes({ S: '3', M: '4' })
    const before = await snapshot()
    const id = variants.S!.id
    const response = await editVia(product.id, { intent: 'variants', [`capacity-${id}`]: '5', [`capacity-${variants.M!.id}`]: '6', ...fields(id) })
    const { status, data } = readData<{ errors: Record<string, string> }>(response)
    expect(status).toBe(400)
    expect(data.errors[field(id)]).toBe(message)
    expect(await snapshot()).toEqual(before)
  })

  it('a SKU is unique in the shop: the same SKU twice, or one another product has, is refused and nothing stored', async () => {
    const first = await productWithSizes({ S: '1' })
    readRedirect(await editVia(first.product.id, { intent: 'variants', [`capacity-${first.variants.S!.id}`]: '1', [`sku-${first.variants.S!.id}`]: 'HOODIE-S' }))
    const { product, variants } = await productWithSizes({ S: '1', M: '1' })
    const before = await snapshot()
    const twice = readData<{ errors: Record<string, string> }>(
      await editVia(product.id, { intent: 'variants', [`capacity-${variants.S!.id}`]: '1', [`capacity-${variants.M!.id}`]: '1', [`sku-${variants.S!.id}`]: 'X-1', [`sku-${variants.M!.id}`]: 'X-1' }),
    )
    expect(twice.status).toBe(400)
    expect(twice.data.errors[`sku-${variants.M!.id}`]).toBe('这个 SKU 在本商品中重复了')
    const taken = readData<{ errors: Record<string, string> }>(
      await editVia(product.id, { intent: 'variants', [`capacity-${variants.S!.id}`]: '1', [`capacity-${variants.M!.id}`]: '1', [`sku-${variants.S!.id}`]: 'HOODIE-S' }),
    )
    expect(taken.status).toBe(400)
    expect(taken.data.errors[`sku-${variants.S!.id}`]).toBe('这个 SKU 已被其他商品使用')
    expect(await snapshot()).toEqual(before)
  })

  it('bad options → 400 per field (repeated value, missing name, too many combinations), nothing stored', async () => {
    const product = await createTestProduct({ capacity: 0 })
    const before = await snapshot()
    const repeated = readData<{ errors: Record<string, string> }>(await editVia(product.id, { intent: 'options', optionName0: '尺码', optionValues0: 'S、M、S' }))
    expect(repeated.status).toBe(400)
    expect(repeated.data.errors).toEqual({ optionValues0: '规格值「S」重复了' })
    const nameless = readData<{ errors: Record<string, string> }>(await editVia(product.id, { intent: 'options', optionName0: '', optionValues0: 'S' }))
    expect(nameless.data.errors).toEqual({ optionName0: '填写了规格值，请同时填写规格名' })
    const many = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join('、')
    const tooMany = readData<{ errors: Record<string, string> }>(
      await editVia(product.id, { intent: 'options', optionName0: '甲', optionValues0: many(8), optionName1: '乙', optionValues1: many(8) }),
    )
    expect(tooMany.data.errors).toEqual({ options: '规格组合最多 60 种，请减少规格值' })
    expect(await snapshot()).toEqual(before)
  })

  it('a size that was ordered cannot be removed (409, nothing changed); the product’s own capacity form is refused once it has sizes', async () => {
    const { product, variants } = await productWithSizes({ S: '2', M: '2' })
    const [buyer] = await createBuyers(1)
    const placed = await placeCheckout({ userId: buyer!.id, lines: [{ productId: product.id, variantId: variants.S!.id, qty: 1, personalisation: '' }], shipping: { address: GOOD_ADDRESS }, cartItemIds: [], now: new Date() })
    expect(placed.ok).toBe(true)
    const before = await snapshot()
    const removed = readData<{ errors: Record<string, string> }>(await editVia(product.id, { intent: 'options', optionName0: '尺码', optionValues0: 'M' }))
    expect(removed.status).toBe(409)
    expect(removed.data.errors).toEqual({ options: '「尺码：S」已有订单，不能删除这个规格值' })
    const capacity = readData<{ errors: Record<string, string> }>(await editVia(product.id, { intent: 'capacity', capacity: '50' }))
    expect(capacity.status).toBe(400)
    expect(capacity.data.errors).toEqual({ capacity: '这件商品有规格，请在「规格」中设置各规格的库存' })
    expect(await snapshot()).toEqual(before)
  })
})

describe('buying a variant', () => {
  it('holds the chosen size only, prices it with its offset, keeps 「尺码：L」 on the line, and refuses an order without a size', async () => {
    const { product, variants } = await productWithSizes({ S: '1', L: '3' })
    readRedirect(await editVia(product.id, { intent: 'variants', [`capacity-${variants.S!.id}`]: '1', [`capacity-${variants.L!.id}`]: '3', [`offset-${variants.L!.id}`]: '10' }))
    const [buyer] = await createBuyers(1)
    const none = await placeCheckout({ userId: buyer!.id, lines: [{ productId: product.id, variantId: null, qty: 1, personalisation: '' }], shipping: { address: GOOD_ADDRESS }, cartItemIds: [], now: new Date() })
    expect(none).toMatchObject({ ok: false, reason: 'line', problem: { kind: 'variant', status: 400, message: '请选择尺码' } })
    const placed = await placeCheckout({ userId: buyer!.id, lines: [{ productId: product.id, variantId: variants.L!.id, qty: 2, personalisation: '' }], shipping: { address: GOOD_ADDRESS }, cartItemIds: [], now: new Date() })
    if (!placed.ok) throw new Error(`refused: ${placed.reason}`)
    expect(placed.order.totalFen).toBe(2 * (product.priceFen + 1000))
    const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.order.id))
    expect(line).toMatchObject({ variantId: variants.L!.id, variantLabel: '尺码：L', stockId: variants.L!.stockId })
    const levels = async (stockId: number) => (await db.select().from(stock).where(eq(stock.id, stockId)))[0]!
    expect(await levels(variants.L!.stockId)).toMatchObject({ held: 2, sold: 0 })
    expect(await levels(variants.S!.stockId)).toMatchObject({ held: 0, sold: 0 })
  })

  it('the per-member limit counts the whole product across sizes', async () => {
    const { product, variants } = await productWithSizes({ S: '5', M: '5' }, { perMemberLimit: 2 })
    const [buyer] = await createBuyers(1)
    const buy = (variantId: number, qty: number) =>
      placeCheckout({ userId: buyer!.id, lines: [{ productId: product.id, variantId, qty, personalisation: '' }], shipping: { address: GOOD_ADDRESS }, cartItemIds: [], now: new Date() })
    expect((await buy(variants.S!.id, 2)).ok).toBe(true)
    expect(await buy(variants.M!.id, 1)).toMatchObject({ ok: false, reason: 'line', problem: { kind: 'limit' } })
  })

  it('a numbered edition is numbered across its sizes: one sequence 1..N in payment order', async () => {
    const { product, variants } = await productWithSizes({ S: '3', M: '3', L: '3' }, { limitedEdition: true })
    const buyers = await createBuyers(6)
    const sizes = ['L', 'S', 'M', 'S', 'L', 'M']
    const orders = []
    for (const [index, size] of sizes.entries()) {
      const placed = await placeCheckout({
        userId: buyers[index]!.id,
        lines: [{ productId: product.id, variantId: variants[size]!.id, qty: 1, personalisation: '' }],
        shipping: { address: GOOD_ADDRESS },
        cartItemIds: [],
        now: new Date(),
      })
      if (!placed.ok) throw new Error(`refused: ${placed.reason}`)
      orders.push(placed.order)
    }
    for (const order of orders) expect((await confirmPayment(paidNotice(order))).outcome).toBe('paid')
    const lines = await db.select().from(orderLines).where(eq(orderLines.productId, product.id)).orderBy(asc(orderLines.id))
    expect(lines.map((line) => [line.variantLabel, line.numbers])).toEqual(sizes.map((size, index) => [`尺码：${size}`, [index + 1]]))
    // 「No. 6 / 9」: the edition's size is the sum of its sizes.
    expect((await getProductForSale(product.id))!.stock).toMatchObject({ capacity: 9, sold: 6 })
  })
})
