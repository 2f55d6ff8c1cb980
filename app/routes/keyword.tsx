import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { KeywordBox } from '~/components/daily'
import { buttonClass } from '~/components/ui'
import { checkAccess } from '~/domain/access'
import { todayIn } from '~/domain/daily'
import { t } from '~/i18n/zh-CN'
import { findLiveDailyByKeyword, getTodayOrLatestDaily, recordKeywordUnlock } from '~/models/daily.server'
import { getUser, getViewer } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'

export const meta: MetaFunction = () => [{ title: `${t.daily.keywordNotFound.title} · ${t.site.name}` }]

// The keyword reply on the web: a match goes straight to the article (302), and a signed-in
// reader's reply counts toward their streak.
export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 40)
  const now = new Date()
  const today = todayIn(getEnv().SITE_TIMEZONE, now)
  if (q.trim()) {
    const daily = await findLiveDailyByKeyword(q, now)
    if (daily) {
      // The streak counts replies that got the reader the article, not locked ones.
      const [user, viewer] = await Promise.all([getUser(request), getViewer(request)])
      if (user && checkAccess({ minRank: daily.minRank }, viewer, now).granted) {
        await recordKeywordUnlock({ userId: user.id, dailyId: daily.id, day: today })
      }
      return redirect(`/daily/${daily.date}`)
    }
  }
  const latest = await getTodayOrLatestDaily(today, now)
  return data(
    { q, empty: !q.trim(), todayDate: latest?.date ?? null },
    { status: q.trim() ? 404 : 400 },
  )
}

export default function KeywordNotFound() {
  const { q, empty, todayDate } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-md space-y-6 py-6">
      <h1 className="text-2xl font-bold text-stone-900">{t.daily.keywordNotFound.title}</h1>
      {empty ? null : <p className="text-stone-600">{t.daily.keywordNotFound.body(q)}</p>}
      <KeywordBox defaultValue={q} error={empty ? t.daily.keywordNotFound.empty : undefined} />
      {todayDate ? (
        <Link to={`/daily/${todayDate}`} className={buttonClass('secondary')}>
          {t.daily.keywordNotFound.todayLink}
        </Link>
      ) : null}
    </div>
  )
}
