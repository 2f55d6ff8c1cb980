// Intercepts Alipay's gateway (openapi.alipay.com/gateway.do) and its bill download so no test
// reaches the network. Keys are made here: one RSA 2048 pair for the app (the site signs with its
// private half, the mock verifies every request with the public half) and one for "Alipay" (the
// mock signs its answers and notifications, the site verifies with the public half). Trades are
// kept by out_trade_no and created when the buyer opens the gateway page, as Alipay does; refunds
// by out_request_no (a repeat answers fund_change N). The next calls can be made to fail.
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto'
import { zipSync } from 'fflate'
import iconv from 'iconv-lite'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { localDateTime } from '~/domain/time'

export const ALIPAY_APPID = '2021000000000001'
export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do'
const BILL_HOST = 'https://dwbillcenter.alipay.com/downloadBillFile.resource'

const pair = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
/** The app's key pair (应用私钥 / 应用公钥). */
export const appKeys = pair()
/** Alipay's key pair: only its public half (支付宝公钥) is given to the site. */
export const alipayKeys = pair()

export interface AlipayCall {
  method: string
  params: URLSearchParams
  biz: Record<string, string>
}
export const alipayCalls: AlipayCall[] = []

export function alipayCallsTo(method: string) {
  return alipayCalls.filter((call) => call.method === method)
}

interface MockTrade {
  outTradeNo: string
  tradeNo: string
  totalAmount: string
  subject: string
  timeExpire: string
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED'
  refundedFen: number
}
const trades = new Map<string, MockTrade>()
const refunds = new Map<string, { tradeNo: string; amount: string }>()
const bills = new Map<string, string[][]>()
let tradeSequence = 0

type Failure = 'system_error' | 'network' | 'http502'
const failures: Failure[] = []

/** The next `times` gateway calls fail: Alipay's SYSTEM_ERROR, no answer at all, or a 502. */
export function failAlipayNext(failure: Failure, times = 1) {
  for (let i = 0; i < times; i++) failures.push(failure)
}

const beijing = (instant: Date) => localDateTime(instant, 'Asia/Shanghai')
const fenOfYuan = (yuan: string) => Math.round(Number(yuan) * 100)
const yuanOfFen = (fen: number) => (fen / 100).toFixed(2)

/** Whether request parameters carry the app's RSA2 signature (every parameter but `sign`, sorted, `k=v&…`). */
export function isSignedByApp(params: URLSearchParams) {
  const sign = params.get('sign')
  if (!sign || params.get('sign_type') !== 'RSA2') return false
  const content = [...params.keys()]
    .filter((key) => key !== 'sign')
    .sort()
    .map((key) => `${key}=${params.get(key)}`)
    .join('&')
  return createVerify('RSA-SHA256').update(content, 'utf8').verify(appKeys.publicKey, sign, 'base64')
}

/** Alipay's answer: `{"<method>_response": {...}, "sign": "…"}`, signed over the response object's JSON text. */
export function signedAnswer(method: string, answer: Record<string, unknown>) {
  const key = `${method.replaceAll('.', '_')}_response`
  const inner = JSON.stringify(answer)
  const sign = createSign('RSA-SHA256').update(inner, 'utf8').sign(alipayKeys.privateKey, 'base64')
  return new HttpResponse(`{"${key}":${inner},"sign":"${sign}"}`, { headers: { 'Content-Type': 'text/html;charset=utf-8' } })
}

const business = (subCode: string, subMsg: string) => ({ code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg })

function lapse(trade: MockTrade) {
  if (trade.status === 'WAIT_BUYER_PAY' && Date.now() > Date.parse(`${trade.timeExpire.replace(' ', 'T')}+08:00`)) trade.status = 'TRADE_CLOSED'
  return trade
}

function tradeByNo(tradeNo: string) {
  return [...trades.values()].find((trade) => trade.tradeNo === tradeNo)
}

