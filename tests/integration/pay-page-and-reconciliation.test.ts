// The pay page with a native provider configured (issue 14; Alipay here, against msw's gateway):
// the methods that fit the browser, one trade per order however often 去支付 is pressed, a switch
// of method closing the open trade first; and 对账 — the day's bill compared with the payments
// recorded: a payment we never heard of fulfilled once, a missing or different one flagged, the
// job's run of a day made once.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders, reconciliationRuns } from '../../db/schema'
import { createTestProduct, productLine } from '../factories/cart'
import { placeOk } from '../factories/orders'
import { openFlagsOf, paymentEventsOf } from '../factories/payments'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'
import { alipayCallsTo, alipayNotification, billRow, interceptAlipay, openGatewayPage, payTrade, setAlipayBill } from '../mocks/alipay'

interceptAlipay()
const payPage = await import('~/routes/pay.$orderId')
const adminPayments = await import('~/routes/admin.payments')
const webhook = await import('~/routes/webhooks.$provider')
const { reconcile, reconcileYesterday } = await import('~/models/reconciliation.server')
const { db } = await import('~/utils/db.server')
const { t } = await import('~/i18n/zh-CN')
const { addDays, localDate } = await import('~/domain/time')

const DESKTOP = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'

async function buyerWithOrder(priceFen = 2999) {
  const { user } = await createTestUser()
  const product = await createTestProduct({ capacity: 5, priceFen })
  const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
  return { user, order, cookie: (await signedInCookie(user.id)).cookie }
}

const showPay = async (orderId: number, cookie: string, ua: string) =>
  (await payPage.loader(routeArgs(requestFor(`/pay/${orderId}`, { cookie, headers: { 'User-Agent': ua } }), { orderId: String(orderId) }))) as {
    methods: string[]
    alipayInBrowser: boolean
  }

const pressPay = (orderId: number, cookie: string, ua: string, method?: string) =>
  payPage.action(routeArgs(requestFor(`/pay/${orderId}`, { form: { intent: 'checkout', ...(method ? { method } : {}) }, cookie, headers: { 'User-Agent': ua } }), { orderId: String(orderId) }))

const outTradeNoOf = (url: string) => (JSON.parse(new URL(url).searchParams.get('biz_content')!) as { out_trade_no: string }).out_trade_no

describe('the pay page with Alipay', () => {
  it('offers Alipay’s page on a desktop and its wap on a phone; inside WeChat, which blocks Alipay, it says how to pay instead', async () => {
    const { order, cookie } = await buyerWithOrder()
    expect((await showPay(order.id, cookie, DESKTOP)).methods).toEqual(['alipay_page'])
    expect((await showPay(order.id, cookie, PHONE)).methods).toEqual(['alipay_wap'])
    const inWechat = await showPay(order.id, cookie, WECHAT)
    expect(inWechat).toMatchObject({ methods: [], alipayInBrowser: true })
  })

  it('sends the buyer to one Alipay trade however often 去支付 is pressed, and closes it before opening a trade of another method', async () => {
    const { order, cookie } = await buyerWithOrder()
    const first = readRedirect(await pressPay(order.id, cookie, DESKTOP, 'alipay_page')).location!
    const again = readRedirect(await pressPay(order.id, cookie, DESKTOP, 'alipay_page')).location!
    expect(first).toMatch(/^https:\/\/openapi\.alipay\.com\/gateway\.do\?/)
    expect(new URL(first).searchParams.get('method')).toBe('alipay.trade.page.pay')
    expect(outTradeNoOf(again)).toBe(outTradeNoOf(first))

    const closesBefore = alipayCallsTo('alipay.trade.query').length
    const onPhone = readRedirect(await pressPay(order.id, cookie, PHONE, 'alipay_wap')).location!
    expect(new URL(onPhone).searchParams.get('method')).toBe('alipay.trade.wap.pay')
    expect(outTradeNoOf(onPhone)).not.toBe(outTradeNoOf(first))
    // The page's trade was asked about (and closed) before the phone's was made.
    expect(alipayCallsTo('alipay.trade.query').length).toBe(closesBefore + 1)
  })

  it('refuses a method this browser is not offered, or none when there is a choice to make, with a zh-CN message (400)', async () => {
    const { order, cookie } = await buyerWithOrder()
    const wrong = readData<{ errors: { intent: string } }>(await pressPay(order.id, cookie, DESKTOP, 'wechat_native'))
    expect(wrong).toMatchObject({ status: 400, data: { errors: { intent: t.payments.methodUnavailable } } })
    const inWechat = readData<{ errors: { intent: string } }>(await pressPay(order.id, cookie, WECHAT, 'alipay_wap'))
    expect(inWechat.status).toBe(400)
  })
})

