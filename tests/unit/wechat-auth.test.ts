// Sign in with WeChat's pure rules and its state cookie (decision 021): the exact URLs WeChat
// documents, which browsers are WeChat's, and a state that is this browser's, unexpired and for
// the app the answer comes from.
import { describe, expect, it } from 'vitest'
import { isWechatBrowser, officialAccountAuthorizeUrl, qrConnectUrl, wechatSignInChoice } from '~/domain/wechat-auth'
import { checkOAuthState, issueOAuthState } from '~/utils/wechat-oauth.server'

const APPID = 'wx0123456789abcdef'
const CALLBACK = 'https://zhiyin.example/auth/wechat/callback'
const STATE = 'abcdefghijklmnopqrstuvwxyz234567'

describe('the authorisation URLs, as WeChat documents them', () => {
  it('in WeChat: connect/oauth2/authorize with the scope asked for and #wechat_redirect', () => {
    expect(officialAccountAuthorizeUrl({ appId: APPID, redirectUri: CALLBACK, scope: 'snsapi_userinfo', state: STATE })).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx0123456789abcdef&redirect_uri=https%3A%2F%2Fzhiyin.example%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_userinfo&state=abcdefghijklmnopqrstuvwxyz234567#wechat_redirect',
    )
    expect(officialAccountAuthorizeUrl({ appId: APPID, redirectUri: CALLBACK, scope: 'snsapi_base', state: STATE })).toContain('&scope=snsapi_base&')
  })

  it('on a desktop: connect/qrconnect with snsapi_login and #wechat_redirect', () => {
    expect(qrConnectUrl({ appId: 'wxfedcba9876543210', redirectUri: CALLBACK, state: STATE })).toBe(
      'https://open.weixin.qq.com/connect/qrconnect?appid=wxfedcba9876543210&redirect_uri=https%3A%2F%2Fzhiyin.example%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_login&state=abcdefghijklmnopqrstuvwxyz234567#wechat_redirect',
    )
  })
})

const IPHONE_WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'
const ANDROID_WECHAT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240404 MMWEBID/2307 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64'
const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

describe('which way in a browser is offered', () => {
  it.each([
    ['WeChat on iPhone', IPHONE_WECHAT, true],
    ['WeChat on Android', ANDROID_WECHAT, true],
    ['Chrome on Windows', DESKTOP_CHROME, false],
    ['Safari on iPhone', IPHONE_SAFARI, false],
    ['no User-Agent', null, false],
  ])('%s is WeChat’s browser: %s', (_name, ua, expected) => {
    expect(isWechatBrowser(ua)).toBe(expected)
  })

  it.each([
    ['off', { kind: 'off' as const }, IPHONE_WECHAT, null],
    ['test mode, desktop', { kind: 'test' as const }, DESKTOP_CHROME, { kind: 'test', scan: true }],
    ['test mode, in WeChat', { kind: 'test' as const }, IPHONE_WECHAT, { kind: 'test', scan: false }],
    ['live, in WeChat', { kind: 'live' as const, hasOpenApp: false }, IPHONE_WECHAT, { kind: 'in_wechat' }],
    ['live with the website app, desktop', { kind: 'live' as const, hasOpenApp: true }, DESKTOP_CHROME, { kind: 'qr' }],
    ['live without the website app, desktop', { kind: 'live' as const, hasOpenApp: false }, DESKTOP_CHROME, { kind: 'qr_mp' }],
  ])('%s → %j', (_name, mode, ua, expected) => {
    expect(wechatSignInChoice(mode, ua)).toEqual(expected)
  })
})

/** The Cookie header a browser sends back for a Set-Cookie. */
const cookieOf = (setCookie: string) => setCookie.split(';')[0]!

describe('the state cookie', () => {
  const now = new Date('2026-12-06T08:00:00Z')

  it('brings back the pending sign-in for the state it was issued with', async () => {
    const { state, setCookie } = await issueOAuthState({ app: 'mp', intent: 'signin', redirectTo: '/daily/2026-12-06' }, now)
    expect(setCookie).toMatch(/HttpOnly/i)
    const check = await checkOAuthState({ cookieHeader: cookieOf(setCookie), state, apps: ['mp'] }, new Date(now.getTime() + 60_000))
    expect(check).toMatchObject({ ok: true, pending: { app: 'mp', intent: 'signin', redirectTo: '/daily/2026-12-06', userId: null } })
  })

  it('keeps redirectTo on the site', async () => {
    const { state, setCookie } = await issueOAuthState({ app: 'mp', intent: 'signin', redirectTo: 'https://evil.example/' }, now)
    const check = await checkOAuthState({ cookieHeader: cookieOf(setCookie), state, apps: ['mp'] }, now)
    expect(check).toMatchObject({ ok: true, pending: { redirectTo: '/' } })
  })

  it('refuses a state that is not the one this browser was given (forged)', async () => {
    const { setCookie } = await issueOAuthState({ app: 'mp', intent: 'signin', redirectTo: null }, now)
    const check = await checkOAuthState({ cookieHeader: cookieOf(setCookie), state: STATE, apps: ['mp'] }, now)
    expect(check).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('refuses a browser without the cookie, or with an altered one (forged)', async () => {
    const { state, setCookie } = await issueOAuthState({ app: 'mp', intent: 'signin', redirectTo: null }, now)
    expect(await checkOAuthState({ cookieHeader: null, state, apps: ['mp'] }, now)).toEqual({ ok: false, reason: 'missing' })
    const [name, value] = cookieOf(setCookie).split('=') as [string, string]
    const payload = JSON.parse(Buffer.from(decodeURIComponent(value.split('.')[0]!), 'base64').toString('utf8')) as Record<string, unknown>
    const altered = Buffer.from(JSON.stringify({ ...payload, r: '/admin' })).toString('base64')
    const forged = `${name}=${encodeURIComponent(`${altered}.${value.split('.')[1]}`)}`
    expect(await checkOAuthState({ cookieHeader: forged, state, apps: ['mp'] }, now)).toEqual({ ok: false, reason: 'missing' })
  })

  it('refuses a state older than 10 minutes (expired)', async () => {
    const { state, setCookie } = await issueOAuthState({ app: 'mp', intent: 'signin', redirectTo: null }, now)
    const later = new Date(now.getTime() + 10 * 60_000 + 1)
    expect(await checkOAuthState({ cookieHeader: cookieOf(setCookie), state, apps: ['mp'] }, later)).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuses a state issued for another app (the test page’s state at the real callback)', async () => {
    const { state, setCookie } = await issueOAuthState({ app: 'test', intent: 'signin', redirectTo: null }, now)
    expect(await checkOAuthState({ cookieHeader: cookieOf(setCookie), state, apps: ['mp', 'open'] }, now)).toEqual({ ok: false, reason: 'wrong_app' })
  })
})
