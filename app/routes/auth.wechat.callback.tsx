// WeChat sends the reader back here with `code` and `state` (docs/decisions/021-wechat-sign-in.md):
// the state must be this browser's and unused, the code is exchanged once, and the identity signs
// in or is linked. WeChat's refusals (40029 invalid code, 40163 code used) are 400 pages.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { WechatApiError, wechatMode } from '~/utils/wechat-api.server'
import { credentialsOf, exchangeWechatCode, fetchWechatUserInfo } from '~/utils/wechat-oauth.server'
import { completeWechatAuth, isKnownWechatIdentity, restartWithUserInfo, takeOAuthState } from '~/utils/wechat-signin.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechatAuth: wechatAuthZhCN }

function refuse(message: string, status: number): never {
  throw new Response(message, { status, headers: { 'Cache-Control': 'no-store' } })
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const mode = wechatMode()
  if (mode.kind !== 'live') throw new Response(t.wechatAuth.errors.notEnabled, { status: 404 })
  const query = new URL(request.url).searchParams
  const pending = await takeOAuthState(request, query.get('state'), mode.open ? ['mp', 'open'] : ['mp'])
  const code = query.get('code')
  // A reader who refused WeChat's consent comes back without a code.
  if (!code || code.length > 512) refuse(t.wechatAuth.errors.codeInvalid, 400)
  const app = pending.app === 'open' ? 'open' : 'mp'
  const credentials = credentialsOf(app, mode)
  if (!credentials) refuse(t.wechatAuth.errors.stateMissing, 400)
  try {
    const token = await exchangeWechatCode({ ...credentials, code })
    const identity = { appId: credentials.appId, openid: token.openid, unionid: token.unionid ?? null }
    const known = await isKnownWechatIdentity(identity)
    if (!known && pending.intent === 'signin' && token.scope === 'snsapi_base') return restartWithUserInfo(pending.redirectTo)
    // Only a new identity needs its nickname and avatar.
    const info = known ? null : await fetchWechatUserInfo({ accessToken: token.access_token, openid: token.openid })
    return await completeWechatAuth({
      request,
      clientIp: context.clientIp,
      pending,
      profile: { ...identity, unionid: info?.unionid ?? identity.unionid, nickname: info?.nickname ?? null, avatarUrl: info?.headimgurl || null },
    })
  } catch (error) {
    if (!(error instanceof WechatApiError)) throw error
    if (error.errcode === 40029) refuse(t.wechatAuth.errors.codeInvalid, 400)
    if (error.errcode === 40163) refuse(t.wechatAuth.errors.codeUsed, 400)
    console.error(`wechat sign-in: ${error.message}`)
    refuse(t.wechatAuth.errors.unavailable, 502)
  }
}
