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

// ---- web authorisation (sign in with WeChat): sns/oauth2/access_token and sns/userinfo --------
// A test "authorises" a WeChat user with issueWechatCode (as WeChat would after the reader taps
// 同意) and sends the code to the callback; a code answers once (40163 after), an unknown one 40029.

export interface SimulatedWechatUser {
  /** Which app the code is for: the Official Account (in WeChat) or the Open Platform website app (QR). */
  app?: 'mp' | 'open'
  openid: string
  unionid?: string
  nickname?: string
  headimgurl?: string
  scope?: 'snsapi_base' | 'snsapi_userinfo' | 'snsapi_login'
}

const oauthCodes = new Map<string, { user: SimulatedWechatUser; used: boolean }>()
const snsTokens = new Map<string, SimulatedWechatUser>()
let oauthSequence = 0

/** The code WeChat would bring back to the callback after this user consents. */
export function issueWechatCode(user: SimulatedWechatUser) {
  const code = `CODE_${++oauthSequence}_${user.openid}`
  oauthCodes.set(code, { user, used: false })
  return code
}

const oauthHandlers = [
  http.get('https://api.weixin.qq.com/sns/oauth2/access_token', async ({ request }) => {
    const call = await record(request)
    const queued = takeQueuedError('/sns/oauth2/access_token')
    if (queued) return HttpResponse.json(queued)
    const appid = call.query.get('appid')
    const secret = call.query.get('secret')
    const pair = appid === WECHAT_APPID ? WECHAT_APPSECRET : appid === WECHAT_OPEN_APPID ? WECHAT_OPEN_APPSECRET : null
    if (!pair || secret !== pair || call.query.get('grant_type') !== 'authorization_code') {
      return HttpResponse.json({ errcode: 40125, errmsg: 'invalid appsecret' })
    }
    const issued = oauthCodes.get(call.query.get('code') ?? '')
    const forApp = issued && (issued.user.app === 'open' ? WECHAT_OPEN_APPID : WECHAT_APPID) === appid
    if (!issued || !forApp) return HttpResponse.json({ errcode: 40029, errmsg: 'invalid code' })
    if (issued.used) return HttpResponse.json({ errcode: 40163, errmsg: 'code been used' })
    issued.used = true
    const accessToken = `SNS_ACCESS_TOKEN_${++oauthSequence}`
    snsTokens.set(accessToken, issued.user)
    const { user } = issued
    return HttpResponse.json({
      access_token: accessToken,
      expires_in: 7200,
      refresh_token: `SNS_REFRESH_TOKEN_${oauthSequence}`,
      openid: user.openid,
      scope: user.scope ?? (user.app === 'open' ? 'snsapi_login' : 'snsapi_userinfo'),
      ...(user.unionid ? { unionid: user.unionid } : {}),
    })
  }),
  http.get('https://api.weixin.qq.com/sns/userinfo', async ({ request }) => {
    const call = await record(request)
    const queued = takeQueuedError('/sns/userinfo')
    if (queued) return HttpResponse.json(queued)
    const user = snsTokens.get(call.query.get('access_token') ?? '')
    if (!user || user.openid !== call.query.get('openid')) return HttpResponse.json({ errcode: 40001, errmsg: 'invalid credential' })
    if (user.scope === 'snsapi_base') return HttpResponse.json({ errcode: 48001, errmsg: 'api unauthorized' })
    return HttpResponse.json({
      openid: user.openid,
      nickname: user.nickname ?? '微信用户',
      sex: 0,
      province: '',
      city: '',
      country: '',
      headimgurl: user.headimgurl ?? 'https://thirdwx.qlogo.cn/mmopen/vi_32/test/132',
      privilege: [],
      ...(user.unionid ? { unionid: user.unionid } : {}),
    })
  }),
]

export const wechatServer = setupServer(
  ...oauthHandlers,
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
