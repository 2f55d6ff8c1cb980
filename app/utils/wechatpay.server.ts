// WeChat Pay API v3 behind the payment interface (docs/decisions/025-wechat-pay.md): JSAPI in
// WeChat's browser, Native's QR on desktops, H5 in phone browsers. Requests are signed
// WECHATPAY2-SHA256-RSA2048 with the merchant key and answers verified against WeChat Pay's
// public key, with node:crypto and the global fetch; notifications are verified, then their
// resource decrypted with the API v3 key. The checkout's out_trade_no is its reference.
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseCsv } from '~/domain/shipment-import.server'
import { getEnv } from './env.server'
import {
  orderIdOfOutTradeNo,
  PaymentProviderError,
  WebhookSignatureError,
  type BillLine,
  type CheckoutAction,
  type PaymentNotice,
  type PaymentProvider,
  type RefundNotice,
  type WebhookEvent,
} from './payments.server'

export const WECHATPAY_API = 'https://api.mch.weixin.qq.com'
/** A notification or answer signed longer ago than this is refused (WeChat's own advice). */
export const WECHATPAY_TIMESTAMP_WINDOW_SECONDS = 5 * 60
const DEFAULT_TIMEOUT_MS = 10_000
/** WeChat Pay's limit on `description`, in UTF-8 bytes. */
const DESCRIPTION_MAX_BYTES = 127
/** Codes that mean "try again later": the call may or may not have happened. */
const UNREACHABLE_CODES = new Set(['SYSTEM_ERROR', 'FREQUENCY_LIMITED', 'BANKERROR'])

export interface WechatpayConfig {
  mchid: string
  appid: string
  /** The merchant API certificate's serial number (serial_no in Authorization). */
  merchantSerial: string
  merchantPrivateKey: KeyObject
  /** The 32-byte API v3 key that encrypts notification resources. */
  apiV3Key: string
  /** WeChat Pay's public key (微信支付公钥), which signs its answers and notifications. */
  platformPublicKey: KeyObject
  /** Its id (PUB_KEY_ID_…), named in Wechatpay-Serial. */
  platformPublicKeyId: string
  /** `${SITE_URL}/webhooks/wechatpay`. */
  notifyUrl: string
  timeoutMs?: number
}

/** Our refund number at WeChat Pay: the refunds row id, so a repeated request names the same refund. */
export function outRefundNoOf(refundId: number) {
  return `ZYR${refundId}`
}

/** The refunds row an out_refund_no of ours names, or null for anything else (a refund made in the merchant console). */
export function refundIdOfOutRefundNo(outRefundNo: string): number | null {
  const match = /^ZYR([1-9][0-9]{0,14})$/.exec(outRefundNo)
  return match ? Number(match[1]) : null
}

