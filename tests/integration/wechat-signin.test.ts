// Sign in with WeChat against a simulated WeChat (decision 021, msw: tests/mocks/wechat.ts): in
// WeChat's browser and by desktop QR, accounts made, found again and joined by unionid, linked and
// unlinked from /account, WeChat's refusals and forged or replayed states answered with nothing
// stored; and the Official Account's reply to a linked follower opening the daily signed in.
import { createHash } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, describe, expect, it } from 'vitest'
import { emailOutbox, passwords, users, wechatIdentities, wechatOauthStatesUsed, wechatSignInLinks } from '../../db/schema'
import { countRows } from '../factories/db'
import { dateFromToday, insertDaily } from '../factories/dailies'
import { cookiePairOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'
import { interceptWechat, issueWechatCode, WECHAT_APPID, WECHAT_OPEN_APPID, wechatCallsTo } from '../mocks/wechat'

const TOKEN = 'zhiyinTestToken42'
process.env.WECHAT_TOKEN = TOKEN
afterAll(() => {
  delete process.env.WECHAT_TOKEN
})
interceptWechat({ open: true })
const start = await import('~/routes/auth.wechat._index')
const callback = await import('~/routes/auth.wechat.callback')
const signInLink = await import('~/routes/auth.wechat.link.$token')
const account = await import('~/routes/account')
const login = await import('~/routes/login')
const dailyPage = await import('~/routes/daily.$date')
const wechatEndpoint = await import('~/routes/wechat')
const { db } = await import('~/utils/db.server')
const { t } = await import('~/i18n/zh-CN')

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'

let openids = 0
const newOpenid = () => `oWx_test_openid_${String(++openids).padStart(6, '0')}`

function join(...cookies: (string | null | undefined)[]) {
  return cookies.filter(Boolean).join('; ')
}

/** /auth/wechat as this browser: where it is sent, the state, and the cookies it now holds. */
async function startSignIn({ ua = WECHAT_UA, cookie, query = '' }: { ua?: string; cookie?: string; query?: string } = {}) {
  const response = await start.loader(routeArgs(requestFor(`/auth/wechat${query}`, { cookie, headers: { 'User-Agent': ua } })))
  const { location, cookies } = readRedirect(response)
  const url = new URL(location!)
  return { location: location!, url, state: url.searchParams.get('state')!, stateCookie: cookiePairOf(cookies, 'zhiyin_wx_oauth')! }
}

function callbackRequest({ code, state, cookie, ua = WECHAT_UA }: { code: string; state: string; cookie?: string; ua?: string }) {
  return routeArgs(requestFor(`/auth/wechat/callback?${new URLSearchParams({ code, state })}`, { cookie, headers: { 'User-Agent': ua } }))
}

async function identityOf(openid: string, appId = WECHAT_APPID) {
  return db.query.wechatIdentities.findFirst({ where: and(eq(wechatIdentities.appId, appId), eq(wechatIdentities.openid, openid)) })
}

/** A reader signs in with WeChat in WeChat's browser, end to end; returns the callback's answer. */
async function signInInWechat({ openid, nickname = '读书的猫', unionid, cookie }: { openid: string; nickname?: string; unionid?: string; cookie?: string }) {
  const { state, stateCookie, url } = await startSignIn({ cookie, query: '?redirectTo=%2Fdaily' })
  const code = issueWechatCode({ openid, nickname, unionid, scope: url.searchParams.get('scope') as 'snsapi_base' | 'snsapi_userinfo' })
  return callback.loader(callbackRequest({ code, state, cookie: join(cookie, stateCookie) }))
}

describe('in WeChat’s browser', () => {
  it('/login offers 微信一键登录, and a desktop browser 微信扫码登录', async () => {
    const inWechat = await login.loader(routeArgs(requestFor('/login', { headers: { 'User-Agent': WECHAT_UA } })))
    const desktop = await login.loader(routeArgs(requestFor('/login', { headers: { 'User-Agent': DESKTOP_UA } })))
    expect(inWechat.wechat).toEqual({ kind: 'in_wechat' })
    expect(desktop.wechat).toEqual({ kind: 'qr' })
  })

  it('sends the reader to the Official Account’s authorisation, asking for the nickname (snsapi_userinfo)', async () => {
    const { location, state, stateCookie } = await startSignIn({ query: '?redirectTo=%2Fdaily' })
    expect(location).toBe(
      `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${WECHAT_APPID}&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_userinfo&state=${state}#wechat_redirect`,
    )
    expect(stateCookie).toMatch(/^zhiyin_wx_oauth=/)
  })

  it('an unknown WeChat user gets a new account named after the nickname, signed in, with no password and no real address', async () => {
    const openid = newOpenid()
    const usersBefore = await countRows(users)
    const userinfoCalls = wechatCallsTo('/sns/userinfo').length
    const { location, cookies } = readRedirect(await signInInWechat({ openid, nickname: '读书的猫' }))
    expect(location).toBe('/daily')
    expect(sessionCookieOf(cookies)).not.toBeNull()
    expect(await countRows(users)).toBe(usersBefore + 1)
    expect(wechatCallsTo('/sns/userinfo').length).toBe(userinfoCalls + 1)
    const identity = await identityOf(openid)
    expect(identity).toMatchObject({ nickname: '读书的猫', appId: WECHAT_APPID })
    const user = await db.query.users.findFirst({ where: eq(users.id, identity!.userId) })
    expect(user).toMatchObject({ displayName: '读书的猫', emailVerified: false })
    expect(user!.email).toMatch(/^wx-[a-z2-7]{32}@wechat\.invalid$/)
    expect(await db.query.passwords.findFirst({ where: eq(passwords.userId, user!.id) })).toBeUndefined()
  })

  it('never mails the placeholder address of an account made by WeChat', async () => {
    const openid = newOpenid()
    readRedirect(await signInInWechat({ openid }))
    const user = await db.query.users.findFirst({ where: eq(users.id, (await identityOf(openid))!.userId) })
    const { sendEmail } = await import('~/utils/email.server')
    const queued = await countRows(emailOutbox)
    expect(await sendEmail({ to: user!.email, template: 'receipt', subject: '订单', html: '<p>订单</p>', text: '订单' })).toBeUndefined()
    expect(await countRows(emailOutbox)).toBe(queued)
  })

  it('signs the same WeChat user in again to the same account, silently (snsapi_base) from the same browser', async () => {
    const openid = newOpenid()
    const first = readRedirect(await signInInWechat({ openid }))
    const remembered = cookiePairOf(first.cookies, 'zhiyin_wx_id')
    expect(remembered).toBeDefined()
    const usersBefore = await countRows(users)
    const userinfoCalls = wechatCallsTo('/sns/userinfo').length

    const again = await startSignIn({ cookie: remembered })
    expect(again.url.searchParams.get('scope')).toBe('snsapi_base')
    const code = issueWechatCode({ openid, scope: 'snsapi_base' })
    const { cookies } = readRedirect(await callback.loader(callbackRequest({ code, state: again.state, cookie: join(remembered, again.stateCookie) })))
    expect(sessionCookieOf(cookies)).not.toBeNull()
    expect(await countRows(users)).toBe(usersBefore)
    expect(wechatCallsTo('/sns/userinfo').length).toBe(userinfoCalls)
  })

  it('a nickname that is a reserved name gives the default name instead', async () => {
    const openid = newOpenid()
    readRedirect(await signInInWechat({ openid, nickname: '管理员' }))
    const identity = await identityOf(openid)
    const user = await db.query.users.findFirst({ where: eq(users.id, identity!.userId) })
    expect(user!.displayName).toBe(t.wechatAuth.defaultName)
  })
})

describe('on a desktop browser (Open Platform QR login)', () => {
  it('goes to qrconnect with the website app, and the unionid joins the reader’s account from WeChat', async () => {
    const unionid = 'oUnion_reader_000001'
    const mpOpenid = newOpenid()
    readRedirect(await signInInWechat({ openid: mpOpenid, unionid }))
    const account = (await identityOf(mpOpenid))!.userId
    const usersBefore = await countRows(users)

    const { location, state, stateCookie } = await startSignIn({ ua: DESKTOP_UA })
    expect(location).toBe(
      `https://open.weixin.qq.com/connect/qrconnect?appid=${WECHAT_OPEN_APPID}&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_login&state=${state}#wechat_redirect`,
    )
    const openOpenid = newOpenid()
    const code = issueWechatCode({ app: 'open', openid: openOpenid, unionid, nickname: '读书的猫' })
    const { cookies } = readRedirect(await callback.loader(callbackRequest({ code, state, cookie: stateCookie, ua: DESKTOP_UA })))
    expect(sessionCookieOf(cookies)).not.toBeNull()
    expect(await countRows(users)).toBe(usersBefore)
    expect(await identityOf(openOpenid, WECHAT_OPEN_APPID)).toMatchObject({ userId: account, unionid })
  })
})

describe('WeChat’s refusals and the state', () => {
  it('an invalid code (40029) is a 400 page and makes no account', async () => {
    const { state, stateCookie } = await startSignIn()
    const usersBefore = await countRows(users)
    const response = await thrownResponse(callback.loader(callbackRequest({ code: 'CODE_nobody_issued', state, cookie: stateCookie })))
    expect(response.status).toBe(400)
    expect(await response.text()).toBe(t.wechatAuth.errors.codeInvalid)
    expect(await countRows(users)).toBe(usersBefore)
  })

  it('a code already used (40163) is a 400 page and makes nothing', async () => {
    const openid = newOpenid()
    const first = await startSignIn()
    const code = issueWechatCode({ openid })
    readRedirect(await callback.loader(callbackRequest({ code, state: first.state, cookie: first.stateCookie })))
    const usersBefore = await countRows(users)
    const second = await startSignIn()
    const response = await thrownResponse(callback.loader(callbackRequest({ code, state: second.state, cookie: second.stateCookie })))
    expect(response.status).toBe(400)
    expect(await response.text()).toBe(t.wechatAuth.errors.codeUsed)
    expect(await countRows(users)).toBe(usersBefore)
  })

  it('a forged state is refused before WeChat is asked anything, and nothing is stored', async () => {
    const { stateCookie } = await startSignIn()
    const calls = wechatCallsTo('/sns/oauth2/access_token').length
    const code = issueWechatCode({ openid: newOpenid() })
    for (const [state, cookie] of [
      ['abcdefghijklmnopqrstuvwxyz234567', stateCookie],
      [(await startSignIn()).state, undefined],
    ] as const) {
      const response = await thrownResponse(callback.loader(callbackRequest({ code, state, cookie })))
      expect(response.status).toBe(400)
      expect(await response.text()).toBe(t.wechatAuth.errors.stateMissing)
    }
    expect(wechatCallsTo('/sns/oauth2/access_token').length).toBe(calls)
  })

  it('a replayed state (the same callback twice) is refused the second time', async () => {
    const { state, stateCookie } = await startSignIn()
    readRedirect(await callback.loader(callbackRequest({ code: issueWechatCode({ openid: newOpenid() }), state, cookie: stateCookie })))
    const usersBefore = await countRows(users)
    const response = await thrownResponse(callback.loader(callbackRequest({ code: issueWechatCode({ openid: newOpenid() }), state, cookie: stateCookie })))
    expect(response.status).toBe(400)
    expect(await response.text()).toBe(t.wechatAuth.errors.stateUsed)
    expect(await countRows(users)).toBe(usersBefore)
  })
})

describe('linking WeChat from /account', () => {
  async function link(cookie: string, openid: string, nickname = '绑定的微信') {
    const { state, stateCookie, url } = await startSignIn({ cookie, query: '?intent=link' })
    expect(url.searchParams.get('scope')).toBe('snsapi_userinfo')
    return callback.loader(callbackRequest({ code: issueWechatCode({ openid, nickname }), state, cookie: join(cookie, stateCookie) }))
  }

  it('links the WeChat to the signed-in account, and /account says 已绑定（昵称）', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const openid = newOpenid()
    const { location } = readRedirect(await link(cookie, openid, '早起的鸟'))
    expect(location).toBe('/account')
    expect(await identityOf(openid)).toMatchObject({ userId: user.id })
    const page = await account.loader(routeArgs(requestFor('/account', { cookie })))
    expect(page.wechat).toEqual({ linked: true, nickname: '早起的鸟', testMode: false })
  })

  it('answers 409 when that WeChat is already another account’s, and links nothing', async () => {
    const openid = newOpenid()
    readRedirect(await signInInWechat({ openid }))
    const owner = (await identityOf(openid))!.userId
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const response = await thrownResponse(link(cookie, openid))
    expect(response.status).toBe(409)
    expect(await response.text()).toBe(t.wechatAuth.errors.taken)
    expect(await identityOf(openid)).toMatchObject({ userId: owner })
    expect(await db.query.wechatIdentities.findFirst({ where: eq(wechatIdentities.userId, user.id) })).toBeUndefined()
  })

  it('unlinks (解除绑定) an account that keeps its password', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const openid = newOpenid()
    readRedirect(await link(cookie, openid))
    const { location } = readRedirect(await account.action(routeArgs(requestFor('/account', { cookie, form: { intent: 'wechat-unlink' } }))))
    expect(location).toBe('/account')
    expect(await identityOf(openid)).toBeUndefined()
  })

  it('refuses to unlink (409) the only way into an account made by WeChat, and keeps the link', async () => {
    const openid = newOpenid()
    const { cookies } = readRedirect(await signInInWechat({ openid }))
    const cookie = sessionCookieOf(cookies)!.pair
    const result = readData(await account.action(routeArgs(requestFor('/account', { cookie, form: { intent: 'wechat-unlink' } }))))
    expect(result.status).toBe(409)
    expect(result.data.errors).toEqual({ form: t.wechatAuth.errors.onlyWayIn })
    expect(await identityOf(openid)).toBeDefined()
    const page = await account.loader(routeArgs(requestFor('/account', { cookie })))
    expect(page.user.email).toBeNull()
  })
})

