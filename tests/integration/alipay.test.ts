// Issue 14, Alipay: the provider behind the payment interface, against msw's Alipay gateway. Keys
// are made in the test; the mock verifies every request's RSA2 signature and signs its answers and
// notifications as Alipay does, and the app verifies them — no check is skipped.
import { createSign, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { checkouts, orders, refunds } from '../../db/schema'
import { localDateTime } from '~/domain/time'
import { db } from '~/utils/db.server'
import { EnvError, alipayConfig, parseEnv } from '~/utils/env.server'
import type { CheckoutRequest } from '~/utils/payments.server'
import { createTestProduct, productLine } from '../factories/cart'
import { expectConsistent, placeOk } from '../factories/orders'
import { openFlagsOf, paymentEventsOf, refundsOf } from '../factories/payments'
import { routeArgs } from '../factories/requests'
import { createTestUser } from '../factories/users'
import {
  ALIPAY_APPID,
  ALIPAY_GATEWAY,
  alipayCalls,
  alipayCallsTo,
  alipayKeys,
  alipayNotification,
  alipayServer,
  alipayTrade,
  appKeys,
  billRow,
  failAlipayNext,
  interceptAlipay,
  isSignedByApp,
  openGatewayPage,
  payTrade,
  setAlipayBill,
  signedAnswer,
} from '../mocks/alipay'

interceptAlipay()
const webhook = await import('~/routes/webhooks.$provider')
const { openCheckout, closeLapsedCheckouts } = await import('~/models/payable-checkout.server')
const { cancelOrder, processPendingRefunds, requestRefund } = await import('~/models/commerce.server')
// The errors are the classes of this registry's modules (interceptAlipay reset it).
const { PaymentProviderError, WebhookSignatureError, outTradeNoOf, paymentProvider } = await import('~/utils/payments.server')
const { createAlipayProvider, fenOf, yuanOf } = await import('~/utils/alipay.server')

const alipay = paymentProvider('alipay')

async function buyerWithOrder({ priceFen = 1999, title }: { priceFen?: number; title?: string } = {}) {
  const { user } = await createTestUser()
  const product = await createTestProduct({ capacity: 5, priceFen, title })
  const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
  return { user, product, order }
}

/** Opens the order's checkout through the model, as the pay page does; returns the gateway URL. */
async function gatewayUrlOf(orderId: number, method: 'alipay_wap' | 'alipay_page' = 'alipay_wap') {
  const opened = await openCheckout({ orderId, provider: alipay, choice: { method }, now: new Date() })
  if (!opened.ok || opened.action.kind !== 'redirect') throw new Error(`expected a redirect, got ${JSON.stringify(opened)}`)
  return opened.action.url
}

function bizOf(url: string) {
  return JSON.parse(new URL(url).searchParams.get('biz_content')!) as Record<string, string>
}

/** The order opened at Alipay and paid by the buyer: the TRADE_SUCCESS notification's fields. */
async function paidAtAlipay(orderId: number) {
  const url = await gatewayUrlOf(orderId)
  openGatewayPage(url)
  return payTrade(bizOf(url).out_trade_no!)
}

function postNotification(body: string) {
  const request = new Request('http://localhost:3000/webhooks/alipay', { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } })
  return webhook.action(routeArgs(request, { provider: 'alipay' }))
}

async function orderRow(id: number) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row!
}

/** What a refused notification must leave as it was. */
async function moneyOf(orderId: number) {
  return { state: (await orderRow(orderId)).state, events: await paymentEventsOf(orderId), flags: await openFlagsOf(orderId), refunds: await refundsOf(orderId) }
}

