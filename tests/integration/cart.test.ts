// /cart against the real database: what the add form refuses (and that the cart stays as it
// was), the signed-in cart in cart_items, the visitor's cart in a signed cookie, and how the
// visitor's cart joins the account at sign-in.
import { describe, expect, it } from 'vitest'
import { cartItems } from '../../db/schema'
import { placeOrder } from '~/models/commerce.server'
import { loader as rootLoader } from '~/root'
import { action, loader } from '~/routes/cart'
import { action as loginAction } from '~/routes/login'
import { cartCookieOf, cartOf, createTestProduct, putInCart } from '../factories/cart'
import { countRows } from '../factories/db'
import { cookiePairOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf } from '../factories/requests'
import { createTestUser, signedInCookie, type TierSlug } from '../factories/users'

type CartActionData = { errors: Record<string, string>; line: string | null; title: string | null }

async function member(tier?: TierSlug) {
  const { user } = await createTestUser({ tier })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

function post(form: Record<string, string>, cookie?: string) {
  return action(routeArgs(requestFor('/cart', { form, cookie })))
}

/** An unpaid order for `qty` units: they count as held towards the per-member limit. */
function orderUnits(userId: number, product: Awaited<ReturnType<typeof createTestProduct>>, qty: number) {
  const { stock, priceFen, title, id, perMemberLimit } = product
  return placeOrder({
    userId,
    kind: 'goods',
    lines: [{ stockId: stock.id, qty, unitPriceFen: priceFen, title, productId: id, perUserLimit: perMemberLimit }],
    now: new Date(),
  })
}

async function view(cookie?: string) {
  return readData<Awaited<ReturnType<typeof loader>>['data']>(await loader(routeArgs(requestFor('/cart', { cookie }))))
}

describe('adding to the cart refuses bad input with a 4xx and leaves the cart as it was', () => {
  it.each([['0'], ['-1'], ['1.5'], ['100'], ['99999999999999999999'], ['abc'], ['']])('quantity %j → 400 「数量须为 1 到 99 的整数」', async (qty) => {
    const { user, cookie } = await member()
    const product = await createTestProduct()
    const answer = readData<CartActionData>(await post({ intent: 'add', productId: String(product.id), qty }, cookie))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ qty: '数量须为 1 到 99 的整数' })
    expect(await cartOf(user.id)).toEqual([])
  })

  it('an unknown, unpublished or malformed product → 400 「商品不存在或已下架」', async () => {
    const { user, cookie } = await member()
    const draft = await createTestProduct({ published: false })
    for (const productId of ['999999', String(draft.id), 'pen', '']) {
      const answer = readData<CartActionData>(await post({ intent: 'add', productId, qty: '1' }, cookie))
      expect(answer.status).toBe(400)
      expect(answer.data.errors.form).toBe('商品不存在或已下架')
    }
    expect(await cartOf(user.id)).toEqual([])
  })

  it('a 铁杆-only product for a 亲情 member → 403 with the reason', async () => {
    const { user, cookie } = await member('qinqing')
    const notebook = await createTestProduct({ minRank: 2, title: '黑金笔记本' })
    const answer = readData<CartActionData>(await post({ intent: 'add', productId: String(notebook.id), qty: '1' }, cookie))
    expect(answer.status).toBe(403)
    expect(answer.data.errors.form).toBe('本商品仅限铁杆会员购买，升级会员即可购买')
    expect(answer.data.title).toBe('黑金笔记本')
    expect(await cartOf(user.id)).toEqual([])
  })

  it('a product whose sale has not opened → 403, for visitors too', async () => {
    const product = await createTestProduct({ saleStartsAt: new Date(Date.now() + 86_400_000) })
    const answer = readData<CartActionData>(await post({ intent: 'add', productId: String(product.id), qty: '1' }))
    expect(answer.status).toBe(403)
    expect(answer.data.errors.form).toBe('该商品还未开售')
    expect(cartCookieOf(answer.headers.getSetCookie())).toBeNull()
  })

  it('an engraving over its length → 400 on the personalisation field', async () => {
    const { user, cookie } = await member()
    const pen = await createTestProduct({ personalisation: { label: '刻字', max: 12 } })
    const answer = readData<CartActionData>(
      await post({ intent: 'add', productId: String(pen.id), qty: '1', personalisation: '一二三四五六七八九十一二三' }, cookie),
    )
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ personalisation: '刻字不能超过 12 个字' })
    expect(await cartOf(user.id)).toEqual([])
  })

  it('more than the per-member limit, counting what is already in the cart → 400 「每人限购 2 件」', async () => {
    const { user, cookie } = await member()
    const pen = await createTestProduct({ perMemberLimit: 2, personalisation: { label: '刻字', max: 12 } })
    await putInCart(user.id, pen.id, 1, '知音')
    // Another engraving is another line, but the same product: 1 + 2 > 2.
    const answer = readData<CartActionData>(await post({ intent: 'add', productId: String(pen.id), qty: '2' }, cookie))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ qty: '每人限购 2 件' })
    expect(await cartOf(user.id)).toEqual([{ productId: pen.id, qty: 1, personalisation: '知音' }])
  })

  it('units already bought or waiting for payment count towards the limit', async () => {
    const { user, cookie } = await member()
    const pen = await createTestProduct({ title: '纪念钢笔', perMemberLimit: 2 })
    await orderUnits(user.id, pen, 2)
    const answer = readData<CartActionData>(await post({ intent: 'add', productId: String(pen.id), qty: '1' }, cookie))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ qty: '每人限购 2 件（你已购买或待支付 2 件）' })
    expect(await cartOf(user.id)).toEqual([])
    // A line put in the cart before is marked on the cart page, so checkout is not offered.
    await putInCart(user.id, pen.id, 1)
    const { data } = await view(cookie)
    expect(data.lines[0]!.problem).toBe('每人限购 2 件（你已购买或待支付 2 件）')
    expect(data.blocked).toBe(true)
  })

  it('a sold-out product → 409 「已售罄」', async () => {
    const { user, cookie } = await member()
    const gone = await createTestProduct({ capacity: 0 })
    const answer = readData<CartActionData>(await post({ intent: 'add', productId: String(gone.id), qty: '1' }, cookie))
    expect(answer.status).toBe(409)
    expect(answer.data.errors).toEqual({ qty: '已售罄' })
    expect(await cartOf(user.id)).toEqual([])
  })
})

