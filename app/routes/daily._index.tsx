import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { KeywordBox, TierBadge } from '~/components/daily'
import { EmptyState, PageTitle } from '~/components/ui'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { DAILY_PAGE_SIZE, listLiveDailies } from '~/models/daily.server'
import { listTiers } from '~/models/membership.server'
import { useRootData } from '~/root'
import { presentDailySummary } from '~/utils/daily-view.server'
import { formatArticleDate } from '~/utils/format'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.daily.archiveTitle} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const page = Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1)
  const [{ dailies, total }, tiers] = await Promise.all([listLiveDailies({ page }), listTiers()])
  return {
    page,
    pages: Math.max(1, Math.ceil(total / DAILY_PAGE_SIZE)),
    dailies: dailies.map((d) => presentDailySummary(d, tiers)),
  }
}

export default function DailyArchive() {
  const { page, pages, dailies } = useLoaderData<typeof loader>()
  const timeZone = useRootData()?.timeZone
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle subtitle={t.daily.archiveSubtitle}>{t.daily.archiveTitle}</PageTitle>
      <KeywordBox />
      {dailies.length === 0 ? <EmptyState>{t.daily.empty}</EmptyState> : null}
      <ol className="space-y-3">
        {dailies.map((d) => (
          <li key={d.date}>
            <Link to={`/daily/${d.date}`} className="block rounded-2xl border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-600">
              <p className="flex flex-wrap items-center gap-2 text-sm text-stone-500">
                <time dateTime={d.date}>{timeZone ? formatArticleDate(d.date, timeZone) : d.date}</time>
                <TierBadge tierName={d.tierName} />
              </p>
              <h2 className="mt-1 text-lg font-semibold text-stone-900">{d.title}</h2>
              <p className="mt-1 line-clamp-2 text-sm leading-relaxed text-stone-600">{d.teaser}</p>
            </Link>
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav aria-label="分页" className="flex items-center justify-between text-sm">
          {page > 1 ? <Link to={`?page=${page - 1}`} className="underline">← {t.daily.newer}</Link> : <span />}
          <span className="text-stone-500">{t.daily.page(page, pages)}</span>
          {page < pages ? <Link to={`?page=${page + 1}`} className="underline">{t.daily.older} →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  )
}