describe('the gateway URL (手机网站支付 / 电脑网站支付)', () => {
  it('on a phone: alipay.trade.wap.pay, signed by the app, with the order’s amount in yuan, its expiry in Beijing time and the return addresses', async () => {
    const { order, product } = await buyerWithOrder({ priceFen: 1999 })
    const url = await gatewayUrlOf(order.id, 'alipay_wap')
    const [row] = await db.select().from(checkouts).where(eq(checkouts.orderId, order.id))
    const params = new URL(url).searchParams
    expect(url.startsWith(`${ALIPAY_GATEWAY}?`)).toBe(true)
    expect(isSignedByApp(params)).toBe(true)
    expect(Object.fromEntries([...params].filter(([key]) => ['app_id', 'method', 'charset', 'sign_type', 'version', 'notify_url', 'return_url'].includes(key)))).toEqual({
      app_id: ALIPAY_APPID,
      method: 'alipay.trade.wap.pay',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      notify_url: 'http://localhost:3000/webhooks/alipay',
      return_url: `http://localhost:3000/orders/${order.id}`,
    })
    expect(bizOf(url)).toEqual({
      out_trade_no: outTradeNoOf(order.id, row!.id),
      total_amount: '19.99',
      subject: `${product.title} × 1`,
      product_code: 'QUICK_WAP_WAY',
      time_expire: localDateTime(row!.expiresAt, 'Asia/Shanghai'),
      quit_url: `http://localhost:3000/pay/${order.id}`,
    })
    expect(row).toMatchObject({ provider: 'alipay', method: 'alipay_wap', state: 'open', providerRef: outTradeNoOf(order.id, row!.id) })
    // Nothing was sent: the buyer's browser takes the URL to Alipay.
    expect(alipayCalls.filter((call) => call.biz.out_trade_no === outTradeNoOf(order.id, row!.id))).toEqual([])
  })

  it('on a desktop: alipay.trade.page.pay with FAST_INSTANT_TRADE_PAY and no quit_url; a changed field breaks the signature', async () => {
    const { order } = await buyerWithOrder({ priceFen: 10 })
    const url = await gatewayUrlOf(order.id, 'alipay_page')
    const params = new URL(url).searchParams
    expect(params.get('method')).toBe('alipay.trade.page.pay')
    expect(bizOf(url)).toMatchObject({ total_amount: '0.10', product_code: 'FAST_INSTANT_TRADE_PAY' })
    expect(bizOf(url)).not.toHaveProperty('quit_url')
    expect(isSignedByApp(params)).toBe(true)
    params.set('biz_content', JSON.stringify({ ...bizOf(url), total_amount: '0.01' }))
    expect(isSignedByApp(params)).toBe(false)
  })

  it('one trade per checkout: however often 去支付 is pressed, the same out_trade_no and URL', async () => {
    const { order } = await buyerWithOrder()
    const urls: string[] = await Promise.all([gatewayUrlOf(order.id), gatewayUrlOf(order.id), gatewayUrlOf(order.id)])
    urls.push(await gatewayUrlOf(order.id))
    expect(new Set(urls).size).toBe(1)
    expect(await db.select().from(checkouts).where(eq(checkouts.orderId, order.id))).toHaveLength(1)
    openGatewayPage(urls[0]!)
    openGatewayPage(urls[3]!)
    expect(alipayTrade(bizOf(urls[0]!).out_trade_no!)).toMatchObject({ status: 'WAIT_BUYER_PAY', totalAmount: '19.99' })
  })

  it('amounts are converted without floating-point error, and the subject is cut to 256 characters without / = &', async () => {
    expect([0, 1, 10, 99, 100, 1999, 2_000_000_001].map(yuanOf)).toEqual(['0.00', '0.01', '0.10', '0.99', '1.00', '19.99', '20000000.01'])
    expect(['0.01', '19.99', '20', '20.1', '-0.10', '1.005', 'x'].map(fenOf)).toEqual([1, 1999, 2000, 2010, -10, null, null])
    const { order } = await buyerWithOrder({ title: `${'知'.repeat(300)}/=&` })
    const subject = bizOf(await gatewayUrlOf(order.id)).subject!
    expect(Array.from(subject)).toHaveLength(256)
    expect(subject).not.toMatch(/[/=&]/)
  })
})