function answerOf(method: string, biz: Record<string, string>): Record<string, unknown> {
  switch (method) {
    case 'alipay.trade.query': {
      const trade = trades.get(biz.out_trade_no ?? '')
      if (!trade) return business('ACQ.TRADE_NOT_EXIST', '交易不存在')
      lapse(trade)
      return { code: '10000', msg: 'Success', trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, trade_status: trade.status, total_amount: trade.totalAmount, buyer_logon_id: 'rea***@example.com' }
    }
    case 'alipay.trade.close': {
      const trade = trades.get(biz.out_trade_no ?? '')
      if (!trade) return business('ACQ.TRADE_NOT_EXIST', '交易不存在')
      if (lapse(trade).status !== 'WAIT_BUYER_PAY') return business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法')
      trade.status = 'TRADE_CLOSED'
      return { code: '10000', msg: 'Success', trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo }
    }
    case 'alipay.trade.refund': {
      const trade = tradeByNo(biz.trade_no ?? '')
      if (!trade) return business('ACQ.TRADE_NOT_EXIST', '交易不存在')
      const done = refunds.get(biz.out_request_no ?? '')
      const answer = { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, buyer_logon_id: 'rea***@example.com', refund_fee: yuanOfFen(trade.refundedFen) }
      // The same out_request_no again: the same refund, no money moves this time.
      if (done) return { code: '10000', msg: 'Success', ...answer, fund_change: 'N' }
      if (trade.status !== 'TRADE_SUCCESS' && trade.status !== 'TRADE_FINISHED' && trade.refundedFen === 0) return business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法')
      const amountFen = fenOfYuan(biz.refund_amount ?? '0')
      if (amountFen <= 0 || trade.refundedFen + amountFen > fenOfYuan(trade.totalAmount)) return business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限')
      trade.refundedFen += amountFen
      if (trade.refundedFen === fenOfYuan(trade.totalAmount)) trade.status = 'TRADE_CLOSED'
      refunds.set(biz.out_request_no ?? '', { tradeNo: trade.tradeNo, amount: biz.refund_amount ?? '' })
      return { code: '10000', msg: 'Success', ...answer, refund_fee: yuanOfFen(trade.refundedFen), fund_change: 'Y' }
    }
    case 'alipay.trade.fastpay.refund.query': {
      const done = refunds.get(biz.out_request_no ?? '')
      if (!done || done.tradeNo !== biz.trade_no) return { code: '10000', msg: 'Success' }
      return { code: '10000', msg: 'Success', trade_no: done.tradeNo, out_request_no: biz.out_request_no, refund_amount: done.amount, refund_status: 'REFUND_SUCCESS' }
    }
    case 'alipay.data.dataservice.bill.downloadurl.query': {
      if (biz.bill_type !== 'trade' || !bills.has(biz.bill_date ?? '')) return business('isp.bill_not_exist', '账单不存在')
      return { code: '10000', msg: 'Success', bill_download_url: `${BILL_HOST}?bizType=trade&fileType=csv.zip&date=${biz.bill_date}&token=${randomBytes(8).toString('hex')}` }
    }
    default:
      return { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: `不存在的方法名 ${method}` }
  }
}