/** An order paid at Alipay: with its notification delivered, or (lost) without. */
async function paidOrder({ notify }: { notify: boolean }) {
  const { order, cookie } = await buyerWithOrder(1999)
  const url = readRedirect(await pressPay(order.id, cookie, PHONE, 'alipay_wap')).location!
  openGatewayPage(url)
  const fields = payTrade(outTradeNoOf(url))
  if (notify) {
    const request = new Request('http://localhost:3000/webhooks/alipay', {
      method: 'POST',
      body: alipayNotification(fields),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    })
    expect(await (await webhook.action(routeArgs(request, { provider: 'alipay' }))).text()).toBe('success')
  }
  return { order, fields }
}

const stateOf = async (orderId: number) => (await db.select({ state: orders.state }).from(orders).where(eq(orders.id, orderId)))[0]!.state

describe('对账 against Alipay’s bill', () => {
  const yesterday = addDays(localDate(new Date(), 'Asia/Shanghai'), -1)!

  it('matches what agrees, fulfils a payment whose notification was lost (once), and flags what the bill lacks or disagrees on', async () => {
    const agreed = await paidOrder({ notify: true })
    const lost = await paidOrder({ notify: false })
    const different = await paidOrder({ notify: true })
    const unbilled = await paidOrder({ notify: true })
    expect(await stateOf(lost.order.id)).toBe('pending')
    const today = localDate(new Date(), 'Asia/Shanghai')
    setAlipayBill(today, [
      billRow({ kind: '交易', tradeNo: agreed.fields.trade_no!, outTradeNo: agreed.fields.out_trade_no!, amount: '19.99' }),
      billRow({ kind: '交易', tradeNo: lost.fields.trade_no!, outTradeNo: lost.fields.out_trade_no!, amount: '19.99' }),
      billRow({ kind: '交易', tradeNo: different.fields.trade_no!, outTradeNo: different.fields.out_trade_no!, amount: '29.99' }),
    ])
    const result = await reconcile({ provider: 'alipay', billDate: today, trigger: 'admin' })
    expect(result).toMatchObject({ ok: true, billLines: 3 })
    if (!result?.ok) throw new Error('reconciliation failed')
    const byOrder = new Map(result.findings.map((finding) => [finding.orderId, finding]))
    expect(byOrder.get(lost.order.id)).toMatchObject({ kind: 'missing_ours', resolution: 'paid', theirAmountFen: 1999 })
    expect(byOrder.get(different.order.id)).toMatchObject({ kind: 'amount_mismatch', theirAmountFen: 2999, ourAmountFen: 1999 })
    expect(byOrder.get(unbilled.order.id)).toMatchObject({ kind: 'missing_theirs', ourAmountFen: 1999 })
    expect(byOrder.has(agreed.order.id)).toBe(false)
    expect(await stateOf(lost.order.id)).toBe('paid')
    expect(await openFlagsOf(different.order.id)).toContain('reconciliation')
    expect(await openFlagsOf(unbilled.order.id)).toContain('reconciliation')
    expect(await openFlagsOf(agreed.order.id)).not.toContain('reconciliation')

    // Reconciled again: the lost payment is ours now (matched), fulfilled once only.
    const again = await reconcile({ provider: 'alipay', billDate: today, trigger: 'admin' })
    if (!again?.ok) throw new Error('reconciliation failed')
    expect(again.findings.some((finding) => finding.orderId === lost.order.id)).toBe(false)
    expect(await paymentEventsOf(lost.order.id)).toHaveLength(1)
    // The late notification is a repeat of what the bill fulfilled.
    const late = new Request('http://localhost:3000/webhooks/alipay', {
      method: 'POST',
      body: alipayNotification(lost.fields),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    })
    expect(await (await webhook.action(routeArgs(late, { provider: 'alipay' }))).text()).toBe('success')
    expect(await paymentEventsOf(lost.order.id)).toHaveLength(1)
  })

  it('runs the daily job once per provider and day, however many processes ask, and only after 10:00', async () => {
    setAlipayBill(yesterday, [])
    const early = new Date(`${localDate(new Date(), 'Asia/Shanghai')}T09:30:00+08:00`)
    expect(await reconcileYesterday(['alipay'], early)).toBe(0)
    const late = new Date(`${localDate(new Date(), 'Asia/Shanghai')}T10:30:00+08:00`)
    const passes = await Promise.all([reconcileYesterday(['alipay'], late), reconcileYesterday(['alipay'], late), reconcileYesterday(['alipay'], late)])
    expect(passes.reduce((sum, n) => sum + n, 0)).toBe(1)
    const runs = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.billDate, yesterday))
    expect(runs.filter((run) => run.trigger === 'job')).toHaveLength(1)
  })

  it('records a bill it could not download as a failed run, and says why', async () => {
    const result = await reconcile({ provider: 'alipay', billDate: '2026-01-02', trigger: 'admin' })
    expect(result).toMatchObject({ ok: false })
    const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, result!.runId))
    expect(run).toMatchObject({ state: 'failed' })
    expect(run!.error).toBeTruthy()
  })

  it('lets an admin reconcile a past day on /admin/payments; refuses today, a bad date or a provider not configured (400)', async () => {
    const { user: admin } = await createTestUser({ role: 'admin' })
    const { cookie } = await signedInCookie(admin.id)
    const post = (form: Record<string, string>) => adminPayments.action(routeArgs(requestFor('/admin/payments', { form, cookie })))
    const today = localDate(new Date(), 'Asia/Shanghai')
    for (const [form, field, message] of [
      [{ provider: 'alipay', billDate: today }, 'billDate', t.adminOrders.reconciliation.errors.future],
      [{ provider: 'alipay', billDate: '2026-02-30' }, 'billDate', t.adminOrders.reconciliation.errors.billDate],
      [{ provider: 'wechatpay', billDate: yesterday }, 'provider', t.adminOrders.reconciliation.errors.provider],
    ] as const) {
      const runsBefore = (await db.select().from(reconciliationRuns)).length
      expect(readData<{ errors: Record<string, string> }>(await post(form))).toMatchObject({ status: 400, data: { errors: { [field]: message } } })
      expect((await db.select().from(reconciliationRuns)).length).toBe(runsBefore)
    }
    setAlipayBill(yesterday, [])
    const done = readRedirect(await post({ provider: 'alipay', billDate: yesterday }))
    expect(done.location).toBe('/admin/payments')
    const page = (await adminPayments.loader(routeArgs(requestFor('/admin/payments', { cookie })))) as { providers: string[]; runs: { billDate: string; trigger: string }[] }
    expect(page.providers).toEqual(['alipay'])
    // Not necessarily first: the job's test above ran at 10:30 today, which is still ahead of the
    // clock between 00:00 and 10:30 in Shanghai (this test failed from 16:00 UTC on).
    expect(page.runs).toContainEqual(expect.objectContaining({ billDate: yesterday, trigger: 'admin' }))
  })
})
