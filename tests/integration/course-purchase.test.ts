// Buying a course once (issue 17, decision 044): 购买 on the course page places one order of kind
// `course` through the commerce core, the test provider pays it on /pay, and from then on the
// course's page, its lessons, their media and progress open for the buyer — until a refund. The
// refusals (buying twice, a course the reader's tier includes, free, unpriced or unpublished
// courses) answer 4xx in zh-CN and store nothing.
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { courses, orderLines, orders, stock } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { confirmPayment, releaseExpiredHolds, requestRefund } from '~/models/commerce.server'
import { placeCourseOrder } from '~/models/course-orders.server'
import { loader as adminOrdersLoader } from '~/routes/admin.orders._index'
import { loader as coursesLoader } from '~/routes/courses._index'
import { action as courseAction, loader as courseLoader } from '~/routes/courses.$slug'
import { loader as lessonLoader } from '~/routes/courses.$slug_.$lesson'
import { loader as mediaLoader } from '~/routes/courses.$slug_.$lesson_.media'
import { action as progressAction } from '~/routes/courses.$slug_.$lesson_.progress'
import { loader as courseOfOrderLoader } from '~/routes/orders.$id_.course'
import { loader as ordersLoader } from '~/routes/orders._index'
import { action as payAction, loader as payLoader } from '~/routes/pay.$orderId'
import { db } from '~/utils/db.server'
import { insertCourse } from '../factories/courses'
import { countRows } from '../factories/db'
import { signedIn } from '../factories/dailies'
import { paidNotice } from '../factories/orders'
import { flashOf, readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'

type Course = Awaited<ReturnType<typeof insertCourse>>['course']
type Reader = { user: { id: number }; cookie: string }

const P = t.courses.purchase.refused
let priced: Course
let pricedForTiegan: Course
let tieganOnly: Course
let free: Course
let draft: Course
let admin: Reader

beforeAll(async () => {
  priced = (await insertCourse({ priceFen: 9900, field: 'history', title: '宋朝人的日常生活' })).course
  pricedForTiegan = (await insertCourse({ priceFen: 9900, included: 'tiegan', title: '铁杆也可单买' })).course
  tieganOnly = (await insertCourse({ included: 'tiegan', title: '铁杆课' })).course
  free = (await insertCourse({ priceFen: 0, title: '免费课' })).course
  draft = (await insertCourse({ priceFen: 9900, published: false, title: '草稿课' })).course
  admin = await signedIn({ role: 'admin' })
})

const coursePath = (course: Course) => `/courses/${course.slug}`

function pressBuy(course: Course, reader: Reader | null, intent = 'buy') {
  return courseAction(routeArgs(requestFor(coursePath(course), { cookie: reader?.cookie, form: { intent } }), { slug: course.slug }))
}

async function openCourse(course: Course, reader: Reader | null) {
  return (await courseLoader(routeArgs(requestFor(coursePath(course), { cookie: reader?.cookie }), { slug: course.slug }))) as {
    course: { priceLabel: string; priceKind: string }
    purchased: boolean
    refusal: { ways: { way: string; href: string; post?: true }[] } | null
  }
}

/** The lesson page's and its media URL's status for this reader (they must agree). */
async function lessonStatus(course: Course, lesson: string, reader: Reader | null, { token }: { token?: string } = {}) {
  const args = (path: string) => routeArgs(requestFor(path, { cookie: reader?.cookie }), { slug: course.slug, lesson })
  const page = readData(await lessonLoader(args(`${coursePath(course)}/${lesson}`)))
  const media = await mediaLoader(args(`${coursePath(course)}/${lesson}/media${token ? `?token=${token}` : ''}`))
  expect(media.status, 'the media URL answers as the page does').toBe(page.status)
  return page.status
}

async function ordersOf(userId: number) {
  return db.select().from(orders).where(eq(orders.userId, userId))
}

/** Presses 购买 as a signed-in reader and follows the redirect: the order now waiting on /pay. */
async function placeByButton(course: Course, reader: Reader) {
  const { location } = readRedirect(await pressBuy(course, reader))
  const orderId = Number(/^\/pay\/(\d+)$/.exec(location ?? '')?.[1])
  expect(orderId).toBeGreaterThan(0)
  return orderId
}

/** 模拟支付成功 on /pay/:id, as the buyer presses it. */
async function payWithTestProvider(orderId: number, reader: Reader) {
  return payAction(routeArgs(requestFor(`/pay/${orderId}`, { cookie: reader.cookie, form: { intent: 'succeed' } }), { orderId: String(orderId) }))
}

describe('a reader buys the ¥99 course once, and it opens', () => {
  it('a visitor pressing 购买 is sent to sign in first, back to the course’s 购买, with 「登录后继续购买」', async () => {
    const before = await countRows(orders)
    const response = await thrownResponse(pressBuy(priced, null))
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: `${coursePath(priced)}#purchase`, for: 'purchase' })}`)
    expect(await countRows(orders)).toBe(before)
    // The page's own 购买 for a visitor is that sign-in link.
    const page = await openCourse(priced, null)
    expect(page.refusal!.ways.find((way) => way.way === 'buy')).toEqual({ way: 'buy', label: '购买', href: response.headers.get('Location') })
  })

  it('购买 → /pay → 模拟支付成功 → the course, which opens: page, lessons, media, progress and the card', async () => {
    const reader = await signedIn()
    expect(await lessonStatus(priced, 'second', reader)).toBe(403)
    const page = await openCourse(priced, reader)
    expect(page.refusal!.ways).toEqual([{ way: 'buy', label: '购买', href: coursePath(priced), post: true }])

    const orderId = await placeByButton(priced, reader)
    const [order] = await ordersOf(reader.user.id)
    expect(order).toMatchObject({ id: orderId, kind: 'course', state: 'pending', totalFen: 9900, shipping: null, exclusiveKey: `course:${priced.id}:${reader.user.id}` })
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId))
    expect(lines).toMatchObject([{ title: '宋朝人的日常生活', qty: 1, unitPriceFen: 9900, productId: null, takesNumbers: false }])
    // The course's stock, made by its first purchase: unlimited, one unit held.
    const [{ stockId }] = (await db.select({ stockId: courses.stockId }).from(courses).where(eq(courses.id, priced.id))) as [{ stockId: number }]
    expect(lines[0]!.stockId).toBe(stockId)
    expect(await db.select().from(stock).where(eq(stock.id, stockId))).toMatchObject([{ capacity: null, held: 1, sold: 0 }])
    // Not paid yet: still locked.
    expect(await lessonStatus(priced, 'second', reader)).toBe(403)

    const paid = readRedirect(await payWithTestProvider(orderId, reader))
    expect(paid.location).toBe(`/orders/${orderId}/course`)
    expect(await flashOf(paid.cookies)).toMatchObject({ kind: 'success' })
    const landing = readRedirect(await courseOfOrderLoader(routeArgs(requestFor(`/orders/${orderId}/course`, { cookie: reader.cookie }), { id: String(orderId) })))
    expect(landing.location).toBe(coursePath(priced))

    const opened = await openCourse(priced, reader)
    expect(opened.refusal).toBeNull()
    expect(opened.purchased).toBe(true)
    expect(opened.course).toMatchObject({ priceLabel: '已购买', priceKind: 'bought' })
    expect(await lessonStatus(priced, 'second', reader)).toBe(200)
    const progress = await progressAction(
      routeArgs(requestFor(`${coursePath(priced)}/second/progress`, { cookie: reader.cookie, form: { intent: 'position', position: '30' } }), { slug: priced.slug, lesson: 'second' }),
    )
    expect(progress.status).toBe(200)
    const list = (await coursesLoader(routeArgs(requestFor('/courses', { cookie: reader.cookie })))) as { groups: { courses: { slug: string; priceLabel: string }[] }[] }
    expect(list.groups.flatMap((group) => group.courses).find((card) => card.slug === priced.slug)?.priceLabel).toBe('已购买')
    // /pay of a paid course order leads to the course, as its success URL does.
    expect(readRedirect(await thrownResponse(payLoader(routeArgs(requestFor(`/pay/${orderId}`, { cookie: reader.cookie }), { orderId: String(orderId) })))).location).toBe(
      `/orders/${orderId}/course`,
    )
    // The stock sold its unit; a paid order's receipt went to the outbox in the payment's transaction.
    expect(await db.select().from(stock).where(eq(stock.id, stockId))).toMatchObject([{ held: 0, sold: 1 }])
  })

  it('the order shows in /orders and in /admin/orders, filtered by kind 课程', async () => {
    const reader = await signedIn()
    const orderId = await placeByButton(priced, reader)
    const mine = (await ordersLoader(routeArgs(requestFor('/orders', { cookie: reader.cookie })))) as { orders: { id: number; firstTitle: string | null }[] }
    expect(mine.orders).toMatchObject([{ id: orderId, firstTitle: '宋朝人的日常生活' }])
    const listed = (await adminOrdersLoader(routeArgs(requestFor('/admin/orders?kind=course', { cookie: admin.cookie })))) as { orders: { id: number; kind: string }[] }
    expect(listed.orders.map((order) => order.id)).toContain(orderId)
    expect(listed.orders.every((order) => order.kind === 'course')).toBe(true)
    expect(t.adminOrders.kinds.course).toBe('课程')
  })

  it('another reader’s /orders/:id/course is a 404, like a missing order', async () => {
    const buyer = await signedIn()
    const orderId = await placeByButton(priced, buyer)
    const other = await signedIn()
    const response = await thrownResponse(courseOfOrderLoader(routeArgs(requestFor(`/orders/${orderId}/course`, { cookie: other.cookie }), { id: String(orderId) })))
    expect(response.status).toBe(404)
  })
})

describe('refused purchases: a clear zh-CN reason, 4xx, nothing stored', () => {
  async function expectRefused(course: Course, reader: Reader, status: number, message: string, intent = 'buy') {
    const before = { orders: await countRows(orders), stock: await countRows(stock) }
    const { status: answered, data } = readData<{ errors: { purchase: string } }>(await pressBuy(course, reader, intent))
    expect(answered).toBe(status)
    expect(data.errors.purchase).toBe(message)
    expect({ orders: await countRows(orders), stock: await countRows(stock) }).toEqual(before)
  }

  it('buying a course twice: 「你已购买这门课」', async () => {
    const reader = await signedIn()
    const orderId = await placeByButton(priced, reader)
    await payWithTestProvider(orderId, reader)
    await expectRefused(priced, reader, 409, '你已购买这门课')
  })

  it('a course the reader’s tier includes: 「你的铁杆会员已包含这门课」; a lower tier may buy it', async () => {
    const tiegan = await signedIn({ tier: 'tiegan' })
    await expectRefused(pricedForTiegan, tiegan, 409, '你的铁杆会员已包含这门课')
    const qinqing = await signedIn({ tier: 'qinqing' })
    const page = await openCourse(pricedForTiegan, qinqing)
    expect(page.refusal!.ways.map((way) => way.way)).toEqual(['join', 'buy'])
    await placeByButton(pricedForTiegan, qinqing)
  })

  it('a free course, a course not sold on its own, an unpublished one (404 to readers, 409 to staff previewing)', async () => {
    const reader = await signedIn()
    await expectRefused(free, reader, 409, P.free)
    await expectRefused(tieganOnly, reader, 409, P.not_on_sale)
    expect((await thrownResponse(pressBuy(draft, reader))).status).toBe(404)
    const editor = await signedIn({ role: 'editor' })
    await expectRefused(draft, editor, 409, P.unpublished)
  })

  it('an unknown intent is a 400', async () => {
    await expectRefused(priced, await signedIn(), 400, t.courses.purchase.intent, 'steal')
  })

  it('pressing 购买 again while an order waits for payment leads to that order, not a second one', async () => {
    const reader = await signedIn()
    const first = await placeByButton(priced, reader)
    const again = readRedirect(await pressBuy(priced, reader))
    expect(again.location).toBe(`/pay/${first}`)
    expect(await flashOf(again.cookies)).toMatchObject({ kind: 'info', message: t.courses.purchase.pending })
    expect(await ordersOf(reader.user.id)).toHaveLength(1)
  })
})

describe('refunds and late payments', () => {
  it('a refund revokes access by itself: page, media and card lock again; the reader may buy again', async () => {
    const reader = await signedIn()
    const orderId = await placeByButton(priced, reader)
    await payWithTestProvider(orderId, reader)
    expect(await lessonStatus(priced, 'second', reader)).toBe(200)

    expect(await requestRefund({ orderId, actorId: admin.user.id })).not.toBeNull()
    expect(await lessonStatus(priced, 'second', reader)).toBe(403)
    expect(await lessonStatus(priced, 'intro', reader)).toBe(200) // 试听 stays open to all
    const page = await openCourse(priced, reader)
    expect(page.purchased).toBe(false)
    expect(page.course.priceLabel).toBe('¥99')
    // The refunded order no longer holds the exclusive key.
    const again = await placeByButton(priced, reader)
    expect(again).not.toBe(orderId)
  })

  it('a payment after the hold lapsed re-seats the order while the reader could still buy the course', async () => {
    const reader = await signedIn()
    const orderId = await placeByButton(priced, reader)
    const [order] = await ordersOf(reader.user.id)
    const later = new Date(order!.expiresAt.getTime() + 1000)
    await releaseExpiredHolds(later)
    const { outcome } = await confirmPayment(paidNotice(order!), later)
    expect(outcome).toBe('reseated')
    expect(await lessonStatus(priced, 'second', reader)).toBe(200)
    expect((await ordersOf(reader.user.id)).map((row) => row.id)).toEqual([orderId])
  })

  it('a late payment for a course bought meanwhile in another order is refunded', async () => {
    const reader = await signedIn()
    await placeByButton(priced, reader)
    const [lapsed] = await ordersOf(reader.user.id)
    const later = new Date(lapsed!.expiresAt.getTime() + 1000)
    await releaseExpiredHolds(later)
    const second = await placeCourseOrder({ userId: reader.user.id, courseId: priced.id, now: later })
    expect(second.ok).toBe(true)
    if (second.ok) await confirmPayment(paidNotice(second.order), later)
    const { outcome } = await confirmPayment(paidNotice(lapsed!), later)
    expect(outcome).toBe('refunding')
    const [refunded] = await db.select({ state: orders.state }).from(orders).where(eq(orders.id, lapsed!.id))
    expect(refunded!.state).toBe('refunding')
    expect(await lessonStatus(priced, 'second', reader)).toBe(200)
  })
})

describe('concurrent buys', () => {
  it('two buys of the same course by one reader at once give one order; the other is sent to pay it', async () => {
    const reader = await signedIn()
    const now = new Date()
    const results = await Promise.all([1, 2, 3, 4].map(() => placeCourseOrder({ userId: reader.user.id, courseId: pricedForTiegan.id, now })))
    const placed = results.filter((result) => result.ok)
    expect(placed).toHaveLength(1)
    const orderId = placed[0]!.ok ? placed[0]!.order.id : 0
    expect(results.filter((result) => !result.ok)).toEqual(Array.from({ length: 3 }, () => ({ ok: false, reason: 'pending', orderId })))
    const live = await db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, reader.user.id), eq(orders.kind, 'course')))
    expect(live).toHaveLength(1)
  })

  it('the first buyers of a course who meet share one stock row', async () => {
    const course = (await insertCourse({ priceFen: 1900, title: '同时开卖' })).course
    const buyers = await Promise.all([signedIn(), signedIn(), signedIn()])
    const now = new Date()
    const results = await Promise.all(buyers.map((buyer) => placeCourseOrder({ userId: buyer.user.id, courseId: course.id, now })))
    expect(results.every((result) => result.ok)).toBe(true)
    const [{ stockId }] = (await db.select({ stockId: courses.stockId }).from(courses).where(eq(courses.id, course.id))) as [{ stockId: number }]
    const lines = await db.select({ stockId: orderLines.stockId }).from(orderLines).innerJoin(orders, eq(orders.id, orderLines.orderId)).where(eq(orders.kind, 'course'))
    const ofThisCourse = lines.filter((line) => line.stockId === stockId)
    expect(ofThisCourse).toHaveLength(3)
    expect(await db.select().from(stock).where(eq(stock.id, stockId))).toMatchObject([{ held: 3 }])
  })
})
