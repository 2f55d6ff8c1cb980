// /admin/orders: the filtered list, one order's page with the fulfilment actions (ship, tracking,
// complete, refund, clear flag — audited, 400 / 409 on bad input or a stale state), and the
// streamed CSV export, against the real database.
import { and, count, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { auditLog, emailOutbox, orderFlags, orderLines, orders, productCategories, products, type ShippingAddress, type User } from '../../db/schema'
import { confirmPayment, processPendingRefunds } from '~/models/commerce.server'
import { parseCsv } from '~/domain/shipment-import.server'
import * as exportRoute from '~/routes/admin.orders.export'
import * as bulkShipRoute from '~/routes/admin.orders.ship'
import * as detailRoute from '~/routes/admin.orders.$id'
import * as listRoute from '~/routes/admin.orders._index'
import { csvLine } from '~/utils/csv.server'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { createStock, expectConsistent, line, paidNotice, placeOk } from '../factories/orders'
import { openFlagsOf } from '../factories/payments'
import { readData, readRedirect, requestFor, routeArgs, SITE_ORIGIN, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

let admin: User
let adminCookie: string
let memberCookie: string
let buyer: User

const ADDRESS: ShippingAddress = {
  name: '张三',
  phone: '13800138000',
  province: '上海市',
  city: '上海市',
  district: '浦东新区',
  street: '世纪大道 100 号, 3 楼',
}

beforeAll(async () => {
  admin = (await createTestUser({ role: 'admin', displayName: '店长' })).user
  adminCookie = (await signedInCookie(admin.id)).cookie
  const member = (await createTestUser({ tier: 'qinqing' })).user
  memberCookie = (await signedInCookie(member.id)).cookie
  buyer = (await createTestUser({ displayName: '王小明' })).user
})

// ---- orders written for the tests ----------------------------------------------------------------

let sequence = 0

/** A product with its own (numbered) stock, in a category of its own. */
async function createProduct({ title = `测试商品${++sequence}`, capacity = 100 }: { title?: string; capacity?: number | null } = {}) {
  const n = ++sequence
  const [category] = await db.insert(productCategories).values({ slug: `cat-${n}`, name: `分类${n}` }).returning()
  const item = await createStock({ capacity, numbered: true })
  const [product] = await db
    .insert(products)
    .values({ slug: `p-${n}`, title, categoryId: category!.id, priceFen: 6800, stockId: item.id, limitedEdition: true, updatedAt: new Date() })
    .returning()
  return { product: product!, stockId: item.id }
}

type Product = Awaited<ReturnType<typeof createProduct>>

/** An order of `qty` units of the product, paid unless `paid: false`, placed at `createdAt`. */
async function orderOf(
  { product, stockId }: Product,
  { qty = 1, paid = true, personalisation = null, userId = buyer.id, createdAt }: { qty?: number; paid?: boolean; personalisation?: string | null; userId?: number; createdAt?: Date } = {},
) {
  const order = await placeOk({
    userId,
    kind: 'goods',
    lines: [line(stockId, { productId: product.id, title: product.title, qty, personalisation })],
    shipping: ADDRESS,
    now: new Date(),
  })
  if (paid) await confirmPayment(paidNotice(order))
  if (createdAt) await db.update(orders).set({ createdAt }).where(eq(orders.id, order.id))
  return orderById(order.id)
}

async function orderById(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

function list(query: string, cookie = adminCookie) {
  return listRoute.loader(routeArgs(requestFor(`/admin/orders${query}`, { cookie })))
}

/** The list's data; fails unless it answered 200. */
async function listed(query: string) {
  const result = await list(query)
  expect(result).not.toHaveProperty('type', 'DataWithResponseInit')
  return result as Extract<Awaited<ReturnType<typeof listRoute.loader>>, { total: number }>
}

function act(orderId: number, form: Record<string, string>, cookie = adminCookie) {
  return detailRoute.action(routeArgs(requestFor(`/admin/orders/${orderId}`, { form, cookie }), { id: String(orderId) }))
}

/** The export as the orders page's 导出 CSV button posts it (the filters in the query). */
function exportCsv(query = '', cookie = adminCookie) {
  return exportRoute.action(routeArgs(requestFor(`/admin/orders/export${query}`, { cookie, form: {} })))
}

async function csvOf(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer())
  return { bytes, rows: parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, '')).map((row) => row.cells) }
}

async function auditOf(orderId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'order'), eq(auditLog.targetId, String(orderId))))
}

async function mailsTo(email: string, template: string) {
  return db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, template)))
}

// ---- who may look ----------------------------------------------------------------------------------

