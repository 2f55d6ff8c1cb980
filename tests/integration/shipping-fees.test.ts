// Shipping fees against the real database (decision 048): checkout decides the fee inside the
// order's creation from the admin's rule and the products (never from the form); the order stores
// it, the payment must cover it and a refund returns it; orders of other kinds never pay one.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders, products, shippingRules } from '../../db/schema'
import { confirmPayment, placeOrder, requestRefund } from '~/models/commerce.server'
import { setProductShippingFee, saveShippingRule } from '~/models/shipping.server'
import { action as checkoutAction, loader as checkoutLoader } from '~/routes/checkout'
import { action as shippingAction } from '~/routes/admin.shipping'
import { action as productAction } from '~/routes/admin.products.$id'
import { db } from '~/utils/db.server'
import { GOOD_ADDRESS, createTestProduct, putInCart } from '../factories/cart'
import { line, paidNotice } from '../factories/orders'
import { refundsOf } from '../factories/payments'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

async function buyer() {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

async function admin() {
  const { user } = await createTestUser({ role: 'admin' })
  return { user, cookie: (await signedInCookie(user.id)).cookie }
}

async function setRule(flatFeeFen: number, freeOverFen: number | null) {
  const { user } = await admin()
  await saveShippingRule({ rule: { flatFeeFen, freeOverFen }, actorId: user.id, now: new Date() })
}

/** Places the buyer's cart through /checkout's action; the order it created. */
async function checkOut(cookie: string, userId: number, form: Record<string, string> = GOOD_ADDRESS) {
  readRedirect(await checkoutAction(routeArgs(requestFor('/checkout', { form, cookie }))))
  const [order] = await db.select().from(orders).where(eq(orders.userId, userId)).orderBy(orders.id)
  return order!
}

describe('the fee an order of goods pays', () => {
  it('a flat fee per order: shown at checkout, stored with the order and in its total', async () => {
    await setRule(1000, null)
    const { user, cookie } = await buyer()
    const book = await createTestProduct({ priceFen: 6800 })
    const pen = await createTestProduct({ priceFen: 3000 })
    await putInCart(user.id, book.id, 2)
    await putInCart(user.id, pen.id, 1)
    const page = readData<{ goodsFen: number; shippingFeeFen: number; totalFen: number }>(await checkoutLoader(routeArgs(requestFor('/checkout', { cookie }))))
    expect(page.data).toMatchObject({ goodsFen: 16600, shippingFeeFen: 1000, totalFen: 17600 })
    const order = await checkOut(cookie, user.id, { ...GOOD_ADDRESS, shippingFeeFen: '0', totalFen: '1' })
    expect(order).toMatchObject({ kind: 'goods', shippingFeeFen: 1000, totalFen: 17600 })
  })

  it('free over an amount: no fee once the goods reach it', async () => {
    await setRule(1000, 19900)
    const under = await buyer()
    const over = await buyer()
    const book = await createTestProduct({ priceFen: 10000 })
    await putInCart(under.user.id, book.id, 1)
    await putInCart(over.user.id, book.id, 2)
    expect(await checkOut(under.cookie, under.user.id)).toMatchObject({ shippingFeeFen: 1000, totalFen: 11000 })
    expect(await checkOut(over.cookie, over.user.id)).toMatchObject({ shippingFeeFen: 0, totalFen: 20000 })
  })

  it("a product's own fee overrides the flat fee; 包邮 items ship free", async () => {
    await setRule(1000, null)
    const { user: staff } = await admin()
    const heavy = await createTestProduct({ priceFen: 6800 })
    const free = await createTestProduct({ priceFen: 6800 })
    await setProductShippingFee({ productId: heavy.id, feeFen: 2500, actorId: staff.id, now: new Date() })
    await setProductShippingFee({ productId: free.id, feeFen: 0, actorId: staff.id, now: new Date() })

    const both = await buyer()
    await putInCart(both.user.id, heavy.id, 1)
    await putInCart(both.user.id, free.id, 1)
    expect(await checkOut(both.cookie, both.user.id)).toMatchObject({ shippingFeeFen: 2500, totalFen: 6800 * 2 + 2500 })

    const onlyFree = await buyer()
    await putInCart(onlyFree.user.id, free.id, 3)
    expect(await checkOut(onlyFree.cookie, onlyFree.user.id)).toMatchObject({ shippingFeeFen: 0, totalFen: 6800 * 3 })
  })

  it('a payment of the goods alone does not pay an order that has a fee', async () => {
    await setRule(1000, null)
    const { user, cookie } = await buyer()
    const book = await createTestProduct({ priceFen: 6800 })
    await putInCart(user.id, book.id, 1)
    const order = await checkOut(cookie, user.id)
    expect(order.totalFen).toBe(7800)

    // A payment of the goods alone is not the order's amount.
    const short = await confirmPayment(paidNotice({ id: order.id, totalFen: 6800 }, { eventId: `short_${order.id}`, providerPaymentId: `short_${order.id}` }))
    expect(short.outcome).not.toBe('paid')
    expect((await db.select().from(orders).where(eq(orders.id, order.id)))[0]!.state).not.toBe('paid')
  })

  it('a refund of a paid order gives back the goods and the fee', async () => {
    await setRule(1000, null)
    const { user, cookie } = await buyer()
    const book = await createTestProduct({ priceFen: 6800 })
    await putInCart(user.id, book.id, 1)
    const order = await checkOut(cookie, user.id)
    expect((await confirmPayment(paidNotice(order))).outcome).toBe('paid')
    const { user: staff } = await admin()
    await requestRefund({ orderId: order.id, actorId: staff.id })
    expect(await refundsOf(order.id)).toEqual([expect.objectContaining({ amountFen: 7800 })])
  })

  it('virtual goods (a membership, a course: any kind but goods) never pay a fee', async () => {
    await setRule(1000, null)
    const { user } = await createTestUser()
    const product = await createTestProduct()
    const seat = await placeOrder({ userId: user.id, kind: 'membership', lines: [line(product.stock.id, { unitPriceFen: 36500 })], now: new Date() })
    expect(seat.ok && seat.order).toMatchObject({ shippingFeeFen: 0, totalFen: 36500 })
    await expect(
      placeOrder({ userId: user.id, kind: 'membership', lines: [line(product.stock.id)], shippingFeeFen: 1000, now: new Date() }),
    ).rejects.toThrow('a membership order has no shipping fee')
  })
})

describe('the admin sets the rules', () => {
  it('saves the shop rule from /admin/shipping', async () => {
    const { cookie } = await admin()
    readRedirect(await shippingAction(routeArgs(requestFor('/admin/shipping', { form: { flatFee: '12', freeOver: '199' }, cookie }))))
    expect(await db.select({ flat: shippingRules.flatFeeFen, freeOver: shippingRules.freeOverFen }).from(shippingRules)).toEqual([{ flat: 1200, freeOver: 19900 }])
  })

  it.each([
    ['a negative flat fee', { flatFee: '-5', freeOver: '' }, 'flatFee', '金额不能为负数'],
    ['a negative free-over amount', { flatFee: '10', freeOver: '-1' }, 'freeOver', '金额不能为负数'],
    ['no flat fee', { flatFee: '', freeOver: '' }, 'flatFee', '请填写运费，不收运费请填 0'],
    ['not an amount', { flatFee: '十元', freeOver: '' }, 'flatFee', '请填写金额，例如 10 或 9.5'],
  ])('refuses %s with 400 next to the field, storing nothing', async (_case, form, field, message) => {
    await db.delete(shippingRules)
    const { cookie } = await admin()
    const answer = readData(await shippingAction(routeArgs(requestFor('/admin/shipping', { form, cookie }))))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ [field]: message })
    expect(await db.select().from(shippingRules)).toEqual([])
  })

  it("sets a product's own fee, and refuses a negative one with 400", async () => {
    const { cookie } = await admin()
    const product = await createTestProduct()
    const post = (form: Record<string, string>) => productAction(routeArgs(requestFor(`/admin/products/${product.id}`, { form: { intent: 'shipping', ...form }, cookie }), { id: String(product.id) }))
    const feeOf = async () => (await db.select({ fee: products.shippingFeeFen }).from(products).where(eq(products.id, product.id)))[0]!.fee

    readRedirect(await post({ shippingMode: 'fee', shippingFee: '25' }))
    expect(await feeOf()).toBe(2500)
    const refused = readData(await post({ shippingMode: 'fee', shippingFee: '-3' }))
    expect(refused.status).toBe(400)
    expect(refused.data.errors).toEqual({ shippingFee: '金额不能为负数' })
    expect(await feeOf()).toBe(2500)
    readRedirect(await post({ shippingMode: 'free' }))
    expect(await feeOf()).toBe(0)
    readRedirect(await post({ shippingMode: 'default' }))
    expect(await feeOf()).toBeNull()
  })
})
