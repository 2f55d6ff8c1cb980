import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { Badge, Button, Card } from '~/components/ui'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { errorsZhCN, pagesZhCN } from '~/i18n/core.zh-CN'
import { getEnv } from '~/utils/env.server'
import { getOutboxEmail, retryOutboxEmail } from '~/utils/email.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'
import { STATE_TONE } from './admin.outbox'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, errors: errorsZhCN, pages: pagesZhCN }

async function findEmail(idParam: string | undefined) {
  const id = Number(idParam)
  const email = Number.isInteger(id) && id > 0 ? await getOutboxEmail(id) : undefined
  if (!email) throw new Response(t.pages.notFound.body, { status: 404 })
  return email
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const email = await findEmail(params.id)
  return { email, timeZone: getEnv().SITE_TIMEZONE }
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, 'admin')
  const email = await findEmail(params.id)
  const retried = await retryOutboxEmail(email.id)
  return redirectWithFlash(`/admin/outbox/${email.id}`, retried
    ? { kind: 'success', message: t.admin.retried }
    : { kind: 'error', message: t.errors.invalidChoice })
}

export default function OutboxEmail() {
  const { email, timeZone } = useLoaderData<typeof loader>()
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{email.subject}</h2>
        <Badge tone={STATE_TONE[email.state]}>{t.admin.states[email.state]}</Badge>
      </div>
      <p className="mt-1 text-sm text-stone-600">
        {t.admin.to}：{email.toAddress} · {formatDateTime(email.createdAt, timeZone)}
        {email.lastError ? ` · ${email.lastError}` : ''}
      </p>
      {email.state === 'failed' ? (
        <Form method="post" className="mt-3">
          <Button variant="secondary">{t.admin.retry}</Button>
        </Form>
      ) : null}
      <h3 className="mt-4 text-sm font-semibold text-stone-700">{t.admin.textPart}</h3>
      {/* The plain-text part, shown as text: links in it are what the recipient would click. */}
      <pre className="mt-2 whitespace-pre-wrap break-all rounded-lg bg-stone-50 p-3 font-sans text-sm" data-testid="email-text">
        {email.text}
      </pre>
      <h3 className="mt-4 text-sm font-semibold text-stone-700">{t.admin.htmlPart}</h3>
      <iframe title={t.admin.htmlPart} sandbox="" srcDoc={email.html} className="mt-2 h-96 w-full rounded-lg border border-stone-200 bg-white" />
    </Card>
  )
}
