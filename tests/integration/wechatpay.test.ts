// Issue 14: WeChat Pay API v3 behind the payment interface, against a mock of its API (msw) that
// verifies every request's signature with the merchant's public key and signs its answers and
// notifications with its own key, as WeChat Pay does. Notifications are built, signed and
// encrypted here and verified and decrypted by the app: no check is skipped in tests.
import { createHash, createPrivateKey, createPublicKey, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { checkouts, orders, paymentEvents, refunds } from '../../db/schema'
import { db } from '~/utils/db.server'
import { parseEnv } from '~/utils/env.server'
import { createTestProduct, productLine } from '../factories/cart'
import { expectConsistent, placeOk } from '../factories/orders'
import { openFlagsOf, paymentEventsOf, refundsOf } from '../factories/payments'
import { routeArgs } from '../factories/requests'
import { createTestUser } from '../factories/users'
import {
  beijingTime,
  billOverrides,
  failWechatpayNext,
  interceptWechatpay,
  merchantPublicKey,
  mockRefunds,
  payOutTradeNo,
  settleRefund,
  transactionNotification,
  transactions,
  wechatpayCalls,
  wechatpayNotification,
  wechatpayServer,
  WECHATPAY_APIV3_KEY,
  WECHATPAY_APPID,
  WECHATPAY_MCHID,
  WECHATPAY_PUBLIC_KEY_ID,
  WECHATPAY_SERIAL,
} from '../mocks/wechatpay'

interceptWechatpay()
const webhook = await import('~/routes/webhooks.$provider')
const { openCheckout, closeLapsedCheckouts } = await import('~/models/payable-checkout.server')
const { processPendingRefunds, releaseExpiredHolds, requestRefund } = await import('~/models/commerce.server')
const { configuredProviders, outTradeNoOf, paymentProvider, PaymentProviderError } = await import('~/utils/payments.server')
const { authorizationOf, createWechatpayProvider, parseTradeBill, requestSigningMessage, truncateUtf8 } = await import('~/utils/wechatpay.server')

const MINUTE = 60_000
const wechatpay = () => paymentProvider('wechatpay')

/** The configured provider with some of its settings replaced (another key, say). */
function providerWith(overrides: Partial<Parameters<typeof createWechatpayProvider>[0]>) {
  return createWechatpayProvider({
    mchid: WECHATPAY_MCHID,
    appid: WECHATPAY_APPID,
    merchantSerial: WECHATPAY_SERIAL,
    merchantPrivateKey: createPrivateKey(readFileSync(process.env.WECHATPAY_PRIVATE_KEY!, 'utf8')),
    apiV3Key: WECHATPAY_APIV3_KEY,
    platformPublicKey: createPublicKey(readFileSync(process.env.WECHATPAY_PLATFORM_PUBLIC_KEY!, 'utf8')),
    platformPublicKeyId: WECHATPAY_PUBLIC_KEY_ID,
    notifyUrl: 'http://localhost:3000/webhooks/wechatpay',
    ...overrides,
  })
}

async function pendingOrder({ title, placedAt = new Date() }: { title?: string; placedAt?: Date } = {}) {
  const { user } = await createTestUser()
  const product = await createTestProduct({ capacity: 3, title })
  const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: placedAt })
  return { user, product, order }
}

type Choice = { method: 'wechat_native' | 'wechat_jsapi' | 'wechat_h5'; payerOpenid?: string; clientIp?: string }

async function open(orderId: number, choice: Choice = { method: 'wechat_native' }) {
  const result = await openCheckout({ orderId, provider: wechatpay(), choice, now: new Date() })
  if (!result.ok) throw new Error(`expected a checkout, got ${result.reason}`)
  const [row] = await db.select().from(checkouts).where(eq(checkouts.orderId, orderId))
  return { action: result.action, outTradeNo: row!.providerRef! }
}

function postNotification({ body, headers }: { body: string; headers: Record<string, string> }) {
  return webhook.action(routeArgs(new Request('http://localhost:3000/webhooks/wechatpay', { method: 'POST', body, headers }), { provider: 'wechatpay' }))
}

async function orderState(orderId: number) {
  const [row] = await db.select({ state: orders.state, providerPaymentId: orders.providerPaymentId }).from(orders).where(eq(orders.id, orderId))
  return row!
}

/** An order paid through its Native checkout and confirmed by its notification. */
async function paidOrder() {
  const bought = await pendingOrder()
  const { outTradeNo } = await open(bought.order.id)
  const answer = await postNotification(payOutTradeNo(outTradeNo))
  expect(answer.status).toBe(204)
  return { ...bought, outTradeNo, transactionId: transactions.get(outTradeNo)!.transactionId }
}