describe('the asynchronous notification at /webhooks/alipay', () => {
  it('a paid trade is answered success and the order is paid once, its checkout closed', async () => {
    const { order, product } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const response = await postNotification(alipayNotification(fields))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('success')
    expect((await orderRow(order.id)).state).toBe('paid')
    expect(await paymentEventsOf(order.id)).toMatchObject([
      { provider: 'alipay', eventId: fields.trade_no, amountFen: 1999, currency: 'CNY', providerPaymentId: fields.trade_no, outcome: 'paid' },
    ])
    expect(await db.select({ state: checkouts.state }).from(checkouts).where(eq(checkouts.orderId, order.id))).toEqual([{ state: 'closed' }])
    await expectConsistent(product.stock.id, { sold: 1, held: 0 })
  })

  it('the same notification ten times at once: success each time, fulfilled once', async () => {
    const { order, product } = await buyerWithOrder()
    const body = alipayNotification(await paidAtAlipay(order.id))
    const answers = await Promise.all(Array.from({ length: 10 }, () => postNotification(body)))
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200))
    expect(await Promise.all(answers.map((answer) => answer.text()))).toEqual(Array(10).fill('success'))
    expect(await paymentEventsOf(order.id)).toHaveLength(1)
    expect((await orderRow(order.id)).state).toBe('paid')
    await expectConsistent(product.stock.id, { sold: 1, held: 0 })
  })

  it('TRADE_SUCCESS and then TRADE_FINISHED of the same trade are one payment', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const first = await postNotification(alipayNotification(fields))
    const finished = await postNotification(alipayNotification({ ...fields, trade_status: 'TRADE_FINISHED' }))
    expect([first.status, await first.text(), finished.status, await finished.text()]).toEqual([200, 'success', 200, 'success'])
    expect(await paymentEventsOf(order.id)).toMatchObject([{ outcome: 'paid', type: 'TRADE_SUCCESS' }])
    expect(await openFlagsOf(order.id)).toEqual([])
  })

  it('a wrong amount is kept and flagged, answered fail once, then success', async () => {
    const { order } = await buyerWithOrder()
    const body = alipayNotification({ ...(await paidAtAlipay(order.id)), total_amount: '0.01' })
    const first = await postNotification(body)
    expect([first.status, await first.text()]).toEqual([400, 'fail'])
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch'])
    expect((await orderRow(order.id)).state).toBe('pending')
    const again = await postNotification(body)
    expect([again.status, await again.text()]).toEqual([200, 'success'])
    expect(await paymentEventsOf(order.id)).toMatchObject([{ outcome: 'amount_mismatch', amountFen: 1 }])
  })

  it('unpaid, closed and refund notifications are acknowledged and change nothing', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const extras: Record<string, string>[] = [
      { trade_status: 'WAIT_BUYER_PAY' },
      { trade_status: 'TRADE_CLOSED' },
      { trade_status: 'TRADE_CLOSED', refund_fee: '19.99', gmt_refund: '2026-12-06 10:00:00.000', out_biz_no: 'ZYR1' },
      { trade_status: 'TRADE_SUCCESS', refund_fee: '1.00', gmt_refund: '2026-12-06 10:00:00.000', out_biz_no: 'ZYR2' },
    ]
    for (const extra of extras) {
      const response = await postNotification(alipayNotification({ ...fields, ...extra }))
      expect([response.status, await response.text()]).toEqual([200, 'success'])
    }
    expect(await moneyOf(order.id)).toMatchObject({ state: 'pending', events: [], flags: [], refunds: [] })
  })

  it('refuses, changing nothing: a forged signature, a tampered field, RSA (SHA-1), another app_id, an out_trade_no not ours, a body over 64 KB', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const before = await moneyOf(order.id)
    const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey
    const tampered = new URLSearchParams(alipayNotification(fields))
    tampered.set('total_amount', '0.01')
    const sha1 = new URLSearchParams(alipayNotification(fields))
    sha1.set('sign_type', 'RSA')
    const refused = [
      alipayNotification(fields, { privateKey: strangerKey }),
      tampered.toString(),
      sha1.toString(),
      alipayNotification({ ...fields, app_id: '2021000000000999' }),
      alipayNotification({ ...fields, out_trade_no: 'SHOP-20261206-0001' }),
      new URLSearchParams(alipayNotification(fields)).toString().replace('sign=', 'sign=x'),
    ]
    for (const body of refused) {
      const response = await postNotification(body)
      expect(response.status).toBe(400)
      expect(await response.text()).not.toBe('success')
    }
    const huge = await postNotification(alipayNotification({ ...fields, body: 'x'.repeat(65 * 1024) }))
    expect(huge.status).toBe(413)
    expect(await huge.text()).not.toBe('success')
    expect(await moneyOf(order.id)).toEqual(before)
  })

  it('a paid trade of our form naming no order is recorded and its money given back', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const response = await postNotification(alipayNotification({ ...fields, out_trade_no: 'ZY987654321C000001', trade_no: '2026120622001999999999999999' }))
    expect([response.status, await response.text()]).toEqual([200, 'success'])
    const [refund] = await db.select().from(refunds).where(eq(refunds.providerPaymentId, '2026120622001999999999999999'))
    expect(refund).toMatchObject({ provider: 'alipay', orderId: null, reason: 'unapplied_payment', amountFen: 1999, state: 'pending' })
  })

  it('the provider itself: a tampered field throws WebhookSignatureError, the untouched notice reads as a payment', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const body = alipayNotification(fields)
    await expect(alipay.parseWebhook(body.replace(/subject=[^&]+/, 'subject=x'), new Headers())).rejects.toBeInstanceOf(WebhookSignatureError)
    expect(await alipay.parseWebhook(body, new Headers())).toEqual({
      kind: 'payment',
      notice: { provider: 'alipay', eventId: fields.trade_no, orderId: order.id, type: 'TRADE_SUCCESS', amountFen: 1999, currency: 'CNY', providerPaymentId: fields.trade_no, checkoutRef: fields.out_trade_no },
    })
  })
})

