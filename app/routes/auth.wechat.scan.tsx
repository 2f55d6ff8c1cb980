// The page a phone opens by scanning a desktop's 微信扫码登录 code (docs/decisions/021-wechat-sign-in.md).
// The phone must be signed in to the site — in WeChat's browser by 微信一键登录 (silent when it
// signed in before), elsewhere by any way in — and then confirms, by a POST, that the desktop in
// front of it may sign in to this account. The warning is there because a code can be shown to a
// reader by someone else's desktop.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { Button } from '~/components/ui'
import { isWechatBrowser } from '~/domain/wechat-auth'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { approveQrLogin, isQrLoginApproved } from '~/models/wechat-qr-login.server'
import { getAuth, requireAuth } from '~/utils/auth.server'
import { wechatMode } from '~/utils/wechat-api.server'
import { readScannedTicket, scanPath } from '~/utils/wechat-qr.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { site: siteZhCN, wechatAuth: wechatAuthZhCN }

const q = t.wechatAuth.qr
const noStore = { 'Cache-Control': 'no-store' }

export const meta: MetaFunction = () => [{ title: `${q.confirmTitle} · ${t.site.name}` }]

/** The scanned ticket, or a thrown zh-CN page: 400 for a code that is not the site's, 410 for an old one. */
function scannedTicket(request: Request, now: Date) {
  if (wechatMode().kind === 'off') throw new Response(t.wechatAuth.errors.notEnabled, { status: 404 })
  const ticket = readScannedTicket(new URL(request.url).searchParams, now)
  if (!ticket.ok) throw new Response(ticket.reason === 'expired' ? q.expiredScan : q.invalid, { status: ticket.reason === 'expired' ? 410 : 400, headers: noStore })
  return ticket
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ticket = scannedTicket(request, new Date())
  const auth = await getAuth(request)
  if (!auth) {
    const back = scanPath(ticket)
    // In WeChat (or the test mode's stand-in) the reader signs in with WeChat and comes back here.
    const viaWechat = wechatMode().kind === 'test' || isWechatBrowser(request.headers.get('User-Agent'))
    throw redirect(viaWechat ? `/auth/wechat?${new URLSearchParams({ redirectTo: back })}` : `/login?${new URLSearchParams({ redirectTo: back })}`, { headers: noStore })
  }
  return data({ name: auth.user.displayName, approved: await isQrLoginApproved(ticket.id) }, { headers: noStore })
}

export async function action({ request }: ActionFunctionArgs) {
  const now = new Date()
  const ticket = scannedTicket(request, now)
  const { user } = await requireAuth(request)
  const intent = (await request.formData()).get('intent')
  if (intent === 'cancel') return data({ done: 'cancelled' as const, error: null }, { headers: noStore })
  if (intent !== 'confirm') return data({ done: null, error: q.invalid }, { status: 400, headers: noStore })
  const approved = await approveQrLogin({ id: ticket.id, userId: user.id, now })
  if (!approved) return data({ done: null, error: q.alreadyApproved }, { status: 409, headers: noStore })
  return data({ done: 'approved' as const, error: null }, { headers: noStore })
}

export default function WechatQrScan() {
  const { name, approved } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const done = answer?.done ?? (approved ? 'approved' : null)
  return (
    <AuthCard title={q.confirmTitle}>
      {done ? (
        <p role="status" className="text-center text-stone-700">
          {done === 'approved' ? (approved && !answer ? q.alreadyApproved : q.approved) : q.cancelled}
        </p>
      ) : (
        <Form method="post" className="space-y-4">
          <p className="text-stone-700">{q.confirmBody(name)}</p>
          <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{q.confirmWarning}</p>
          {answer?.error ? (
            <p role="alert" className="text-sm text-red-700">
              {answer.error}
            </p>
          ) : null}
          <Button name="intent" value="confirm" className="w-full" disabled={busy}>
            {q.confirm}
          </Button>
          <Button name="intent" value="cancel" variant="secondary" className="w-full" disabled={busy}>
            {q.cancel}
          </Button>
        </Form>
      )}
    </AuthCard>
  )
}
