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
