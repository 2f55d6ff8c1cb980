// Pure rules of the daily feed. Callers pass `now` and the site time zone.
import type { Access } from './access'
import { addDays, localDate, startOfDateIn } from './time'

/** What a viewer receives of a daily (built by presentDaily, shown by DailyArticle). */
export interface DailyView {
  id: number
  date: string
  title: string
  teaser: string
  minRank: number
  tierName: string | null
  access: Access
  /** The keyword, the body and the audio only when access is granted. */
  keyword: string | null
  bodyHtml: string | null
  audio: { url: string; durationMs: number | null } | null
  coverUrl: string | null
  isLive: boolean
}

/** Today's calendar date (YYYY-MM-DD) in the site time zone. */
export function todayIn(timeZone: string, now: Date) {
  return localDate(now, timeZone)
}

export const DEFAULT_PUBLISH_TIME = '06:30'

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

/**
 * Consecutive days with a keyword reply, counting back from today (or from yesterday when
 * today has none yet, so the streak is not lost before the morning's reply).
 */
export function keywordStreak(days: readonly string[], today: string) {
  const set = new Set(days)
  let day: string | null = set.has(today) ? today : addDays(today, -1)
  let streak = 0
  while (day !== null && set.has(day)) {
    streak++
    day = addDays(day, -1)
  }
  return streak
}
