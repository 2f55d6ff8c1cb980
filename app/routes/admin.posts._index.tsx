import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TierBadge } from '~/components/daily'
import { Badge, buttonClass, EmptyState, PageTitle } from '~/components/ui'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { commentsZhCN } from '~/i18n/comments.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { DAILY_PAGE_SIZE, listDailiesForStaff } from '~/models/daily.server'
import { countNewComments } from '~/models/daily-comment.server'
import { listTiers } from '~/models/membership.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, comments: commentsZhCN, daily: dailyZhCN }

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const page = Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1)
  const [{ dailies, total }, tiers] = await Promise.all([listDailiesForStaff({ page }), listTiers()])
  const newComments = await countNewComments(dailies.map((d) => d.id))
  return {
    page,
    pages: Math.max(1, Math.ceil(total / DAILY_PAGE_SIZE)),
    dailies: dailies.map((d) => ({
      id: d.id,
      date: d.date,
      title: d.title,
      keyword: d.keyword,
      state: d.state,
      publishAt: d.publishAt,
      hasAudio: d.audioId !== null,
      hasTranscript: d.transcript !== '',
      tierName: d.minRank > 0 ? (tiers.find((tier) => tier.rank === d.minRank)?.name ?? null) : null,
      newComments: newComments.get(d.id) ?? 0,
    })),
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

const STATE_TONE = { draft: 'stone', scheduled: 'amber', published: 'green' } as const

export default function AdminPosts() {
  const { page, pages, dailies, timeZone } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-3">
        <PageTitle>{t.daily.editor.listTitle}</PageTitle>
        <Link to="/admin/posts/new" className={buttonClass('primary')}>
          {t.daily.editor.create}
        </Link>
      </div>
      {dailies.length === 0 ? <EmptyState>{t.daily.editor.empty}</EmptyState> : null}
      <ul className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm">
        {dailies.map((d) => (
          <li key={d.id} className="flex items-stretch">
            <Link to={`/admin/posts/${d.id}`} className="block min-w-0 flex-1 px-4 py-3 hover:bg-stone-50">
              <span className="flex flex-wrap items-center gap-2 text-sm text-stone-500">
                <time dateTime={d.date}>{d.date}</time>
                <Badge tone={STATE_TONE[d.state]}>{t.daily.editor.states[d.state]}</Badge>
                <TierBadge tierName={d.tierName} />
                {d.hasAudio ? null : <Badge tone="red">{t.daily.editor.audioMissing}</Badge>}
                {d.hasAudio && !d.hasTranscript ? <Badge tone="amber">{t.daily.editor.transcriptMissing}</Badge> : null}
              </span>
              <span className="mt-1 block font-medium text-stone-900">{d.title}</span>
              <span className="block text-xs text-stone-500">
                {t.daily.keyword}「{d.keyword}」 · {t.daily.editor.publishAtLabel} {formatDateTime(d.publishAt, timeZone)}
              </span>
            </Link>
            <Link
              to={`/admin/posts/${d.id}/comments`}
              aria-label={`${t.comments.admin.linkLabel(d.date)}${d.newComments > 0 ? `：${t.comments.admin.newCount(d.newComments)}` : ''}`}
              className="flex w-24 shrink-0 flex-col items-center justify-center gap-1 border-l border-stone-100 px-2 py-3 text-sm text-brand-700 hover:bg-stone-50 sm:w-28"
            >
              <span className="underline">{t.comments.admin.link}</span>
              {d.newComments > 0 ? <Badge tone="amber">{t.comments.admin.newCount(d.newComments)}</Badge> : null}
            </Link>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav aria-label="分页" className="flex justify-between text-sm">
          {page > 1 ? <Link to={`?page=${page - 1}`} className="underline">{t.admin.previous}</Link> : <span />}
          {page < pages ? <Link to={`?page=${page + 1}`} className="underline">{t.admin.next}</Link> : <span />}
        </nav>
      ) : null}
    </div>
  )
}