describe('/admin/orders is for admins only', () => {
  it('answers 403 to a member and to an editor, and sends a visitor to sign in', async () => {
    const editor = (await createTestUser({ role: 'editor' })).user
    const editorCookie = (await signedInCookie(editor.id)).cookie
    const order = await orderOf(await createProduct())
    for (const cookie of [memberCookie, editorCookie]) {
      expect((await thrownResponse(list('', cookie))).status).toBe(403)
      expect((await thrownResponse(exportCsv('', cookie))).status).toBe(403)
      const page = detailRoute.loader(routeArgs(requestFor(`/admin/orders/${order.id}`, { cookie }), { id: String(order.id) }))
      expect((await thrownResponse(page)).status).toBe(403)
      expect((await thrownResponse(act(order.id, { intent: 'refund', confirm: 'yes' }, cookie))).status).toBe(403)
    }
    const visitor = await thrownResponse(listRoute.loader(routeArgs(requestFor('/admin/orders'))))
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('Location')).toMatch(/^\/login/)
    const visitorExport = await thrownResponse(exportRoute.action(routeArgs(requestFor('/admin/orders/export', { form: {} }))))
    expect(visitorExport.headers.get('Location')).toMatch(/^\/login/)
    expect(await orderById(order.id)).toMatchObject({ state: 'paid' })
  })
})

// ---- the list ----------------------------------------------------------------------------------------

describe('the order list', () => {
  // A day of its own (2025-03-01 in Shanghai) so these orders are the only ones in range.
  const DAY = '2025-03-01'
  const startUtc = Date.parse('2025-02-28T16:00:00Z')
  let widgets: Product
  let books: Product
  let placed: Record<'pending' | 'paid' | 'shipped' | 'flagged' | 'lastSecond', Awaited<ReturnType<typeof orderById>>>
  let nextDay: Awaited<ReturnType<typeof orderById>>

  beforeAll(async () => {
    widgets = await createProduct({ title: '知音帆布袋' })
    books = await createProduct({ title: '罗辑思维 精装书' })
    placed = {
      pending: await orderOf(widgets, { paid: false, createdAt: new Date(startUtc + 60_000) }),
      paid: await orderOf(widgets, { createdAt: new Date(startUtc + 120_000) }),
      shipped: await orderOf(books, { qty: 2, createdAt: new Date(startUtc + 180_000) }),
      flagged: await orderOf(books, { createdAt: new Date(startUtc + 240_000) }),
      // 23:59:59 in Shanghai: still 1 March there.
      lastSecond: await orderOf(books, { createdAt: new Date(startUtc + 86_400_000 - 1000) }),
    }
    await db.update(orders).set({ state: 'shipped' }).where(eq(orders.id, placed.shipped.id))
    await db.insert(orderFlags).values({ orderId: placed.flagged.id, flag: 'reseated', raisedAt: new Date() })
    // Midnight in Shanghai: 2 March.
    nextDay = await orderOf(widgets, { createdAt: new Date(startUtc + 86_400_000) })
  })

  const ids = (page: { orders: { id: number }[] }) => page.orders.map((o) => o.id)

  it('shows the day in the site time zone, newest first, with buyer, lines, total and badges', async () => {
    const page = await listed(`?from=${DAY}&to=${DAY}`)
    expect(ids(page)).toEqual([placed.lastSecond.id, placed.flagged.id, placed.shipped.id, placed.paid.id, placed.pending.id])
    expect(ids(page)).not.toContain(nextDay.id)
    expect(page.total).toBe(5)
    expect(page.orders.find((o) => o.id === placed.shipped.id)).toMatchObject({
      buyerName: '王小明',
      buyerEmail: buyer.email,
      state: 'shipped',
      totalFen: 13600,
      lines: [{ title: '罗辑思维 精装书', qty: 2 }],
      flags: [],
    })
    expect(page.orders.find((o) => o.id === placed.flagged.id)).toMatchObject({ flags: ['reseated'] })
    expect(ids(await listed(`?from=2025-03-02&to=2025-03-02`))).toContain(nextDay.id)
  })

  it('filters by state, product, kind and 需处理', async () => {
    const day = `from=${DAY}&to=${DAY}`
    expect(ids(await listed(`?${day}&state=pending`))).toEqual([placed.pending.id])
    expect(ids(await listed(`?${day}&state=shipped`))).toEqual([placed.shipped.id])
    expect(ids(await listed(`?${day}&product=${widgets.product.id}`))).toEqual([placed.paid.id, placed.pending.id])
    expect(ids(await listed(`?${day}&product=${books.product.id}&state=paid`))).toEqual([placed.lastSecond.id, placed.flagged.id])
    expect(ids(await listed(`?${day}&flagged=1`))).toEqual([placed.flagged.id])
    expect(ids(await listed(`?${day}&kind=membership`))).toEqual([])
    expect(ids(await listed(`?${day}&kind=goods`))).toHaveLength(5)
    // Empty fields (an untouched form) filter nothing.
    expect(ids(await listed(`?${day}&state=&product=&kind=`))).toHaveLength(5)
  })

  it('pages through 30 at a time without gaps or repeats', async () => {
    const lot = await createProduct({ title: '分页测试商品', capacity: null })
    const made: number[] = []
    for (let i = 0; i < 65; i++) made.push((await orderOf(lot, { paid: false })).id)
    const pages = await Promise.all([1, 2, 3].map((n) => listed(`?product=${lot.product.id}&page=${n}`)))
    expect(pages.map((p) => p.orders.length)).toEqual([30, 30, 5])
    expect(pages[0]).toMatchObject({ total: 65, pages: 3, page: 1 })
    expect(pages.flatMap(ids)).toEqual([...made].reverse())
    expect((await listed(`?product=${lot.product.id}&page=4`)).orders).toEqual([])
  })

  it('answers 400 with a message for bad parameters, and lists nothing', async () => {
    const cases: [string, string][] = [
      ['?state=shipping', 'state'],
      ['?kind=gift', 'kind'],
      ['?product=abc', 'product'],
      ['?from=2025-02-30', 'from'],
      ['?to=tomorrow', 'to'],
      ['?from=2025-03-02&to=2025-03-01', 'to'],
      ['?page=0', 'page'],
      ['?flagged=yes', 'flagged'],
    ]
    for (const [query, field] of cases) {
      const { status, data } = readData<{ errors: Record<string, string>; orders: unknown[] }>(await list(query))
      expect(status, query).toBe(400)
      expect(data.errors[field], query).toBeTruthy()
      expect(data.errors.form).toBe('筛选条件无效，请检查后重试。')
      expect(data.orders).toEqual([])
    }
    // Every mistake is reported at once, each next to its field.
    const both = readData(await list('?state=shipping&from=2025-03-02&to=2025-03-01'))
    expect(both.data.errors).toMatchObject({ state: '无效的订单状态', to: '结束日期不能早于开始日期' })
    const badExport = await thrownResponse(exportCsv('?state=shipping'))
    expect(badExport.status).toBe(400)
    expect(await badExport.text()).toContain('无效的订单状态')
  })
})

