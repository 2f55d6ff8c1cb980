import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AuditLine } from '~/components/audit-line'
import { Card, EmptyState, PageTitle } from '~/components/ui'
import { describeAudit } from '~/domain/audit-sentence'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { moderationZhCN } from '~/i18n/moderation.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { siteSettingsZhCN } from '~/i18n/siteSettings.zh-CN'
import { countOrdersNeedingAttention } from '~/models/admin-orders.server'
import { getDashboardStats, listRecentAudit } from '~/models/dashboard.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime } from '~/utils/format'
import { hasRole, requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, adminOrders: adminOrdersZhCN, courseAdmin: courseAdminZhCN, drops: dropsZhCN, moderation: moderationZhCN, shop: shopZhCN }

// Every area names its own audited actions; the dashboard shows them all in one list.
const AUDIT_ACTION_LABELS: Record<string, string> = {
  ...t.admin.actions,
  ...t.moderation.auditActions,
  ...t.shop.auditActions,
  ...t.adminOrders.auditActions,
  ...t.drops.admin.auditActions,
  ...t.courseAdmin.auditActions,
  ...siteSettingsZhCN.auditActions,
}

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireRole(request, 'editor')
  const timeZone = getEnv().SITE_TIMEZONE
  const [stats, audit, orders] = await Promise.all([
    getDashboardStats(),
    listRecentAudit(),
    hasRole(staff.role, 'admin') ? countOrdersNeedingAttention() : null,
  ])
  return {
    stats,
    orders,
    audit: audit.map(({ entry, actorName }) => ({
      id: entry.id,
      ...describeAudit(entry, { timeZone, actionLabels: AUDIT_ACTION_LABELS }),
      actorName: actorName ?? '—',
      at: formatDateTime(entry.createdAt, timeZone),
    })),
  }
}

export default function AdminDashboard() {
  const { stats, orders, audit } = useLoaderData<typeof loader>()
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
      {orders ? (
        <div className="grid grid-cols-2 gap-3">
          {[
            { to: '/admin/orders?state=paid&kind=goods', label: t.adminOrders.dashboard.toShip, value: orders.toShip },
            { to: '/admin/orders?flagged=1', label: t.adminOrders.dashboard.flagged, value: orders.flagged },
          ].map((c) => (
            <Link key={c.to} to={c.to} className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm hover:border-brand-300">
              <span className="block text-sm text-stone-500">{c.label}</span>
              <span className={`mt-1 block text-2xl font-bold ${c.value > 0 ? 'text-brand-700' : 'text-stone-900'}`}>{c.value}</span>
            </Link>
          ))}
        </div>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t.admin.recentAudit}</h2>
        {audit.length === 0 ? (
          <EmptyState>{t.admin.noAudit}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {audit.map((a) => (
              <li key={a.id} className="py-2">
                <AuditLine entry={a} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  )
}
