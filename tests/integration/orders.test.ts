// The buyer's /orders and /orders/:id against the real database: only the owner's orders,
// newest first in pages of 20; the timeline data, edition numbers and delivery; cancelling
// gives the stock back; 确认收货 once shipped; a mystery item's contents only after payment.
import { eq } from 'drizzle-orm'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { courses, holds, media, orders, productImages } from '../../db/schema'
import { OrderTimeline } from '~/components/order-timeline'
import { confirmPayment, placeOrder, requestRefund } from '~/models/commerce.server'
import { placeCourseOrder } from '~/models/course-orders.server'
import { loader as coverLoader } from '~/routes/courses.$slug_.cover'
import { loader as listLoader } from '~/routes/orders._index'
import { action, loader } from '~/routes/orders.$id'
import { db } from '~/utils/db.server'
import { formatDateTime } from '~/utils/format'
import { GOOD_ADDRESS, createTestProduct } from '../factories/cart'
import { insertCourse } from '../factories/courses'
import { expectConsistent, paidNotice } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

async function buyer() {
  const { user } = await createTestUser()
  const { cookie } = await signedInCookie(user.id)
  return { user, cookie }
}

type Product = Awaited<ReturnType<typeof createTestProduct>>

async function order(userId: number, product: Product, { qty = 1, personalisation = null as string | null, now = new Date() } = {}) {
  const result = await placeOrder({
    userId,
    kind: 'goods',
    lines: [
      {
        stockId: product.stock.id,
        qty,
        unitPriceFen: product.priceFen,
        title: product.title,
        productId: product.id,
        personalisation,
        perUserLimit: product.perMemberLimit,
        takesNumbers: product.limitedEdition,
      },
    ],
    shipping: GOOD_ADDRESS,
    now,
  })
  if (!result.ok) throw new Error(result.reason)
  return result.order
}

async function pay(o: { id: number; totalFen: number }) {
  const { outcome } = await confirmPayment(paidNotice(o))
  expect(outcome).toBe('paid')
}

function detail(id: number | string, cookie: string) {
  return loader(routeArgs(requestFor(`/orders/${id}`, { cookie }), { id: String(id) }))
}

function post(id: number, cookie: string, intent: string) {
  return action(routeArgs(requestFor(`/orders/${id}`, { cookie, form: { intent } }), { id: String(id) }))
}

async function stateOf(id: number) {
  const [row] = await db.select({ state: orders.state }).from(orders).where(eq(orders.id, id))
  return row!.state
}

