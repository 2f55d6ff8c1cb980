// Intercepts WeChat Pay API v3 (api.mch.weixin.qq.com) so no test reaches the network. Keys are
// made here: a merchant key pair (the app signs with the private key; this mock verifies every
// request's Authorization with the public key and answers 401 SIGN_ERROR otherwise), WeChat Pay's
// key pair (this mock signs its answers and notifications; the app verifies with the public key)
// and a random API v3 key that encrypts notification resources. Transactions are kept by
// out_trade_no as WeChat Pay keeps them (the same request → the same prepay_id; a closed one
// cannot be paid), refunds by out_refund_no; the next calls can be told to fail.
import { createCipheriv, createHash, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'

// Written here from WeChat Pay's documentation, not taken from the app: a mistake in the app's
// signing or time format fails against these instead of agreeing with itself.
function rsaSign(message: string, key: KeyObject) {
  return createSign('RSA-SHA256').update(message).sign(key, 'base64')
}
function answerSigningMessage({ timestamp, nonce, body }: { timestamp: string; nonce: string; body: string }) {
  return [timestamp, nonce, body, ''].join('\n')
}
function requestSigningMessage({ method, pathWithQuery, timestamp, nonce, body }: { method: string; pathWithQuery: string; timestamp: string; nonce: string; body: string }) {
  return [method, pathWithQuery, timestamp, nonce, body, ''].join('\n')
}
/** 2026-12-06T15:04:05+08:00 */
export function beijingTime(at: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}+08:00`
}

const API = 'https://api.mch.weixin.qq.com'
export const WECHATPAY_MCHID = '1900000109'
export const WECHATPAY_APPID = 'wx1234567890abcdef'
export const WECHATPAY_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
export const WECHATPAY_PUBLIC_KEY_ID = 'PUB_KEY_ID_0119000001092026120600000000000001'
/** 32 printable characters, as the merchant console takes it. */
export const WECHATPAY_APIV3_KEY = randomBytes(24).toString('base64').slice(0, 32)

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 })
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
/** WeChat Pay's private key, for tests that sign something themselves. */
export const platformPrivateKey: KeyObject = platform.privateKey
export const merchantPublicKey: KeyObject = merchant.publicKey

export interface WechatpayCall {
  method: string
  path: string
  query: URLSearchParams
  body: Record<string, unknown> | undefined
  authorized: boolean
}
export const wechatpayCalls: WechatpayCall[] = []

export function wechatpayCallsTo(method: string, path: string) {
  return wechatpayCalls.filter((call) => call.method === method && call.path === path)
}

export interface MockTransaction {
  request: string
  tradeType: 'JSAPI' | 'NATIVE' | 'MWEB'
  outTradeNo: string
  prepayId: string
  transactionId: string
  total: number
  openid: string | null
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND'
  successTime: Date | null
}
export interface MockRefund {
  outRefundNo: string
  refundId: string
  outTradeNo: string
  transactionId: string
  refund: number
  total: number
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED'
  createdAt: Date
}
export const transactions = new Map<string, MockTransaction>()
export const mockRefunds = new Map<string, MockRefund>()

type Failure = 'SYSTEM_ERROR' | 'FREQUENCY_LIMITED' | 'network' | 'lost_answer'
const failures: Failure[] = []
/**
 * The next `times` calls (to any path) fail this way: 500 SYSTEM_ERROR, 429 FREQUENCY_LIMITED, no
 * answer, or `lost_answer` — WeChat Pay did it, but the answer never came back.
 */
export function failWechatpayNext(failure: Failure, times = 1) {
  for (let i = 0; i < times; i++) failures.push(failure)
}

let sequence = 0
const next = () => ++sequence

/** A JSON answer signed with WeChat Pay's key, as every answer with a body is. */
function signed(body: unknown, status = 200) {
  const text = JSON.stringify(body)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(16).toString('hex')
  return new HttpResponse(text, {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Request-ID': `mock-${next()}`,
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': rsaSign(answerSigningMessage({ timestamp, nonce, body: text }), platform.privateKey),
      'Wechatpay-Serial': WECHATPAY_PUBLIC_KEY_ID,
    },
  })
}

function fail(status: number, code: string, message: string) {
  return signed({ code, message }, status)
}

/** Whether a request carries a valid WECHATPAY2-SHA256-RSA2048 signature by the merchant's key. */
function isAuthorized(request: Request, pathWithQuery: string, body: string) {
  const header = request.headers.get('Authorization') ?? ''
  if (!header.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return false
  const fields = Object.fromEntries([...header.slice('WECHATPAY2-SHA256-RSA2048 '.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
  if (fields.mchid !== WECHATPAY_MCHID || fields.serial_no !== WECHATPAY_SERIAL) return false
  const timestamp = fields.timestamp ?? ''
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false
  const message = requestSigningMessage({ method: request.method, pathWithQuery, timestamp, nonce: fields.nonce_str ?? '', body })
  try {
    return createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, fields.signature ?? '', 'base64')
  } catch {
    return false
  }
}

type Handler = (call: WechatpayCall, url: URL, params: Record<string, string>) => Response | Promise<Response>

/** Every handler: records the call, fails it when told to, refuses a bad signature. */
function guarded(handler: Handler) {
  return async ({ request, params }: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => {
    const url = new URL(request.url)
    const text = request.method === 'POST' ? await request.text() : ''
    const authorized = isAuthorized(request, `${url.pathname}${url.search}`, text)
    const call: WechatpayCall = { method: request.method, path: url.pathname, query: url.searchParams, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, authorized }
    wechatpayCalls.push(call)
    const failure = failures.shift()
    if (failure === 'network') return HttpResponse.error()
    if (failure === 'SYSTEM_ERROR') return fail(500, 'SYSTEM_ERROR', '系统错误')
    if (failure === 'FREQUENCY_LIMITED') return fail(429, 'FREQUENCY_LIMITED', '频率超限')
    if (!authorized) return fail(401, 'SIGN_ERROR', '签名错误')
    const answer = await handler(call, url, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])))
    return failure === 'lost_answer' ? HttpResponse.error() : answer
  }
}

function transactionJson(t: MockTransaction) {
  return {
    appid: WECHATPAY_APPID,
    mchid: WECHATPAY_MCHID,
    out_trade_no: t.outTradeNo,
    ...(t.state === 'SUCCESS' || t.state === 'REFUND' ? { transaction_id: t.transactionId, success_time: beijingTime(t.successTime!), bank_type: 'OTHERS' } : {}),
    trade_type: t.tradeType,
    trade_state: t.state,
    trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', REFUND: '转入退款' }[t.state],
    attach: '',
    payer: { openid: t.openid ?? 'oMockPayerOpenid000000000000' },
    amount: { total: t.total, payer_total: t.total, currency: 'CNY', payer_currency: 'CNY' },
  }
}

function create(tradeType: MockTransaction['tradeType']): Handler {
  return (call) => {
    const body = call.body ?? {}
    const amount = body.amount as { total?: unknown; currency?: unknown } | undefined
    const payer = body.payer as { openid?: unknown } | undefined
    const scene = body.scene_info as { payer_client_ip?: unknown; h5_info?: { type?: unknown } } | undefined
    const outTradeNo = typeof body.out_trade_no === 'string' ? body.out_trade_no : ''
    if (body.appid !== WECHATPAY_APPID || body.mchid !== WECHATPAY_MCHID) return fail(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配')
    if (!/^[0-9A-Za-z_|*-]{6,32}$/.test(outTradeNo)) return fail(400, 'PARAM_ERROR', 'out_trade_no 格式错误')
    if (typeof body.description !== 'string' || Buffer.byteLength(body.description) > 127 || !body.description) return fail(400, 'PARAM_ERROR', 'description 格式错误')
    if (!Number.isInteger(amount?.total) || (amount!.total as number) <= 0 || amount?.currency !== 'CNY') return fail(400, 'PARAM_ERROR', 'amount 错误')
    if (typeof body.time_expire !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(body.time_expire)) return fail(400, 'PARAM_ERROR', 'time_expire 格式错误')
    if (tradeType === 'JSAPI' && typeof payer?.openid !== 'string') return fail(400, 'PARAM_ERROR', '缺少参数 payer.openid')
    if (tradeType === 'MWEB' && (typeof scene?.payer_client_ip !== 'string' || scene.h5_info?.type !== 'Wap')) return fail(400, 'PARAM_ERROR', '缺少参数 scene_info')
    const known = transactions.get(outTradeNo)
    if (known) {
      if (known.state === 'SUCCESS' || known.state === 'REFUND') return fail(400, 'ORDERPAID', '该订单已支付')
      if (known.state === 'CLOSED') return fail(400, 'ORDER_CLOSED', '订单已关闭')
      if (known.request !== JSON.stringify(body)) return fail(400, 'INVALID_REQUEST', '201 商户订单号重复')
    }
    const t = known ?? {
      request: JSON.stringify(body),
      tradeType,
      outTradeNo,
      prepayId: `wx${Date.now()}${String(next()).padStart(6, '0')}`,
      transactionId: `42000${String(Date.now()).slice(-10)}${String(next()).padStart(13, '0')}`,
      total: amount!.total as number,
      openid: tradeType === 'JSAPI' ? (payer!.openid as string) : null,
      state: 'NOTPAY' as const,
      successTime: null,
    }
    transactions.set(outTradeNo, t)
    if (tradeType === 'JSAPI') return signed({ prepay_id: t.prepayId })
    if (tradeType === 'NATIVE') return signed({ code_url: `weixin://wxpay/bizpayurl?pr=${t.prepayId.slice(-7)}` })
    return signed({ h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${t.prepayId}&package=${2_000_000_000 + next()}` })
  }
}

/** A trade bill (bill_type ALL) of the transactions paid and refunds made on `date` (Beijing time). */
export function tradeBillOf(date: string) {
  const field = (value: string | number) => `\`${value}`
  const yuan = (fen: number) => (fen / 100).toFixed(2)
  const header =
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注'
  const rows: string[] = []
  let paid = 0
  let refunded = 0
  for (const t of transactions.values()) {
    if (!t.successTime || beijingTime(t.successTime).slice(0, 10) !== date) continue
    paid += t.total
    const time = beijingTime(t.successTime).slice(0, 19).replace('T', ' ')
    rows.push(
      [time, WECHATPAY_APPID, WECHATPAY_MCHID, '0', '', t.transactionId, t.outTradeNo, t.openid ?? 'oMock', t.tradeType, 'SUCCESS', 'OTHERS', 'CNY', yuan(t.total), '0.00', '0', '0', '0.00', '0.00', '', '', '知音订单', '', '0.00', '0.60%', yuan(t.total), '0.00', '']
        .map(field)
        .join(','),
    )
  }
  for (const r of mockRefunds.values()) {
    if (r.status !== 'SUCCESS' || beijingTime(r.createdAt).slice(0, 10) !== date) continue
    refunded += r.refund
    const time = beijingTime(r.createdAt).slice(0, 19).replace('T', ' ')
    rows.push(
      [time, WECHATPAY_APPID, WECHATPAY_MCHID, '0', '', r.transactionId, r.outTradeNo, 'oMock', 'NATIVE', 'REFUND', 'OTHERS', 'CNY', yuan(r.total), '0.00', r.refundId, r.outRefundNo, yuan(r.refund), '0.00', 'ORIGINAL', 'SUCCESS', '知音订单', '', '0.00', '0.60%', yuan(r.total), yuan(r.refund), '']
        .map(field)
        .join(','),
    )
  }
  const summary = ['总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额', [rows.length, yuan(paid), yuan(refunded), '0.00', '0.00', yuan(paid), yuan(refunded)].map(field).join(',')]
  return `${[header, ...rows, ...summary].join('\r\n')}\r\n`
}

const billFiles = new Map<string, string>()
/** Bills served for a date instead of the one made from the transactions (a tampered file, say). */
export const billOverrides = new Map<string, { text: string; hash?: string }>()

export const wechatpayServer = setupServer(
  http.post(`${API}/v3/pay/transactions/jsapi`, guarded(create('JSAPI'))),
  http.post(`${API}/v3/pay/transactions/native`, guarded(create('NATIVE'))),
  http.post(`${API}/v3/pay/transactions/h5`, guarded(create('MWEB'))),
  http.get(
    `${API}/v3/pay/transactions/out-trade-no/:no`,
    guarded((call, _url, params) => {
      if (call.query.get('mchid') !== WECHATPAY_MCHID) return fail(400, 'PARAM_ERROR', 'mchid 错误')
      const t = transactions.get(params.no!)
      return t ? signed(transactionJson(t)) : fail(404, 'ORDER_NOT_EXIST', '订单不存在')
    }),
  ),
  http.post(
    `${API}/v3/pay/transactions/out-trade-no/:no/close`,
    guarded((call, _url, params) => {
      if (call.body?.mchid !== WECHATPAY_MCHID) return fail(400, 'PARAM_ERROR', 'mchid 错误')
      const t = transactions.get(params.no!)
      if (!t) return fail(404, 'ORDER_NOT_EXIST', '订单不存在')
      if (t.state === 'SUCCESS' || t.state === 'REFUND') return fail(400, 'ORDERPAID', '该订单已支付')
      t.state = 'CLOSED'
      return new HttpResponse(null, { status: 204 })
    }),
  ),
  http.post(
    `${API}/v3/refund/domestic/refunds`,
    guarded((call) => {
      const body = call.body ?? {}
      const amount = body.amount as { refund?: number; total?: number; currency?: string } | undefined
      const outRefundNo = String(body.out_refund_no ?? '')
      const known = mockRefunds.get(outRefundNo)
      const t = [...transactions.values()].find((x) => x.transactionId === body.transaction_id)
      if (!t || (t.state !== 'SUCCESS' && t.state !== 'REFUND')) return fail(404, 'RESOURCE_NOT_EXISTS', '订单不存在')
      if (!known) {
        if (amount?.currency !== 'CNY' || amount.total !== t.total || !Number.isInteger(amount.refund) || amount.refund! <= 0) return fail(400, 'PARAM_ERROR', '退款金额错误')
        const refunded = [...mockRefunds.values()].filter((r) => r.transactionId === t.transactionId && r.status !== 'CLOSED').reduce((sum, r) => sum + r.refund, 0)
        if (refunded + amount.refund! > t.total) return fail(403, 'NOT_ENOUGH', '退款金额超过订单可退金额')
        if (typeof body.notify_url !== 'string') return fail(400, 'PARAM_ERROR', '缺少 notify_url')
      }
      const r = known ?? {
        outRefundNo,
        refundId: `50300${String(next()).padStart(24, '0')}`,
        outTradeNo: t.outTradeNo,
        transactionId: t.transactionId,
        refund: amount!.refund!,
        total: t.total,
        status: 'PROCESSING' as const,
        createdAt: new Date(),
      }
      mockRefunds.set(outRefundNo, r)
      t.state = 'REFUND'
      return signed({
        refund_id: r.refundId,
        out_refund_no: r.outRefundNo,
        transaction_id: r.transactionId,
        out_trade_no: r.outTradeNo,
        channel: 'ORIGINAL',
        user_received_account: '支付用户零钱',
        create_time: beijingTime(r.createdAt),
        status: r.status,
        amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund, currency: 'CNY' },
      })
    }),
  ),
  http.get(
    `${API}/v3/bill/tradebill`,
    guarded((call) => {
      const date = call.query.get('bill_date') ?? ''
      if (!/^\d{4}-\d\d-\d\d$/.test(date) || call.query.get('bill_type') !== 'ALL') return fail(400, 'PARAM_ERROR', '参数错误')
      const override = billOverrides.get(date)
      const text = override?.text ?? tradeBillOf(date)
      if (!override && !text.split('\r\n').some((line) => line.includes('`SUCCESS') || line.includes('`REFUND'))) return fail(400, 'NO_STATEMENT_EXIST', '账单文件不存在')
      const token = randomBytes(8).toString('hex')
      billFiles.set(token, text)
      return signed({ hash_type: 'SHA1', hash_value: override?.hash ?? createHash('sha1').update(text, 'utf8').digest('hex'), download_url: `${API}/v3/billdownload/file?token=${token}` })
    }),
  ),
  http.get(
    `${API}/v3/billdownload/file`,
    guarded((call) => {
      const text = billFiles.get(call.query.get('token') ?? '')
      // The file itself is not signed (its hash came in the signed answer).
      return text === undefined ? fail(400, 'PARAM_ERROR', 'token 无效') : new HttpResponse(text, { headers: { 'Content-Type': 'application/octet-stream' } })
    }),
  ),
)

/** AEAD_AES_256_GCM as WeChat Pay encrypts a notification's resource. */
export function encryptResource(plain: string, { key = WECHATPAY_APIV3_KEY, associatedData = 'transaction' } = {}) {
  const nonce = randomBytes(6).toString('hex')
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'))
  cipher.setAAD(Buffer.from(associatedData, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64')
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: associatedData, original_type: associatedData, nonce }
}

export interface NotificationOptions {
  eventType: string
  resource: Record<string, unknown>
  /** Seconds since the epoch; now unless told otherwise. */
  timestamp?: number
  serial?: string
  signWith?: KeyObject
  apiV3Key?: string
}

/** A notification exactly as WeChat Pay sends it: the body and its Wechatpay-* headers. */
export function wechatpayNotification({ eventType, resource, timestamp = Math.floor(Date.now() / 1000), serial = WECHATPAY_PUBLIC_KEY_ID, signWith = platform.privateKey, apiV3Key = WECHATPAY_APIV3_KEY }: NotificationOptions) {
  const kind = eventType.startsWith('REFUND.') ? 'refund' : 'transaction'
  const body = JSON.stringify({
    id: `EV-${randomBytes(8).toString('hex')}`,
    create_time: beijingTime(new Date(timestamp * 1000)),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: kind === 'refund' ? '退款成功' : '支付成功',
    resource: encryptResource(JSON.stringify(resource), { key: apiV3Key, associatedData: kind }),
  })
  const nonce = randomBytes(16).toString('hex')
  const headers = {
    'Content-Type': 'application/json',
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(answerSigningMessage({ timestamp: String(timestamp), nonce, body }), signWith),
    'Wechatpay-Serial': serial,
  }
  return { body, headers }
}

/**
 * The buyer pays the transaction: it is marked paid and its TRANSACTION.SUCCESS notification is
 * returned. Throws as WeChat would refuse the payment (closed, already paid, unknown).
 * `resource` bends what the notification says (another amount, merchant or app).
 */
export function payOutTradeNo(outTradeNo: string, { resource = {}, ...options }: Partial<NotificationOptions> = {}) {
  const t = transactions.get(outTradeNo)
  if (!t) throw new Error(`ORDER_NOT_EXIST: no transaction ${outTradeNo}`)
  if (t.state === 'CLOSED') throw new Error(`ORDER_CLOSED: ${outTradeNo} is closed and cannot be paid`)
  if (t.state !== 'NOTPAY') throw new Error(`ORDERPAID: ${outTradeNo} is paid already`)
  t.state = 'SUCCESS'
  t.successTime = new Date()
  return transactionNotification(outTradeNo, { resource, ...options })
}

/** The TRANSACTION.SUCCESS notification of a paid transaction (WeChat Pay sends it again until answered). */
export function transactionNotification(outTradeNo: string, { resource = {}, ...options }: Partial<NotificationOptions> = {}) {
  const t = transactions.get(outTradeNo)!
  return wechatpayNotification({ eventType: 'TRANSACTION.SUCCESS', ...options, resource: { ...transactionJson({ ...t, state: 'SUCCESS' }), ...resource } })
}

/** The refund ends (SUCCESS by default): its notification, as WeChat Pay sends it. */
export function settleRefund(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED' = 'SUCCESS', options: Partial<NotificationOptions> = {}) {
  const r = mockRefunds.get(outRefundNo)
  if (!r) throw new Error(`no refund ${outRefundNo}`)
  r.status = status
  return wechatpayNotification({
    eventType: `REFUND.${status}`,
    ...options,
    resource: {
      mchid: WECHATPAY_MCHID,
      out_trade_no: r.outTradeNo,
      transaction_id: r.transactionId,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_status: status,
      ...(status === 'SUCCESS' ? { success_time: beijingTime(new Date()) } : {}),
      user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
      ...options.resource,
    },
  })
}

/**
 * From here on, this test file's app modules see a configured WeChat Pay whose API is
 * intercepted: the key files are written to a temp dir, and a fresh module registry reads the
 * environment again. Call it, then import the app modules.
 */
export function interceptWechatpay() {
  const dir = mkdtempSync(join(tmpdir(), 'zhiyin-wechatpay-'))
  writeFileSync(join(dir, 'apiclient_key.pem'), merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }))
  writeFileSync(join(dir, 'pub_key.pem'), platform.publicKey.export({ type: 'spki', format: 'pem' }))
  const env: Record<string, string> = {
    WECHATPAY_MCHID,
    WECHATPAY_APPID,
    WECHATPAY_SERIAL,
    WECHATPAY_PRIVATE_KEY: join(dir, 'apiclient_key.pem'),
    WECHATPAY_APIV3_KEY,
    WECHATPAY_PLATFORM_PUBLIC_KEY: join(dir, 'pub_key.pem'),
    WECHATPAY_PLATFORM_PUBLIC_KEY_ID: WECHATPAY_PUBLIC_KEY_ID,
  }
  Object.assign(process.env, env)
  vi.resetModules()
  beforeAll(() => wechatpayServer.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    wechatpayServer.resetHandlers()
    failures.length = 0
  })
  afterAll(() => {
    wechatpayServer.close()
    for (const name of Object.keys(env)) delete process.env[name]
    rmSync(dir, { recursive: true, force: true })
  })
}
