// Pure rules of the daily feed. Callers pass `now` and the site time zone.
import type { Access } from './access'
import { localDate, startOfDateIn } from './time'

/** What a viewer receives of a daily (built by presentDaily, shown by DailyArticle). */
export interface DailyView {
  id: number
  date: string
  title: string
  teaser: string
  minRank: number
  tierName: string | null
  /** Whether the viewer's tier lets them read the article (the one rule, checkAccess). */
  access: Access
  /** Whether the viewer has replied with this daily's keyword (staff need not). */
  unlocked: boolean
  /** The article: only with both the keyword and the tier. The keyword itself is never sent. */
  bodyHtml: string | null
  /** Whether the viewer may hear the voice (everyone, unless the editor gated it). */
  voiceAccess: Access
  /** The voice and what it says, when voiceAccess is granted. */
  audio: { url: string; durationMs: number | null } | null
  transcript: string | null
  coverUrl: string | null
  isLive: boolean
}

/** The rank the voice needs: none when public, else the article's (members at least). */
export function voiceMinRank(daily: { voicePublic: boolean; minRank: number }) {
  return daily.voicePublic ? 0 : Math.max(daily.minRank, 1)
}

/** Today's calendar date (YYYY-MM-DD) in the site time zone. */
export function todayIn(timeZone: string, now: Date) {
  return localDate(now, timeZone)
}

export const DEFAULT_PUBLISH_TIME = '06:30'

/** How many days ahead the editor's calendar shows, from tomorrow: four weeks. */
export const EDITOR_CALENDAR_DAYS = 28

export interface CalendarDaily {
  id: number
  date: string
  title: string
  state: 'draft' | 'scheduled' | 'published'
}

/** One day of the editor's calendar: its daily, or a gap (null) to fill. */
export interface CalendarDay {
  date: string
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  daily: CalendarDaily | null
}

/**
 * The coming days from `from` (a YYYY-MM-DD date), each with the daily written for it, if any;
 * and the first of them still free, the date a new daily is proposed for (null when all are
 * taken: the editor picks one).
 */
export function editorCalendar(from: string, dailies: readonly CalendarDaily[], days = EDITOR_CALENDAR_DAYS) {
  const byDate = new Map(dailies.map((daily) => [daily.date, daily]))
  const start = Date.parse(`${from}T00:00:00Z`)
  const calendar: CalendarDay[] = Array.from({ length: days }, (_, i) => {
    const day = new Date(start + i * 86_400_000)
    const date = day.toISOString().slice(0, 10)
    return { date, weekday: day.getUTCDay(), daily: byDate.get(date) ?? null }
  })
  return { calendar, firstFree: calendar.find((day) => day.daily === null)?.date ?? null }
}

/** The instant of a local wall-clock time (HH:MM) on a date in the site time zone, or null. */
export function localDateTime(date: string, time: string, timeZone: string): Date | null {
  const start = startOfDateIn(date, timeZone)
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time)
  if (!start || !match) return null
  return new Date(start.getTime() + (Number(match[1]) * 60 + Number(match[2])) * 60_000)
}

/** A daily is visible to readers once published and its publish time has come. */
export function isDailyLive(daily: { state: string; publishAt: Date }, now: Date) {
  return daily.state === 'published' && daily.publishAt <= now
}

/** Valid YYYY-MM-DD calendar date (for URLs and forms). */
export function isCalendarDate(value: string) {
  return startOfDateIn(value, 'UTC') !== null
}