describe('/orders', () => {
  it("lists only the user's orders, newest first, 20 to a page, with the first line's title", async () => {
    const { user, cookie } = await buyer()
    const stranger = await buyer()
    const product = await createTestProduct({ title: '书单', capacity: null, priceFen: 1000 })
    const start = Date.now() - 60 * 60_000
    const mine: number[] = []
    for (let i = 0; i < 21; i++) mine.push((await order(user.id, product, { qty: i + 1, now: new Date(start + i * 1000) })).id)
    await order(stranger.user.id, product)

    const first = await listLoader(routeArgs(requestFor('/orders', { cookie })))
    expect(first.orders).toHaveLength(20)
    expect(first.hasMore).toBe(true)
    expect(first.orders[0]).toMatchObject({ firstTitle: '书单', units: 21, lineCount: 1, totalFen: 21 * 1000 })
    const second = await listLoader(routeArgs(requestFor('/orders?page=2', { cookie })))
    expect(second.orders.map((o) => o.units)).toEqual([1])
    expect(second.hasMore).toBe(false)
    expect([...first.orders, ...second.orders].map((o) => o.id)).toEqual([...mine].reverse())
    // A malformed page is the first page.
    expect((await listLoader(routeArgs(requestFor('/orders?page=-3', { cookie })))).page).toBe(1)
  })

  it('shows an order whose hold lapsed as 已过期', async () => {
    const { user, cookie } = await buyer()
    const product = await createTestProduct({ capacity: 3 })
    await order(user.id, product, { now: new Date(Date.now() - 60 * 60_000) })
    const { orders: listed } = await listLoader(routeArgs(requestFor('/orders', { cookie })))
    expect(listed[0]!.state).toBe('expired')
    // Read, not written: the job (or the next write on the stock) releases the hold.
    expect(await stateOf(listed[0]!.id)).toBe('pending')
    await expectConsistent(product.stock.id, { held: 1 })
  })

  it("shows each order's first product photo, and on an unpaid order the hold's deadline for 去支付", async () => {
    const { user, cookie } = await buyer()
    const product = await createTestProduct({ title: '带图的笔记本', capacity: 10 })
    const photo = { kind: 'image' as const, mimeType: 'image/webp', bytes: 1, originalName: 'a.webp' }
    await db.insert(media).values([
      { id: `thumb-${product.id}`, path: `t-${product.id}.webp`, ...photo },
      { id: `large-${product.id}`, path: `l-${product.id}.webp`, ...photo },
    ])
    await db.insert(productImages).values({ productId: product.id, position: 1, thumbMediaId: `thumb-${product.id}`, largeMediaId: `large-${product.id}` })
    const plain = await createTestProduct({ title: '无图商品', capacity: 10 })
    const paid = await order(user.id, plain)
    await pay(paid)
    const unpaid = await order(user.id, product)

    const data = await listLoader(routeArgs(requestFor('/orders', { cookie })))
    const [first, second] = data.orders
    expect(first).toMatchObject({ id: unpaid.id, state: 'pending', picture: { src: `/media/thumb-${product.id}`, kind: 'goods' } })
    expect(new Date(first!.payBy!.at).getTime()).toBe(unpaid.expiresAt.getTime())
    expect(first!.payBy!.label).toBe(formatDateTime(unpaid.expiresAt, 'Asia/Shanghai'))
    expect(second).toMatchObject({ id: paid.id, state: 'paid', picture: { src: null, kind: 'goods' }, payBy: null })
    expect(Math.abs(new Date(data.serverNow).getTime() - Date.now())).toBeLessThan(5000)
  })

  it('sends a visitor to sign in', async () => {
    const response = await thrownResponse(listLoader(routeArgs(requestFor('/orders'))))
    expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Forders')
  })
})

