// What happens once WeChat (or the test mode's page) has said who the reader is: the state is
// checked and taken, then the identity signs in to its account or is linked to the signed-in one
// (docs/decisions/021-wechat-sign-in.md). Shared by /auth/wechat/callback and /auth/wechat/test.
import { createHash } from 'node:crypto'
import { data, redirect } from '@remix-run/node'
import type { WechatApp } from '~/domain/wechat-auth'
import { t } from '~/i18n/zh-CN'
import { getUserById } from '~/models/user.server'
import { claimOAuthState, findWechatIdentity, getWechatIdentityOf, unlinkWechat, linkWechatIdentity, signInWithWechat, type WechatProfile } from '~/models/wechat-identity.server'
import { getAuth, sessionContext, signIn } from './auth.server'
import { redirectWithFlash } from './flash.server'
import { readReferrer } from './referral-cookie.server'
import { wechatMode } from './wechat-api.server'
import { checkOAuthState, clearOAuthStateCookie, forgetWechatIdentity, rememberWechatIdentity, type PendingWechatAuth } from './wechat-oauth.server'

/** A refusal page in zh-CN (the root error boundary shows the message). */
function refuse(message: string, status: number): never {
  throw new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

/**
 * The pending sign-in this state belongs to, taken for good; otherwise a thrown 400 (forged,
 * replayed, expired, another app's). Nothing is stored for a refused state.
 */
export async function takeOAuthState(request: Request, state: string | null, apps: readonly WechatApp[]): Promise<PendingWechatAuth> {
  const check = await checkOAuthState({ cookieHeader: request.headers.get('Cookie'), state, apps })
  if (!check.ok) refuse(check.reason === 'expired' ? t.wechatAuth.errors.stateExpired : t.wechatAuth.errors.stateMissing, 400)
  if (!(await claimOAuthState(check.pending.stateHash))) refuse(t.wechatAuth.errors.stateUsed, 400)
  return check.pending
}

/** The state is good (for the test page's form): checked but not taken. */
export async function peekOAuthState(request: Request, state: string | null, apps: readonly WechatApp[]) {
  const check = await checkOAuthState({ cookieHeader: request.headers.get('Cookie'), state, apps })
  if (!check.ok) refuse(check.reason === 'expired' ? t.wechatAuth.errors.stateExpired : t.wechatAuth.errors.stateMissing, 400)
}

/** Whether an identity is known already (an unknown one needs its nickname from WeChat). */
export async function isKnownWechatIdentity(profile: Pick<WechatProfile, 'appId' | 'openid'>) {
  return (await findWechatIdentity(profile)) !== undefined
}

/** Signs the reader in with this identity, or links it to their account (intent `link`). */
export async function completeWechatAuth({
  request,
  clientIp,
  pending,
  profile,
}: {
  request: Request
  clientIp: string | undefined
  pending: PendingWechatAuth
  profile: WechatProfile
}): Promise<Response> {
  const clearState = await clearOAuthStateCookie()
  if (pending.intent === 'link') {
    const auth = await getAuth(request)
    if (!auth || auth.user.id !== pending.userId) refuse(t.wechatAuth.errors.linkWrongUser, 400)
    const linked = await linkWechatIdentity({ userId: auth.user.id, profile })
    if (!linked.ok) refuse(linked.reason === 'taken' ? t.wechatAuth.errors.taken : t.wechatAuth.errors.hasOther, 409)
    const headers = new Headers({ 'Set-Cookie': clearState })
    if (pending.app === 'mp') headers.append('Set-Cookie', await rememberWechatIdentity(profile.appId, profile.openid))
    return redirectWithFlash('/account', { kind: 'success', message: t.wechatAuth.account.linkedFlash }, { headers })
  }
  const { userId } = await signInWithWechat(profile, { referrerId: await readReferrer(request) })
  const user = await getUserById(userId)
  const response = await signIn({
    request,
    userId,
    context: sessionContext(request, clientIp),
    redirectTo: pending.redirectTo,
    flash: { kind: 'success', message: t.wechatAuth.signedIn(user?.displayName ?? '') },
  })
  response.headers.append('Set-Cookie', clearState)
  if (pending.app === 'mp') response.headers.append('Set-Cookie', await rememberWechatIdentity(profile.appId, profile.openid))
  return response
}

/**
 * A silent (snsapi_base) answer for an identity this site no longer knows (unlinked since): forget
 * it and start again asking for the nickname.
 */
export async function restartWithUserInfo(redirectTo: string) {
  return redirect(`/auth/wechat?${new URLSearchParams({ redirectTo, scope: 'userinfo' })}`, {
    headers: [
      ['Set-Cookie', await forgetWechatIdentity()],
      ['Set-Cookie', await clearOAuthStateCookie()],
    ],
  })
}

/** The test mode's openid for a nickname: the same nickname is the same simulated WeChat user. */
export function simulatedOpenid(nickname: string) {
  return `o_test_${createHash('sha256').update(nickname).digest('hex').slice(0, 22)}`
}

// ---- /account ---------------------------------------------------------------------------------

/** What /account's WeChat card shows: null when WeChat is off. */
export async function wechatAccountView(userId: number) {
  const mode = wechatMode()
  if (mode.kind === 'off') return null
  const identity = await getWechatIdentityOf(userId)
  return { linked: identity !== undefined, nickname: identity?.nickname ?? null, testMode: mode.kind === 'test' }
}

/** /account's 解除绑定: refused (409) while WeChat is the account's only way in. */
export async function unlinkWechatFromAccount(userId: number) {
  const unlinked = await unlinkWechat(userId)
  if (unlinked.ok) return redirectWithFlash('/account', { kind: 'success', message: t.wechatAuth.account.unlinkedFlash }, { headers: { 'Set-Cookie': await forgetWechatIdentity() } })
  const message = unlinked.reason === 'only_way_in' ? t.wechatAuth.errors.onlyWayIn : t.wechatAuth.errors.notLinked
  return data({ intent: 'wechat-unlink' as const, errors: { form: message } }, { status: 409 })
}
