// Alipay (支付宝) behind the payment interface (docs/decisions/026-alipay.md): 手机网站支付 and
// 电脑网站支付 as a signed gateway URL, the trade query and close, refunds (synchronous at Alipay),
// the asynchronous notification and the daily bill. The official alipay-sdk builds and signs every
// request and verifies every signature; its own HTTP client (urllib on undici) is not used, because
// mocks and proxies cannot see it: the signed request is sent with global fetch instead.
import { AlipaySdk } from 'alipay-sdk'
import { unzipSync } from 'fflate'
import { parseCsv } from '~/domain/shipment-import.server'
import { localDateTime } from '~/domain/time'
import { alipayConfig, type AlipayConfig } from './env.server'
import {
  orderIdOfOutTradeNo,
  PaymentProviderError,
  WebhookSignatureError,
  type BillLine,
  type PaymentNotice,
  type PaymentProvider,
  type WebhookAnswer,
  type WebhookEvent,
} from './payments.server'

/** Alipay reads every time in Beijing time. */
const ALIPAY_TIME_ZONE = 'Asia/Shanghai'
/** How long one call to the gateway may take before it counts as unanswered. */
const CALL_TIMEOUT_MS = 10_000
const PAID_STATUSES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED'])
/** Alipay's subject is at most 256 characters and may not hold these. */
const SUBJECT_MAX_CHARS = 256
const SUBJECT_FORBIDDEN = /[/=&]/g

/** What the gateway answers inside `<method>_response`. */
interface AlipayAnswer {
  code: string
  msg?: string
  sub_code?: string
  sub_msg?: string
  [field: string]: unknown
}

