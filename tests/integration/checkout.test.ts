// /checkout against the real database: placing an order holds every line and sends the buyer
// to /pay; a bad address, a sold-out or over-limit line, or a gated one changes nothing; prices
// are the server's whatever the form says.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { holds, orderLines, orders } from '../../db/schema'
import { getSavedAddress } from '~/models/address.server'
import { placeOrder } from '~/models/commerce.server'
import { action, loader } from '~/routes/checkout'
import { db } from '~/utils/db.server'
import { GOOD_ADDRESS, cartOf, createTestProduct, putInCart } from '../factories/cart'
import { expectConsistent } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie, type TierSlug } from '../factories/users'

type CheckoutData = { errors: Record<string, string>; values: Record<string, string> }

async function buyer(tier?: TierSlug) {
  const { user } = await createTestUser({ tier })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

function checkout(cookie: string, form: Record<string, string> = GOOD_ADDRESS) {
  return action(routeArgs(requestFor('/checkout', { form, cookie })))
}

function ordersOf(userId: number) {
  return db.select().from(orders).where(eq(orders.userId, userId))
}

describe('the checkout page', () => {
  it('sends a visitor to sign in and come back', async () => {
    const response = await thrownResponse(loader(routeArgs(requestFor('/checkout'))))
    expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Fcheckout')
  })

  it('sends a buyer with an empty cart back to the cart, for the page and for placing', async () => {
    const { cookie } = await buyer()
    expect((await thrownResponse(loader(routeArgs(requestFor('/checkout', { cookie }))))).headers.get('Location')).toBe('/cart')
    expect((await thrownResponse(checkout(cookie))).headers.get('Location')).toBe('/cart')
  })

  it('shows the summary at the member price and fills in the saved address', async () => {
    const { user, cookie } = await buyer('tiegan')
    const pen = await createTestProduct({ title: '纪念钢笔', priceFen: 36800, memberPrices: { qinqing: 33800, tiegan: 31800 } })
    await putInCart(user.id, pen.id, 2)
    const first = readData<{ lines: { title: string; unitPriceFen: number }[]; totalFen: number; address: unknown; holdMinutes: number }>(
      await loader(routeArgs(requestFor('/checkout', { cookie }))),
    )
    expect(first.data).toMatchObject({ lines: [{ title: '纪念钢笔', unitPriceFen: 31800 }], totalFen: 63600, address: null, holdMinutes: 10 })

    readRedirect(await checkout(cookie))
    await putInCart(user.id, pen.id, 1)
    const again = readData<{ address: unknown }>(await loader(routeArgs(requestFor('/checkout', { cookie }))))
    expect(again.data.address).toEqual(GOOD_ADDRESS)
  })
})

describe('placing the order', () => {
  it('holds every line, keeps the address, empties the cart and goes to /pay/:id (303)', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ title: '纪念钢笔', priceFen: 36800, capacity: 500, limitedEdition: true, perMemberLimit: 2, personalisation: { label: '刻字', max: 12 } })
    const book = await createTestProduct({ title: '书单', priceFen: 19900, capacity: null })
    await putInCart(user.id, pen.id, 1, '知音十年')
    await putInCart(user.id, book.id, 3)

    const result = await checkout(cookie, { ...GOOD_ADDRESS, phone: '138 0013 8000' })
    const { location, response } = readRedirect(result)
    expect(response.status).toBe(303)
    const [order] = await ordersOf(user.id)
    expect(location).toBe(`/pay/${order!.id}`)
    expect(order).toMatchObject({ state: 'pending', kind: 'goods', totalFen: 36800 + 3 * 19900, shipping: GOOD_ADDRESS })
    expect(order!.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000)

    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order!.id)).orderBy(orderLines.id)
    expect(lines).toMatchObject([
      { productId: pen.id, title: '纪念钢笔', qty: 1, unitPriceFen: 36800, personalisation: '知音十年', takesNumbers: true },
      { productId: book.id, title: '书单', qty: 3, unitPriceFen: 19900, personalisation: null, takesNumbers: false },
    ])
    expect(await db.select({ qty: holds.qty, state: holds.state }).from(holds).where(eq(holds.orderId, order!.id))).toEqual([
      { qty: 1, state: 'held' },
      { qty: 3, state: 'held' },
    ])
    await expectConsistent(pen.stock.id, { available: 499 })
    expect(await cartOf(user.id)).toEqual([])
    expect(await getSavedAddress(user.id)).toEqual(GOOD_ADDRESS)
  })

  it('prices on the server: price fields sent with the form are ignored', async () => {
    const { user, cookie } = await buyer('qinqing')
    const pen = await createTestProduct({ priceFen: 36800, memberPrices: { qinqing: 33800 } })
    await putInCart(user.id, pen.id, 2)
    readRedirect(await checkout(cookie, { ...GOOD_ADDRESS, unitPriceFen: '1', priceFen: '1', totalFen: '1', total: '0.01', qty: '99' }))
    const [order] = await ordersOf(user.id)
    expect(order!.totalFen).toBe(2 * 33800)
    const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, order!.id))
    expect(line).toMatchObject({ qty: 2, unitPriceFen: 33800 })
  })

  it.each([
    ['a phone that is not a mainland mobile', { phone: '12345' }, 'phone', '请填写有效的中国大陆手机号（11 位，以 1 开头）'],
    ['no district', { district: '' }, 'district', '请填写区县'],
    ['no name', { name: ' ' }, 'name', '请填写收货人'],
  ])('refuses %s with 400 next to the field, and changes nothing', async (_name, change, field, message) => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ capacity: 5 })
    await putInCart(user.id, pen.id, 1)
    const answer = readData<CheckoutData>(await checkout(cookie, { ...GOOD_ADDRESS, ...change }))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ [field]: message })
    // What was typed comes back, so the form keeps it.
    expect(answer.data.values).toMatchObject({ ...GOOD_ADDRESS, ...change })
    expect(await ordersOf(user.id)).toEqual([])
    await expectConsistent(pen.stock.id, { available: 5 })
    expect(await cartOf(user.id)).toHaveLength(1)
    expect(await getSavedAddress(user.id)).toBeNull()
  })

  it('refuses a missing address field the same way', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct()
    await putInCart(user.id, pen.id, 1)
    const { district: _district, ...withoutDistrict } = GOOD_ADDRESS
    const answer = readData<CheckoutData>(await checkout(cookie, withoutDistrict))
    expect(answer.status).toBe(400)
    expect(answer.data.errors.district).toBe('请填写区县')
    expect(await ordersOf(user.id)).toEqual([])
  })

  it('answers 409 「…已售罄…」 when the units are gone, holding nothing of the other lines', async () => {
    const { user, cookie } = await buyer()
    const plenty = await createTestProduct({ capacity: 10 })
    const scarce = await createTestProduct({ title: '最后一支笔', capacity: 1 })
    const rival = await createTestUser()
    await placeOrder({ userId: rival.user.id, kind: 'goods', lines: [{ stockId: scarce.stock.id, qty: 1, unitPriceFen: 6800, title: '最后一支笔' }], now: new Date() })
    await putInCart(user.id, plenty.id, 2)
    await putInCart(user.id, scarce.id, 1)
    const answer = readData<CheckoutData>(await checkout(cookie))
    expect(answer.status).toBe(409)
    expect(answer.data.errors.form).toContain('「最后一支笔」已售罄')
    expect(await ordersOf(user.id)).toEqual([])
    await expectConsistent(plenty.stock.id, { available: 10 })
    expect(await cartOf(user.id)).toHaveLength(2)
  })

  it('two buyers racing for the last unit: one order is placed, the other is told 已售罄 (409)', async () => {
    const [a, b] = [await buyer(), await buyer()]
    const last = await createTestProduct({ title: '最后一本', capacity: 1 })
    await putInCart(a.user.id, last.id, 1)
    await putInCart(b.user.id, last.id, 1)
    const answers = await Promise.all([checkout(a.cookie), checkout(b.cookie)])
    const placed = answers.filter((answer) => answer instanceof Response)
    const refused = answers.filter((answer) => !(answer instanceof Response)).map((answer) => readData<CheckoutData>(answer))
    expect(placed).toHaveLength(1)
    expect(refused).toMatchObject([{ status: 409, data: { errors: { form: expect.stringContaining('「最后一本」已售罄') } } }])
    await expectConsistent(last.stock.id, { available: 0 })
  })

  it('answers 409 「每人限购 N 件（含待支付）」 when held and bought units already reach the limit', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ title: '纪念钢笔', perMemberLimit: 2, capacity: 100 })
    await putInCart(user.id, pen.id, 2)
    readRedirect(await checkout(cookie))
    await putInCart(user.id, pen.id, 1)
    const answer = readData<CheckoutData>(await checkout(cookie))
    expect(answer.status).toBe(409)
    expect(answer.data.errors.form).toBe('「纪念钢笔」每人限购 2 件（含待支付）')
    expect(await ordersOf(user.id)).toHaveLength(1)
    await expectConsistent(pen.stock.id, { available: 98 })
  })

  it('refuses a line the buyer may not buy (403 with the reason) and places nothing', async () => {
    const { user, cookie } = await buyer('qinqing')
    const notebook = await createTestProduct({ title: '黑金笔记本', minRank: 2 })
    await putInCart(user.id, notebook.id, 1)
    const answer = readData<CheckoutData>(await checkout(cookie))
    expect(answer.status).toBe(403)
    expect(answer.data.errors.form).toBe('「黑金笔记本」：本商品仅限铁杆会员购买，升级会员即可购买')
    expect(await ordersOf(user.id)).toEqual([])
  })
})