describe('refunds', () => {
  it('a refund goes to Alipay with out_request_no ZYR{id} and ends succeeded; asking again moves no money', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    await postNotification(alipayNotification(fields))
    expect(await requestRefund({ orderId: order.id, actorId: null })).not.toBeNull()
    expect(await processPendingRefunds()).toBe(1)
    const [refund] = await refundsOf(order.id)
    expect(refund).toMatchObject({ state: 'succeeded', providerRefundId: `ZYR${refund!.id}`, amountFen: 1999 })
    expect(alipayCallsTo('alipay.trade.refund').at(-1)!.biz).toEqual({ trade_no: fields.trade_no, refund_amount: '19.99', out_request_no: `ZYR${refund!.id}` })
    expect(alipayTrade(fields.out_trade_no!)).toMatchObject({ refundedFen: 1999, status: 'TRADE_CLOSED' })
    // A process that died after the call repeats it: the same refund, confirmed by the refund query.
    const repeat = await alipay.refund({ refundId: refund!.id, orderId: order.id, providerPaymentId: fields.trade_no!, paymentAmountFen: 1999, amountFen: 1999 })
    expect(repeat).toEqual({ providerRefundId: `ZYR${refund!.id}`, state: 'succeeded' })
    expect(alipayTrade(fields.out_trade_no!)!.refundedFen).toBe(1999)
  })

  it('Alipay’s refusal is refused; its SYSTEM_ERROR, a 502 or no answer is unreachable', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const ask = (refundId: number, amountFen: number) => alipay.refund({ refundId, orderId: order.id, providerPaymentId: fields.trade_no!, paymentAmountFen: 1999, amountFen })
    await expect(ask(900_001, 5000)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL') })
    for (const failure of ['system_error', 'http502', 'network'] as const) {
      failAlipayNext(failure)
      const error = await ask(900_002, 100).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(PaymentProviderError)
      expect(error).toMatchObject({ kind: 'unreachable' })
    }
    expect(alipayTrade(fields.out_trade_no!)!.refundedFen).toBe(0)
  })

  it('fund_change N without a refund to show for it is not taken as done', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    // Alipay accepts the request but no money moved, and its refund query knows no such refund.
    alipayServer.use(
      http.post(ALIPAY_GATEWAY, () => signedAnswer('alipay.trade.refund', { code: '10000', msg: 'Success', trade_no: fields.trade_no, fund_change: 'N', refund_fee: '0.00' }), { once: true }),
    )
    await expect(alipay.refund({ refundId: 900_003, orderId: order.id, providerPaymentId: fields.trade_no!, paymentAmountFen: 1999, amountFen: 1999 })).rejects.toMatchObject({
      kind: 'unreachable',
    })
    expect(alipayCallsTo('alipay.trade.fastpay.refund.query').at(-1)!.biz).toEqual({ trade_no: fields.trade_no, out_request_no: 'ZYR900003' })
  })

  it('an unreachable Alipay leaves the refund pending for the next pass', async () => {
    const { order } = await buyerWithOrder()
    await postNotification(alipayNotification(await paidAtAlipay(order.id)))
    await requestRefund({ orderId: order.id, actorId: null })
    failAlipayNext('system_error')
    expect(await processPendingRefunds()).toBe(0)
    expect(await refundsOf(order.id)).toMatchObject([{ state: 'pending', lastError: expect.stringContaining('ACQ.SYSTEM_ERROR') }])
  })
})