describe('a signed-in cart', () => {
  it('adding the same product and engraving again adds to the line; another engraving is another line', async () => {
    const { user, cookie } = await member()
    const pen = await createTestProduct({ personalisation: { label: '刻字', max: 12 } })
    const add = (qty: string, personalisation: string) => post({ intent: 'add', productId: String(pen.id), qty, personalisation }, cookie)
    expect(readRedirect(await add('1', ' 知音 ')).location).toBe('/cart')
    await add('2', '知音')
    await add('1', '')
    expect(await cartOf(user.id)).toEqual([
      { productId: pen.id, qty: 3, personalisation: '知音' },
      { productId: pen.id, qty: 1, personalisation: '' },
    ])
  })

  it('「立即购买」 goes on to /checkout with that line alone and leaves the cart as it is', async () => {
    const { user, cookie } = await member()
    const product = await createTestProduct({ personalisation: { label: '刻字', max: 12 } })
    await putInCart(user.id, product.id, 1)
    const buy = await post({ intent: 'buy', productId: String(product.id), qty: '2', personalisation: ' 知音 ' }, cookie)
    expect(readRedirect(buy).location).toBe(`/checkout?buy=${product.id}&qty=2&p=${encodeURIComponent('知音')}`)
    expect(await cartOf(user.id)).toEqual([{ productId: product.id, qty: 1, personalisation: '' }])
  })

  it('「立即购买」 counts units already bought or held against the limit, but not the cart', async () => {
    const { user, cookie } = await member()
    const product = await createTestProduct({ perMemberLimit: 2 })
    await putInCart(user.id, product.id, 2)
    expect(readRedirect(await post({ intent: 'buy', productId: String(product.id), qty: '2' }, cookie)).location).toBe(`/checkout?buy=${product.id}&qty=2`)
    const over = readData<CartActionData>(await post({ intent: 'buy', productId: String(product.id), qty: '3' }, cookie))
    expect(over.status).toBe(400)
    expect(over.data.errors).toEqual({ qty: '每人限购 2 件' })
    await orderUnits(user.id, product, 1)
    const held = readData<CartActionData>(await post({ intent: 'buy', productId: String(product.id), qty: '2' }, cookie))
    expect(held.status).toBe(400)
    expect(held.data.errors).toEqual({ qty: '每人限购 2 件（你已购买或待支付 1 件）' })
    expect(await cartOf(user.id)).toEqual([{ productId: product.id, qty: 2, personalisation: '' }])
  })

  it('updates a quantity (more only within the limit) and removes a line', async () => {
    const { user, cookie } = await member()
    const product = await createTestProduct({ perMemberLimit: 3 })
    await putInCart(user.id, product.id, 1)
    readRedirect(await post({ intent: 'update', productId: String(product.id), qty: '3' }, cookie))
    expect(await cartOf(user.id)).toEqual([{ productId: product.id, qty: 3, personalisation: '' }])
    const over = readData<CartActionData>(await post({ intent: 'update', productId: String(product.id), qty: '4' }, cookie))
    expect(over.status).toBe(400)
    expect(over.data).toMatchObject({ errors: { qty: '每人限购 3 件' }, line: `${product.id}:` })
    const bad = readData<CartActionData>(await post({ intent: 'update', productId: String(product.id), qty: '0' }, cookie))
    expect(bad.status).toBe(400)
    expect(await cartOf(user.id)).toEqual([{ productId: product.id, qty: 3, personalisation: '' }])
    readRedirect(await post({ intent: 'remove', productId: String(product.id), personalisation: '' }, cookie))
    expect(await cartOf(user.id)).toEqual([])
  })

  it('refuses an unknown intent', async () => {
    const { cookie } = await member()
    expect(readData(await post({ intent: 'steal', productId: '1', qty: '1' }, cookie)).status).toBe(400)
  })

  it('shows each line at the viewer’s price with the stock left, and marks what cannot be bought', async () => {
    const { user, cookie } = await member('qinqing')
    const pen = await createTestProduct({ title: '纪念钢笔', priceFen: 36800, memberPrices: { qinqing: 33800, tiegan: 31800 }, capacity: 10 })
    // Units held by someone else's pending order are not left to buy.
    const rival = await createTestUser()
    await placeOrder({ userId: rival.user.id, kind: 'goods', lines: [{ stockId: pen.stock.id, qty: 3, unitPriceFen: 36800, title: '纪念钢笔' }], now: new Date() })
    const notebook = await createTestProduct({ title: '黑金笔记本', minRank: 2, priceFen: 12800 })
    await putInCart(user.id, pen.id, 2)
    await putInCart(user.id, notebook.id, 1)
    const { data } = await view(cookie)
    expect(data.lines).toMatchObject([
      { title: '纪念钢笔', unitPriceFen: 33800, basePriceFen: 36800, qty: 2, lowStock: 7, problem: null },
      { title: '黑金笔记本', unitPriceFen: 12800, problem: '本商品仅限铁杆会员购买，升级会员即可购买' },
    ])
    expect(data).toMatchObject({ totalFen: 2 * 33800 + 12800, units: 3, blocked: true, signedIn: true })
    // Nothing of a product's description reaches the page.
    expect(JSON.stringify(data)).not.toContain('商品详情')
  })
})

