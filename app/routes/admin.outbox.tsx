import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, Outlet, useLoaderData, useParams } from '@remix-run/react'
import { Badge, EmptyState, PageTitle } from '~/components/ui'
import { notificationTitle } from '~/domain/notification'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { getEnv } from '~/utils/env.server'
import { listOutbox, OUTBOX_PAGE_SIZE } from '~/utils/email.server'
import { formatDateTime } from '~/utils/format'
import { listWechatOutbox } from '~/utils/notify.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, notifications: notificationsZhCN }

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const page = Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1)
  const [emails, wechat] = await Promise.all([listOutbox({ page }), page === 1 ? listWechatOutbox() : []])
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
    wechat: wechat.map((m) => ({ id: m.id, state: m.state, testMode: m.testMode, to: m.userName, title: notificationTitle(m.kind, m.data), createdAt: m.createdAt, lastError: m.lastError })),
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

export const STATE_TONE = { pending: 'amber', sending: 'amber', sent: 'green', failed: 'red' } as const

export default function AdminOutbox() {
  const { page, hasNext, emails, timeZone, deliveryConfigured, wechat } = useLoaderData<typeof loader>()
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
      <WechatOutbox messages={wechat} timeZone={timeZone} />
      <nav aria-label="分页" className="flex justify-between text-sm">
        {page > 1 ? <Link to={`?page=${page - 1}`} className="underline">{t.admin.previous}</Link> : <span />}
        {hasNext ? <Link to={`?page=${page + 1}`} className="underline">{t.admin.next}</Link> : <span />}
      </nav>
    </div>
  )
}

/** WeChat template messages (notifications): test-mode ones are kept here and never sent. */
function WechatOutbox({ messages, timeZone }: { messages: ReturnType<typeof useLoaderData<typeof loader>>['wechat']; timeZone: string }) {
  if (messages.length === 0) return null
  return (
    <section aria-labelledby="wechat-outbox-title" className="space-y-2">
      <h2 id="wechat-outbox-title" className="text-lg font-semibold">
        {t.notifications.outbox.title}
      </h2>
      <ul className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm">
        {messages.map((m) => (
          <li key={m.id} className="px-4 py-3" data-testid="wechat-outbox-item">
            <span className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium text-stone-900">{m.title}</span>
              {m.testMode ? <Badge tone="amber">{t.notifications.outbox.testMode}</Badge> : <Badge tone={STATE_TONE[m.state]}>{t.admin.states[m.state]}</Badge>}
            </span>
            <span className="mt-1 block text-xs text-stone-500">
              {m.to} · {formatDateTime(m.createdAt, timeZone)}
              {m.lastError ? ` · ${m.lastError}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