describe('closing on lapse', () => {
  it('a page never opened: the query finds no trade and the checkout is closed without a close call', async () => {
    const { order, user } = await buyerWithOrder()
    const outTradeNo = bizOf(await gatewayUrlOf(order.id)).out_trade_no!
    await cancelOrder({ orderId: order.id, userId: user.id, now: new Date() })
    const closesBefore = alipayCallsTo('alipay.trade.close').length
    expect(await closeLapsedCheckouts(new Date())).toBeGreaterThanOrEqual(1)
    expect(alipayCallsTo('alipay.trade.query').at(-1)!.biz).toEqual({ out_trade_no: outTradeNo })
    expect(alipayCallsTo('alipay.trade.close')).toHaveLength(closesBefore)
    expect(await db.select({ state: checkouts.state }).from(checkouts).where(eq(checkouts.orderId, order.id))).toEqual([{ state: 'closed' }])
  })

  it('an opened, unpaid trade is closed at Alipay and can no longer be paid', async () => {
    const { order, user } = await buyerWithOrder()
    const url = await gatewayUrlOf(order.id)
    openGatewayPage(url)
    await cancelOrder({ orderId: order.id, userId: user.id, now: new Date() })
    await closeLapsedCheckouts(new Date())
    const outTradeNo = bizOf(url).out_trade_no!
    expect(alipayCallsTo('alipay.trade.close').at(-1)!.biz).toEqual({ out_trade_no: outTradeNo })
    expect(alipayTrade(outTradeNo)!.status).toBe('TRADE_CLOSED')
    expect(() => payTrade(outTradeNo)).toThrow(/TRADE_CLOSED/)
  })

  it('a trade paid just before the close is reported completed', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    expect(await alipay.closeCheckout(fields.out_trade_no!)).toBe('completed')
    expect(await alipay.queryCheckout!(fields.out_trade_no!)).toMatchObject({ eventId: fields.trade_no, amountFen: 1999, orderId: order.id })
  })

  it('a page opened only after its time_expire cannot be paid (what bounds a trade that did not exist at close)', async () => {
    const { order } = await buyerWithOrder()
    const request: CheckoutRequest = {
      checkoutId: 999_999,
      method: 'alipay_page',
      outTradeNo: outTradeNoOf(order.id, 999_999),
      expiresAt: new Date(Date.now() - 1000),
      successUrl: 'http://localhost:3000/orders/1',
      cancelUrl: 'http://localhost:3000/pay/1',
    }
    const { action } = await alipay.startCheckout({ id: order.id, totalFen: 1999, currency: 'CNY', title: '测试', email: 'a@example.com' }, request)
    if (action.kind !== 'redirect') throw new Error('expected a redirect')
    expect(openGatewayPage(action.url).status).toBe('TRADE_CLOSED')
    expect(() => payTrade(request.outTradeNo)).toThrow(/TRADE_CLOSED/)
  })

  it('an outage during the close is unreachable, and the checkout stays open for the next pass', async () => {
    const { order, user } = await buyerWithOrder()
    await gatewayUrlOf(order.id)
    await cancelOrder({ orderId: order.id, userId: user.id, now: new Date() })
    failAlipayNext('network')
    await closeLapsedCheckouts(new Date())
    expect(await db.select({ state: checkouts.state, closeAttempts: checkouts.closeAttempts }).from(checkouts).where(eq(checkouts.orderId, order.id))).toEqual([
      { state: 'open', closeAttempts: 1 },
    ])
  })

  it('an answer not signed by Alipay is not believed', async () => {
    const { order } = await buyerWithOrder()
    const fields = await paidAtAlipay(order.id)
    const forged = JSON.stringify({ code: '10000', msg: 'Success', trade_no: fields.trade_no, out_trade_no: fields.out_trade_no, trade_status: 'WAIT_BUYER_PAY', total_amount: '19.99' })
    const sign = createSign('RSA-SHA256').update(forged, 'utf8').sign(appKeys.privateKey, 'base64')
    alipayServer.use(http.post(ALIPAY_GATEWAY, () => new HttpResponse(`{"alipay_trade_query_response":${forged},"sign":"${sign}"}`)))
    await expect(alipay.closeCheckout(fields.out_trade_no!)).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringContaining('signature') })
    alipayServer.use(http.post(ALIPAY_GATEWAY, () => new HttpResponse(`{"alipay_trade_query_response":${forged}}`)))
    await expect(alipay.queryCheckout!(fields.out_trade_no!)).rejects.toMatchObject({ kind: 'unreachable' })
  })
})

