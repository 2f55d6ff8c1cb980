// The editor's view of the coming weeks: each day with its daily (and its state) or marked as a
// gap, so a new daily goes to a free morning without trying dates (issue 18).
import { Link } from '@remix-run/react'
import type { CalendarDay } from '~/domain/daily'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { useRootData } from '~/root'
import { formatArticleDate } from '~/utils/format'

const c = dailyZhCN.editor

const STATE_STYLE = {
  draft: 'bg-stone-100 text-stone-700',
  scheduled: 'bg-amber-100 text-amber-900',
  published: 'bg-emerald-100 text-emerald-900',
} as const

/** A phone shows the coming days only, so the editor's form stays near the top. */
const PHONE_DAYS = 8

export function DailyCalendar({ days, proposed }: { days: readonly CalendarDay[]; proposed: string | null }) {
  const gaps = days.filter((day) => day.daily === null).length
  const timeZone = useRootData()?.timeZone
  return (
    <section aria-labelledby="daily-calendar" className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
      <h2 id="daily-calendar" className="font-semibold text-stone-900">
        {c.calendarTitle}
      </h2>
      <p className="mt-1 text-sm text-stone-600">
        {c.calendarSummary(days.length, gaps)}
        <span className="sm:hidden">{c.calendarPhone(PHONE_DAYS)}</span>
      </p>
      <ol className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
        {days.map(({ date, daily }, index) => {
          const label = timeZone ? formatArticleDate(date, timeZone) : date
          return (
            <li
              key={date}
              aria-label={`${label} ${daily ? `${c.states[daily.state]}：${daily.title}` : c.gap}`}
              className={`min-w-0 rounded-xl border p-2 text-xs ${daily ? 'border-stone-200' : 'border-dashed border-amber-400 bg-amber-50'} ${date === proposed ? 'ring-2 ring-brand-500' : ''} ${index >= PHONE_DAYS ? 'max-sm:hidden' : ''}`}
            >
              <p className="font-medium text-stone-800">{label}</p>
              {daily ? (
                <>
                  <span className={`mt-1 inline-block rounded px-1.5 py-0.5 ${STATE_STYLE[daily.state]}`}>{c.states[daily.state]}</span>
                  <Link to={`/admin/posts/${daily.id}`} className="mt-1 block truncate text-stone-700 underline-offset-2 hover:underline">
                    {daily.title}
                  </Link>
                </>
              ) : (
                <p className="mt-1 text-amber-900">{date === proposed ? c.proposed : c.gap}</p>
              )}
            </li>
          )
        })}
      </ol>
    </section>
  )
}