/** Fen as Alipay's yuan with two decimals, by integer arithmetic (1999 → "19.99"). */
export function yuanOf(fen: number) {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`)
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}

/** Alipay's yuan ("19.99", "-0.01", "20") as fen, or null when it is not an amount. */
export function fenOf(yuan: string): number | null {
  const match = /^(-)?([0-9]{1,12})(?:\.([0-9]{1,2}))?$/.exec(yuan.trim())
  if (!match) return null
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] ? -fen : fen
}

/** An order's title as Alipay's subject: without the characters it refuses, at most 256 characters. */
export function subjectOf(title: string, orderId: number) {
  const cleaned = title.replace(SUBJECT_FORBIDDEN, ' ').replace(/\s+/g, ' ').trim()
  return Array.from(cleaned || `知音订单 ${orderId}`)
    .slice(0, SUBJECT_MAX_CHARS)
    .join('')
}

/**
 * The gateway's failure as a PaymentProviderError: its own trouble (code 20000, a SYSTEM_ERROR,
 * an `isp.` sub-code) means "may or may not have happened, ask again"; anything else is a refusal.
 */
function failure(method: string, answer: AlipayAnswer): PaymentProviderError {
  const subCode = answer.sub_code ?? ''
  const unreachable = answer.code === '20000' || subCode.endsWith('SYSTEM_ERROR') || subCode.startsWith('isp.')
  return new PaymentProviderError(unreachable ? 'unreachable' : 'refused', `${method}: ${answer.code} ${subCode} ${answer.sub_msg ?? answer.msg ?? ''}`.trim())
}

/** A network failure's message with its cause (fetch says only "fetch failed"). */
function failureText(error: unknown) {
  const { message, cause } = error as { message?: string; cause?: { message?: string; code?: string } }
  return cause ? `${message} (${cause.code ?? cause.message ?? String(cause)})` : String(message ?? error)
}

/** Alipay's answer to a notification: `success` once recorded, anything else makes it send again. */
function alipayWebhookAnswer({ refused }: WebhookAnswer) {
  return new Response(refused ? 'fail' : 'success', { status: refused ? 400 : 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

export function createAlipayProvider(config: AlipayConfig, options: { fetch?: typeof fetch } = {}): PaymentProvider {
  // Looked up per call, so a fetch replaced after start-up (a proxy, msw in tests) is the one used.
  const send: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init)
  const sdk = new AlipaySdk({
    appId: config.appId,
    // The SDK re-wraps a key from its lines: a trailing newline would end up inside it.
    privateKey: config.privateKey.trim(),
    keyType: 'PKCS8',
    alipayPublicKey: config.alipayPublicKey.trim(),
    gateway: config.gateway,
    signType: 'RSA2',
    camelcase: false,
  })
  // The SDK stamps requests with the process's local time; Alipay reads Beijing time.
  const timestamp = () => localDateTime(new Date(), ALIPAY_TIME_ZONE)

  /**
   * One gateway call: signed by the SDK, sent with fetch, its answer's signature verified by the
   * SDK. Unanswered, a 5xx, a rate limit or an answer that is not Alipay's → 'unreachable'.
   */
  async function call(method: string, bizContent: Record<string, string>): Promise<AlipayAnswer> {
    const signed = new URLSearchParams(sdk.sdkExecute(method, { bizContent, timestamp: timestamp() }, { bizContentAutoSnakeCase: false }))
    // As the SDK sends it: the common parameters in the URL, biz_content in the form body.
    const body = new URLSearchParams({ biz_content: signed.get('biz_content') ?? '' })
    signed.delete('biz_content')
    const url = new URL(config.gateway)
    for (const [key, value] of signed) url.searchParams.set(key, value)
    let raw: string
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      })
      raw = await response.text()
      if (response.status !== 200) throw new PaymentProviderError('unreachable', `${method}: HTTP ${response.status}`)
    } catch (error) {
      if (error instanceof PaymentProviderError) throw error
      throw new PaymentProviderError('unreachable', `${method}: ${failureText(error)}`)
    }
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(raw) as Record<string, unknown>
    } catch {
      throw new PaymentProviderError('unreachable', `${method}: the gateway's answer is not JSON`)
    }
    const responseKey = `${method.replaceAll('.', '_')}_response`
    const key = responseKey in parsed ? responseKey : 'error_response'
    const answer = parsed[key] as AlipayAnswer | undefined
    if (!answer || typeof answer.code !== 'string') throw new PaymentProviderError('unreachable', `${method}: the gateway's answer has no ${responseKey}`)
    if (typeof parsed.sign === 'string') {
      try {
        sdk.checkResponseSign(raw, key, parsed.sign, '')
      } catch (error) {
        throw new PaymentProviderError('unreachable', `${method}: the answer's signature is not Alipay's (${(error as Error).message.slice(0, 80)})`)
      }
    } else if (answer.code === '10000') {
      // Alipay signs every answer it gives a signed request: an unsigned success is not taken.
      throw new PaymentProviderError('unreachable', `${method}: an unsigned answer`)
    }
    return answer
  }

  async function queryTrade(outTradeNo: string) {
    const answer = await call('alipay.trade.query', { out_trade_no: outTradeNo })
    if (answer.code === '10000') return answer
    // The trade exists only once the buyer opened the gateway page.
    if (answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return null
    throw failure('alipay.trade.query', answer)
  }

  function noticeOf(fields: Record<string, unknown>): PaymentNotice {
    const outTradeNo = String(fields.out_trade_no ?? '')
    const tradeNo = String(fields.trade_no ?? '')
    const orderId = orderIdOfOutTradeNo(outTradeNo)
    const amountFen = fenOf(String(fields.total_amount ?? ''))
    if (orderId === null || !tradeNo || amountFen === null) throw new WebhookSignatureError(`not a payment of ours: out_trade_no ${outTradeNo}, trade_no ${tradeNo}`)
    return {
      provider: 'alipay',
      // The trade, not the notification: TRADE_SUCCESS and then TRADE_FINISHED are one payment.
      eventId: tradeNo,
      orderId,
      type: String(fields.trade_status),
      amountFen,
      currency: typeof fields.trans_currency === 'string' && fields.trans_currency ? fields.trans_currency.toUpperCase() : 'CNY',
      providerPaymentId: tradeNo,
      checkoutRef: outTradeNo,
    }
  }

  return {
    name: 'alipay',
    async startCheckout(order, { method, outTradeNo, expiresAt, successUrl, cancelUrl }) {
      if (method !== 'alipay_wap' && method !== 'alipay_page') throw new PaymentProviderError('refused', `Alipay does not take ${method}`)
      if (order.currency !== 'CNY') throw new PaymentProviderError('refused', `Alipay takes CNY, not ${order.currency}`)
      const wap = method === 'alipay_wap'
      // No network: the buyer's browser takes this signed URL to the gateway, and Alipay creates
      // the trade when the page opens. time_expire bounds it however late that is (decision 026).
      const url = sdk.pageExecute(wap ? 'alipay.trade.wap.pay' : 'alipay.trade.page.pay', 'GET', {
        bizContent: {
          out_trade_no: outTradeNo,
          total_amount: yuanOf(order.totalFen),
          subject: subjectOf(order.title, order.id),
          product_code: wap ? 'QUICK_WAP_WAY' : 'FAST_INSTANT_TRADE_PAY',
          time_expire: localDateTime(expiresAt, ALIPAY_TIME_ZONE),
          ...(wap ? { quit_url: cancelUrl } : {}),
        },
        notifyUrl: config.notifyUrl,
        returnUrl: successUrl,
        timestamp: timestamp(),
      })
      return { action: { kind: 'redirect', url }, providerRef: outTradeNo }
    },
    async closeCheckout(outTradeNo) {
      const trade = await queryTrade(outTradeNo)
      // Never opened: nothing to close; time_expire stops a page opened later (decision 026).
      if (!trade) return 'closed'
      if (PAID_STATUSES.has(String(trade.trade_status))) return 'completed'
      if (trade.trade_status === 'TRADE_CLOSED') return 'closed'
      const closed = await call('alipay.trade.close', { out_trade_no: outTradeNo })
      if (closed.code === '10000' || closed.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'closed'
      // Paid between the query and the close: it is no longer in a state that closes.
      if (closed.sub_code === 'ACQ.TRADE_STATUS_ERROR') {
        const again = await queryTrade(outTradeNo)
        return again && PAID_STATUSES.has(String(again.trade_status)) ? 'completed' : 'closed'
      }
      throw failure('alipay.trade.close', closed)
    },
    async queryCheckout(outTradeNo) {
      const trade = await queryTrade(outTradeNo)
      return trade && PAID_STATUSES.has(String(trade.trade_status)) ? noticeOf(trade) : null
    },
    async parseWebhook(rawBody): Promise<WebhookEvent> {
      const params = new URLSearchParams(rawBody)
      const fields: Record<string, string> = {}
      for (const [key, value] of params) {
        if (key in fields) throw new WebhookSignatureError(`parameter ${key} appears twice`)
        fields[key] = value
      }
      // RSA (SHA-1) is not accepted, only what the app is set up with.
      if (fields.sign_type !== 'RSA2' || !fields.sign) throw new WebhookSignatureError('not signed RSA2')
      // The values as decoded from the form, as Alipay signed them (checkNotifySignV2 does not decode again).
      if (!sdk.checkNotifySignV2(fields)) throw new WebhookSignatureError('the signature is not Alipay’s')
      if (fields.app_id !== config.appId) throw new WebhookSignatureError(`app_id ${fields.app_id} is not this site's`)
      // A refund changes the trade too (refund_fee, gmt_refund; TRADE_CLOSED after a full one):
      // Alipay's refund answer already said how it ended.
      if (fields.refund_fee || fields.gmt_refund || fields.out_biz_no) return { kind: 'ignored' }
      if (!PAID_STATUSES.has(fields.trade_status ?? '')) return { kind: 'ignored' }
      return { kind: 'payment', notice: noticeOf(fields) }
    },
    webhookAnswer: alipayWebhookAnswer,
    async refund({ refundId, providerPaymentId, amountFen }) {
      if (!providerPaymentId) throw new PaymentProviderError('refused', `refund ${refundId} names no Alipay trade`)
      // One out_request_no per refund: a repeat is the same refund at Alipay, never a second one.
      const outRequestNo = `ZYR${refundId}`
      const answer = await call('alipay.trade.refund', { trade_no: providerPaymentId, refund_amount: yuanOf(amountFen), out_request_no: outRequestNo })
      if (answer.code !== '10000') throw failure('alipay.trade.refund', answer)
      if (answer.fund_change === 'Y') return { providerRefundId: outRequestNo, state: 'succeeded' }
      // 'N': no money moved by this call — a repeat of a refund already made, or not made yet.
      const refunded = await call('alipay.trade.fastpay.refund.query', { trade_no: providerPaymentId, out_request_no: outRequestNo })
      if (refunded.code !== '10000') throw failure('alipay.trade.fastpay.refund.query', refunded)
      if (refunded.refund_status === 'REFUND_SUCCESS') return { providerRefundId: outRequestNo, state: 'succeeded' }
      throw new PaymentProviderError('unreachable', `alipay.trade.refund: ${outRequestNo} accepted but not refunded yet`)
    },
    async downloadBill(date) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a date: ${date}`)
      const answer = await call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: date })
      if (answer.code !== '10000') {
        // Not ready yet (the day's bill comes the next morning): asked again later, like an outage.
        if (answer.sub_code === 'isp.bill_not_exist') throw new PaymentProviderError('unreachable', `bill of ${date} is not ready (isp.bill_not_exist)`)
        throw failure('alipay.data.dataservice.bill.downloadurl.query', answer)
      }
      if (typeof answer.bill_download_url !== 'string') throw new PaymentProviderError('unreachable', `bill of ${date}: no bill_download_url`)
      let zip: Uint8Array
      try {
        const response = await send(answer.bill_download_url, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS * 3) })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        zip = new Uint8Array(await response.arrayBuffer())
      } catch (error) {
        throw new PaymentProviderError('unreachable', `bill of ${date}: ${failureText(error)}`)
      }
      return parseAlipayBill(zip)
    },
  }
}

/**
 * The lines of Alipay's trade bill (a zip of GBK CSVs: the detail file 业务明细 and its summary
 * 汇总) that name our trades: 交易 lines are payments, 退款 lines refunds (their 退款批次号/请求号 is
 * our `ZYR{refundId}`). Columns are found by their header, not their place.
 */
export function parseAlipayBill(zip: Uint8Array): BillLine[] {
  const files = unzipSync(zip)
  const lines: BillLine[] = []
  const gbk = new TextDecoder('gbk')
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.toLowerCase().endsWith('.csv') || name.includes('汇总')) continue
    const rows = parseCsv(gbk.decode(bytes)).map((row) => row.cells.map((cell) => cell.trim()))
    const headerAt = rows.findIndex((cells) => cells[0] === '支付宝交易号')
    if (headerAt < 0) continue
    const header = rows[headerAt]!
    const column = (title: string) => header.findIndex((cell) => cell.startsWith(title))
    const [tradeNoAt, outTradeNoAt, kindAt, amountAt, requestNoAt] = [column('支付宝交易号'), column('商户订单号'), column('业务类型'), column('订单金额'), column('退款批次号')]
    if ([tradeNoAt, outTradeNoAt, kindAt, amountAt].some((at) => at < 0)) throw new Error(`Alipay bill ${name}: unexpected header ${header.join(',')}`)
    for (const cells of rows.slice(headerAt + 1)) {
      if (cells[0]?.startsWith('#')) continue
      const kind = cells[kindAt] === '交易' ? 'payment' : cells[kindAt] === '退款' ? 'refund' : null
      const outTradeNo = cells[outTradeNoAt] ?? ''
      const amount = fenOf(cells[amountAt] ?? '')
      if (!kind || orderIdOfOutTradeNo(outTradeNo) === null || amount === null) continue
      const requestNo = /^ZYR([1-9][0-9]{0,14})$/.exec(requestNoAt >= 0 ? (cells[requestNoAt] ?? '') : '')
      lines.push({
        kind,
        outTradeNo,
        providerPaymentId: cells[tradeNoAt] ?? '',
        refundId: kind === 'refund' && requestNo ? Number(requestNo[1]) : null,
        amountFen: Math.abs(amount),
      })
    }
  }
  return lines
}

let configured: PaymentProvider | undefined

/** The Alipay provider of this process's environment (ALIPAY_APPID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY). */
export function alipayProvider(): PaymentProvider {
  if (!configured) {
    const config = alipayConfig()
    if (!config) throw new Error('Alipay is not configured (ALIPAY_APPID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY)')
    configured = createAlipayProvider(config)
  }
  return configured
}