describe('立即购买: one line checked out alone', () => {
  const buyNowUrl = (productId: number, qty = '1', p?: string) =>
    `/checkout?${new URLSearchParams({ buy: String(productId), qty, ...(p === undefined ? {} : { p }) })}`

  it('shows only that line, priced for the buyer, with the way back to the product', async () => {
    const { user, cookie } = await buyer('tiegan')
    const pen = await createTestProduct({ title: '纪念钢笔', priceFen: 36800, memberPrices: { tiegan: 31800 }, personalisation: { label: '刻字', max: 12 } })
    const book = await createTestProduct({ title: '书单' })
    await putInCart(user.id, book.id, 3)
    const page = readData<{ lines: { title: string; qty: number; personalisation: string }[]; totalFen: number; back: { to: string; label: string }; buyNow: boolean }>(
      await loader(routeArgs(requestFor(buyNowUrl(pen.id, '2', '知音'), { cookie }))),
    )
    expect(page.data).toMatchObject({ lines: [{ title: '纪念钢笔', qty: 2, personalisation: '知音' }], totalFen: 63600, buyNow: true })
    expect(page.data.back).toEqual({ to: `/shop/p/${pen.slug}`, label: '返回商品' })
  })

  it('orders that line and leaves the cart as it was', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ title: '纪念钢笔', priceFen: 36800, capacity: 10 })
    const book = await createTestProduct({ title: '书单' })
    await putInCart(user.id, book.id, 3)
    await putInCart(user.id, pen.id, 1)
    const { location } = readRedirect(await action(routeArgs(requestFor(buyNowUrl(pen.id, '2'), { form: GOOD_ADDRESS, cookie }))))
    const [order] = await ordersOf(user.id)
    expect(location).toBe(`/pay/${order!.id}`)
    expect(order).toMatchObject({ totalFen: 2 * 36800 })
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order!.id))
    expect(lines).toMatchObject([{ productId: pen.id, qty: 2 }])
    expect(await cartOf(user.id)).toEqual([
      { productId: book.id, qty: 3, personalisation: '' },
      { productId: pen.id, qty: 1, personalisation: '' },
    ])
    await expectConsistent(pen.stock.id)
  })

  it('sends a visitor to sign in and come back to the same line', async () => {
    const response = await thrownResponse(loader(routeArgs(requestFor('/checkout?buy=7&qty=2'))))
    expect(response.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: '/checkout?buy=7&qty=2' })}`)
  })

  it.each([
    ['no quantity', '/checkout?buy=1'],
    ['a zero quantity', '/checkout?buy=1&qty=0'],
    ['a fractional quantity', '/checkout?buy=1&qty=1.5'],
    ['a product id that is not a number', '/checkout?buy=abc&qty=1'],
    ['an engraving over 200 characters', `/checkout?buy=1&qty=1&p=${'字'.repeat(201)}`],
  ])('refuses a link with %s: 400 with the reason, nothing ordered', async (_label, url) => {
    const { user, cookie } = await buyer()
    const page = await thrownResponse(loader(routeArgs(requestFor(url, { cookie }))))
    expect(page.status).toBe(400)
    const placing = await thrownResponse(action(routeArgs(requestFor(url, { form: GOOD_ADDRESS, cookie }))))
    expect(placing.status).toBe(400)
    expect(await placing.text()).toBe('立即购买的链接有误，请回到商品页重新选择。')
    expect(await ordersOf(user.id)).toEqual([])
  })

  it('refuses an engraving longer than the product allows (400), and a sold-out line (409), ordering nothing', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ title: '纪念钢笔', capacity: 1, personalisation: { label: '刻字', max: 4 } })
    const long = readData<CheckoutData>(await action(routeArgs(requestFor(buyNowUrl(pen.id, '1', '知音十年快乐'), { form: GOOD_ADDRESS, cookie }))))
    expect(long.status).toBe(400)
    expect(long.data.errors.form).toContain('纪念钢笔')
    const soldOut = readData<CheckoutData>(await action(routeArgs(requestFor(buyNowUrl(pen.id, '2'), { form: GOOD_ADDRESS, cookie }))))
    expect(soldOut.status).toBe(409)
    expect(await ordersOf(user.id)).toEqual([])
    await expectConsistent(pen.stock.id)
  })
})

