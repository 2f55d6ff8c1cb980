// Display formatting shared by server and browser. Money is integer fen; times are UTC and shown
// in the site time zone. Intl formatters are costly to build, so each one is built once.

import { localDate, localDateTime } from '~/domain/time'

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  let found = cache.get(key) as T | undefined
  if (!found) {
    found = build()
    cache.set(key, found)
  }
  return found
}

/** Money, from integer fen: 「¥99」 for whole yuan, 「¥99.50」 otherwise, 「¥1,280」 with grouping. */
export function formatFen(fen: number) {
  const whole = fen % 100 === 0
  const format = memo(`fen ${whole}`, () =>
    new Intl.NumberFormat('zh-CN', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }),
  )
  return `${fen < 0 ? '-' : ''}¥${format.format(Math.abs(fen) / 100)}`
}

// ---- dates and times: one shape per kind (issue 18), always in the site time zone -----------------
// 「12月6日」, 「12月6日 周日」, 「12月6日 08:09」; the year is written only when it is not this
// year there ("this year" is `now`'s, by default the clock's: a page rendered on New Year's Eve
// and hydrated after midnight is the only one that could disagree with its server render).

/** 周日 … 周六, by getUTCDay of a calendar date. */
export const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const

type Instant = Date | string | number

/** 「12月6日」, or 「2025年12月6日」 outside this year, for a calendar date YYYY-MM-DD. */
function calendarDay(date: string, thisYear: string) {
  const [year, month, day] = date.split('-')
  return `${year === thisYear ? '' : `${year}年`}${Number(month)}月${Number(day)}日`
}

/** A day: 「12月6日」, 「2025年12月6日」 when not this year. */
export function formatDate(date: Instant, timeZone: string, now: Date = new Date()) {
  return calendarDay(localDate(new Date(date), timeZone), localDate(now, timeZone).slice(0, 4))
}

/** A day on a document kept beyond this year (a certificate): always with its year, 「2026年12月6日」. */
export function formatFullDate(date: Instant, timeZone: string) {
  return calendarDay(localDate(new Date(date), timeZone), '')
}

/** A moment: 「12月6日 08:09」, 「2025年12月6日 08:09」 when not this year. */
export function formatDateTime(date: Instant, timeZone: string, now: Date = new Date()) {
  const instant = new Date(date)
  return `${formatDate(instant, timeZone, now)} ${formatClock(instant, timeZone)}`
}

/** The time of day alone, 24-hour: 「08:09」. */
export function formatClock(date: Instant, timeZone: string) {
  return localDateTime(new Date(date), timeZone).slice(11, 16)
}

/**
 * An article's date (a daily's YYYY-MM-DD, already a date in the site time zone): 「12月6日 周日」,
 * 「2025年12月6日 周六」 when not this year. The date itself when it is not a date.
 */
export function formatArticleDate(date: string, timeZone: string, now: Date = new Date()) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return date
  const weekday = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay()
  return `${calendarDay(date, localDate(now, timeZone).slice(0, 4))} ${WEEKDAYS[weekday]}`
}

/** "68.00": money as a plain number a spreadsheet can add up (the CSV exports). */
export function fenToYuanString(fen: number) {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** "2026-11-23 14:05:09" in the time zone, the form spreadsheets read as a date and time; '' for none. */
export function formatCsvDateTime(date: Date | string | number | null, timeZone: string) {
  return date === null ? '' : localDateTime(new Date(date), timeZone)
}

/** A membership's end as people read it: the last day it covers (validUntil is exclusive). */
export function formatValidUntil(validUntil: Instant, timeZone: string, now: Date = new Date()) {
  return formatDate(new Date(new Date(validUntil).getTime() - 1), timeZone, now)
}
