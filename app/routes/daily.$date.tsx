import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { DailyArticle } from '~/components/daily'
import { DailyComments } from '~/components/daily-comments'
import { isCalendarDate, isDailyLive } from '~/domain/daily'
import { isStaff } from '~/domain/access'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { adjacentLiveDailies, getDailyByDate } from '~/models/daily.server'
import { listTiers } from '~/models/membership.server'
import { presentDailyComments } from '~/utils/daily-comments.server'
import { readDaily } from '~/utils/daily-view.server'
import { getKeywordReader, keywordBoxAction } from '~/utils/keyword-reply.server'
import { dailyShareMeta, posterPaths, siteUrlOf } from '~/utils/share-meta'
import { PosterButton } from '~/components/poster-button'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, pages: pagesZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? [{ title: `${data.daily.title} · ${t.site.name}` }, ...dailyShareMeta(siteUrlOf(matches), data.daily)] : []

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const date = params.date ?? ''
  if (!isCalendarDate(date)) throw new Response(t.pages.notFound.body, { status: 404 })
  const now = new Date()
  const [daily, reader, tiers] = await Promise.all([getDailyByDate(date), getKeywordReader(request, context), listTiers()])
  const live = daily ? isDailyLive(daily, now) : false
  // Drafts and future dailies exist only for staff; everyone else gets the same 404.
  if (!daily || (!live && !(reader.viewer && isStaff(reader.viewer.role)))) {
    throw new Response(t.pages.notFound.body, { status: 404 })
  }
  const [read, adjacent] = await Promise.all([readDaily(reader, daily, { now, tiers, isLive: live }), adjacentLiveDailies(date, now)])
  return { ...read, ...adjacent, comments: await presentDailyComments(daily, reader, now) }
}

/** The keyword box under the voice answers here, in place. */
export async function action({ request, params }: ActionFunctionArgs) {
  const date = params.date ?? ''
  const daily = isCalendarDate(date) ? await getDailyByDate(date) : undefined
  const formData = await request.formData()
  return keywordBoxAction(request, formData, { path: `/daily/${date}`, dailyId: daily && isDailyLive(daily, new Date()) ? daily.id : null })
}

export default function DailyPage() {
  const { daily, reading, previous, next, comments } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-2xl">
      {daily.isLive ? null : (
        <p role="status" className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t.daily.draftNotice}
        </p>
      )}
      <DailyArticle daily={daily} reading={{ ...reading, keyword: failed?.keyword }} replyTo={`/daily/${daily.date}`} />
      <PosterButton href={posterPaths.daily(daily.date)} />
      <DailyComments comments={comments} id="comments" />
      <nav aria-label={t.daily.archiveTitle} className="mt-10 grid grid-cols-2 gap-3 border-t border-stone-200 pt-6 text-sm">
        <div>
          {previous ? (
            <Link to={`/daily/${previous.date}`} className="block rounded-lg p-2 hover:bg-white">
              <span className="block text-stone-500">← {t.daily.previous}</span>
              <span className="font-medium text-stone-900">{previous.title}</span>
            </Link>
          ) : null}
        </div>
        <div className="text-right">
          {next ? (
            <Link to={`/daily/${next.date}`} className="block rounded-lg p-2 hover:bg-white">
              <span className="block text-stone-500">{t.daily.next} →</span>
              <span className="font-medium text-stone-900">{next.title}</span>
            </Link>
          ) : null}
        </div>
      </nav>
      <p className="mt-4 text-center">
        <Link to="/daily" className="text-sm text-stone-600 underline">
          {t.daily.backToArchive}
        </Link>
      </p>
    </div>
  )
}
