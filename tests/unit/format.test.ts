// The one shape per kind of date and the one money format (issue 18), in the site time zone.
import { describe, expect, it } from 'vitest'
import { formatArticleDate, formatClock, formatDate, formatDateTime, formatFen, formatFullDate, formatValidUntil } from '~/utils/format'

const SH = 'Asia/Shanghai'
/** An instant given as Shanghai wall-clock time. */
const shanghai = (local: string) => new Date(`${local}+08:00`)
const NOW = shanghai('2026-12-06T10:00:00')

describe('money', () => {
  it.each([
    [9900, '¥99'],
    [9950, '¥99.50'],
    [9905, '¥99.05'],
    [0, '¥0'],
    [1, '¥0.01'],
    [128000, '¥1,280'],
    [-4950, '-¥49.50'],
  ])('%i fen is %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text)
  })
})

describe('dates, in Asia/Shanghai', () => {
  it('a moment this year is 「12月6日 08:09」, without the year', () => {
    expect(formatDateTime(shanghai('2026-12-06T08:09:59'), SH, NOW)).toBe('12月6日 08:09')
    expect(formatDateTime(shanghai('2026-01-02T00:00:00'), SH, NOW)).toBe('1月2日 00:00')
  })

  it('a moment of another year says its year, past or future', () => {
    expect(formatDateTime(shanghai('2025-12-31T23:59:00'), SH, NOW)).toBe('2025年12月31日 23:59')
    expect(formatDateTime(shanghai('2027-01-05T10:00:00'), SH, NOW)).toBe('2027年1月5日 10:00')
  })

  it('reads the day and the year in the site time zone, not in UTC', () => {
    // 16:30 UTC on 31 December is already 1 January 00:30 in Shanghai: next year there.
    expect(formatDateTime(new Date('2026-12-31T16:30:00Z'), SH, NOW)).toBe('2027年1月1日 00:30')
    // And "this year" is Shanghai's: at 00:30 on 1 January there, a date of that day has no year.
    const newYear = new Date('2026-12-31T16:30:00Z')
    expect(formatDate(newYear, SH, newYear)).toBe('1月1日')
  })

  it('a day is 「12月6日」, with the year only outside this year', () => {
    expect(formatDate(shanghai('2026-12-06T23:59:59'), SH, NOW)).toBe('12月6日')
    expect(formatDate(shanghai('2024-02-29T12:00:00'), SH, NOW)).toBe('2024年2月29日')
    expect(formatDate('2026-03-01T00:00:00.000Z', SH, NOW)).toBe('3月1日')
  })

  it('an article date is 「12月6日 周日」', () => {
    expect(formatArticleDate('2026-12-06', SH, NOW)).toBe('12月6日 周日')
    expect(formatArticleDate('2026-12-07', SH, NOW)).toBe('12月7日 周一')
    expect(formatArticleDate('2025-12-06', SH, NOW)).toBe('2025年12月6日 周六')
    expect(formatArticleDate('not-a-date', SH, NOW)).toBe('not-a-date')
  })

  it('the time of day alone is 24-hour 「08:09」', () => {
    expect(formatClock(shanghai('2026-12-06T08:09:00'), SH)).toBe('08:09')
    expect(formatClock(shanghai('2026-12-06T23:05:00'), SH)).toBe('23:05')
  })

  it('a membership valid until the start of a day ends on the day before', () => {
    expect(formatValidUntil(shanghai('2028-01-01T00:00:00'), SH, NOW)).toBe('2027年12月31日')
    expect(formatValidUntil(shanghai('2026-12-31T00:00:00'), SH, NOW)).toBe('12月30日')
  })
})

describe('a date on a document kept beyond the year (a certificate)', () => {
  it('always carries its year, and is the site’s day, not UTC’s', () => {
    expect(formatFullDate('2026-12-05T17:30:00Z', 'Asia/Shanghai')).toBe('2026年12月6日')
    expect(formatFullDate(new Date(), 'Asia/Shanghai')).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/)
  })
})