export const alipayServer = setupServer(
  http.post(ALIPAY_GATEWAY, async ({ request }) => {
    const params = new URL(request.url).searchParams
    for (const [key, value] of new URLSearchParams(await request.text())) params.set(key, value)
    const method = params.get('method') ?? ''
    const biz = JSON.parse(params.get('biz_content') || '{}') as Record<string, string>
    alipayCalls.push({ method, params, biz })
    const failure = failures.shift()
    if (failure === 'network') return HttpResponse.error()
    if (failure === 'http502') return new HttpResponse('Bad Gateway', { status: 502 })
    if (!isSignedByApp(params)) return signedAnswer(method, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' })
    if (params.get('app_id') !== ALIPAY_APPID) return signedAnswer(method, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' })
    if (failure === 'system_error') return signedAnswer(method, { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' })
    return signedAnswer(method, answerOf(method, biz))
  }),
  http.get(BILL_HOST, ({ request }) => {
    const rows = bills.get(new URL(request.url).searchParams.get('date') ?? '')
    if (!rows) return new HttpResponse('Not Found', { status: 404 })
    return new HttpResponse(billZip(rows), { headers: { 'Content-Type': 'application/zip' } })
  }),
)

/**
 * The buyer's browser opens the gateway URL the site made: Alipay checks its signature and
 * creates the trade (unpaid). Throws where Alipay would show an error page.
 */
export function openGatewayPage(url: string) {
  const params = new URL(url).searchParams
  if (!url.startsWith(`${ALIPAY_GATEWAY}?`) || !isSignedByApp(params)) throw new Error('Alipay: 验签出错')
  if (params.get('app_id') !== ALIPAY_APPID) throw new Error('Alipay: 无效的AppID参数')
  const biz = JSON.parse(params.get('biz_content') ?? '{}') as Record<string, string>
  const outTradeNo = biz.out_trade_no!
  if (!trades.has(outTradeNo)) {
    trades.set(outTradeNo, {
      outTradeNo,
      tradeNo: `2026120622001${String(++tradeSequence).padStart(15, '0')}`,
      totalAmount: biz.total_amount!,
      subject: biz.subject!,
      timeExpire: biz.time_expire!,
      status: 'WAIT_BUYER_PAY',
      refundedFen: 0,
    })
  }
  return lapse(trades.get(outTradeNo)!)
}

/** The buyer pays an opened trade: the fields of Alipay's TRADE_SUCCESS notification for it. */
export function payTrade(outTradeNo: string): Record<string, string> {
  const trade = trades.get(outTradeNo)
  if (!trade) throw new Error(`Alipay: no trade ${outTradeNo} (the buyer never opened the page)`)
  if (lapse(trade).status !== 'WAIT_BUYER_PAY') throw new Error(`Alipay: trade ${outTradeNo} is ${trade.status}`)
  trade.status = 'TRADE_SUCCESS'
  const now = beijing(new Date())
  return {
    out_trade_no: trade.outTradeNo,
    trade_no: trade.tradeNo,
    trade_status: 'TRADE_SUCCESS',
    total_amount: trade.totalAmount,
    receipt_amount: trade.totalAmount,
    buyer_pay_amount: trade.totalAmount,
    subject: trade.subject,
    buyer_id: '2088102177846880',
    seller_id: '2088102177846881',
    gmt_create: now,
    gmt_payment: now,
  }
}

/** The trade as Alipay keeps it (for assertions). */
export function alipayTrade(outTradeNo: string) {
  return trades.get(outTradeNo)
}

/**
 * An asynchronous notification's form body, signed as Alipay signs it: every parameter but
 * `sign` and `sign_type`, sorted, `k=v` joined by `&`, RSA2 with Alipay's private key.
 */
export function alipayNotification(fields: Record<string, string>, { privateKey = alipayKeys.privateKey }: { privateKey?: string } = {}) {
  const params: Record<string, string> = {
    notify_time: beijing(new Date()),
    notify_type: 'trade_status_sync',
    notify_id: randomBytes(16).toString('hex'),
    app_id: ALIPAY_APPID,
    auth_app_id: fields.app_id ?? ALIPAY_APPID,
    charset: 'utf-8',
    version: '1.0',
    ...fields,
  }
  const content = Object.keys(params)
    .filter((key) => key !== 'sign' && key !== 'sign_type')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&')
  const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64')
  return new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString()
}

const BILL_HEADER = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号', '对方账户',
  '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）', '券核销金额（元）', '券名称',
  '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
]

/** One detail line of the trade bill: 交易 (amount positive) or 退款 (negative, with its out_request_no). */
export function billRow({ kind, tradeNo, outTradeNo, amount, requestNo = '' }: { kind: '交易' | '退款'; tradeNo: string; outTradeNo: string; amount: string; requestNo?: string }) {
  const cells = Array<string>(BILL_HEADER.length).fill('')
  Object.assign(cells, { 0: tradeNo, 1: outTradeNo, 2: kind, 3: '知音订单', 4: '2026-12-05 10:00:00', 5: '2026-12-05 10:00:05', 10: 'rea***@example.com', 11: amount, 12: amount, 21: requestNo })
  return cells
}

/** Alipay's bill of a day: these detail lines, in a zip of GBK CSVs as Alipay gives it. */
export function setAlipayBill(date: string, rows: string[][]) {
  bills.set(date, rows)
}

function billZip(rows: string[][]) {
  // Alipay pads its cells with a tab, and frames the table with # lines.
  const line = (cells: string[]) => cells.map((cell) => `${cell}\t`).join(',')
  const detail = [
    '#支付宝业务明细查询',
    '#账号：[20881234567890120156]',
    '#起始日期：[2026年12月05日 00:00:00]   终止日期：[2026年12月06日 00:00:00]',
    '#-----------------------------------------业务明细列表----------------------------------------',
    BILL_HEADER.join(','),
    ...rows.map(line),
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${rows.filter((row) => row[2] === '交易').length}笔`,
    '#导出时间：[2026年12月06日 09:12:34]',
  ].join('\r\n')
  const summary = ['#支付宝业务汇总查询', '门店编号,门店名称,交易订单总笔数,退款订单总笔数', '合计,,1,0'].join('\r\n')
  return zipSync({
    '20881234567890120156_20261205_业务明细.csv': new Uint8Array(iconv.encode(detail, 'gbk')),
    '20881234567890120156_20261205_业务明细(汇总).csv': new Uint8Array(iconv.encode(summary, 'gbk')),
  })
}

/**
 * From here on, this test file's app modules see a configured Alipay whose gateway is
 * intercepted (a fresh module registry reads the environment again). Call it, then import the
 * app modules.
 */
export function interceptAlipay() {
  process.env.ALIPAY_APPID = ALIPAY_APPID
  process.env.ALIPAY_PRIVATE_KEY = appKeys.privateKey
  process.env.ALIPAY_PUBLIC_KEY = alipayKeys.publicKey
  vi.resetModules()
  beforeAll(() => alipayServer.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    alipayServer.resetHandlers()
    failures.length = 0
  })
  afterAll(() => {
    alipayServer.close()
    for (const name of ['ALIPAY_APPID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY', 'ALIPAY_GATEWAY']) delete process.env[name]
  })
}
