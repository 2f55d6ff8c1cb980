// 微信扫码登录 on a desktop through the Official Account, when the Open Platform's website app is
// not configured (docs/decisions/021-wechat-sign-in.md): the page shows a QR code of the site's
// scan page; a phone signed in to the site (in WeChat, by 微信一键登录) confirms it; this page asks
// every two seconds and signs the desktop in once the phone has confirmed. Without script, a
// button asks. In test mode the same page works with the simulated WeChat.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { AuthCard } from '~/components/auth-layout'
import { Countdown } from '~/components/countdown'
import { FormError } from '~/components/field'
import { Badge, Button } from '~/components/ui'
import { isWechatBrowser } from '~/domain/wechat-auth'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { getUserById } from '~/models/user.server'
import { takeQrLogin } from '~/models/wechat-qr-login.server'
import { getAuth, sessionContext, signIn } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { safeRedirect } from '~/utils/redirect'
import { wechatMode } from '~/utils/wechat-api.server'
import { clearQrTicket, qrSvg, qrTicketFor, readQrTicket, scanPath } from '~/utils/wechat-qr.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { site: siteZhCN, wechatAuth: wechatAuthZhCN }

const q = t.wechatAuth.qr
const POLL_MS = 2_000
const noStore = { 'Cache-Control': 'no-store' }

export const meta: MetaFunction = () => [{ title: `${q.title} · ${t.site.name}` }]

function requireQrSignIn() {
  if (wechatMode().kind === 'off') throw new Response(t.wechatAuth.errors.notEnabled, { status: 404 })
}

export async function loader({ request }: LoaderFunctionArgs) {
  requireQrSignIn()
  const url = new URL(request.url)
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'))
  if (await getAuth(request)) throw redirect(redirectTo, { headers: noStore })
  // Inside WeChat there is nothing to scan: its browser signs in with one tap.
  if (isWechatBrowser(request.headers.get('User-Agent'))) throw redirect(`/auth/wechat?${new URLSearchParams({ redirectTo })}`, { headers: noStore })
  const now = new Date()
  const { ticket, setCookie } = await qrTicketFor(request, redirectTo, now)
  const scanUrl = `${getEnv().SITE_URL}${scanPath(ticket)}`
  const headers = new Headers(noStore)
  if (setCookie) headers.append('Set-Cookie', setCookie)
  return data(
    {
      svg: await qrSvg(scanUrl),
      expiresAt: new Date(ticket.expiresAt),
      serverNow: now,
      refreshHref: `/auth/wechat/qr?${new URLSearchParams({ redirectTo })}`,
      loginHref: `/login?${new URLSearchParams({ redirectTo })}`,
      // Test mode: the "phone" is a second tab of this browser.
      testScanHref: wechatMode().kind === 'test' ? scanPath(ticket) : null,
    },
    { headers },
  )
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireQrSignIn()
  const now = new Date()
  const ticket = await readQrTicket(request, now)
  if (!ticket) return data({ status: 'expired' as const, message: q.expired }, { status: 410, headers: noStore })
  const taken = await takeQrLogin({ id: ticket.id, now })
  if (!taken.ok) {
    if (taken.reason === 'waiting') return data({ status: 'waiting' as const, message: q.notYet }, { headers: noStore })
    return data({ status: 'expired' as const, message: taken.reason === 'used' ? q.used : q.expired }, { status: 410, headers: noStore })
  }
  const user = await getUserById(taken.userId)
  const response = await signIn({
    request,
    userId: taken.userId,
    context: sessionContext(request, context.clientIp),
    redirectTo: ticket.redirectTo,
    flash: { kind: 'success', message: q.signedInFlash(user?.displayName ?? '') },
  })
  response.headers.append('Set-Cookie', await clearQrTicket())
  return response
}

// The page asks by posting: its loader (which may make a new code) must not run again each time.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => (formMethod === 'POST' ? false : defaultShouldRevalidate)

export default function WechatQrSignIn() {
  const { svg, expiresAt, serverNow, refreshHref, loginHref, testScanHref } = useLoaderData<typeof loader>()
  const poll = useFetcher<typeof action>({ key: 'wechat-qr-poll' })
  // The button's answer (without script) or the last background ask.
  const asked = useActionData<typeof action>()
  const [expired, setExpired] = useState(false)
  const answer = poll.data?.status === 'expired' ? poll.data : asked
  const over = expired || answer?.status === 'expired'

  useEffect(() => {
    if (over) return
    const timer = setInterval(() => {
      if (poll.state === 'idle') poll.submit({}, { method: 'post' })
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [over, poll])

  return (
    <AuthCard title={q.title} footer={<Link to={loginHref}>{q.otherWays}</Link>}>
      {testScanHref ? (
        <p className="mb-3 text-center">
          <Badge tone="amber">{t.wechatAuth.testBadge}</Badge>
        </p>
      ) : null}
      <p className="mb-4 text-center text-sm text-stone-600">{q.help}</p>
      <div className={`relative mx-auto w-56 ${over ? 'opacity-20' : ''}`}>
        {/* The SVG is the site's own drawing of its own URL (qrcode), not reader input. */}
        <div role="img" aria-label={q.qrAlt} className="aspect-square w-full [&>svg]:h-full [&>svg]:w-full" dangerouslySetInnerHTML={{ __html: svg }} />
      </div>
      {over ? (
        <div className="mt-4 text-center">
          <p className="mb-3 text-sm text-red-700" role="alert">
            {answer?.status === 'expired' ? answer.message : q.expired}
          </p>
          <a href={refreshHref} className="text-[#047a3c] underline">
            {q.refresh}
          </a>
        </div>
      ) : (
        <div className="mt-4 space-y-3 text-center text-sm text-stone-600">
          <p role="status">{q.waiting}</p>
          <p>
            {q.expiresIn}{' '}
            <Countdown until={expiresAt} serverNow={serverNow} onDone={() => setExpired(true)} />
          </p>
          <Form method="post">
            <FormError error={asked?.status === 'waiting' ? asked.message : undefined} />
            <Button variant="secondary" className="w-full">
              {q.checkNow}
            </Button>
          </Form>
          {testScanHref ? (
            <p>
              <a href={testScanHref} target="_blank" rel="noreferrer" className="text-[#047a3c] underline">
                {q.testOpen}
              </a>
            </p>
          ) : null}
        </div>
      )}
    </AuthCard>
  )
}
