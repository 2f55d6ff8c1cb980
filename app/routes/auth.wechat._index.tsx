// Starts a sign-in with WeChat (docs/decisions/021-wechat-sign-in.md): in WeChat's browser the
// Official Account's authorisation, on a desktop the Open Platform QR login, in test mode the
// simulated page. `intent=link` links WeChat to the signed-in account (from /account).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { isWechatBrowser, officialAccountAuthorizeUrl, qrConnectUrl } from '~/domain/wechat-auth'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { requireAuth } from '~/utils/auth.server'
import { safeRedirect } from '~/utils/redirect'
import { wechatMode } from '~/utils/wechat-api.server'
import { issueOAuthState, remembersWechatIdentity, wechatCallbackUrl, type WechatIntent } from '~/utils/wechat-oauth.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechatAuth: wechatAuthZhCN }

export async function loader({ request }: LoaderFunctionArgs) {
  const mode = wechatMode()
  if (mode.kind === 'off') throw new Response(t.wechatAuth.errors.notEnabled, { status: 404 })
  const url = new URL(request.url)
  const intent: WechatIntent = url.searchParams.get('intent') === 'link' ? 'link' : 'signin'
  const userId = intent === 'link' ? (await requireAuth(request)).user.id : null
  const redirectTo = intent === 'link' ? '/account' : url.searchParams.get('redirectTo')
  const noStore = { 'Cache-Control': 'no-store' }

  if (mode.kind === 'test') {
    const { state, setCookie } = await issueOAuthState({ app: 'test', intent, redirectTo, userId })
    return redirect(`/auth/wechat/test?${new URLSearchParams({ state })}`, { headers: { ...noStore, 'Set-Cookie': setCookie } })
  }
  if (isWechatBrowser(request.headers.get('User-Agent'))) {
    // A browser that signed in before is let through silently (snsapi_base): WeChat asks nothing.
    const silent = intent === 'signin' && url.searchParams.get('scope') !== 'userinfo' && (await remembersWechatIdentity(request, mode.appId))
    const { state, setCookie } = await issueOAuthState({ app: 'mp', intent, redirectTo, userId })
    const location = officialAccountAuthorizeUrl({ appId: mode.appId, redirectUri: wechatCallbackUrl(), scope: silent ? 'snsapi_base' : 'snsapi_userinfo', state })
    return redirect(location, { headers: { ...noStore, 'Set-Cookie': setCookie } })
  }
  if (mode.open) {
    const { state, setCookie } = await issueOAuthState({ app: 'open', intent, redirectTo, userId })
    return redirect(qrConnectUrl({ appId: mode.open.appId, redirectUri: wechatCallbackUrl(), state }), { headers: { ...noStore, 'Set-Cookie': setCookie } })
  }
  // Only the Official Account: a desktop signs in by scanning the site's own QR code with WeChat.
  if (intent === 'signin') return redirect(`/auth/wechat/qr?${new URLSearchParams({ redirectTo: safeRedirect(redirectTo) })}`, { headers: noStore })
  throw new Response(t.wechatAuth.errors.notInWechat, { status: 400 })
}