describe('request signing (WECHATPAY2-SHA256-RSA2048)', () => {
  it('builds the signing string of WeChat Pay’s documented example', () => {
    // 签名生成, step 6: GET /v3/global/certificates at 1554208460 with nonce 593BEC0C930BF1AFEB40B4A08C8FB242.
    expect(requestSigningMessage({ method: 'GET', pathWithQuery: '/v3/global/certificates', timestamp: '1554208460', nonce: '593BEC0C930BF1AFEB40B4A08C8FB242', body: '' })).toBe(
      'GET\n/v3/global/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    )
  })

  it('signs the Authorization header with the merchant key, verifiable with its public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const request = { method: 'POST', pathWithQuery: '/v3/pay/transactions/native', body: '{"a":1}', timestamp: '1554208460', nonce: '593BEC0C930BF1AFEB40B4A08C8FB242' }
    const header = authorizationOf({ mchid: '1900000109', merchantSerial: 'ABC123', merchantPrivateKey: privateKey }, request)
    const match = /^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="([^"]+)",timestamp="1554208460",serial_no="ABC123"$/.exec(header)
    expect(match).not.toBeNull()
    const signed = 'POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"a":1}\n'
    expect(createVerify('RSA-SHA256').update(signed).verify(publicKey, match![1]!, 'base64')).toBe(true)
    expect(createVerify('RSA-SHA256').update(signed.replace('{"a":1}', '{"a":2}')).verify(publicKey, match![1]!, 'base64')).toBe(false)
  })

  it('the calls of opening, querying, closing and refunding carry a signature the mock verifies', async () => {
    const from = wechatpayCalls.length
    const { outTradeNo, order } = await paidOrder()
    await wechatpay().closeCheckout(outTradeNo)
    await wechatpay().refund({ refundId: 4242, orderId: order.id, providerPaymentId: transactions.get(outTradeNo)!.transactionId, paymentAmountFen: order.totalFen, amountFen: 1 })
    const made = wechatpayCalls.slice(from)
    expect(made.map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /v3/pay/transactions/native',
      `GET /v3/pay/transactions/out-trade-no/${outTradeNo}`,
      'POST /v3/refund/domestic/refunds',
    ])
    expect(made.every((call) => call.authorized)).toBe(true)
  })

  it('a merchant key WeChat Pay does not know is refused (401 SIGN_ERROR)', async () => {
    const { order } = await pendingOrder()
    const stranger = providerWith({ merchantPrivateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey })
    const started = stranger.startCheckout(
      { id: order.id, totalFen: order.totalFen, currency: 'CNY', title: '测试', email: 'a@example.com' },
      { checkoutId: 1, method: 'wechat_native', outTradeNo: `ZY${order.id}C999`, expiresAt: new Date(Date.now() + 30 * MINUTE), successUrl: 'http://localhost:3000/', cancelUrl: 'http://localhost:3000/' },
    )
    await expect(started).rejects.toMatchObject({ name: 'PaymentProviderError', kind: 'refused', message: expect.stringContaining('SIGN_ERROR') })
  })

  it('an answer not signed by WeChat Pay’s key counts as no answer (unreachable)', async () => {
    const { order } = await pendingOrder()
    // Not WeChat Pay's key: its signed answers do not verify with it.
    const trusting = providerWith({ platformPublicKey: merchantPublicKey })
    const started = trusting.startCheckout(
      { id: order.id, totalFen: order.totalFen, currency: 'CNY', title: '测试', email: 'a@example.com' },
      { checkoutId: 1, method: 'wechat_native', outTradeNo: `ZY${order.id}C998`, expiresAt: new Date(Date.now() + 30 * MINUTE), successUrl: 'http://localhost:3000/', cancelUrl: 'http://localhost:3000/' },
    )
    await expect(started).rejects.toMatchObject({ name: 'PaymentProviderError', kind: 'unreachable', message: expect.stringContaining('signature') })
    // The mock did answer (and created the transaction): the app just would not believe it.
    expect(transactions.has(`ZY${order.id}C998`)).toBe(true)
  })
})