describe("a visitor's cart", () => {
  it('lives in a signed cookie that the cart page reads back', async () => {
    const product = await createTestProduct({ title: '书单' })
    const rowsBefore = await countRows(cartItems)
    const added = readRedirect(await post({ intent: 'add', productId: String(product.id), qty: '2' }))
    const cookie = cartCookieOf(added.cookies)
    expect(cookie).not.toBeNull()
    expect(await countRows(cartItems)).toBe(rowsBefore)
    const { data } = await view(cookie!)
    expect(data.lines).toMatchObject([{ title: '书单', qty: 2 }])
    expect(data.signedIn).toBe(false)
  })

  it('ignores a cookie that was tampered with', async () => {
    const product = await createTestProduct()
    const cookie = cartCookieOf(readRedirect(await post({ intent: 'add', productId: String(product.id), qty: '1' })).cookies)!
    const forged = `zhiyin_cart=${Buffer.from(JSON.stringify([{ productId: product.id, qty: 99, personalisation: '' }])).toString('base64')}.${cookie.split('.').pop()}`
    expect((await view(forged)).data.lines).toEqual([])
  })

  it('survives signing in: merged into the account (same product and engraving add up), and the cookie is cleared', async () => {
    const { user, password } = await createTestUser()
    const pen = await createTestProduct({ personalisation: { label: '刻字', max: 12 } })
    const book = await createTestProduct()
    await putInCart(user.id, pen.id, 1, '知音')

    let visitor = cartCookieOf(readRedirect(await post({ intent: 'add', productId: String(pen.id), qty: '2', personalisation: '知音' })).cookies)!
    visitor = cartCookieOf(readRedirect(await post({ intent: 'add', productId: String(book.id), qty: '1' }, visitor)).cookies)!

    const signedIn = readRedirect(await loginAction(routeArgs(requestFor('/login', { form: { email: user.email, password }, cookie: visitor }))))
    const session = sessionCookieOf(signedIn.cookies)!.pair
    const both = `${session}; ${visitor}`

    const first = await view(both)
    expect(first.data.lines).toMatchObject([
      { productId: pen.id, qty: 3, personalisation: '知音' },
      { productId: book.id, qty: 1 },
    ])
    expect(await cartOf(user.id)).toEqual([
      { productId: pen.id, qty: 3, personalisation: '知音' },
      { productId: book.id, qty: 1, personalisation: '' },
    ])
    const cleared = first.headers.get('Set-Cookie') ?? ''
    expect(cleared).toMatch(/^zhiyin_cart=;/)
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
    // With the cookie gone, the cart is the account's: nothing is merged a second time.
    expect((await view(session)).data.lines).toMatchObject([{ qty: 3 }, { qty: 1 }])
  })
})

