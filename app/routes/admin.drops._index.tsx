import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DropStateBadge } from '~/components/drop'
import { buttonClass, EmptyState, PageTitle } from '~/components/ui'
import { dropWindow } from '~/domain/drop'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { listDrops } from '~/models/drop.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

const a = t.drops.admin

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const now = new Date()
  const timeZone = getEnv().SITE_TIMEZONE
  const summaries = await listDrops(now)
  return {
    drops: summaries.map(({ drop, tiers, revenueFen, members }) => ({
      id: drop.id,
      name: drop.name,
      window: dropWindow(drop, now),
      opensAt: formatDateTime(drop.opensAt, timeZone),
      closesAt: formatDateTime(drop.closesAt, timeZone),
      revenueFen,
      members,
      tiers: tiers.map(({ id, tierName, capacity, sold, held }) => ({ id, tierName, capacity, sold, held })),
    })),
  }
}

export default function AdminDrops() {
  const { drops } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <PageTitle subtitle={a.subtitle}>{a.title}</PageTitle>
        <Link to="/admin/drops/new" className={buttonClass('primary')}>
          {a.create}
        </Link>
      </div>
      {drops.length === 0 ? (
        <EmptyState>{a.empty}</EmptyState>
      ) : (
        <ul className="space-y-4">
          {drops.map((drop) => (
            <li key={drop.id} className="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h2 className="flex flex-wrap items-center gap-2 text-lg font-bold text-stone-900">
                    <Link to={`/admin/drops/${drop.id}`} className="hover:text-brand-700">
                      {drop.name}
                    </Link>
                    <DropStateBadge state={drop.window} />
                  </h2>
                  <p className="mt-1 text-sm text-stone-600">
                    {a.window}：{drop.opensAt} — {drop.closesAt}
                  </p>
                </div>
                <Link to={`/admin/drops/${drop.id}`} className={buttonClass('secondary', 'py-2')}>
                  {a.view}
                </Link>
              </div>
              <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                {drop.tiers.map((tier) => (
                  <div key={tier.id} className="rounded-lg bg-stone-50 px-3 py-2">
                    <dt className="text-stone-500">{tier.tierName}</dt>
                    <dd className="font-semibold tabular-nums text-stone-900">
                      {tier.sold.toLocaleString('zh-CN')} / {tier.capacity.toLocaleString('zh-CN')}
                      {tier.held > 0 ? <span className="ml-1 text-xs font-normal text-amber-700">{a.heldShort(tier.held)}</span> : null}
                    </dd>
                  </div>
                ))}
                <div className="rounded-lg bg-stone-50 px-3 py-2">
                  <dt className="text-stone-500">{a.members}</dt>
                  <dd className="font-semibold tabular-nums text-stone-900">{drop.members.toLocaleString('zh-CN')}</dd>
                </div>
                <div className="rounded-lg bg-stone-50 px-3 py-2">
                  <dt className="text-stone-500">{a.revenue}</dt>
                  <dd className="font-semibold tabular-nums text-stone-900">{formatFen(drop.revenueFen)}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