// ---- one order ----------------------------------------------------------------------------------------

describe('an order page', () => {
  it('shows lines with personalisation and edition numbers, the address, payment and flag', async () => {
    const item = await createProduct({ title: '刻字钢笔', capacity: 500 })
    const order = await orderOf(item, { qty: 2, personalisation: '知音' })
    await db.insert(orderFlags).values({ orderId: order.id, flag: 'paid_twice', raisedAt: new Date() })
    const page = await detailRoute.loader(routeArgs(requestFor(`/admin/orders/${order.id}`, { cookie: adminCookie }), { id: String(order.id) }))
    expect(page.order).toMatchObject({ id: order.id, state: 'paid', provider: 'test', providerPaymentId: `pay_${order.id}`, shipping: ADDRESS })
    expect(page.flags).toEqual([expect.objectContaining({ flag: 'paid_twice' })])
    expect(page.buyer).toMatchObject({ name: '王小明', email: buyer.email })
    expect(page.lines).toEqual([
      expect.objectContaining({ title: '刻字钢笔', qty: 2, personalisation: '知音', numbers: [1, 2], editionSize: 500, slug: item.product.slug }),
    ])
    expect(page.payments).toEqual([
      expect.objectContaining({ eventId: `evt_${order.id}`, outcome: 'paid', amountFen: 13600, providerPaymentId: `pay_${order.id}`, extra: false, refundState: null }),
    ])
  })

  it('answers 404 for an order that does not exist', async () => {
    const args = routeArgs(requestFor('/admin/orders/999999', { cookie: adminCookie }), { id: '999999' })
    expect((await thrownResponse(detailRoute.loader(args))).status).toBe(404)
    expect((await thrownResponse(act(999999, { intent: 'complete' }))).status).toBe(404)
    expect((await thrownResponse(detailRoute.loader(routeArgs(requestFor('/admin/orders/abc', { cookie: adminCookie }), { id: 'abc' })))).status).toBe(404)
  })

  it('refuses an unknown intent with 400', async () => {
    const order = await orderOf(await createProduct())
    const { status, data } = readData<{ errors: Record<string, string> }>(await act(order.id, { intent: 'teleport' }))
    expect(status).toBe(400)
    expect(data.errors.form).toBe('未知操作')
  })
})

