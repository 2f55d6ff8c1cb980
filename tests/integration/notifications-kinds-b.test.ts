// 到货提醒 / 开售提醒 (issue 13) against this file's SQLite database, WeChat in test mode: a reader
// asks on a sold-out or upcoming product page (and only then), and the job tells each waiting
// reader exactly once when units come back or the sale opens — never a reader who may not see it.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { emailOutbox, notifications, productAlerts, products, stock, wechatIdentities, wechatOutbox } from '../../db/schema'
import { setProductCapacity } from '~/models/product.server'
import { sendDueProductAlerts } from '~/models/product-alert.server'
import { releaseExpiredHolds } from '~/models/commerce.server'
import { action as productAction, loader as productLoader } from '~/routes/shop.p.$slug'
import { db } from '~/utils/db.server'
import { createTestProduct, productLine, type TestProduct } from '../factories/cart'
import { placeOk } from '../factories/orders'
import { readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie, type TierSlug } from '../factories/users'

const DAY = 24 * 3600_000

async function reader({ tier }: { tier?: TierSlug } = {}) {
  const { user } = await createTestUser({ tier })
  await db.insert(wechatIdentities).values({ userId: user.id, appId: 'test', openid: `o-kb-${user.id}` })
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

const pagePath = (product: TestProduct) => `/shop/p/${product.slug}`
const press = (product: TestProduct, cookie: string | undefined, on: '1' | '0' = '1') =>
  productAction(routeArgs(requestFor(pagePath(product), { form: { intent: 'alert', on }, cookie }), { slug: product.slug }))
const page = (product: TestProduct, cookie?: string) => productLoader(routeArgs(requestFor(pagePath(product), { cookie }), { slug: product.slug }))
const alertsOn = (productId: number) => db.select().from(productAlerts).where(eq(productAlerts.productId, productId))
const notificationsOf = (userId: number) => db.select().from(notifications).where(eq(notifications.userId, userId))

/** A product whose last unit is held by a pending order of another buyer (sold out until it lapses). */
async function soldOutByHold(options: Parameters<typeof createTestProduct>[0] = {}) {
  const product = await createTestProduct({ capacity: 1, ...options })
  const { user: buyer } = await createTestUser()
  await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
  return product
}

describe('到货提醒 / 开售提醒 on the product page', () => {
  it('a signed-in reader presses 到货提醒 on a sold-out product: one alert is stored, and pressing again turns it off', async () => {
    const product = await soldOutByHold()
    const { user, cookie } = await reader()
    expect((await page(product, cookie)).alert).toEqual({ kind: 'back', on: false })

    expect(readRedirect(await press(product, cookie)).location).toBe(pagePath(product))
    // A double submit of the same button stores nothing more.
    readRedirect(await press(product, cookie))
    expect(await alertsOn(product.id)).toMatchObject([{ userId: user.id, kind: 'back' }])
    expect((await page(product, cookie)).alert).toEqual({ kind: 'back', on: true })

    // The button now reads 取消提醒 and sends on=0.
    readRedirect(await press(product, cookie, '0'))
    expect(await alertsOn(product.id)).toHaveLength(0)
    expect((await page(product, cookie)).alert).toEqual({ kind: 'back', on: false })
  })

  it('refuses with a zh-CN 409 on a product that is on sale with units left, or whose sale ended, and stores nothing', async () => {
    const { cookie } = await reader()
    for (const product of [await createTestProduct({ capacity: 5 }), await createTestProduct({ capacity: 0, saleEndsAt: new Date(Date.now() - DAY) })]) {
      expect((await page(product, cookie)).alert).toBeNull()
      const result = await press(product, cookie)
      expect(result).toMatchObject({ init: { status: 409 }, data: { alertError: '这件商品现在可以直接购买或已停售，无需提醒' } })
      expect(await alertsOn(product.id)).toHaveLength(0)
    }
  })

  it('sends a visitor to sign in and back, storing nothing', async () => {
    const product = await soldOutByHold()
    const response = await thrownResponse(press(product, undefined))
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: pagePath(product) })}`)
    expect(await alertsOn(product.id)).toHaveLength(0)
  })

  it('a product hidden below the reader’s tier does not exist for them: 404, nothing stored', async () => {
    const product = await soldOutByHold({ minRank: 2, gatedVisibility: 'hidden' })
    const { cookie } = await reader()
    expect((await thrownResponse(press(product, cookie))).status).toBe(404)
    expect(await alertsOn(product.id)).toHaveLength(0)
  })
})

describe('the product alert job', () => {
  it('units returned by a lapsed hold: each waiting reader is told once on the bell, by email and on WeChat, even with two passes at once', async () => {
    await db.delete(productAlerts)
    const product = await soldOutByHold()
    const readers = await Promise.all([reader(), reader(), reader()])
    for (const { cookie } of readers) readRedirect(await press(product, cookie))

    // Still sold out: nobody is told.
    expect(await sendDueProductAlerts(new Date())).toBe(0)

    const later = new Date(Date.now() + DAY)
    await releaseExpiredHolds(later)
    const passes = await Promise.all([sendDueProductAlerts(later), sendDueProductAlerts(later)])
    expect(passes[0]! + passes[1]!).toBe(3)
    expect(await sendDueProductAlerts(later)).toBe(0)

    for (const { user } of readers) {
      const mine = await notificationsOf(user.id)
      expect(mine).toMatchObject([{ kind: 'product_back', data: { path: pagePath(product), title: product.title } }])
      expect(mine[0]!.key).toMatch(new RegExp(`^product_back:${product.id}:\\d+$`))
      expect(await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.template, 'notification-product_back')))).toHaveLength(1)
      expect(await db.select().from(wechatOutbox).where(eq(wechatOutbox.notificationId, mine[0]!.id))).toHaveLength(1)
    }
    // Consumed: the page offers nothing to wait for now that it can be bought.
    expect(await alertsOn(product.id)).toHaveLength(0)
  })

  it('an alert fires once; pressing again after the next sell-out re-arms it and it fires again', async () => {
    await db.delete(productAlerts)
    const product = await createTestProduct({ capacity: 0 })
    const { user, cookie } = await reader()
    readRedirect(await press(product, cookie))
    // The admin raises the capacity.
    expect(await setProductCapacity({ productId: product.id, capacity: 1, actorId: user.id })).toEqual({ ok: true })
    expect(await sendDueProductAlerts()).toBe(1)

    // Sold out again, the reader asks again, and hears again when a unit comes back.
    await db.update(stock).set({ sold: 1 }).where(eq(stock.id, product.stock.id))
    readRedirect(await press(product, cookie))
    expect(await sendDueProductAlerts()).toBe(0)
    await db.update(stock).set({ sold: 0 }).where(eq(stock.id, product.stock.id))
    expect(await sendDueProductAlerts()).toBe(1)
    const mine = await notificationsOf(user.id)
    expect(mine.map((row) => row.kind)).toEqual(['product_back', 'product_back'])
    expect(new Set(mine.map((row) => row.key)).size).toBe(2)
  })

  it('开售提醒: pressed before the sale, told once at opening time, not before', async () => {
    await db.delete(productAlerts)
    const opensAt = new Date(Date.now() + 3600_000)
    const product = await createTestProduct({ capacity: 10, saleStartsAt: opensAt })
    const { user, cookie } = await reader()
    expect((await page(product, cookie)).alert).toEqual({ kind: 'on_sale', on: false })
    readRedirect(await press(product, cookie))

    expect(await sendDueProductAlerts(new Date(opensAt.getTime() - 1000))).toBe(0)
    const passes = await Promise.all([sendDueProductAlerts(opensAt), sendDueProductAlerts(opensAt)])
    expect(passes[0]! + passes[1]!).toBe(1)
    expect(await sendDueProductAlerts(new Date(opensAt.getTime() + 15_000))).toBe(0)
    expect(await notificationsOf(user.id)).toMatchObject([{ kind: 'product_on_sale', key: expect.stringMatching(`^product_on_sale:${product.id}:`), data: { path: pagePath(product) } }])
  })

  it('开售提醒 of a product that opens with nothing to sell (capacity 0) waits until units are on sale: 「开售」 must mean it can be bought', async () => {
    await db.delete(productAlerts)
    const opensAt = new Date(Date.now() + 3600_000)
    const product = await createTestProduct({ capacity: 0, saleStartsAt: opensAt })
    const { user, cookie } = await reader()
    readRedirect(await press(product, cookie))
    expect(await sendDueProductAlerts(new Date(opensAt.getTime() + 1000))).toBe(0)
    expect(await notificationsOf(user.id)).toHaveLength(0)
    expect(await setProductCapacity({ productId: product.id, capacity: 5, actorId: user.id })).toEqual({ ok: true })
    expect(await sendDueProductAlerts(new Date(opensAt.getTime() + 2000))).toBe(1)
    expect(await notificationsOf(user.id)).toMatchObject([{ kind: 'product_on_sale' }])
  })

  it('a reader who may no longer see the product (hidden below a tier since) is not told; a member who may is', async () => {
    await db.delete(productAlerts)
    const product = await soldOutByHold()
    const outsider = await reader()
    const member = await reader({ tier: 'tiegan' })
    readRedirect(await press(product, outsider.cookie))
    readRedirect(await press(product, member.cookie))
    await db.update(products).set({ minRank: 2, gatedVisibility: 'hidden' }).where(eq(products.id, product.id))

    const later = new Date(Date.now() + DAY)
    await releaseExpiredHolds(later)
    expect(await sendDueProductAlerts(later)).toBe(1)
    expect(await notificationsOf(outsider.user.id)).toHaveLength(0)
    expect(await notificationsOf(member.user.id)).toMatchObject([{ kind: 'product_back' }])
  })
})