describe('the trade bill (对账单)', () => {
  it('downloads the day’s bill and reads our payments and refunds from the GBK CSV in the zip', async () => {
    setAlipayBill('2026-12-05', [
      billRow({ kind: '交易', tradeNo: '2026120522001000000000000001', outTradeNo: 'ZY41C000007', amount: '19.99' }),
      billRow({ kind: '退款', tradeNo: '2026120522001000000000000001', outTradeNo: 'ZY41C000007', amount: '-5.00', requestNo: 'ZYR12' }),
      billRow({ kind: '交易', tradeNo: '2026120522001000000000000002', outTradeNo: 'OTHER-SHOP-1', amount: '8.00' }),
    ])
    expect(await alipay.downloadBill!('2026-12-05')).toEqual([
      { kind: 'payment', outTradeNo: 'ZY41C000007', providerPaymentId: '2026120522001000000000000001', refundId: null, amountFen: 1999 },
      { kind: 'refund', outTradeNo: 'ZY41C000007', providerPaymentId: '2026120522001000000000000001', refundId: 12, amountFen: 500 },
    ])
    expect(alipayCallsTo('alipay.data.dataservice.bill.downloadurl.query').at(-1)!.biz).toEqual({ bill_type: 'trade', bill_date: '2026-12-05' })
  })

  it('a bill not ready yet, or an outage, is unreachable (asked again later)', async () => {
    await expect(alipay.downloadBill!('2026-12-04')).rejects.toMatchObject({ kind: 'unreachable' })
    setAlipayBill('2026-12-03', [])
    failAlipayNext('http502')
    await expect(alipay.downloadBill!('2026-12-03')).rejects.toMatchObject({ kind: 'unreachable' })
    expect(await alipay.downloadBill!('2026-12-03')).toEqual([])
  })
})

