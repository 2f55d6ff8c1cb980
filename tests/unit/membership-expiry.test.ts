import { describe, expect, it } from 'vitest'
import { daysLeft, dueExpiryNotice, lastDayOf } from '~/domain/membership-expiry'
import { endOfValidityDate } from '~/domain/time'

const ZONE = 'Asia/Shanghai'
// Valid until 2027-02-01 inclusive: it ends at 2027-02-02 00:00 in Shanghai (2027-02-01 16:00 UTC).
const ENDS = endOfValidityDate('2027-02-01', ZONE)!

describe('membership expiry notices, in calendar days of the site time zone', () => {
  it('the last day is the day before the instant it ends', () => {
    expect(lastDayOf(ENDS, ZONE)).toBe('2027-02-01')
  })

  it.each([
    ['2026-12-01T00:00:00Z', 62, null],
    ['2027-01-01T15:59:59Z', 31, null], // 23:59:59 on 1 January in Shanghai
    ['2027-01-01T16:00:00Z', 30, 30], // midnight of 2 January in Shanghai; still 1 January in UTC
    ['2027-01-25T15:59:59Z', 7, 7],
    ['2027-01-24T15:59:59Z', 8, 30], // 23:59:59 on 24 January in Shanghai
    ['2027-01-24T16:00:00Z', 7, 7],
    ['2027-02-01T15:59:59Z', 0, 7],
    ['2027-02-01T16:00:00Z', -1, null], // ended
  ] as const)('at %s: %i days left, notice %s', (at, days, notice) => {
    const now = new Date(at)
    expect(daysLeft(ENDS, now, ZONE)).toBe(days)
    expect(dueExpiryNotice(ENDS, now, ZONE)).toBe(notice)
  })
})