describe('marking an order shipped', () => {
  it('moves paid → shipped with carrier and number, emails the buyer and writes an audit row', async () => {
    const order = await orderOf(await createProduct({ title: '限量笔记本' }))
    const { location, cookies } = readRedirect(await act(order.id, { intent: 'ship', carrier: '顺丰速运', trackingNumber: ' sf 1234567890 ' }))
    expect(location).toBe(`/admin/orders/${order.id}`)
    expect(cookies.some((c) => c.startsWith('zhiyin_flash='))).toBe(true)
    const shipped = await orderById(order.id)
    expect(shipped).toMatchObject({ state: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890' })
    expect(shipped.shippedAt).toBeInstanceOf(Date)

    const [mail] = await mailsTo(buyer.email, 'order-shipped').then((rows) => rows.filter((r) => r.subject.includes(`#${order.id} `)))
    expect(mail).toBeDefined()
    expect(mail!.text).toContain('顺丰速运')
    expect(mail!.text).toContain('SF1234567890')
    expect(mail!.text).toContain('限量笔记本')
    expect(mail!.html).toContain('SF1234567890')

    expect(await auditOf(order.id)).toEqual([
      expect.objectContaining({ actorId: admin.id, action: 'order.ship', detail: { carrier: '顺丰速运', trackingNumber: 'SF1234567890' } }),
    ])
  })

  it('refuses an unknown carrier or a bad tracking number with 400 and changes nothing', async () => {
    const order = await orderOf(await createProduct())
    const before = { mails: await countRows(emailOutbox), audit: await countRows(auditLog) }
    const attempts: [Record<string, string>, string][] = [
      [{ carrier: '顺风', trackingNumber: 'SF1234567890' }, 'carrier'],
      [{ trackingNumber: 'SF1234567890' }, 'carrier'],
      [{ carrier: '中通快递', trackingNumber: '12345' }, 'trackingNumber'],
      [{ carrier: '中通快递', trackingNumber: '7731-2345-6789' }, 'trackingNumber'],
      [{ carrier: '中通快递', trackingNumber: 'A'.repeat(31) }, 'trackingNumber'],
      [{ carrier: '中通快递', trackingNumber: '=1+1' }, 'trackingNumber'],
      [{ carrier: '中通快递' }, 'trackingNumber'],
    ]
    for (const [form, field] of attempts) {
      const { status, data } = readData<{ scope: string; errors: Record<string, string> }>(await act(order.id, { intent: 'ship', ...form }))
      expect(status).toBe(400)
      expect(data.scope).toBe('ship')
      expect(data.errors[field], JSON.stringify(form)).toBeTruthy()
    }
    expect(await orderById(order.id)).toMatchObject({ state: 'paid', carrier: null, trackingNumber: null })
    expect({ mails: await countRows(emailOutbox), audit: await countRows(auditLog) }).toEqual(before)
  })

  it('answers 409 for an order not in 已支付 (unpaid, already shipped) or not goods, changing nothing', async () => {
    const item = await createProduct()
    const unpaid = await orderOf(item, { paid: false })
    const seat = await orderOf(item)
    await db.update(orders).set({ kind: 'membership' }).where(eq(orders.id, seat.id))
    const ship = { intent: 'ship', carrier: 'EMS', trackingNumber: 'EA123456789CN' }
    const first = await orderOf(item)
    readRedirect(await act(first.id, ship))
    const mails = await countRows(emailOutbox)

    const notPaid = readData(await act(unpaid.id, ship))
    expect(notPaid.status).toBe(409)
    expect(notPaid.data.errors.form).toContain('待支付')
    const again = readData(await act(first.id, { ...ship, trackingNumber: 'EA999999999CN' }))
    expect(again.status).toBe(409)
    expect(again.data.errors.form).toContain('已发货')
    const membership = readData(await act(seat.id, ship))
    expect(membership.status).toBe(409)

    expect(await orderById(unpaid.id)).toMatchObject({ state: 'pending', trackingNumber: null })
    expect(await orderById(first.id)).toMatchObject({ state: 'shipped', trackingNumber: 'EA123456789CN' })
    expect(await orderById(seat.id)).toMatchObject({ state: 'paid', trackingNumber: null })
    expect(await countRows(emailOutbox)).toBe(mails)
  })

  it('lets two admins press 发货 at once: one wins, the other gets 409, one email', async () => {
    const order = await orderOf(await createProduct())
    const results = await Promise.all([
      act(order.id, { intent: 'ship', carrier: '京东物流', trackingNumber: 'JD0012345678' }),
      act(order.id, { intent: 'ship', carrier: '圆通速递', trackingNumber: 'YT1234567890' }),
    ])
    const statuses = results.map((r) => (r instanceof Response ? r.status : readData(r).status)).sort()
    expect(statuses).toEqual([302, 409])
    const mails = (await mailsTo(buyer.email, 'order-shipped')).filter((m) => m.subject.includes(`#${order.id} `))
    expect(mails).toHaveLength(1)
    expect(await auditOf(order.id)).toHaveLength(1)
  })
})

describe('tracking and completion', () => {
  it('corrects the tracking of a shipped order, tells the buyer, and audits before and after', async () => {
    const order = await orderOf(await createProduct())
    readRedirect(await act(order.id, { intent: 'ship', carrier: '韵达快递', trackingNumber: '4312345678901' }))
    readRedirect(await act(order.id, { intent: 'tracking', carrier: '申通快递', trackingNumber: '773123456789' }))
    expect(await orderById(order.id)).toMatchObject({ state: 'shipped', carrier: '申通快递', trackingNumber: '773123456789' })
    const mails = (await mailsTo(buyer.email, 'order-shipped')).filter((m) => m.subject.includes(`#${order.id} `))
    expect(mails.map((m) => m.subject)).toEqual([`知音 · 订单 #${order.id} 已发货`, `知音 · 订单 #${order.id} 的快递单号已更新`])
    expect(mails[1]!.text).toContain('773123456789')
    const audit = await auditOf(order.id)
    expect(audit.map((r) => r.action)).toEqual(['order.ship', 'order.tracking'])
    expect(audit[1]!.detail).toEqual({
      before: { carrier: '韵达快递', trackingNumber: '4312345678901' },
      after: { carrier: '申通快递', trackingNumber: '773123456789' },
    })
  })

  it('edits tracking only on a shipped order (409 otherwise)', async () => {
    const order = await orderOf(await createProduct())
    const result = readData(await act(order.id, { intent: 'tracking', carrier: '申通快递', trackingNumber: '773123456789' }))
    expect(result.status).toBe(409)
    expect(await orderById(order.id)).toMatchObject({ state: 'paid', trackingNumber: null })
  })

  it('completes a shipped order (audited), and refuses a paid one with 409', async () => {
    const order = await orderOf(await createProduct())
    expect(readData(await act(order.id, { intent: 'complete' })).status).toBe(409)
    readRedirect(await act(order.id, { intent: 'ship', carrier: '其他', trackingNumber: 'ABC123456' }))
    readRedirect(await act(order.id, { intent: 'complete' }))
    const completed = await orderById(order.id)
    expect(completed.state).toBe('completed')
    expect(completed.completedAt).toBeInstanceOf(Date)
    expect((await auditOf(order.id)).map((r) => r.action)).toEqual(['order.ship', 'order.complete'])
  })
})

describe('refunds', () => {
  it('refunds an unshipped order: 退款中 at once with its stock back, 已退款 after the job', async () => {
    const item = await createProduct({ capacity: 5 })
    const order = await orderOf(item, { qty: 2 })
    await expectConsistent(item.stockId, { available: 3 })

    // Without the confirm step nothing happens.
    const unconfirmed = readData(await act(order.id, { intent: 'refund' }))
    expect(unconfirmed.status).toBe(400)
    expect(await orderById(order.id)).toMatchObject({ state: 'paid' })

    readRedirect(await act(order.id, { intent: 'refund', confirm: 'yes' }))
    expect(await orderById(order.id)).toMatchObject({ state: 'refunding' })
    await expectConsistent(item.stockId, { available: 5 })
    expect(await auditOf(order.id)).toEqual([expect.objectContaining({ actorId: admin.id, action: 'order.refund', detail: { from: 'paid', totalFen: 13600 } })])
    expect((await listed(`?state=refunding&product=${item.product.id}`)).orders.map((o) => o.id)).toEqual([order.id])

    await processPendingRefunds(new Date())
    expect(await orderById(order.id)).toMatchObject({ state: 'refunded' })
    const page = await detailRoute.loader(routeArgs(requestFor(`/admin/orders/${order.id}`, { cookie: adminCookie }), { id: String(order.id) }))
    expect(page.order.state).toBe('refunded')
    expect(page.order.refundedAt).toBeInstanceOf(Date)
  })

  it('refunds a shipped order without putting its units back', async () => {
    const item = await createProduct({ capacity: 5 })
    const order = await orderOf(item)
    readRedirect(await act(order.id, { intent: 'ship', carrier: '中通快递', trackingNumber: '75312345678901' }))
    readRedirect(await act(order.id, { intent: 'refund', confirm: 'yes' }))
    expect(await orderById(order.id)).toMatchObject({ state: 'refunding' })
    await expectConsistent(item.stockId, { available: 4 })
  })

  it('answers 409 for an order that cannot be refunded (unpaid, already refunding)', async () => {
    const item = await createProduct()
    const unpaid = await orderOf(item, { paid: false })
    expect(readData(await act(unpaid.id, { intent: 'refund', confirm: 'yes' })).status).toBe(409)
    expect(await orderById(unpaid.id)).toMatchObject({ state: 'pending' })
    const paid = await orderOf(item)
    readRedirect(await act(paid.id, { intent: 'refund', confirm: 'yes' }))
    const twice = readData(await act(paid.id, { intent: 'refund', confirm: 'yes' }))
    expect(twice.status).toBe(409)
    expect(twice.data.errors.form).toContain('退款中')
    expect((await auditOf(paid.id)).filter((r) => r.action === 'order.refund')).toHaveLength(1)
  })
})

describe('clearing a flag', () => {
  it('needs a note, clears one flag at a time and audits which flag it was', async () => {
    const item = await createProduct()
    const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [line(item.stockId, { productId: item.product.id })], shipping: ADDRESS, now: new Date() })
    expect((await confirmPayment({ ...paidNotice(order, { providerPaymentId: 'pay_short' }), amountFen: 1 })).outcome).toBe('amount_mismatch')
    expect((await confirmPayment(paidNotice(order, { eventId: `evt_ok_${order.id}` }))).outcome).toBe('paid')
    expect((await confirmPayment(paidNotice(order, { eventId: `evt_again_${order.id}`, providerPaymentId: 'pay_second' }))).outcome).toBe('already_paid')
    // Flags accumulate: the second does not hide the first.
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch', 'paid_twice'])
    expect((await listed(`?flagged=1&product=${item.product.id}`)).orders.map((o) => o.id)).toEqual([order.id])
    const [mismatch] = await db.select().from(orderFlags).where(and(eq(orderFlags.orderId, order.id), eq(orderFlags.flag, 'amount_mismatch')))

    const noNote = readData(await act(order.id, { intent: 'clear-flag', flagId: String(mismatch!.id), note: '  ' }))
    expect(noNote.status).toBe(400)
    expect(noNote.data.errors.note).toBeTruthy()
    expect(readData(await act(order.id, { intent: 'clear-flag', flagId: 'x', note: '说明' })).status).toBe(400)
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch', 'paid_twice'])

    readRedirect(await act(order.id, { intent: 'clear-flag', flagId: String(mismatch!.id), note: '已退回 0.01 元' }))
    expect(await openFlagsOf(order.id)).toEqual(['paid_twice'])
    expect(await orderById(order.id)).toMatchObject({ state: 'paid' })
    expect(await auditOf(order.id)).toEqual([
      expect.objectContaining({ action: 'order.clear_flag', actorId: admin.id, detail: { flag: 'amount_mismatch', note: '已退回 0.01 元' } }),
    ])
    // Still 需处理 while paid_twice is open; a flag cleared already is a 409.
    expect((await listed(`?flagged=1&product=${item.product.id}`)).orders.map((o) => o.id)).toEqual([order.id])
    expect(readData(await act(order.id, { intent: 'clear-flag', flagId: String(mismatch!.id), note: '再来一次' })).status).toBe(409)
  })
})