// Issue 18: a reader who tapped 加入购物车 and opened /shop before /cart arrived met
// 「已加入购物车」 on /shop. The confirmation belongs to /cart and is dropped anywhere else.
describe('「已加入购物车」 shows on /cart only', () => {
  /** What the root loader gives a page at `path`: the flash it shows and whether it cleared it. */
  async function flashOn(path: string, cookie: string) {
    const page = readData<{ flash: { message: string } | null }>(await rootLoader(routeArgs(requestFor(path, { cookie }))))
    return { message: page.data.flash?.message ?? null, cleared: page.headers.getSetCookie().some((c) => /^zhiyin_flash=;/.test(c)) }
  }

  it.each([['a visitor', false], ['a signed-in reader', true]])('%s who opens another page before /cart arrives sees no 「已加入购物车」 there; /cart shows it', async (_who, signedIn) => {
    const product = await createTestProduct()
    const reader = signedIn ? (await member()).cookie : undefined
    const added = readRedirect(await post({ intent: 'add', productId: String(product.id), qty: '1' }, reader))
    expect(added.location).toBe('/cart')
    const flash = cookiePairOf(added.cookies, 'zhiyin_flash')!
    const cookie = [reader, flash].filter(Boolean).join('; ')

    for (const elsewhere of ['/shop', '/shop?category=books', `/shop/p/${product.slug}`]) {
      expect(await flashOn(elsewhere, cookie)).toEqual({ message: null, cleared: true })
    }
    expect(await flashOn('/cart', cookie)).toEqual({ message: '已加入购物车', cleared: true })
  })
})
