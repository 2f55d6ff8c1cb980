import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { Card, EmptyState, PageTitle } from '~/components/ui'
import { t } from '~/i18n/zh-CN'
import { getDashboardStats, listRecentAudit } from '~/models/dashboard.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const [stats, audit] = await Promise.all([getDashboardStats(), listRecentAudit()])
  return {
    stats,
    audit: audit.map(({ entry, actorName }) => ({
      id: entry.id,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      detail: JSON.stringify(entry.detail),
      actorName: actorName ?? '—',
      createdAt: entry.createdAt,
    })),
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

export default function AdminDashboard() {
  const { stats, audit, timeZone } = useLoaderData<typeof loader>()
  const cards = [
    { label: t.admin.stats.users, value: stats.users },
    { label: t.admin.stats.members, value: stats.members },
    { label: t.admin.stats.staff, value: stats.staff },
    { label: t.admin.stats.pendingEmails, value: stats.pendingEmails },
  ]
  return (
    <div className="space-y-6">
      <PageTitle>{t.admin.dashboard}</PageTitle>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {cards.map((c) => (
          <div key={c.label} className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-stone-500">{c.label}</dt>
            <dd className="mt-1 text-2xl font-bold text-stone-900">{c.value}</dd>
          </div>
        ))}
      </dl>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t.admin.recentAudit}</h2>
        {audit.length === 0 ? (
          <EmptyState>{t.admin.noAudit}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {audit.map((a) => (
              <li key={a.id} className="py-2">
                <span className="font-medium">{a.actorName}</span> · {t.admin.actions[a.action] ?? (t.moderation.auditActions as Record<string, string>)[a.action] ?? a.action} · {a.targetType} #{a.targetId}
                <span className="block text-xs text-stone-500">
                  {formatDateTime(a.createdAt, timeZone)} · {a.detail}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  )
}
