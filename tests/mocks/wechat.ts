// Intercepts WeChat's server API (api.weixin.qq.com) so no test reaches the network. Answers in
// the shapes of WeChat's documentation, counts calls, and can be told to answer an error code
// (40029 invalid code, 40163 code used, 42001 token expired, 45009 rate limited, 43004 not
// following…) for the next calls to a path.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'

export const WECHAT_APPID = 'wx0123456789abcdef'
export const WECHAT_APPSECRET = '0123456789abcdef0123456789abcdef'
export const WECHAT_OPEN_APPID = 'wxfedcba9876543210'
export const WECHAT_OPEN_APPSECRET = 'fedcba9876543210fedcba9876543210'

export interface WechatCall {
  path: string
  query: URLSearchParams
  body: unknown
}

export const wechatCalls: WechatCall[] = []
const queuedErrors = new Map<string, { errcode: number; errmsg: string }[]>()
let tokens = 0
let tickets = 0
let templateMessages = 0
/** The access token WeChat currently accepts (a newer one invalidates the older). */
let currentToken = ''

/** The next `times` calls to `path` answer this error code (as WeChat does: HTTP 200, errcode). */
export function failWechatNext(path: string, errcode: number, errmsg = 'mocked error', times = 1) {
  const queue = queuedErrors.get(path) ?? []
  for (let i = 0; i < times; i++) queue.push({ errcode, errmsg })
  queuedErrors.set(path, queue)
}

export function wechatCallsTo(path: string) {
  return wechatCalls.filter((call) => call.path === path)
}

function takeQueuedError(path: string) {
  return queuedErrors.get(path)?.shift()
}

async function record(request: Request) {
  const url = new URL(request.url)
  const text = request.method === 'POST' ? await request.text() : ''
  const call = { path: url.pathname, query: url.searchParams, body: text ? (JSON.parse(text) as unknown) : undefined }
  wechatCalls.push(call)
  return call
}

/** An API that takes the access token: refuses a token that is not the current one (40001). */
function withToken(path: string, answer: (call: WechatCall) => Record<string, unknown>) {
  return async ({ request }: { request: Request }) => {
    const call = await record(request)
    const queued = takeQueuedError(path)
    if (queued) return HttpResponse.json(queued)
    if (call.query.get('access_token') !== currentToken) {
      return HttpResponse.json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
    }
    return HttpResponse.json({ errcode: 0, errmsg: 'ok', ...answer(call) })
  }
}

export const wechatServer = setupServer(
  http.get('https://api.weixin.qq.com/cgi-bin/token', async ({ request }) => {
    const call = await record(request)
    const queued = takeQueuedError('/cgi-bin/token')
    if (queued) return HttpResponse.json(queued)
    if (call.query.get('appid') !== WECHAT_APPID || call.query.get('secret') !== WECHAT_APPSECRET) {
      return HttpResponse.json({ errcode: 40125, errmsg: 'invalid appsecret' })
    }
    currentToken = `ACCESS_TOKEN_${++tokens}`
    return HttpResponse.json({ access_token: currentToken, expires_in: 7200 })
  }),
  http.get(
    'https://api.weixin.qq.com/cgi-bin/ticket/getticket',
    withToken('/cgi-bin/ticket/getticket', () => ({ ticket: `JSAPI_TICKET_${++tickets}`, expires_in: 7200 })),
  ),
  // Template messages (notifications): answers a msgid; failWechatNext gives 43004 "require
  // subscribe" (the reader does not follow), 45009 (rate limited) or 40003 (invalid openid).
  http.post(
    'https://api.weixin.qq.com/cgi-bin/message/template/send',
    withToken('/cgi-bin/message/template/send', () => ({ msgid: 200_000_000 + ++templateMessages })),
  ),
)

/** Simulates WeChat's own expiry of the current access token (the next call answers 40001/42001). */
export function expireWechatToken() {
  currentToken = `EXPIRED_${currentToken}`
}

/** Configures the Official Account keys for this test file and intercepts WeChat's API. */
export function interceptWechat({ open = false }: { open?: boolean } = {}) {
  process.env.WECHAT_APPID = WECHAT_APPID
  process.env.WECHAT_APPSECRET = WECHAT_APPSECRET
  if (open) {
    process.env.WECHAT_OPEN_APPID = WECHAT_OPEN_APPID
    process.env.WECHAT_OPEN_APPSECRET = WECHAT_OPEN_APPSECRET
  }
  vi.resetModules()
  beforeAll(() => wechatServer.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    wechatServer.resetHandlers()
    queuedErrors.clear()
  })
  afterAll(() => {
    wechatServer.close()
    for (const name of ['WECHAT_APPID', 'WECHAT_APPSECRET', 'WECHAT_OPEN_APPID', 'WECHAT_OPEN_APPSECRET']) delete process.env[name]
  })
}
