// Sign in with WeChat, the browser's side (docs/decisions/021-wechat-sign-in.md): the OAuth state
// bound to this browser by a short-lived signed cookie, the cookie that remembers a linked openid
// (so WeChat's browser signs in silently next time), and WeChat's sns endpoints.
import { WECHAT_STATE_PATTERN, type WechatApp, type WechatModeKind } from '~/domain/wechat-auth'
import { generateToken, hashToken } from './crypto.server'
import { getEnv } from './env.server'
import { signedCookie } from './signed-cookie.server'
import { safeRedirect } from './redirect'
import { fetchWechatJson, WECHAT_API, wechatMode, type WechatMode } from './wechat-api.server'

/** How long a reader has between leaving for WeChat and coming back. */
export const OAUTH_STATE_MINUTES = 10

export type WechatIntent = 'signin' | 'link'

/** What the state cookie remembers of a sign-in under way. */
export interface PendingWechatAuth {
  app: WechatApp
  intent: WechatIntent
  redirectTo: string
  /** For intent `link`: the account that asked to link, which must still be the one signed in. */
  userId: number | null
  stateHash: string
}

const oauthStateCookie = signedCookie('zhiyin_wx_oauth', { path: '/auth/wechat', maxAgeSeconds: OAUTH_STATE_MINUTES * 60 })

/** A new random state and the Set-Cookie that binds it (hashed) to this browser. */
export async function issueOAuthState(
  { app, intent, redirectTo, userId = null }: { app: WechatApp; intent: WechatIntent; redirectTo: string | null; userId?: number | null },
  now = new Date(),
) {
  const state = generateToken()
  const setCookie = await oauthStateCookie().serialize({
    h: hashToken(state),
    a: app,
    i: intent,
    r: safeRedirect(redirectTo),
    u: userId,
    e: now.getTime() + OAUTH_STATE_MINUTES * 60_000,
  })
  return { state, setCookie }
}

export type OAuthStateCheck = { ok: true; pending: PendingWechatAuth } | { ok: false; reason: 'missing' | 'mismatch' | 'expired' | 'wrong_app' }

/**
 * Whether the state WeChat (or the test page) brought back is the one this browser was given, for
 * one of the apps this answer may come from. A cookie that is absent, forged or altered is
 * `missing` (its signature fails). Single use is the caller's: see claimOAuthState.
 */
export async function checkOAuthState(
  { cookieHeader, state, apps }: { cookieHeader: string | null; state: string | null; apps: readonly WechatApp[] },
  now = new Date(),
): Promise<OAuthStateCheck> {
  const value: unknown = await oauthStateCookie().parse(cookieHeader)
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'missing' }
  const { h, a, i, r, u, e } = value as Record<string, unknown>
  if (typeof h !== 'string' || typeof r !== 'string' || typeof e !== 'number' || (i !== 'signin' && i !== 'link')) return { ok: false, reason: 'missing' }
  if (a !== 'mp' && a !== 'open' && a !== 'test') return { ok: false, reason: 'missing' }
  if (!state || !WECHAT_STATE_PATTERN.test(state) || hashToken(state) !== h) return { ok: false, reason: 'mismatch' }
  if (e <= now.getTime()) return { ok: false, reason: 'expired' }
  if (!apps.includes(a)) return { ok: false, reason: 'wrong_app' }
  return { ok: true, pending: { app: a, intent: i, redirectTo: safeRedirect(r), userId: typeof u === 'number' ? u : null, stateHash: h } }
}

/** The Set-Cookie that ends the sign-in under way (after the callback, whatever its outcome). */
export function clearOAuthStateCookie() {
  return oauthStateCookie().serialize('', { maxAge: 0 })
}

// ---- the remembered openid ----------------------------------------------------------------------

const rememberedCookie = signedCookie('zhiyin_wx_id', { path: '/auth/wechat', maxAgeSeconds: 365 * 24 * 3600 })

/** The Set-Cookie that remembers this browser signed in with this Official Account identity. */
export function rememberWechatIdentity(appId: string, openid: string) {
  return rememberedCookie().serialize({ appId, openid })
}

export function forgetWechatIdentity() {
  return rememberedCookie().serialize('', { maxAge: 0 })
}

/** Whether this browser has signed in with an identity of this app before (→ snsapi_base, silent). */
export async function remembersWechatIdentity(request: Request, appId: string) {
  const value: unknown = await rememberedCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'object' && value !== null && (value as { appId?: unknown }).appId === appId
}

// ---- WeChat's sns endpoints ---------------------------------------------------------------------

export function modeKindOf(mode: WechatMode = wechatMode()): WechatModeKind {
  return mode.kind === 'live' ? { kind: 'live', hasOpenApp: mode.open !== null } : mode
}

/** The app id and secret of a live app: the Official Account's, or the Open Platform website app's. */
export function credentialsOf(app: 'mp' | 'open', mode: WechatMode = wechatMode()) {
  if (mode.kind !== 'live') return null
  if (app === 'mp') return { appId: mode.appId, appSecret: mode.appSecret }
  return mode.open
}

export interface WechatAccessToken {
  access_token: string
  expires_in: number
  refresh_token: string
  openid: string
  scope: string
  unionid?: string
}

/** Exchanges the code WeChat brought back (40029 invalid, 40163 used: WechatApiError). */
export function exchangeWechatCode({ appId, appSecret, code }: { appId: string; appSecret: string; code: string }) {
  const query = new URLSearchParams({ appid: appId, secret: appSecret, code, grant_type: 'authorization_code' })
  return fetchWechatJson<WechatAccessToken>(`${WECHAT_API}/sns/oauth2/access_token?${query}`)
}

export interface WechatUserInfo {
  openid: string
  nickname: string
  headimgurl?: string
  unionid?: string
}

/** The reader's nickname and avatar (scopes snsapi_userinfo and snsapi_login). */
export function fetchWechatUserInfo({ accessToken, openid }: { accessToken: string; openid: string }) {
  const query = new URLSearchParams({ access_token: accessToken, openid, lang: 'zh_CN' })
  return fetchWechatJson<WechatUserInfo>(`${WECHAT_API}/sns/userinfo?${query}`)
}

/** Where WeChat sends the reader back. */
export function wechatCallbackUrl() {
  return `${getEnv().SITE_URL}/auth/wechat/callback`
}