describe('/orders/:id', () => {
  it("answers 404 for someone else's order (page and actions), and for ids that do not exist", async () => {
    const owner = await buyer()
    const stranger = await buyer()
    const product = await createTestProduct()
    const o = await order(owner.user.id, product)
    expect((await thrownResponse(detail(o.id, stranger.cookie))).status).toBe(404)
    expect((await thrownResponse(post(o.id, stranger.cookie, 'cancel'))).status).toBe(404)
    expect((await thrownResponse(post(o.id, stranger.cookie, 'confirm_receipt'))).status).toBe(404)
    expect(await stateOf(o.id)).toBe('pending')
    for (const id of ['999999', 'abc', '1.5', '0']) expect((await thrownResponse(detail(id, owner.cookie))).status).toBe(404)
  })

  it('shows a pending order with its lines, address and the hold to count down', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ title: '纪念钢笔', personalisation: { label: '刻字', max: 12 } })
    const o = await order(user.id, pen, { personalisation: '知音' })
    const page = await detail(o.id, cookie)
    expect(page.order).toMatchObject({ id: o.id, state: 'pending', expiresAt: o.expiresAt, shipping: GOOD_ADDRESS, paidAt: null })
    expect(page.lines).toEqual([
      expect.objectContaining({ title: '纪念钢笔', personalisation: '知音', personalisationLabel: '刻字', numbers: [], reveal: null }),
    ])
    expect(page.serverNow).toBeInstanceOf(Date)
  })

  it('cancelling an unpaid order gives its stock back; a paid one cannot be cancelled', async () => {
    const { user, cookie } = await buyer()
    const product = await createTestProduct({ capacity: 2 })
    const unpaid = await order(user.id, product)
    expect(readRedirect(await post(unpaid.id, cookie, 'cancel')).location).toBe(`/orders/${unpaid.id}`)
    expect(await stateOf(unpaid.id)).toBe('cancelled')
    await expectConsistent(product.stock.id, { available: 2 })
    expect(await db.select({ state: holds.state }).from(holds).where(eq(holds.orderId, unpaid.id))).toEqual([{ state: 'released' }])

    const paid = await order(user.id, product)
    await pay(paid)
    readRedirect(await post(paid.id, cookie, 'cancel'))
    expect(await stateOf(paid.id)).toBe('paid')
    await expectConsistent(product.stock.id, { available: 1 })
  })

  it('refuses an unknown intent with 400', async () => {
    const { user, cookie } = await buyer()
    const o = await order(user.id, await createTestProduct())
    expect(readData(await post(o.id, cookie, 'refund')).status).toBe(400)
    expect(await stateOf(o.id)).toBe('pending')
  })

  it('shows edition numbers against the edition size once paid', async () => {
    const { user, cookie } = await buyer()
    const pen = await createTestProduct({ capacity: 500, limitedEdition: true })
    const o = await order(user.id, pen, { qty: 2 })
    await pay(o)
    const page = await detail(o.id, cookie)
    expect(page.order.state).toBe('paid')
    expect(page.order.paidAt).toBeInstanceOf(Date)
    expect(page.lines[0]).toMatchObject({ numbers: [1, 2], editionSize: 500 })
  })

  it('reveals a mystery item’s contents only after payment — never in the data before', async () => {
    const { user, cookie } = await buyer()
    const box = await createTestProduct({ title: '神秘书单盲盒', mystery: true, description: '## 本期书单\n\n1. 《置身事内》' })
    const o = await order(user.id, box)
    const before = await detail(o.id, cookie)
    expect(before.lines[0]!.reveal).toBeNull()
    expect(JSON.stringify(before)).not.toContain('置身事内')

    await pay(o)
    const after = await detail(o.id, cookie)
    expect(after.lines[0]!.reveal).toContain('<h2>本期书单</h2>')
    expect(after.lines[0]!.reveal).toContain('《置身事内》')
  })

  it('a non-mystery product’s description is never part of the order page', async () => {
    const { user, cookie } = await buyer()
    const product = await createTestProduct({ description: '普通商品的详情' })
    const o = await order(user.id, product)
    await pay(o)
    expect(JSON.stringify(await detail(o.id, cookie))).not.toContain('普通商品的详情')
  })

  it('shows the carrier and tracking number once shipped, and 确认收货 completes it — only from shipped', async () => {
    const { user, cookie } = await buyer()
    const o = await order(user.id, await createTestProduct())
    readRedirect(await post(o.id, cookie, 'confirm_receipt'))
    expect(await stateOf(o.id)).toBe('pending')

    await pay(o)
    await db.update(orders).set({ state: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890', shippedAt: new Date() }).where(eq(orders.id, o.id))
    const page = await detail(o.id, cookie)
    expect(page.order).toMatchObject({ state: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890' })

    readRedirect(await post(o.id, cookie, 'confirm_receipt'))
    const [row] = await db.select().from(orders).where(eq(orders.id, o.id))
    expect(row).toMatchObject({ state: 'completed' })
    expect(row!.completedAt).toBeInstanceOf(Date)
    // A second press changes nothing.
    readRedirect(await post(o.id, cookie, 'confirm_receipt'))
    expect(await stateOf(o.id)).toBe('completed')
  })

  it('shows an order whose hold lapsed as 已过期 without writing: the row stays until the job releases it', async () => {
    const { user, cookie } = await buyer()
    const product = await createTestProduct({ capacity: 1 })
    const placedAt = new Date(Date.now() - 11 * 60_000)
    const o = await order(user.id, product, { now: placedAt })
    const page = await detail(o.id, cookie)
    expect(page.order.state).toBe('expired')
    expect(page.order.expiredAt).toEqual(o.expiresAt)
    expect(await stateOf(o.id)).toBe('pending')
    await expectConsistent(product.stock.id, { held: 1 })
  })
})

// ---- orders of a course: its cover, and steps of its own (decision 051) -------------------------

describe('a course order on /orders and /orders/:id', () => {
  async function boughtCourse(userId: number, { cover = true, paid = true } = {}) {
    const { course } = await insertCourse({ priceFen: 9900, title: cover ? '有封面的课' : '没有封面的课' })
    if (!cover) await db.update(courses).set({ coverId: null }).where(eq(courses.id, course.id))
    const placed = await placeCourseOrder({ userId, courseId: course.id, now: new Date() })
    if (!placed.ok) throw new Error(placed.reason)
    if (paid) await pay(placed.order)
    return { course, order: placed.order }
  }

  /** The timeline as the buyer reads it: the steps' words, in order. */
  function timelineText(order: Parameters<typeof OrderTimeline>[0]['order']) {
    return renderToStaticMarkup(createElement(OrderTimeline, { order, timeZone: 'Asia/Shanghai' }))
  }

  it('the list shows the course’s cover beside the order, a URL that answers with the cover; a course without one gets the course fallback', async () => {
    const { user, cookie } = await buyer()
    const withCover = await boughtCourse(user.id)
    const withoutCover = await boughtCourse(user.id, { cover: false })
    const goods = await order(user.id, await createTestProduct({ title: '无图商品' }))

    const { orders: listed } = await listLoader(routeArgs(requestFor('/orders', { cookie })))
    const byId = new Map(listed.map((o) => [o.id, o]))
    const coverUrl = `/courses/${withCover.course.slug}/cover?v=${withCover.course.coverId}`
    expect(byId.get(withCover.order.id)).toMatchObject({ kind: 'course', firstTitle: '有封面的课', picture: { src: coverUrl, kind: 'course' } })
    expect(byId.get(withoutCover.order.id)).toMatchObject({ kind: 'course', picture: { src: null, kind: 'course' } })
    expect(byId.get(goods.id)).toMatchObject({ kind: 'goods', picture: { src: null, kind: 'goods' } })

    const cover = await coverLoader(routeArgs(requestFor(coverUrl), { slug: withCover.course.slug }))
    expect(cover.status).toBe(200)
    expect(cover.headers.get('Content-Type')).toBe('image/jpeg')
  })

  it('a course taken off the shelf falls back: its cover is no longer answered to readers', async () => {
    const { user, cookie } = await buyer()
    const { course, order: bought } = await boughtCourse(user.id)
    await db.update(courses).set({ published: false }).where(eq(courses.id, course.id))
    const { orders: listed } = await listLoader(routeArgs(requestFor('/orders', { cookie })))
    expect(listed.find((o) => o.id === bought.id)).toMatchObject({ picture: { src: null, kind: 'course' } })
  })

  it('the order page shows the cover on the line, no address, and 下单 → 已支付 → 已开通 instead of 发货 / 收货', async () => {
    const { user, cookie } = await buyer()
    const { course, order: bought } = await boughtCourse(user.id)
    const page = await detail(bought.id, cookie)
    expect(page.lines).toMatchObject([{ title: '有封面的课', picture: { src: `/courses/${course.slug}/cover?v=${course.coverId}`, kind: 'course' } }])
    expect(page.order).toMatchObject({ kind: 'course', state: 'paid', shipping: null })

    const html = timelineText(page.order)
    expect(html).toContain('已下单')
    expect(html).toContain('已开通')
    for (const shipping of ['已发货', '已完成', '待支付']) expect(html).not.toContain(shipping)
  })

  it('a refunded course order says the course is no longer open, on the timeline and the page', async () => {
    const { user, cookie } = await buyer()
    const { order: bought } = await boughtCourse(user.id)
    await requestRefund({ orderId: bought.id, actorId: null })
    const page = await detail(bought.id, cookie)
    expect(page.order.state).toBe('refunding')
    const html = timelineText(page.order)
    expect(html).toContain('已开通')
    expect(html).toContain('退款中')
    expect(html).toContain('课程已停止开放')
    expect(html).not.toContain('已发货')
  })

  it('goods keep their road: 待支付 → 已支付 → 已发货 → 已完成', async () => {
    const { user, cookie } = await buyer()
    const o = await order(user.id, await createTestProduct())
    const html = timelineText((await detail(o.id, cookie)).order)
    for (const step of ['待支付', '已支付', '已发货', '已完成']) expect(html).toContain(step)
    expect(html).not.toContain('已开通')
  })
})