describe('opening a checkout: one transaction per checkout row', () => {
  it('Native: a QR code of code_url; pressing again (or in parallel) finds the same transaction', async () => {
    const { order } = await pendingOrder()
    const [a, b, c] = await Promise.all([open(order.id), open(order.id), open(order.id)])
    const again = await open(order.id)
    expect(a.action).toMatchObject({ kind: 'qr', codeUrl: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) })
    expect(new Set([a, b, c, again].map((x) => JSON.stringify(x.action))).size).toBe(1)
    expect(a.outTradeNo).toMatch(new RegExp(`^ZY${order.id}C\\d+$`))
    const created = wechatpayCalls.filter((call) => call.path === '/v3/pay/transactions/native' && call.body?.out_trade_no === a.outTradeNo)
    expect(created.length).toBeGreaterThanOrEqual(1)
    const body = created[0]!.body!
    expect(body).toMatchObject({
      appid: WECHATPAY_APPID,
      mchid: WECHATPAY_MCHID,
      notify_url: 'http://localhost:3000/webhooks/wechatpay',
      amount: { total: order.totalFen, currency: 'CNY' },
    })
    expect(body.time_expire).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/)
    const [row] = await db.select().from(checkouts).where(eq(checkouts.orderId, order.id))
    expect(body.time_expire).toBe(beijingTime(row!.expiresAt))
  })

  it('JSAPI: parameters for WeixinJSBridge, paySign verifiable with the merchant public key; the same prepay_id on every press', async () => {
    const { order } = await pendingOrder()
    const choice: Choice = { method: 'wechat_jsapi', payerOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }
    const first = await open(order.id, choice)
    const second = await open(order.id, choice)
    expect(first.action.kind).toBe('jsapi')
    if (first.action.kind !== 'jsapi') return
    const { params } = first.action
    expect(params).toMatchObject({ appId: WECHATPAY_APPID, signType: 'RSA', package: `prepay_id=${transactions.get(first.outTradeNo)!.prepayId}` })
    const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`
    expect(createVerify('RSA-SHA256').update(message).verify(merchantPublicKey, params.paySign, 'base64')).toBe(true)
    expect(second.action).toEqual(first.action)
    const created = wechatpayCalls.find((call) => call.path === '/v3/pay/transactions/jsapi' && call.body?.out_trade_no === first.outTradeNo)
    expect(created?.body).toMatchObject({ payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } })
  })

  it('H5: a redirect to h5_url with the order page as redirect_url; the same transaction again', async () => {
    const { order } = await pendingOrder()
    const choice: Choice = { method: 'wechat_h5', clientIp: '203.0.113.7' }
    const first = await open(order.id, choice)
    expect(first.action.kind).toBe('redirect')
    if (first.action.kind !== 'redirect') return
    const url = new URL(first.action.url)
    expect(url.origin).toBe('https://wx.tenpay.com')
    expect(url.searchParams.get('prepay_id')).toBe(transactions.get(first.outTradeNo)!.prepayId)
    expect(url.searchParams.get('redirect_url')).toMatch(/^http:\/\/localhost:3000\//)
    expect(first.action.url).toContain(`&redirect_url=${encodeURIComponent(url.searchParams.get('redirect_url')!)}`)
    const created = wechatpayCalls.find((call) => call.path === '/v3/pay/transactions/h5' && call.body?.out_trade_no === first.outTradeNo)
    expect(created?.body).toMatchObject({ scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } })
    expect((await open(order.id, choice)).action).toEqual(first.action)
  })

  it('the same creation repeated (a lost answer retried) gets the same prepay_id from WeChat Pay', async () => {
    const { order } = await pendingOrder()
    const request = { checkoutId: 77, method: 'wechat_jsapi' as const, outTradeNo: `ZY${order.id}C77`, payerOpenid: 'oOpenid', expiresAt: new Date(Date.now() + 30 * MINUTE), successUrl: 'http://localhost:3000/orders/1', cancelUrl: 'http://localhost:3000/pay/1' }
    const checkoutOrder = { id: order.id, totalFen: order.totalFen, currency: 'CNY', title: '测试', email: 'a@example.com' }
    const a = await wechatpay().startCheckout(checkoutOrder, request)
    const b = await wechatpay().startCheckout(checkoutOrder, request)
    expect(a.providerRef).toBe(`ZY${order.id}C77`)
    expect(b.action.kind === 'jsapi' && a.action.kind === 'jsapi' && b.action.params.package === a.action.params.package).toBe(true)
  })

  it('takes the first order’s out_trade_no (ZY1C000001, long enough for WeChat Pay’s 6–32 characters) and refuses a shorter one with a clear reason', async () => {
    const request = (outTradeNo: string) =>
      wechatpay().startCheckout(
        { id: 1, totalFen: 100, currency: 'CNY', title: '测试', email: 'a@example.com' },
        { checkoutId: 1, method: 'wechat_native', outTradeNo, expiresAt: new Date(Date.now() + 30 * MINUTE), successUrl: 'http://localhost:3000/', cancelUrl: 'http://localhost:3000/' },
      )
    expect(outTradeNoOf(1, 1)).toBe('ZY1C000001')
    // (Another number of the same length: this file's own first checkout is ZY1C000001.)
    expect(await request(outTradeNoOf(9, 999_999))).toMatchObject({ action: { kind: 'qr' }, providerRef: 'ZY9C999999' })
    const refused = await request('ZY1C1').catch((e: unknown) => e)
    expect(refused).toMatchObject({ name: 'PaymentProviderError', kind: 'refused', message: expect.stringContaining('6–32') })
  })

  it('a long title is cut to 127 bytes of UTF-8, never inside a character', async () => {
    const { order } = await pendingOrder({ title: '知音限量版黑胶唱片'.repeat(10) })
    const { outTradeNo } = await open(order.id)
    const body = wechatpayCalls.find((call) => call.body?.out_trade_no === outTradeNo)!.body!
    const description = body.description as string
    expect(Buffer.byteLength(description)).toBeLessThanOrEqual(127)
    expect(description.startsWith('知音限量版黑胶唱片')).toBe(true)
    expect(truncateUtf8('知音', 4)).toBe('知')
  })

  it('a provider outage during creation: unreachable, the order and its hold kept; the next press opens the transaction', async () => {
    const { order, product } = await pendingOrder()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    failWechatpayNext('SYSTEM_ERROR')
    expect(await openCheckout({ orderId: order.id, provider: wechatpay(), choice: { method: 'wechat_native' }, now: new Date() })).toEqual({ ok: false, reason: 'unreachable' })
    warn.mockRestore()
    expect((await orderState(order.id)).state).toBe('pending')
    await expectConsistent(product.stock.id, { held: 1, sold: 0 })
    const { action } = await open(order.id)
    expect(action.kind).toBe('qr')
  })

  it('a call WeChat Pay does not answer in time is abandoned as unreachable', async () => {
    const { order } = await pendingOrder()
    wechatpayServer.use(
      http.get('https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/:no', async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000))
        return HttpResponse.json({})
      }),
    )
    const impatient = createWechatpayProvider({
      mchid: WECHATPAY_MCHID,
      appid: WECHATPAY_APPID,
      merchantSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      merchantPrivateKey: createPrivateKey(readFileSync(process.env.WECHATPAY_PRIVATE_KEY!, 'utf8')),
      apiV3Key: WECHATPAY_APIV3_KEY,
      platformPublicKey: merchantPublicKey,
      platformPublicKeyId: WECHATPAY_PUBLIC_KEY_ID,
      notifyUrl: 'http://localhost:3000/webhooks/wechatpay',
      timeoutMs: 100,
    })
    const started = Date.now()
    await expect(impatient.closeCheckout(`ZY${order.id}C31337`)).rejects.toMatchObject({ name: 'PaymentProviderError', kind: 'unreachable' })
    expect(Date.now() - started).toBeLessThan(1_500)
  })

  it('a creation whose answer was lost: unreachable, and the next press finds the transaction WeChat Pay made', async () => {
    const { order } = await pendingOrder()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    failWechatpayNext('lost_answer')
    expect(await openCheckout({ orderId: order.id, provider: wechatpay(), choice: { method: 'wechat_native' }, now: new Date() })).toEqual({ ok: false, reason: 'unreachable' })
    warn.mockRestore()
    const made = [...transactions.keys()].filter((no) => no.startsWith(`ZY${order.id}C`))
    expect(made).toHaveLength(1)
    const { outTradeNo, action } = await open(order.id)
    expect(outTradeNo).toBe(made[0])
    expect(action).toMatchObject({ kind: 'qr', codeUrl: expect.stringContaining(transactions.get(outTradeNo)!.prepayId.slice(-7)) })
  })

  it('network failure, 429 FREQUENCY_LIMITED and 500 SYSTEM_ERROR are unreachable; a 4xx refusal is refused', async () => {
    const { order } = await pendingOrder()
    const checkoutOrder = { id: order.id, totalFen: order.totalFen, currency: 'CNY', title: '测试', email: 'a@example.com' }
    const request = { checkoutId: 5, method: 'wechat_native' as const, outTradeNo: `ZY${order.id}C5`, expiresAt: new Date(Date.now() + 30 * MINUTE), successUrl: 'http://localhost:3000/', cancelUrl: 'http://localhost:3000/' }
    for (const failure of ['network', 'FREQUENCY_LIMITED', 'SYSTEM_ERROR'] as const) {
      failWechatpayNext(failure)
      const error = await wechatpay().startCheckout(checkoutOrder, request).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(PaymentProviderError)
      expect(error).toMatchObject({ kind: 'unreachable' })
    }
    // The same out_trade_no with another amount: WeChat Pay refuses it.
    await wechatpay().startCheckout(checkoutOrder, request)
    const refused = await wechatpay()
      .startCheckout({ ...checkoutOrder, totalFen: checkoutOrder.totalFen + 1 }, request)
      .catch((e: unknown) => e)
    expect(refused).toMatchObject({ name: 'PaymentProviderError', kind: 'refused', message: expect.stringContaining('INVALID_REQUEST') })
  })
})

describe('the payment notification at /webhooks/wechatpay', () => {
  it('pays the order once, answers 204 without a body, and closes the checkout', async () => {
    const { order, product } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    const answer = await postNotification(payOutTradeNo(outTradeNo))
    expect(answer.status).toBe(204)
    expect(await answer.text()).toBe('')
    const t = transactions.get(outTradeNo)!
    expect(await orderState(order.id)).toEqual({ state: 'paid', providerPaymentId: t.transactionId })
    expect(await paymentEventsOf(order.id)).toMatchObject([{ provider: 'wechatpay', eventId: t.transactionId, outcome: 'paid', amountFen: order.totalFen, currency: 'CNY' }])
    expect(await db.select({ state: checkouts.state }).from(checkouts).where(eq(checkouts.orderId, order.id))).toEqual([{ state: 'closed' }])
    await expectConsistent(product.stock.id, { sold: 1, held: 0 })
  })

  it('the same notification ten times at once fulfils the order once', async () => {
    const { order, product } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    const notification = payOutTradeNo(outTradeNo)
    const answers = await Promise.all(Array.from({ length: 10 }, () => postNotification(notification)))
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(204))
    expect(await paymentEventsOf(order.id)).toHaveLength(1)
    expect((await orderState(order.id)).state).toBe('paid')
    await expectConsistent(product.stock.id, { sold: 1, held: 0 })
  })

  it('queryCheckout tells the same payment (same event id): unpaid → null, paid → the notice', async () => {
    const { order } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    expect(await wechatpay().queryCheckout!(outTradeNo)).toBeNull()
    const notification = payOutTradeNo(outTradeNo)
    const notice = await wechatpay().queryCheckout!(outTradeNo)
    expect(notice).toMatchObject({ provider: 'wechatpay', orderId: order.id, eventId: transactions.get(outTradeNo)!.transactionId, amountFen: order.totalFen, currency: 'CNY', checkoutRef: outTradeNo })
    const parsed = await wechatpay().parseWebhook(notification.body, new Headers(notification.headers))
    expect(parsed).toEqual({ kind: 'payment', notice })
  })

  it('a wrong amount is kept and flagged, refused once (400 FAIL) and acknowledged when sent again', async () => {
    const { order } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    const notification = payOutTradeNo(outTradeNo, { resource: { amount: { total: order.totalFen - 100, payer_total: order.totalFen - 100, currency: 'CNY', payer_currency: 'CNY' } } })
    const first = await postNotification(notification)
    expect(first.status).toBe(400)
    expect(await first.json()).toMatchObject({ code: 'FAIL', message: expect.stringMatching(/[\u4e00-\u9fff]/) })
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch'])
    expect((await orderState(order.id)).state).toBe('pending')
    expect((await postNotification(notification)).status).toBe(204)
    expect(await paymentEventsOf(order.id)).toHaveLength(1)
  })

  it('another currency is flagged the same way', async () => {
    const { order } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    const answer = await postNotification(payOutTradeNo(outTradeNo, { resource: { amount: { total: order.totalFen, payer_total: order.totalFen, currency: 'USD' } } }))
    expect(answer.status).toBe(400)
    expect(await openFlagsOf(order.id)).toEqual(['amount_mismatch'])
  })

  describe('refused with 400 and nothing recorded', () => {
    async function expectRefused(build: (outTradeNo: string) => { body: string; headers: Record<string, string> }, status = 400): Promise<void> {
      const { order, product } = await pendingOrder()
      const { outTradeNo } = await open(order.id)
      const eventsBefore = (await db.select({ id: paymentEvents.id }).from(paymentEvents)).length
      const answer = await postNotification(build(outTradeNo))
      expect(answer.status).toBe(status)
      const text = await answer.text()
      expect(text).toMatch(/[\u4e00-\u9fff]/)
      // WeChat Pay reads a refusal as {"code":"FAIL","message":…}.
      if (status === 400) expect(JSON.parse(text)).toMatchObject({ code: 'FAIL' })
      expect(await paymentEventsOf(order.id)).toEqual([])
      expect((await db.select({ id: paymentEvents.id }).from(paymentEvents)).length).toBe(eventsBefore)
      expect((await orderState(order.id)).state).toBe('pending')
      await expectConsistent(product.stock.id, { held: 1, sold: 0 })
    }

    it('a forged signature (signed with another key)', async () => {
      const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      await expectRefused((no) => payOutTradeNo(no, { signWith: forger }))
    })

    it('a body changed after signing', async () => {
      await expectRefused((no) => {
        const n = payOutTradeNo(no)
        return { ...n, body: n.body.replace('"event_type"', ' "event_type"') }
      })
    })

    it('a Wechatpay-Serial that is not the configured public key', async () => {
      await expectRefused((no) => payOutTradeNo(no, { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' }))
    })

    it('a timestamp more than 5 minutes old (a replay)', async () => {
      await expectRefused((no) => payOutTradeNo(no, { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 30 }))
    })

    it('a resource encrypted with another API v3 key', async () => {
      await expectRefused((no) => payOutTradeNo(no, { apiV3Key: randomBytes(16).toString('hex') }))
    })

    it('another merchant’s mchid', async () => {
      await expectRefused((no) => payOutTradeNo(no, { resource: { mchid: '1900000999' } }))
    })

    it('another app’s appid', async () => {
      await expectRefused((no) => payOutTradeNo(no, { resource: { appid: 'wxffffffffffffffff' } }))
    })

    it('an out_trade_no that is not one of ours', async () => {
      await expectRefused((no) => payOutTradeNo(no, { resource: { out_trade_no: 'OTHERSHOP20261206001' } }))
    })

    it('a body over 64 KB (413, not read)', async () => {
      await expectRefused((no) => {
        const n = payOutTradeNo(no)
        return { ...n, body: n.body.replace('"summary":', `"padding":"${'x'.repeat(65 * 1024)}","summary":`) }
      }, 413)
    })
  })

  it('events that confirm nothing are acknowledged and change nothing', async () => {
    const notification = wechatpayNotification({ eventType: 'TRANSACTION.CLOSED', resource: { mchid: WECHATPAY_MCHID } })
    const answer = await postNotification(notification)
    expect(answer.status).toBe(204)
  })
})

describe('refunds end by notification', () => {
  it('refund → processing at WeChat Pay (ZYR{id}, total and refund in fen) → REFUND.SUCCESS → succeeded, order refunded', async () => {
    const { order, transactionId } = await paidOrder()
    await requestRefund({ orderId: order.id, actorId: null })
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    await processPendingRefunds()
    const [refund] = await refundsOf(order.id)
    expect(refund).toMatchObject({ state: 'processing', provider: 'wechatpay', providerPaymentId: transactionId })
    const call = wechatpayCalls.find((c) => c.path === '/v3/refund/domestic/refunds' && c.body?.out_refund_no === `ZYR${refund!.id}`)
    expect(call?.body).toMatchObject({ transaction_id: transactionId, amount: { refund: order.totalFen, total: order.totalFen, currency: 'CNY' }, notify_url: 'http://localhost:3000/webhooks/wechatpay' })
    expect(refund!.providerRefundId).toBe(mockRefunds.get(`ZYR${refund!.id}`)!.refundId)
    // Processing again (a crashed worker's retry) finds the same refund at WeChat Pay.
    const again = await wechatpay().refund({ refundId: refund!.id, orderId: order.id, providerPaymentId: transactionId, paymentAmountFen: order.totalFen, amountFen: order.totalFen })
    expect(again).toEqual({ providerRefundId: refund!.providerRefundId, state: 'processing' })

    const answer = await postNotification(settleRefund(`ZYR${refund!.id}`))
    log.mockRestore()
    expect(answer.status).toBe(204)
    expect((await refundsOf(order.id))[0]).toMatchObject({ state: 'succeeded' })
    expect((await orderState(order.id)).state).toBe('refunded')
  })

  it('the payment’s notification arriving again after the refund’s changes nothing', async () => {
    const { order, outTradeNo } = await paidOrder()
    await requestRefund({ orderId: order.id, actorId: null })
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    await processPendingRefunds()
    log.mockRestore()
    const [refund] = await refundsOf(order.id)
    expect((await postNotification(settleRefund(`ZYR${refund!.id}`))).status).toBe(204)
    // WeChat Pay retries the payment's notification (our first answer was lost).
    expect((await postNotification(transactionNotification(outTradeNo))).status).toBe(204)
    expect(await paymentEventsOf(order.id)).toHaveLength(1)
    expect((await orderState(order.id)).state).toBe('refunded')
    expect(await refundsOf(order.id)).toHaveLength(1)
  })

  it('a refund notification before its payment’s (a refund we do not know) is acknowledged and changes nothing; the payment then pays once', async () => {
    const { order } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    const payment = payOutTradeNo(outTradeNo)
    const strayRefund = wechatpayNotification({
      eventType: 'REFUND.SUCCESS',
      resource: { mchid: WECHATPAY_MCHID, out_trade_no: outTradeNo, transaction_id: transactions.get(outTradeNo)!.transactionId, out_refund_no: 'ZYR987654', refund_id: '50300000000000000000000000001', refund_status: 'SUCCESS' },
    })
    expect((await postNotification(strayRefund)).status).toBe(204)
    expect(await db.select().from(refunds).where(eq(refunds.id, 987654))).toEqual([])
    expect((await orderState(order.id)).state).toBe('pending')
    expect((await postNotification(payment)).status).toBe(204)
    expect((await orderState(order.id)).state).toBe('paid')
    expect(await paymentEventsOf(order.id)).toHaveLength(1)
  })

  it('a refund whose answer was lost stays pending; its notification, arriving first, ends it and no second refund is asked for', async () => {
    const { order } = await paidOrder()
    await requestRefund({ orderId: order.id, actorId: null })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    failWechatpayNext('lost_answer')
    await processPendingRefunds()
    warn.mockRestore()
    const [refund] = await refundsOf(order.id)
    expect(refund).toMatchObject({ state: 'pending', attempts: 1 })
    expect(mockRefunds.get(`ZYR${refund!.id}`)?.status).toBe('PROCESSING')
    expect((await postNotification(settleRefund(`ZYR${refund!.id}`))).status).toBe(204)
    expect((await refundsOf(order.id))[0]).toMatchObject({ state: 'succeeded', providerRefundId: mockRefunds.get(`ZYR${refund!.id}`)!.refundId })
    expect((await orderState(order.id)).state).toBe('refunded')
    const asked = wechatpayCalls.filter((call) => call.path === '/v3/refund/domestic/refunds' && call.body?.out_refund_no === `ZYR${refund!.id}`).length
    await processPendingRefunds(new Date(Date.now() + 3600_000))
    expect(wechatpayCalls.filter((call) => call.path === '/v3/refund/domestic/refunds' && call.body?.out_refund_no === `ZYR${refund!.id}`)).toHaveLength(asked)
  })

  it('REFUND.ABNORMAL fails the refund and flags the order for an admin', async () => {
    const { order } = await paidOrder()
    await requestRefund({ orderId: order.id, actorId: null })
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    await processPendingRefunds()
    log.mockRestore()
    const [refund] = await refundsOf(order.id)
    expect((await postNotification(settleRefund(`ZYR${refund!.id}`, 'ABNORMAL'))).status).toBe(204)
    expect((await refundsOf(order.id))[0]).toMatchObject({ state: 'failed' })
    expect(await openFlagsOf(order.id)).toContain('refund_failed')
  })
})

describe('closing a checkout', () => {
  it('when the hold lapses the job closes the transaction at WeChat Pay, and a later payment is refused there', async () => {
    const { order } = await pendingOrder({ placedAt: new Date(Date.now() - 9 * MINUTE) })
    const { outTradeNo } = await open(order.id)
    const later = new Date(Date.now() + 2 * MINUTE)
    await releaseExpiredHolds(later)
    expect(await closeLapsedCheckouts(later)).toBeGreaterThanOrEqual(1)
    expect(wechatpayCalls.some((call) => call.path === `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`)).toBe(true)
    expect(transactions.get(outTradeNo)!.state).toBe('CLOSED')
    expect(() => payOutTradeNo(outTradeNo)).toThrow(/ORDER_CLOSED/)
  })

  it('a transaction paid just before is reported completed, not closed; an unknown one is closed', async () => {
    const { order } = await pendingOrder()
    const { outTradeNo } = await open(order.id)
    payOutTradeNo(outTradeNo)
    expect(await wechatpay().closeCheckout(outTradeNo)).toBe('completed')
    expect(transactions.get(outTradeNo)!.state).toBe('SUCCESS')
    expect(await wechatpay().closeCheckout(`ZY${order.id}C424242`)).toBe('closed')
  })
})

describe('the trade bill (对账单)', () => {
  it('downloads the day’s bill, checks its SHA1 and reads payments and refunds', async () => {
    const { order, outTradeNo, transactionId } = await paidOrder()
    await requestRefund({ orderId: order.id, actorId: null })
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    await processPendingRefunds()
    log.mockRestore()
    const [refund] = await refundsOf(order.id)
    await postNotification(settleRefund(`ZYR${refund!.id}`))
    const today = beijingTime(new Date()).slice(0, 10)
    const lines = await wechatpay().downloadBill!(today)
    expect(lines).toContainEqual({ kind: 'payment', outTradeNo, providerPaymentId: transactionId, refundId: null, amountFen: order.totalFen })
    expect(lines).toContainEqual({ kind: 'refund', outTradeNo, providerPaymentId: transactionId, refundId: refund!.id, amountFen: order.totalFen })
    // Every paid transaction of the mock today is on it, and nothing else.
    const paidToday = [...transactions.values()].filter((t) => t.successTime)
    expect(lines.filter((line) => line.kind === 'payment')).toHaveLength(paidToday.length)
  })

  it('reads a bill as WeChat Pay writes it: backticks, a comma in a product name, refunds, the summary', () => {
    const bill = [
      '\uFEFF交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
      '`2026-12-05 10:01:02,`wx1234567890abcdef,`1900000109,`0,`,`4200001234202612051234567890,`ZY12C000034,`oUser,`NATIVE,`SUCCESS,`OTHERS,`CNY,`68.00,`0.00,`0,`0,`0.00,`0.00,`,`,`黑胶唱片 × 1，签名版, 限量,`,`0.41,`0.60%,`68.00,`0.00,`',
      '`2026-12-05 11:00:00,`wx1234567890abcdef,`1900000109,`0,`,`4200001234202612051234567890,`ZY12C000034,`oUser,`NATIVE,`REFUND,`OTHERS,`CNY,`68.00,`0.00,`50300000000000000000000001,`ZYR9,`12.50,`0.00,`ORIGINAL,`SUCCESS,`黑胶唱片,`,`-0.08,`0.60%,`68.00,`12.50,`',
      '`2026-12-05 12:00:00,`wx1234567890abcdef,`1900000109,`0,`,`4200009999202612059999999999,`OTHER001,`oUser,`NATIVE,`REVOKED,`OTHERS,`CNY,`1.00,`0.00,`0,`0,`0.00,`0.00,`,`,`别的,`,`0.00,`0.60%,`1.00,`0.00,`',
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      '`3,`69.00,`12.50,`0.00,`0.33,`69.00,`12.50',
      '',
    ].join('\r\n')
    expect(parseTradeBill(bill)).toEqual([
      { kind: 'payment', outTradeNo: 'ZY12C000034', providerPaymentId: '4200001234202612051234567890', refundId: null, amountFen: 6800 },
      { kind: 'refund', outTradeNo: 'ZY12C000034', providerPaymentId: '4200001234202612051234567890', refundId: 9, amountFen: 1250 },
    ])
  })

  it('a file whose SHA1 does not match is not trusted; a day without a bill has no lines', async () => {
    billOverrides.set('2026-01-02', { text: '交易时间,微信订单号\r\n`2026-01-02 10:00:00,`4200\r\n', hash: createHash('sha1').update('something else').digest('hex') })
    await expect(wechatpay().downloadBill!('2026-01-02')).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringContaining('SHA1') })
    expect(await wechatpay().downloadBill!('2020-01-01')).toEqual([])
  })
})

describe('configuration', () => {
  it('/webhooks/wechatpay exists only while WeChat Pay is configured', () => {
    const env = { NODE_ENV: 'production' as const, PAYMENTS_TEST_MODE: false, STRIPE_SECRET_KEY: undefined }
    expect(configuredProviders({ ...env, WECHATPAY_MCHID: WECHATPAY_MCHID })).toEqual(['wechatpay'])
    expect(configuredProviders({ ...env, WECHATPAY_MCHID: undefined })).toEqual([])
  })

  it('WECHATPAY_* are set together or not at all', () => {
    const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(32), DATABASE_URL: 'file:/tmp/x.db' }
    expect(() => parseEnv({ ...base, WECHATPAY_MCHID: '1900000109', WECHATPAY_APPID: WECHATPAY_APPID })).toThrow(/set together or not at all/)
    expect(() => parseEnv({ ...base, WECHATPAY_APIV3_KEY: 'short' })).toThrow(/WECHATPAY_APIV3_KEY/)
    expect(parseEnv(base).WECHATPAY_MCHID).toBeUndefined()
  })
})