/** The string WeChat Pay signs a request by: method, path with query, timestamp, nonce, body, each ending in \n. */
export function requestSigningMessage({ method, pathWithQuery, timestamp, nonce, body }: { method: string; pathWithQuery: string; timestamp: string; nonce: string; body: string }) {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`
}

/** The string of an answer's or a notification's signature: timestamp, nonce, body. */
export function answerSigningMessage({ timestamp, nonce, body }: { timestamp: string; nonce: string; body: string }) {
  return `${timestamp}\n${nonce}\n${body}\n`
}

export function rsaSign(message: string, key: KeyObject) {
  return createSign('RSA-SHA256').update(message).sign(key, 'base64')
}

export function isRsaSignatureValid(message: string, signature: string, key: KeyObject) {
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64')
  } catch {
    return false
  }
}

/** The Authorization header of a request. */
export function authorizationOf(
  config: Pick<WechatpayConfig, 'mchid' | 'merchantSerial' | 'merchantPrivateKey'>,
  request: { method: string; pathWithQuery: string; body: string; timestamp: string; nonce: string },
) {
  const signature = rsaSign(requestSigningMessage(request), config.merchantPrivateKey)
  return `WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="${request.nonce}",signature="${signature}",timestamp="${request.timestamp}",serial_no="${config.merchantSerial}"`
}

/** A resource encrypted with AEAD_AES_256_GCM (the last 16 bytes of the ciphertext are the tag); throws when it was not made with this key. */
export function decryptResource(resource: { ciphertext: string; nonce: string; associated_data?: string }, apiV3Key: string) {
  const data = Buffer.from(resource.ciphertext, 'base64')
  if (data.length < 17) throw new Error('ciphertext too short')
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'))
  decipher.setAuthTag(data.subarray(data.length - 16))
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'))
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8')
}

/** A time as WeChat Pay takes it: RFC 3339 in Beijing time (2026-12-06T15:04:05+08:00). */
export function beijingTime(at: Date) {
  return `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`
}

/** The longest start of `text` that fits in `maxBytes` of UTF-8, never cutting a character. */
export function truncateUtf8(text: string, maxBytes: number) {
  let out = ''
  let bytes = 0
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8')
    if (bytes + size > maxBytes) break
    out += char
    bytes += size
  }
  return out
}

function nonceStr() {
  return randomBytes(16).toString('hex').toUpperCase()
}

/** What WeChat Pay says of a transaction (query answers and TRANSACTION.* resources). */
interface Transaction {
  appid: string
  mchid: string
  out_trade_no: string
  transaction_id?: string
  trade_type?: string
  trade_state: string
  amount?: { total?: number; payer_total?: number; currency?: string }
}

interface RefundResource {
  mchid: string
  out_trade_no: string
  transaction_id: string
  out_refund_no: string
  refund_id: string
  refund_status: string
}

type Answer = { ok: true; status: number; body: string } | { ok: false; status: number; code: string; message: string }

export function createWechatpayProvider(config: WechatpayConfig): PaymentProvider {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS

  /**
   * One signed call. Unreachable (no answer, a 5xx, a rate limit, an answer whose signature fails)
   * throws; any other answer is returned, for the caller to read its code.
   */
  async function send(method: 'GET' | 'POST', pathWithQuery: string, payload?: object, { signedAnswer = true } = {}): Promise<Answer> {
    const body = payload === undefined ? '' : JSON.stringify(payload)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = nonceStr()
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: authorizationOf(config, { method, pathWithQuery, body, timestamp, nonce }),
      'User-Agent': 'zhiyin-wechatpay/1',
      'Wechatpay-Serial': config.platformPublicKeyId,
    }
    if (payload !== undefined) headers['Content-Type'] = 'application/json'
    let response: Response
    let text: string
    try {
      response = await fetch(`${WECHATPAY_API}${pathWithQuery}`, { method, headers, body: payload === undefined ? undefined : body, signal: AbortSignal.timeout(timeoutMs) })
      text = await response.text()
    } catch (error) {
      throw new PaymentProviderError('unreachable', `WeChat Pay ${method} ${pathWithQuery}: ${(error as Error).message}`)
    }
    if (response.ok) {
      if (signedAnswer && text !== '') verifyAnswer(response.headers, text, `${method} ${pathWithQuery}`)
      return { ok: true, status: response.status, body: text }
    }
    let code = `HTTP_${response.status}`
    let message = text.slice(0, 200)
    try {
      const parsed = JSON.parse(text) as { code?: unknown; message?: unknown }
      if (typeof parsed.code === 'string') code = parsed.code
      if (typeof parsed.message === 'string') message = parsed.message
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (response.status >= 500 || response.status === 429 || UNREACHABLE_CODES.has(code)) {
      throw new PaymentProviderError('unreachable', `WeChat Pay ${method} ${pathWithQuery}: ${response.status} ${code} ${message}`)
    }
    return { ok: false, status: response.status, code, message }
  }

  /** An answer not signed by WeChat Pay's key is as good as none: whether the call happened is unknown. */
  function verifyAnswer(headers: Headers, body: string, what: string) {
    const timestamp = headers.get('Wechatpay-Timestamp') ?? ''
    const nonce = headers.get('Wechatpay-Nonce') ?? ''
    const signature = headers.get('Wechatpay-Signature') ?? ''
    if (headers.get('Wechatpay-Serial') !== config.platformPublicKeyId || !isRsaSignatureValid(answerSigningMessage({ timestamp, nonce, body }), signature, config.platformPublicKey)) {
      throw new PaymentProviderError('unreachable', `WeChat Pay ${what}: the answer's signature does not verify`)
    }
  }

  function refusedBy(answer: Extract<Answer, { ok: false }>, what: string): never {
    throw new PaymentProviderError('refused', `WeChat Pay ${what}: ${answer.status} ${answer.code} ${answer.message}`)
  }

  function json<T>(answer: Extract<Answer, { ok: true }>): T {
    return JSON.parse(answer.body) as T
  }

  async function queryTransaction(outTradeNo: string): Promise<Transaction | null> {
    const answer = await send('GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${config.mchid}`)
    if (!answer.ok) {
      if (answer.code === 'ORDER_NOT_EXIST') return null
      refusedBy(answer, `query ${outTradeNo}`)
    }
    return json<Transaction>(answer)
  }

  /** Ours or not: a transaction of another merchant or app is never taken as a payment to us. */
  function isOurs(transaction: Pick<Transaction, 'mchid'> & { appid?: string }) {
    return transaction.mchid === config.mchid && (transaction.appid === undefined || transaction.appid === config.appid)
  }

  function paymentNoticeOf(transaction: Transaction, type: string): PaymentNotice | null {
    const orderId = orderIdOfOutTradeNo(transaction.out_trade_no)
    if (orderId === null || !transaction.transaction_id) return null
    return {
      provider: 'wechatpay',
      // A notification and a query of the same payment name the same event, so it is confirmed once.
      eventId: transaction.transaction_id,
      orderId,
      type,
      // What the order was charged (coupons the merchant funds are part of it): what we asked for.
      amountFen: transaction.amount?.total ?? 0,
      currency: (transaction.amount?.currency ?? '').toUpperCase(),
      providerPaymentId: transaction.transaction_id,
      checkoutRef: transaction.out_trade_no,
    }
  }

  function jsapiParams(prepayId: string) {
    const timeStamp = String(Math.floor(Date.now() / 1000))
    const nonce = nonceStr()
    const pkg = `prepay_id=${prepayId}`
    const paySign = rsaSign(`${config.appid}\n${timeStamp}\n${nonce}\n${pkg}\n`, config.merchantPrivateKey)
    return { appId: config.appid, timeStamp, nonceStr: nonce, package: pkg, signType: 'RSA' as const, paySign }
  }

  return {
    name: 'wechatpay',

    async startCheckout(order, request) {
      const kind = request.method === 'wechat_jsapi' ? 'jsapi' : request.method === 'wechat_native' ? 'native' : request.method === 'wechat_h5' ? 'h5' : null
      if (!kind) throw new PaymentProviderError('refused', `WeChat Pay cannot take method ${request.method}`)
      // WeChat Pay takes 6–32 letters, digits and _-|*: ZY{order}C{checkout} is shorter while both are below 10.
      if (!/^[0-9A-Za-z_|*-]{6,32}$/.test(request.outTradeNo)) throw new PaymentProviderError('refused', `WeChat Pay takes an out_trade_no of 6–32 characters, not ${request.outTradeNo}`)
      if (order.currency.toUpperCase() !== 'CNY') throw new PaymentProviderError('refused', `WeChat Pay takes CNY only, not ${order.currency}`)
      if (kind === 'jsapi' && !request.payerOpenid) throw new PaymentProviderError('refused', 'WeChat Pay JSAPI needs the payer’s openid')
      if (kind === 'h5' && !request.clientIp) throw new PaymentProviderError('refused', 'WeChat Pay H5 needs the buyer’s IP address')
      // Everything here comes from the order and the checkout row, so a repeat is the same
      // request, and WeChat Pay answers it with the same transaction.
      const payload = {
        appid: config.appid,
        mchid: config.mchid,
        description: truncateUtf8(order.title.trim(), DESCRIPTION_MAX_BYTES) || `知音订单 ${order.id}`,
        out_trade_no: request.outTradeNo,
        time_expire: beijingTime(request.expiresAt),
        notify_url: config.notifyUrl,
        amount: { total: order.totalFen, currency: 'CNY' },
        ...(kind === 'jsapi' ? { payer: { openid: request.payerOpenid } } : {}),
        ...(kind === 'h5' ? { scene_info: { payer_client_ip: request.clientIp, h5_info: { type: 'Wap' } } } : {}),
      }
      const answer = await send('POST', `/v3/pay/transactions/${kind}`, payload)
      if (!answer.ok) refusedBy(answer, `create ${request.outTradeNo}`)
      const created = json<{ prepay_id?: string; code_url?: string; h5_url?: string }>(answer)
      let action: CheckoutAction
      if (kind === 'jsapi' && created.prepay_id) action = { kind: 'jsapi', params: jsapiParams(created.prepay_id) }
      else if (kind === 'native' && created.code_url) action = { kind: 'qr', codeUrl: created.code_url }
      else if (kind === 'h5' && created.h5_url) {
        const separator = created.h5_url.includes('?') ? '&' : '?'
        action = { kind: 'redirect', url: `${created.h5_url}${separator}redirect_url=${encodeURIComponent(request.successUrl)}` }
      } else throw new PaymentProviderError('refused', `WeChat Pay create ${request.outTradeNo}: the answer lacks what ${kind} needs`)
      return { action, providerRef: request.outTradeNo }
    },

    async closeCheckout(outTradeNo) {
      const found = await queryTransaction(outTradeNo)
      if (!found) return 'closed'
      // Paid (and perhaps refunded since): its notification is on its way.
      if (found.trade_state === 'SUCCESS' || found.trade_state === 'REFUND') return 'completed'
      if (found.trade_state === 'CLOSED' || found.trade_state === 'REVOKED') return 'closed'
      const answer = await send('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: config.mchid })
      if (answer.ok) return 'closed'
      // Refused: most likely paid in the moment between the query and the close.
      const again = await queryTransaction(outTradeNo)
      if (again && (again.trade_state === 'SUCCESS' || again.trade_state === 'REFUND')) return 'completed'
      if (!again || again.trade_state === 'CLOSED') return 'closed'
      refusedBy(answer, `close ${outTradeNo}`)
    },

    async queryCheckout(outTradeNo) {
      const found = await queryTransaction(outTradeNo)
      if (!found || found.trade_state !== 'SUCCESS') return null
      if (!isOurs(found)) throw new PaymentProviderError('refused', `WeChat Pay query ${outTradeNo}: the transaction is another merchant's or app's`)
      return paymentNoticeOf(found, 'TRANSACTION.SUCCESS')
    },

    async parseWebhook(rawBody, headers): Promise<WebhookEvent> {
      const timestamp = headers.get('Wechatpay-Timestamp') ?? ''
      const nonce = headers.get('Wechatpay-Nonce') ?? ''
      const signature = headers.get('Wechatpay-Signature') ?? ''
      const serial = headers.get('Wechatpay-Serial') ?? ''
      if (!timestamp || !nonce || !signature || !serial) throw new WebhookSignatureError('missing Wechatpay-* headers')
      if (serial !== config.platformPublicKeyId) throw new WebhookSignatureError(`Wechatpay-Serial ${serial} is not the configured public key`)
      if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > WECHATPAY_TIMESTAMP_WINDOW_SECONDS) {
        throw new WebhookSignatureError('Wechatpay-Timestamp is more than 5 minutes away')
      }
      if (!isRsaSignatureValid(answerSigningMessage({ timestamp, nonce, body: rawBody }), signature, config.platformPublicKey)) {
        throw new WebhookSignatureError('Wechatpay-Signature does not verify')
      }
      let notification: { event_type?: unknown; resource?: { algorithm?: unknown; ciphertext?: unknown; nonce?: unknown; associated_data?: unknown } }
      try {
        notification = JSON.parse(rawBody) as typeof notification
      } catch {
        throw new WebhookSignatureError('the notification is not JSON')
      }
      const eventType = typeof notification.event_type === 'string' ? notification.event_type : ''
      const isPayment = eventType === 'TRANSACTION.SUCCESS'
      const isRefund = eventType === 'REFUND.SUCCESS' || eventType === 'REFUND.ABNORMAL' || eventType === 'REFUND.CLOSED'
      if (!isPayment && !isRefund) return { kind: 'ignored' }
      const resource = notification.resource
      if (resource?.algorithm !== 'AEAD_AES_256_GCM' || typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') {
        throw new WebhookSignatureError('the notification has no AEAD_AES_256_GCM resource')
      }
      let plain: string
      try {
        plain = decryptResource({ ciphertext: resource.ciphertext, nonce: resource.nonce, associated_data: typeof resource.associated_data === 'string' ? resource.associated_data : '' }, config.apiV3Key)
      } catch {
        throw new WebhookSignatureError('the resource does not decrypt with the API v3 key')
      }
      if (isPayment) {
        const transaction = JSON.parse(plain) as Transaction
        if (!isOurs({ mchid: transaction.mchid, appid: transaction.appid ?? '' })) throw new WebhookSignatureError('the payment is for another merchant or app')
        if (transaction.trade_state !== 'SUCCESS') return { kind: 'ignored' }
        const notice = paymentNoticeOf(transaction, eventType)
        // Not an out_trade_no of ours (another system on the same merchant account): not ours to record or refund.
        if (!notice) throw new WebhookSignatureError(`out_trade_no ${transaction.out_trade_no} is not one of ours`)
        return { kind: 'payment', notice }
      }
      const refund = JSON.parse(plain) as RefundResource
      if (refund.mchid !== config.mchid) throw new WebhookSignatureError('the refund is for another merchant')
      const refundId = refundIdOfOutRefundNo(refund.out_refund_no ?? '')
      // A refund made in the merchant console: ours to acknowledge, not to apply.
      if (refundId === null) return { kind: 'ignored' }
      const notice: RefundNotice = {
        provider: 'wechatpay',
        refundId,
        providerRefundId: refund.refund_id ?? null,
        outcome: eventType === 'REFUND.SUCCESS' ? 'succeeded' : 'failed',
      }
      return { kind: 'refund', notice }
    },

    webhookAnswer({ refused }) {
      // WeChat Pay takes 2xx without a body as "received"; anything else is sent again later.
      if (refused) return Response.json({ code: 'FAIL', message: '支付金额与订单不符，已记录待处理' }, { status: 400 })
      return new Response(null, { status: 204 })
    },

    async refund({ refundId, providerPaymentId, paymentAmountFen, amountFen }) {
      if (!providerPaymentId) throw new PaymentProviderError('refused', `refund ${refundId} names no WeChat Pay transaction`)
      const answer = await send('POST', '/v3/refund/domestic/refunds', {
        transaction_id: providerPaymentId,
        // The same number on a repeat: WeChat Pay answers with the same refund.
        out_refund_no: outRefundNoOf(refundId),
        reason: '知音退款',
        notify_url: config.notifyUrl,
        amount: { refund: amountFen, total: paymentAmountFen, currency: 'CNY' },
      })
      if (!answer.ok) refusedBy(answer, `refund ${refundId}`)
      const refund = json<{ refund_id?: string; status?: string }>(answer)
      if (refund.status === 'SUCCESS') return { providerRefundId: refund.refund_id ?? null, state: 'succeeded' }
      if (refund.status === 'PROCESSING') return { providerRefundId: refund.refund_id ?? null, state: 'processing' }
      throw new PaymentProviderError('refused', `WeChat Pay refund ${refundId}: status ${refund.status ?? 'missing'}`)
    },

    async downloadBill(date) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`bill date must be YYYY-MM-DD, not ${date}`)
      const answer = await send('GET', `/v3/bill/tradebill?bill_date=${date}&bill_type=ALL`)
      if (!answer.ok) {
        // A day without a transaction has no bill.
        if (answer.code === 'NO_STATEMENT_EXIST') return []
        refusedBy(answer, `trade bill ${date}`)
      }
      const bill = json<{ hash_type?: string; hash_value?: string; download_url?: string }>(answer)
      if (!bill.download_url?.startsWith(`${WECHATPAY_API}/`)) throw new PaymentProviderError('refused', `WeChat Pay trade bill ${date}: no download_url of WeChat Pay`)
      // The file is not signed: its SHA1 from the signed answer above vouches for it.
      const file = await send('GET', bill.download_url.slice(WECHATPAY_API.length), undefined, { signedAnswer: false })
      if (!file.ok) refusedBy(file, `trade bill file ${date}`)
      const hash = createHash('sha1').update(file.body, 'utf8').digest('hex')
      if (bill.hash_type !== 'SHA1' || hash !== (bill.hash_value ?? '').toLowerCase()) {
        throw new PaymentProviderError('unreachable', `WeChat Pay trade bill ${date}: the file's SHA1 does not match`)
      }
      return parseTradeBill(file.body)
    },
  }
}

