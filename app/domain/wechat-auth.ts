// Sign in with WeChat (docs/decisions/021-wechat-sign-in.md): which way in a browser is offered,
// and the authorisation URLs exactly as WeChat documents them. Pure: no server code.
// https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
// https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html

/** WeChat's own browser says so in its User-Agent (iOS, Android, and the desktop client). */
export function isWechatBrowser(userAgent: string | null | undefined) {
  return /MicroMessenger\//i.test(userAgent ?? '')
}

/** Which app a sign-in goes through: the Official Account, the Open Platform website app, or the test mode. */
export type WechatApp = 'mp' | 'open' | 'test'

export type WechatScope = 'snsapi_base' | 'snsapi_userinfo' | 'snsapi_login'

/** The way in a page offers: none when WeChat is off. */
export type WechatSignInChoice =
  /** `scan`: outside WeChat's browser, the QR page of the Official Account's 扫码登录 is offered too. */
  | { kind: 'test'; scan: boolean }
  | { kind: 'in_wechat' }
  /** The Open Platform's website QR login (WeChat's own QR page). */
  | { kind: 'qr' }
  /** Only the Official Account is configured and this is not WeChat's browser: the site's own QR page. */
  | { kind: 'qr_mp' }
  | null

export type WechatModeKind = { kind: 'live'; hasOpenApp: boolean } | { kind: 'test' } | { kind: 'off' }

export function wechatSignInChoice(mode: WechatModeKind, userAgent: string | null | undefined): WechatSignInChoice {
  if (mode.kind === 'off') return null
  if (mode.kind === 'test') return { kind: 'test', scan: !isWechatBrowser(userAgent) }
  if (isWechatBrowser(userAgent)) return { kind: 'in_wechat' }
  return mode.hasOpenApp ? { kind: 'qr' } : { kind: 'qr_mp' }
}

/** In WeChat's browser: the Official Account's web authorisation (网页授权). */
export function officialAccountAuthorizeUrl({ appId, redirectUri, scope, state }: { appId: string; redirectUri: string; scope: 'snsapi_base' | 'snsapi_userinfo'; state: string }) {
  // WeChat requires these parameters in this order and the #wechat_redirect fragment.
  const query = new URLSearchParams({ appid: appId, redirect_uri: redirectUri, response_type: 'code', scope, state })
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${query}#wechat_redirect`
}

/** On a desktop browser: the Open Platform website app's QR login (扫码登录). */
export function qrConnectUrl({ appId, redirectUri, state }: { appId: string; redirectUri: string; state: string }) {
  const query = new URLSearchParams({ appid: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_login', state })
  return `https://open.weixin.qq.com/connect/qrconnect?${query}#wechat_redirect`
}

/** WeChat allows a state of up to 128 letters and digits. */
export const WECHAT_STATE_PATTERN = /^[A-Za-z0-9]{16,128}$/

/**
 * An account made by WeChat sign-in has no address yet; the users table requires one, so it gets
 * `wx-<random>@wechat.invalid` (a reserved top-level domain), unverified and never mailed.
 */
export const WECHAT_PLACEHOLDER_EMAIL_DOMAIN = 'wechat.invalid'

export function isWechatPlaceholderEmail(email: string) {
  return email.toLowerCase().endsWith(`@${WECHAT_PLACEHOLDER_EMAIL_DOMAIN}`)
}
