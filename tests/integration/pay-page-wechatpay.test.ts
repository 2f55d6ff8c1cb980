// The pay page with WeChat Pay configured (issue 14, against msw's WeChat Pay): JSAPI inside
// WeChat for a reader whose openid is known (the server-signed parameters checked here with the
// merchant's public key), Native's QR code otherwise and on a desktop — shown again on a reload and
// turning to 已支付 once paid — and H5 in a phone browser; 我已付款 asks WeChat Pay and records the
// payment once, like its notification.
import { createVerify } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { orders } from '../../db/schema'
import { createTestProduct, productLine } from '../factories/cart'
import { placeOk } from '../factories/orders'
import { paymentEventsOf } from '../factories/payments'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'
import { interceptWechatpay, merchantPublicKey, payOutTradeNo, transactionNotification, transactions, WECHATPAY_APPID } from '../mocks/wechatpay'

interceptWechatpay()
const payPage = await import('~/routes/pay.$orderId')
const webhook = await import('~/routes/webhooks.$provider')
const { linkWechatIdentity } = await import('~/models/wechat-identity.server')
const { db } = await import('~/utils/db.server')
const { t } = await import('~/i18n/zh-CN')

const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'
const WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'

async function buyer({ openid }: { openid?: string } = {}) {
  const { user } = await createTestUser()
  if (openid) expect(await linkWechatIdentity({ userId: user.id, profile: { appId: WECHATPAY_APPID, openid, unionid: null, nickname: '付款的读者' } })).toEqual({ ok: true })
  const product = await createTestProduct({ capacity: 5, priceFen: 6800 })
  const order = await placeOk({ userId: user.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
  return { order, cookie: (await signedInCookie(user.id)).cookie }
}

type PayPage = { methods: string[]; scan: { svg: string } | null; confirming: boolean }
const showPay = async (orderId: number, cookie: string, ua: string, query = '') =>
  (await payPage.loader(routeArgs(requestFor(`/pay/${orderId}${query}`, { cookie, headers: { 'User-Agent': ua } }), { orderId: String(orderId) }))) as PayPage

const post = (orderId: number, cookie: string, ua: string, form: Record<string, string>) =>
  payPage.action(routeArgs(requestFor(`/pay/${orderId}`, { form, cookie, headers: { 'User-Agent': ua } }), { orderId: String(orderId) }, '203.0.113.7'))

const outTradeNoOfOrder = (orderId: number) => [...transactions.values()].find((tx) => tx.outTradeNo.startsWith(`ZY${orderId}C`))!.outTradeNo

describe('the pay page with WeChat Pay', () => {
  it('offers JSAPI inside WeChat to a reader whose openid is known, the QR code to one who is not and on a desktop, H5 in a phone browser', async () => {
    const known = await buyer({ openid: 'oPayer_known_0001' })
    const unknown = await buyer()
    expect((await showPay(known.order.id, known.cookie, WECHAT)).methods).toEqual(['wechat_jsapi'])
    expect((await showPay(unknown.order.id, unknown.cookie, WECHAT)).methods).toEqual(['wechat_native'])
    expect((await showPay(unknown.order.id, unknown.cookie, DESKTOP)).methods).toEqual(['wechat_native'])
    expect((await showPay(unknown.order.id, unknown.cookie, PHONE)).methods).toEqual(['wechat_h5'])
  })

  it('JSAPI: answers the parameters for WeixinJSBridge, signed with the merchant key for the reader’s openid', async () => {
    const { order, cookie } = await buyer({ openid: 'oPayer_jsapi_0001' })
    const answer = readData<{ jsapi: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string } }>(
      await post(order.id, cookie, WECHAT, { intent: 'checkout', method: 'wechat_jsapi' }),
    )
    const { jsapi } = answer.data
    expect(jsapi).toMatchObject({ appId: WECHATPAY_APPID, signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) })
    const message = `${jsapi.appId}\n${jsapi.timeStamp}\n${jsapi.nonceStr}\n${jsapi.package}\n`
    expect(createVerify('RSA-SHA256').update(message).verify(merchantPublicKey, jsapi.paySign, 'base64')).toBe(true)
    const sent = JSON.parse(transactions.get(outTradeNoOfOrder(order.id))!.request) as { payer: { openid: string } }
    expect(sent.payer.openid).toBe('oPayer_jsapi_0001')
  })

  it('Native: the QR code stays on the page until paid, then the page sends the buyer to the paid order', async () => {
    const { order, cookie } = await buyer()
    expect(readRedirect(await post(order.id, cookie, DESKTOP, { intent: 'checkout', method: 'wechat_native' })).location).toBe(`/pay/${order.id}`)
    const page = await showPay(order.id, cookie, DESKTOP)
    expect(page.scan?.svg).toMatch(/^<svg/)
    // A reload shows the same code, and choosing again opens nothing new.
    expect((await showPay(order.id, cookie, DESKTOP)).scan?.svg).toBe(page.scan?.svg)
    readRedirect(await post(order.id, cookie, DESKTOP, { intent: 'checkout', method: 'wechat_native' }))
    expect([...transactions.values()].filter((tx) => tx.outTradeNo.startsWith(`ZY${order.id}C`))).toHaveLength(1)
    // 换一种支付方式 shows the choices instead of the code.
    expect((await showPay(order.id, cookie, DESKTOP, '?methods')).scan).toBeNull()

    const notification = payOutTradeNo(outTradeNoOfOrder(order.id))
    const delivered = await webhook.action(routeArgs(new Request('http://localhost:3000/webhooks/wechatpay', { method: 'POST', ...notification }), { provider: 'wechatpay' }))
    expect(delivered.status).toBe(204)
    const paid = readRedirect(await thrownResponse(payPage.loader(routeArgs(requestFor(`/pay/${order.id}`, { cookie, headers: { 'User-Agent': DESKTOP } }), { orderId: String(order.id) }))))
    expect(paid.location).toBe(`/orders/${order.id}`)
  })

  it('H5: sends the phone to WeChat Pay’s page with the way back to the order, for the buyer’s address', async () => {
    const { order, cookie } = await buyer()
    const { location } = readRedirect(await post(order.id, cookie, PHONE, { intent: 'checkout', method: 'wechat_h5' }))
    const url = new URL(location!)
    expect(url.origin).toBe('https://wx.tenpay.com')
    expect(url.searchParams.get('redirect_url')).toMatch(new RegExp(`/orders/${order.id}$`))
    const sent = JSON.parse(transactions.get(outTradeNoOfOrder(order.id))!.request) as { scene_info: { payer_client_ip: string } }
    expect(sent.scene_info.payer_client_ip).toBe('203.0.113.7')
  })

  it('我已付款 asks WeChat Pay when the notification is late: not paid yet → told so (409); paid → recorded once, the notification after it a repeat', async () => {
    const { order, cookie } = await buyer()
    readRedirect(await post(order.id, cookie, DESKTOP, { intent: 'checkout', method: 'wechat_native' }))
    expect(readData<{ errors: { intent: string } }>(await post(order.id, cookie, DESKTOP, { intent: 'check' }))).toMatchObject({ status: 409, data: { errors: { intent: t.payments.notPaidYet } } })
    const outTradeNo = outTradeNoOfOrder(order.id)
    payOutTradeNo(outTradeNo)
    expect(readRedirect(await post(order.id, cookie, DESKTOP, { intent: 'check' })).location).toBe(`/orders/${order.id}`)
    const [row] = await db.select({ state: orders.state }).from(orders).where(eq(orders.id, order.id))
    expect(row!.state).toBe('paid')
    const late = transactionNotification(outTradeNo)
    expect((await webhook.action(routeArgs(new Request('http://localhost:3000/webhooks/wechatpay', { method: 'POST', ...late }), { provider: 'wechatpay' }))).status).toBe(204)
    expect(await paymentEventsOf(order.id)).toHaveLength(1)
  })
})