// ---- CSV export ---------------------------------------------------------------------------------------

describe('the CSV export', () => {
  it('runs only as a form post: a GET (an image in a member’s post) answers 405 and reads nothing', async () => {
    await orderOf(await createProduct())
    const before = await db.$count(auditLog)
    const answer = exportRoute.loader(routeArgs(requestFor('/admin/orders/export', { cookie: adminCookie })))
    expect(answer.status).toBe(405)
    expect(answer.headers.get('Allow')).toBe('POST')
    expect(answer.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await answer.text()).toContain('导出只接受表单提交')
    expect(await db.$count(auditLog)).toBe(before)
  })

  it('is UTF-8 with a BOM, has the columns in order, and quotes and defuses what it must', async () => {
    const item = await createProduct({ title: '知音 "限量" 帆布袋, 黑色' })
    const sneaky = (await createTestUser({ displayName: '=HYPERLINK("http://evil.example","点我")' })).user
    const order = await orderOf(item, { qty: 2, personalisation: '第一行\n第二行', userId: sneaky.id })
    readRedirect(await act(order.id, { intent: 'ship', carrier: '顺丰速运', trackingNumber: 'SF1234567890' }))

    const response = await exportCsv(`?product=${item.product.id}`)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''%E7%9F%A5%E9%9F%B3%E8%AE%A2%E5%8D%95-\d{4}-\d{2}-\d{2}\.csv$/)
    const { bytes, rows } = await csvOf(response)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(rows[0]).toEqual(['订单号', '下单时间', '状态', '买家', '邮箱', '商品', '规格', '数量', '单价', '编号', '刻字', '金额', '收货人', '手机', '地址', '快递', '单号', '付款时间'])
    expect(rows).toHaveLength(2)
    const row = rows[1]!
    expect(row).toEqual([
      String(order.id),
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      '已发货',
      `'=HYPERLINK("http://evil.example","点我")`,
      sneaky.email,
      '知音 "限量" 帆布袋, 黑色',
      '',
      '2',
      '68.00',
      '1、2',
      '第一行\n第二行',
      '136.00',
      '张三',
      '13800138000',
      '上海市浦东新区世纪大道 100 号, 3 楼',
      '顺丰速运',
      'SF1234567890',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    ])
    // Times are in the site time zone (Asia/Shanghai, UTC+8).
    const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' })
    expect(row[1]).toBe(shanghai.format((await orderById(order.id)).createdAt))
    const text = new TextDecoder().decode(bytes)
    expect(text).toContain('"知音 ""限量"" 帆布袋, 黑色"')
    expect(text).toContain('"第一行\n第二行"')
  })

  it('exports only the filtered orders, one row per line', async () => {
    const item = await createProduct({ title: '导出筛选商品' })
    const paid = await orderOf(item)
    const pending = await orderOf(item, { paid: false })
    const two = await placeOk({
      userId: buyer.id,
      kind: 'goods',
      lines: [line(item.stockId, { productId: item.product.id, title: '导出筛选商品' }), line(item.stockId, { productId: item.product.id, title: '导出筛选商品', personalisation: '甲' })],
      shipping: ADDRESS,
      now: new Date(),
    })
    await confirmPayment(paidNotice(two))
    const all = (await csvOf(await exportCsv(`?product=${item.product.id}`))).rows.slice(1)
    expect(all.map((r) => r[0])).toEqual([String(two.id), String(two.id), String(pending.id), String(paid.id)])
    const onlyPaid = (await csvOf(await exportCsv(`?product=${item.product.id}&state=paid`))).rows.slice(1)
    expect(onlyPaid.map((r) => [r[0], r[2]])).toEqual([
      [String(two.id), '已支付'],
      [String(two.id), '已支付'],
      [String(paid.id), '已支付'],
    ])
    expect(new Set(onlyPaid.map((r) => r[10]))).toEqual(new Set(['', '甲']))
  })

  it('streams 100,000 orders in bounded memory, reading the database a page at a time', async () => {
    const item = await createProduct({ title: '十万件压力测试商品', capacity: null })
    const [{ before }] = (await db.select({ before: sql<number>`coalesce(max(${orders.id}), 0)` }).from(orders)) as [{ before: number }]
    const shipping = JSON.stringify(ADDRESS)
    const paidAt = Date.parse('2025-06-01T04:00:00Z')
    await db.run(sql`
      WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 100000)
      INSERT INTO orders (user_id, kind, state, total_fen, currency, expires_at, provider, shipping, paid_at, created_at, updated_at)
      SELECT ${buyer.id}, 'goods', 'paid', 6800, 'CNY', ${paidAt}, 'test', ${shipping}, ${paidAt} + n, ${paidAt} + n, ${paidAt} + n FROM seq`)
    await db.run(sql`
      INSERT INTO order_lines (order_id, stock_id, product_id, title, qty, unit_price_fen, numbers)
      SELECT id, ${item.stockId}, ${item.product.id}, ${item.product.title}, 1, 6800, '[]' FROM orders WHERE id > ${before}`)
    const [{ n: lineCount }] = (await db.select({ n: count() }).from(orderLines)) as [{ n: number }]
    expect(lineCount).toBeGreaterThan(100_000)

    const selects = vi.spyOn(db, 'select')
    try {
      const reader = (await exportCsv()).body!.getReader()
      const decoder = new TextDecoder()
      let chunks = 0
      let lines = 0
      let afterFirstChunk = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks++
        if (chunks === 1) afterFirstChunk = selects.mock.calls.length
        lines += decoder.decode(value, { stream: true }).split('\r\n').length - 1
      }
      // The header, then one row per order line (a line break inside a cell is a bare LF).
      expect(lines).toBe(1 + lineCount)
      // The first chunk needed a page or two, not the whole table…
      expect(afterFirstChunk).toBeLessThanOrEqual(6)
      // …and the whole export read the database in pages of 500 orders: 100,000 orders take at
      // least 200 page queries.
      expect(selects.mock.calls.length).toBeGreaterThanOrEqual(200)
      expect(chunks).toBeGreaterThanOrEqual(100)
    } finally {
      selects.mockRestore()
    }
  }, 30_000)
})