/** Yuan with two decimals (`0.01`) as fen, without floating point. */
function fenOf(yuan: string) {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan)
  if (!match) throw new Error(`not an amount in yuan: ${yuan}`)
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] ? -fen : fen
}

/**
 * The lines of a trade bill (交易账单, bill_type ALL): a header, one line per payment (SUCCESS) or
 * refund (REFUND), then a summary (总交易单数 …). Each field is prefixed with a backtick so that
 * spreadsheets keep long numbers as text.
 */
export function parseTradeBill(text: string): BillLine[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, '')).map((row) => row.cells.map((cell) => cell.trim().replace(/^`/, '')))
  const header = rows[0]
  if (!header) return []
  const column = (name: string) => header.indexOf(name)
  const at = {
    tradeNo: column('微信订单号'),
    outTradeNo: column('商户订单号'),
    state: column('交易状态'),
    settled: column('应结订单金额'),
    total: column('订单金额'),
    outRefundNo: column('商户退款单号'),
    refund: column('退款金额'),
    refundRequested: column('申请退款金额'),
    productName: column('商品名称'),
  }
  if (at.tradeNo === -1 || at.outTradeNo === -1 || at.state === -1 || at.settled === -1 || at.refund === -1) {
    throw new PaymentProviderError('refused', 'WeChat Pay trade bill: unexpected header')
  }
  const lines: BillLine[] = []
  for (const cells of rows.slice(1)) {
    // The summary closes the list.
    if (cells[0] === '总交易单数') break
    const state = cells[at.state]
    // Fields are not quoted: a comma in 商品名称 or 商户数据包 widens the row, so the columns after
    // the product name are counted from the end.
    const shift = at.productName === -1 ? 0 : cells.length - header.length
    const cell = (index: number) => (index === -1 ? '' : (cells[index > at.productName ? index + shift : index] ?? ''))
    if (state === 'SUCCESS') {
      lines.push({
        kind: 'payment',
        outTradeNo: cell(at.outTradeNo),
        providerPaymentId: cell(at.tradeNo),
        refundId: null,
        amountFen: fenOf(cell(at.total) || cell(at.settled)),
      })
    } else if (state === 'REFUND') {
      lines.push({
        kind: 'refund',
        outTradeNo: cell(at.outTradeNo),
        providerPaymentId: cell(at.tradeNo),
        refundId: refundIdOfOutRefundNo(cell(at.outRefundNo)),
        amountFen: fenOf(cell(at.refundRequested) || cell(at.refund)),
      })
    }
  }
  return lines
}

let configured: PaymentProvider | undefined

/** WeChat Pay as configured by WECHATPAY_* (keys read once, at first use); throws when it is not. */
export function wechatpayProvider(): PaymentProvider {
  if (configured) return configured
  const env = getEnv()
  if (
    !env.WECHATPAY_MCHID ||
    !env.WECHATPAY_APPID ||
    !env.WECHATPAY_SERIAL ||
    !env.WECHATPAY_PRIVATE_KEY ||
    !env.WECHATPAY_APIV3_KEY ||
    !env.WECHATPAY_PLATFORM_PUBLIC_KEY ||
    !env.WECHATPAY_PLATFORM_PUBLIC_KEY_ID
  ) {
    throw new Error('WeChat Pay is not configured (WECHATPAY_MCHID, WECHATPAY_APPID, WECHATPAY_SERIAL, WECHATPAY_PRIVATE_KEY, WECHATPAY_APIV3_KEY, WECHATPAY_PLATFORM_PUBLIC_KEY, WECHATPAY_PLATFORM_PUBLIC_KEY_ID)')
  }
  configured = createWechatpayProvider({
    mchid: env.WECHATPAY_MCHID,
    appid: env.WECHATPAY_APPID,
    merchantSerial: env.WECHATPAY_SERIAL,
    merchantPrivateKey: createPrivateKey(readFileSync(env.WECHATPAY_PRIVATE_KEY, 'utf8')),
    apiV3Key: env.WECHATPAY_APIV3_KEY,
    platformPublicKey: createPublicKey(readFileSync(env.WECHATPAY_PLATFORM_PUBLIC_KEY, 'utf8')),
    platformPublicKeyId: env.WECHATPAY_PLATFORM_PUBLIC_KEY_ID,
    notifyUrl: `${env.SITE_URL}/webhooks/wechatpay`,
  })
  return configured
}