describe('configuration', () => {
  const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(32), DATA_DIR: mkdtempSync(join(tmpdir(), 'zhiyin-alipay-env-')) }

  it('takes the three together or none', () => {
    expect(() => parseEnv({ ...base, ALIPAY_APPID: ALIPAY_APPID })).toThrow(EnvError)
    expect(() => parseEnv({ ...base, ALIPAY_APPID: ALIPAY_APPID, ALIPAY_PRIVATE_KEY: appKeys.privateKey })).toThrow(/set together or not at all/)
    expect(parseEnv(base).ALIPAY_APPID).toBeUndefined()
  })

  it('ALIPAY_GATEWAY sends the buyer to the sandbox instead', async () => {
    const sandboxGateway = 'https://openapi-sandbox.dl.alipaydev.com/gateway.do'
    const env = parseEnv({ ...base, ALIPAY_APPID: '9021000123456789', ALIPAY_PRIVATE_KEY: appKeys.privateKey, ALIPAY_PUBLIC_KEY: alipayKeys.publicKey, ALIPAY_GATEWAY: sandboxGateway })
    const sandbox = createAlipayProvider(alipayConfig(env)!)
    const request: CheckoutRequest = { checkoutId: 1, method: 'alipay_wap', outTradeNo: 'ZY1C000001', expiresAt: new Date(Date.now() + 60_000), successUrl: 'http://localhost:3000/orders/1', cancelUrl: 'http://localhost:3000/pay/1' }
    const { action } = await sandbox.startCheckout({ id: 1, totalFen: 100, currency: 'CNY', title: '测试', email: 'a@example.com' }, request)
    expect(action.kind === 'redirect' && action.url.startsWith(`${sandboxGateway}?`)).toBe(true)
    expect(action.kind === 'redirect' && new URL(action.url).searchParams.get('app_id')).toBe('9021000123456789')
  })

  it('reads each key as PEM text, a PEM file or bare base64; refuses what is not an RSA key', () => {
    const file = join(base.DATA_DIR, 'app-private.pem')
    writeFileSync(file, appKeys.privateKey)
    const bare = alipayKeys.publicKey.replace(/-----[A-Z ]+-----|\s/g, '')
    const fromPem = parseEnv({ ...base, ALIPAY_APPID, ALIPAY_PRIVATE_KEY: appKeys.privateKey, ALIPAY_PUBLIC_KEY: alipayKeys.publicKey })
    const fromFileAndBare = parseEnv({ ...base, ALIPAY_APPID, ALIPAY_PRIVATE_KEY: file, ALIPAY_PUBLIC_KEY: bare })
    expect(fromFileAndBare.ALIPAY_PRIVATE_KEY).toBe(fromPem.ALIPAY_PRIVATE_KEY)
    expect(fromFileAndBare.ALIPAY_PUBLIC_KEY).toBe(fromPem.ALIPAY_PUBLIC_KEY)
    expect(() => parseEnv({ ...base, ALIPAY_APPID, ALIPAY_PRIVATE_KEY: '/nonexistent/key.pem', ALIPAY_PUBLIC_KEY: bare })).toThrow(/ALIPAY_PRIVATE_KEY: must be an RSA private key/)
    expect(() => parseEnv({ ...base, ALIPAY_APPID: 'wx123', ALIPAY_PRIVATE_KEY: file, ALIPAY_PUBLIC_KEY: bare })).toThrow(/ALIPAY_APPID/)
  })
})
