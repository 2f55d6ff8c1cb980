// Display formatting shared by server and browser. Money is integer fen; times are UTC and shown
// in the site time zone.

export function formatFen(fen: number) {
  const yuan = fen / 100
  return `¥${yuan.toLocaleString('zh-CN', { minimumFractionDigits: fen % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 })}`
}

export function formatDate(date: Date | string | number, timeZone: string) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(date))
}

export function formatDateTime(date: Date | string | number, timeZone: string) {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(date))
}

/** A membership's end as people read it: the last day it covers (validUntil is exclusive). */
export function formatValidUntil(validUntil: Date | string | number, timeZone: string) {
  return formatDate(new Date(new Date(validUntil).getTime() - 1), timeZone)
}
