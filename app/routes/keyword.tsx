import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { KeywordBox } from '~/components/daily'
import { buttonClass } from '~/components/ui'
import { todayIn } from '~/domain/daily'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { getTodayOrLatestDaily } from '~/models/daily.server'
import { getEnv } from '~/utils/env.server'
import { getKeywordReader, keywordErrorMessage, keywordReplyHeaders, replyWithKeyword } from '~/utils/keyword-reply.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.daily.keywordNotFound.title} · ${t.site.name}` }]

// The keyword reply as a link (/keyword?q=…, from WeChat or a bookmark): a match opens the
// daily for this reader and goes to it with the 打卡 message; anything else is answered here.
export async function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get('q') ?? ''
  const now = new Date()
  const result = await replyWithKeyword(await getKeywordReader(request), q, now)
  if (result.ok) return redirect(`/daily/${result.daily.date}`, { headers: await keywordReplyHeaders(result) })
  const latest = await getTodayOrLatestDaily(todayIn(getEnv().SITE_TIMEZONE, now), now)
  return data(
    { q: q.slice(0, 200), error: keywordErrorMessage(result.reason, q), todayDate: latest?.date ?? null },
    { status: result.reason === 'unknown' ? 404 : 400 },
  )
}

export default function KeywordNotFound() {
  const { q, error, todayDate } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-md space-y-6 py-6">
      <h1 className="text-2xl font-bold text-stone-900">{t.daily.keywordNotFound.title}</h1>
      <KeywordBox defaultValue={q} error={error} />
      {todayDate ? (
        <Link to={`/daily/${todayDate}`} className={buttonClass('secondary')}>
          {t.daily.keywordNotFound.todayLink}
        </Link>
      ) : null}
    </div>
  )
}
