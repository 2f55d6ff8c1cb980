import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, Outlet, useLoaderData, useParams } from '@remix-run/react'
import { Badge, EmptyState, PageTitle } from '~/components/ui'
import { t } from '~/i18n/zh-CN'
import { getEnv } from '~/utils/env.server'
import { listOutbox, OUTBOX_PAGE_SIZE } from '~/utils/email.server'
import { formatDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const page = Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1)
  const emails = await listOutbox({ page })
  return {
    page,
    hasNext: emails.length === OUTBOX_PAGE_SIZE,
    deliveryConfigured: Boolean(getEnv().RESEND_API_KEY),
    emails: emails.map((e) => ({
      id: e.id,
      to: e.toAddress,
      subject: e.subject,
      state: e.state,
      createdAt: e.createdAt,
    })),
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

export const STATE_TONE = { pending: 'amber', sending: 'amber', sent: 'green', failed: 'red' } as const

export default function AdminOutbox() {
  const { page, hasNext, emails, timeZone, deliveryConfigured } = useLoaderData<typeof loader>()
  const params = useParams()
  return (
    <div className="space-y-4">
      <PageTitle subtitle={deliveryConfigured ? undefined : t.admin.outboxHelp}>{t.admin.outboxTitle}</PageTitle>
      <Outlet />
      {emails.length === 0 ? (
        <EmptyState>{t.admin.outboxEmpty}</EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm">
          {emails.map((e) => (
            <li key={e.id} className={String(e.id) === params.id ? 'bg-brand-50' : undefined}>
              <Link to={`/admin/outbox/${e.id}${page > 1 ? `?page=${page}` : ''}`} className="block px-4 py-3 hover:bg-stone-50">
                <span className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium text-stone-900">{e.subject}</span>
                  <Badge tone={STATE_TONE[e.state]}>{t.admin.states[e.state]}</Badge>
                </span>
                <span className="mt-1 block text-xs text-stone-500">
                  {e.to} · {formatDateTime(e.createdAt, timeZone)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="分页" className="flex justify-between text-sm">
        {page > 1 ? <Link to={`?page=${page - 1}`} className="underline">{t.admin.previous}</Link> : <span />}
        {hasNext ? <Link to={`?page=${page + 1}`} className="underline">{t.admin.next}</Link> : <span />}
      </nav>
    </div>
  )
}