describe('批量发货 (/admin/orders/ship)', () => {
  type BulkAnswer = { form?: string; heading?: string; problems: string[] }

  /** Posts the form as the page does: a file, or pasted text. */
  function bulkShip({ file, paste = '' }: { file?: Uint8Array; paste?: string }, cookie = adminCookie) {
    const form = new FormData()
    form.append('file', new Blob(file ? [Buffer.from(file)] : [], { type: 'text/csv' }), file ? 'orders.csv' : '')
    form.append('paste', paste)
    const request = new Request(`${SITE_ORIGIN}/admin/orders/ship`, { method: 'POST', body: form, headers: { Cookie: cookie, Origin: SITE_ORIGIN } })
    return bulkShipRoute.action(routeArgs(request))
  }

  it('ships every order of the export filled in, emails each buyer, audits each; unfilled rows are skipped', async () => {
    const item = await createProduct({ title: '批量发货钢笔' })
    const reader = (await createTestUser({ displayName: '收件人' })).user
    const mine = { userId: reader.id }
    const [first, second, later] = [await orderOf(item, mine), await orderOf(item, mine), await orderOf(item, mine)]
    const { rows } = await csvOf(await exportCsv(`?product=${item.product.id}&state=paid`))
    const [header, ...lines] = rows
    const carrierAt = header!.indexOf('快递')
    const trackingAt = header!.indexOf('单号')
    const filled = lines.map((cells) => {
      const id = Number(cells[0])
      if (id === later.id) return cells
      return cells.map((cell, i) => (i === carrierAt ? '顺丰速运' : i === trackingAt ? `SF${String(id).padStart(10, '0')}` : cell))
    })
    const file = new TextEncoder().encode(`\uFEFF${csvLine(header!)}${filled.map((cells) => csvLine(cells)).join('')}`)

    const { location } = readRedirect(await bulkShip({ file }))
    expect(location).toBe('/admin/orders?state=shipped')
    for (const order of [first, second]) {
      expect(await orderById(order.id)).toMatchObject({ state: 'shipped', carrier: '顺丰速运', trackingNumber: `SF${String(order.id).padStart(10, '0')}` })
      expect((await auditOf(order.id)).map((entry) => entry.action)).toContain('order.ship')
    }
    expect((await orderById(later.id)).state).toBe('paid')
    expect(await mailsTo(reader.email, 'order-shipped')).toHaveLength(2)
    await expectConsistent(item.stockId)
  })

  it('takes pasted lines (commas or tabs) too', async () => {
    const item = await createProduct()
    const [a1, a2] = [await orderOf(item), await orderOf(item)]
    readRedirect(await bulkShip({ paste: `订单号,快递公司,快递单号\n${a1.id},中通快递,ZT12345678\n${a2.id}\tEMS\tEA123456789CN\n` }))
    expect(await orderById(a1.id)).toMatchObject({ state: 'shipped', carrier: '中通快递', trackingNumber: 'ZT12345678' })
    expect(await orderById(a2.id)).toMatchObject({ state: 'shipped', carrier: 'EMS', trackingNumber: 'EA123456789CN' })
  })

  it('a bad line ships nothing: 400 with each line and its reason', async () => {
    const item = await createProduct()
    const good = await orderOf(item)
    const mailsBefore = await countRows(emailOutbox)
    const answer = readData<BulkAnswer>(await bulkShip({ paste: `${good.id},顺丰速运,SF1234567890\n${good.id + 1000},顺风,SF1234567890` }))
    expect(answer.status).toBe(400)
    expect(answer.data.problems).toEqual(['第 2 行：「顺风」不是可选的快递公司（见上方列表）'])
    expect((await orderById(good.id)).state).toBe('paid')
    expect(await countRows(emailOutbox)).toBe(mailsBefore)
  })

  it('an order that cannot ship (unpaid, unknown) ships none: 409 naming each', async () => {
    const item = await createProduct()
    const paid = await orderOf(item)
    const unpaid = await orderOf(item, { paid: false })
    const answer = readData<BulkAnswer>(await bulkShip({ paste: `${paid.id},顺丰速运,SF1111111111\n${unpaid.id},顺丰速运,SF2222222222\n999999,顺丰速运,SF3333333333` }))
    expect(answer.status).toBe(409)
    expect(answer.data.problems).toEqual([`订单 #${unpaid.id} 当前为「待支付」，只有已支付的商品订单可以发货`, '订单 #999999 不存在'])
    expect(await orderById(paid.id)).toMatchObject({ state: 'paid', carrier: null, trackingNumber: null })
    expect((await auditOf(paid.id)).map((entry) => entry.action)).not.toContain('order.ship')
    await expectConsistent(item.stockId)
  })

  it('refuses an empty form (400) and a file over 2 MB (413); an editor gets 403', async () => {
    expect(readData<BulkAnswer>(await bulkShip({ paste: '  ' })).status).toBe(400)
    expect(readData<BulkAnswer>(await bulkShip({ file: new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41) })).status).toBe(413)
    const editor = (await createTestUser({ role: 'editor' })).user
    expect((await thrownResponse(bulkShip({ paste: '1,EMS,EA123456789CN' }, (await signedInCookie(editor.id)).cookie))).status).toBe(403)
  })
})

