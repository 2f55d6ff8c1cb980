import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { ConfirmLinkCard } from '~/components/auth-layout'
import { accountZhCN } from '~/i18n/account.zh-CN'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { assertAuthTokenUsable } from '~/models/auth-token.server'
import { redeemVerificationLink } from '~/models/signup.server'
import { getUserById } from '~/models/user.server'
import { getAuth, sessionContext, signIn } from '~/utils/auth.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { safeRedirect } from '~/utils/redirect'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { account: accountZhCN, auth: authZhCN, errors: errorsZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.verifyTitle} · ${t.site.name}` }]

// Opening the link only shows a button: mail scanners that prefetch links must not use it up.
export async function loader({ params }: LoaderFunctionArgs) {
  await assertAuthTokenUsable({ token: params.token ?? '', purpose: 'verify_email' })
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const userId = await redeemVerificationLink(params.token ?? '')
  if (userId === null) throw new Response(t.errors.tokenUsed, { status: 410 })
  const user = await getUserById(userId)
  if (!user) throw new Response(t.errors.tokenInvalid, { status: 404 })
  const redirectTo = new URL(request.url).searchParams.get('redirectTo')
  // Already signed in here as this reader (a link resent from /account): nothing to start.
  if ((await getAuth(request))?.user.id === userId) {
    return redirectWithFlash(safeRedirect(redirectTo, '/account'), { kind: 'success', message: t.account.emailVerifiedDone })
  }
  return signIn({
    request,
    userId,
    context: sessionContext(request, context.clientIp),
    redirectTo,
    flash: { kind: 'success', message: t.auth.welcome(user.displayName) },
  })
}

export default function VerifyEmail() {
  return <ConfirmLinkCard title={t.auth.verifyTitle} body={t.auth.verifyBody} submit={t.auth.verifySubmit} />
}
