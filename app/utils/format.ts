// Display formatting shared by server and browser. Money is integer fen; times are UTC and shown
// in the site time zone. Intl formatters are costly to build, so each one is built once.

import { localDateTime } from '~/domain/time'

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  let found = cache.get(key) as T | undefined
  if (!found) {
    found = build()
    cache.set(key, found)
  }
  return found
}

export function formatFen(fen: number) {
  const whole = fen % 100 === 0
  const format = memo(`fen ${whole}`, () =>
    new Intl.NumberFormat('zh-CN', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }),
  )
  return `¥${format.format(fen / 100)}`
}

export function formatDate(date: Date | string | number, timeZone: string) {
  const format = memo(`date ${timeZone}`, () => new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }))
  return format.format(new Date(date))
}

export function formatDateTime(date: Date | string | number, timeZone: string) {
  const format = memo(
    `datetime ${timeZone}`,
    () =>
      new Intl.DateTimeFormat('zh-CN', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }),
  )
  return format.format(new Date(date))
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
export function formatValidUntil(validUntil: Date | string | number, timeZone: string) {
  return formatDate(new Date(new Date(validUntil).getTime() - 1), timeZone)
}