// ---- the Official Account's reply (/wechat) --------------------------------------------------

let nonces = 51234
function signedWechatPost(fromUser: string, content: string, msgId: string) {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = String(++nonces)
  const signature = createHash('sha1').update([TOKEN, timestamp, nonce].sort().join('')).digest('hex')
  const xml = `<xml><ToUserName><![CDATA[gh_zhiyin0000001]]></ToUserName><FromUserName><![CDATA[${fromUser}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`
  return new Request(`http://localhost:3000/wechat?${new URLSearchParams({ signature, timestamp, nonce })}`, {
    method: 'POST',
    body: xml,
    headers: { 'Content-Type': 'text/xml' },
  })
}

async function articleUrlFor(fromUser: string, keyword: string, msgId: string) {
  const response = await wechatEndpoint.action(routeArgs(signedWechatPost(fromUser, keyword, msgId)))
  const xml = new XMLParser({ parseTagValue: false }).parse(await response.text()).xml as { Articles: { item: { Url: string } } }
  return xml.Articles.item.Url
}

describe('a keyword sent to the Official Account', () => {
  it('gives a linked 铁杆 follower a link that opens the 铁杆 daily signed in, once (then 410)', async () => {
    const daily = await insertDaily({ date: dateFromToday(0), keyword: '第一性原理', minRank: 2, body: '铁杆会员才读得到的正文。', publishAt: new Date(Date.now() - 60_000) })
    const { user } = await createTestUser({ tier: 'tiegan' })
    const openid = newOpenid()
    await db.insert(wechatIdentities).values({ userId: user.id, appId: WECHAT_APPID, openid, nickname: '铁杆读者' })

    const url = await articleUrlFor(openid, '第一性原理', '7000000000000001')
    expect(url).toMatch(/^http:\/\/localhost:3000\/auth\/wechat\/link\/[a-z2-7]{32}$/)
    expect(await countRows(wechatSignInLinks)).toBeGreaterThan(0)
    const path = new URL(url).pathname
    const token = path.split('/').pop()!

    const opened = readRedirect(await signInLink.loader(routeArgs(requestFor(path), { token })))
    expect(opened.location).toBe(`/daily/${daily.date}`)
    const cookie = sessionCookieOf(opened.cookies)!.pair
    const page = await dailyPage.loader(routeArgs(requestFor(`/daily/${daily.date}`, { cookie }), { date: daily.date }))
    expect(page.daily.bodyHtml).toContain('铁杆会员才读得到的正文')

    const again = await thrownResponse(signInLink.loader(routeArgs(requestFor(path), { token })))
    expect(again.status).toBe(410)
    expect(await again.text()).toBe(t.wechatAuth.errors.linkUsed)
  })

  it('gives a follower who is not linked today’s /keyword?q= link', async () => {
    await insertDaily({ keyword: '复利', publishAt: new Date(Date.now() - 60_000) })
    const url = await articleUrlFor(newOpenid(), '复利', '7000000000000002')
    expect(url).toBe(`http://localhost:3000/keyword?${new URLSearchParams({ q: '复利' })}`)
  })
})

describe('the hourly clean-up', () => {
  it('drops used states and sign-in links a day old, and keeps today’s', async () => {
    const { forgetOldWechatSignIns, claimOAuthState, createWechatSignInLink } = await import('~/models/wechat-identity.server')
    const daily = await insertDaily({ keyword: '清理' })
    const { user } = await createTestUser()
    const old = new Date(Date.now() - 25 * 60 * 60_000)
    await claimOAuthState('old-state-hash', old)
    await claimOAuthState('fresh-state-hash')
    await createWechatSignInLink({ userId: user.id, dailyId: daily.id, now: old })
    const freshLinks = await countRows(wechatSignInLinks)
    await forgetOldWechatSignIns()
    const states = (await db.select().from(wechatOauthStatesUsed)).map((row) => row.stateHash)
    expect(states).toContain('fresh-state-hash')
    expect(states).not.toContain('old-state-hash')
    expect(await countRows(wechatSignInLinks)).toBe(freshLinks - 1)
  })
})
