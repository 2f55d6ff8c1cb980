import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { ConfirmLinkCard } from '~/components/auth-layout'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { assertAuthTokenUsable, consumeAuthToken } from '~/models/auth-token.server'
import { confirmEmailOwnership, getUserById } from '~/models/user.server'
import { sessionContext, signIn } from '~/utils/auth.server'
import { transaction } from '~/utils/db.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, errors: errorsZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.magicConfirmTitle} · ${t.site.name}` }]

// Opening the link only shows a button: mail scanners that prefetch links must not use it up.
export async function loader({ params }: LoaderFunctionArgs) {
  await assertAuthTokenUsable({ token: params.token ?? '', purpose: 'magic_link' })
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // The link proves the address: an unverified account becomes verified (and is taken back
  // from whoever may have signed it up: confirmEmailOwnership).
  const used = await transaction(async (tx) => {
    const userId = await consumeAuthToken({ token: params.token ?? '', purpose: 'magic_link' }, tx)
    if (userId === null) return null
    return { userId, proof: await confirmEmailOwnership({ userId, via: 'magic_link' }, tx) }
  })
  if (used === null) throw new Response(t.errors.tokenUsed, { status: 410 })
  const user = await getUserById(used.userId)
  if (!user) throw new Response(t.errors.tokenInvalid, { status: 404 })
  const message = used.proof.passwordRemoved ? t.auth.signedInPasswordCleared(user.displayName) : `${t.auth.signedIn}：${user.displayName}`
  return signIn({
    request,
    userId: used.userId,
    context: sessionContext(request, context.clientIp),
    // Where the reader was going when they asked for the link (a purchase, say); signIn checks it.
    redirectTo: new URL(request.url).searchParams.get('redirectTo'),
    flash: { kind: 'success', message },
  })
}

export default function MagicLink() {
  return <ConfirmLinkCard title={t.auth.magicConfirmTitle} body={t.auth.magicConfirmBody} submit={t.auth.magicConfirmSubmit} />
}
