import { describe, expect, it } from 'vitest'
import { startOfDateIn, zoneOffsetMs } from '~/domain/time'

const HOUR_MS = 60 * 60 * 1000

describe('startOfDateIn', () => {
  it('2028-01-01 in Asia/Shanghai begins at 2027-12-31T16:00:00Z', () => {
    expect(startOfDateIn('2028-01-01', 'Asia/Shanghai')?.toISOString()).toBe('2027-12-31T16:00:00.000Z')
  })

  it('a date in UTC begins at midnight UTC', () => {
    expect(startOfDateIn('2027-06-15', 'UTC')?.toISOString()).toBe('2027-06-15T00:00:00.000Z')
  })

  it.each(['2027-02-30', '2027-13-01', '2027-00-10', '2027-1-01', 'abc', '', '2027-06-15T00:00'])(
    '%j is not a date → null',
    (date) => {
      expect(startOfDateIn(date, 'Asia/Shanghai')).toBeNull()
    },
  )

  it('accepts 29 February only in a leap year', () => {
    expect(startOfDateIn('2028-02-29', 'Asia/Shanghai')?.toISOString()).toBe('2028-02-28T16:00:00.000Z')
    expect(startOfDateIn('2027-02-29', 'Asia/Shanghai')).toBeNull()
  })

  it.each([
    ['2027-01-15', '2027-01-15T05:00:00.000Z', 'winter (EST)'],
    ['2027-07-01', '2027-07-01T04:00:00.000Z', 'summer (EDT)'],
    ['2027-03-14', '2027-03-14T05:00:00.000Z', 'the day daylight saving starts'],
    ['2027-11-07', '2027-11-07T04:00:00.000Z', 'the day daylight saving ends'],
    ['2027-03-15', '2027-03-15T04:00:00.000Z', 'the day after daylight saving starts'],
  ])('%s in America/New_York begins at %s — %s', (date, expected) => {
    expect(startOfDateIn(date, 'America/New_York')?.toISOString()).toBe(expected)
  })
})

const dateFormats = new Map<string, Intl.DateTimeFormat>()
/** The calendar date (YYYY-MM-DD) of an instant in a zone, by Intl alone. */
function localDate(instant: Date, timeZone: string) {
  let format = dateFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormats.set(timeZone, format)
  }
  return format.format(instant)
}

describe('startOfDateIn returns the first instant of that local date', () => {
  // Santiago and Havana move their clocks forward at midnight: 00:00 does not exist on those
  // days, and the date begins at 01:00 local time.
  it.each([
    ['America/Santiago', '2027-09-05', '2027-09-05T04:00:00.000Z'],
    ['America/Havana', '2027-03-14', '2027-03-14T05:00:00.000Z'],
  ])('in %s, %s (midnight skipped by daylight saving) begins at %s, not on the day before', (zone, date, expected) => {
    const start = startOfDateIn(date, zone)
    expect(start && localDate(start, zone)).toBe(date)
    expect(start?.toISOString()).toBe(expected)
  })

  it('for every day of 2027 in zones with and without daylight saving', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Santiago', 'America/Havana']
    const wrong: string[] = []
    for (const zone of zones) {
      for (let day = Date.UTC(2027, 0, 1); day < Date.UTC(2028, 0, 1); day += 24 * HOUR_MS) {
        const date = new Date(day).toISOString().slice(0, 10)
        const start = startOfDateIn(date, zone)
        const ok = start !== null && localDate(start, zone) === date && localDate(new Date(start.getTime() - 1), zone) < date
        if (!ok) wrong.push(`${zone} ${date} → ${start?.toISOString()}`)
      }
    }
    expect(wrong).toEqual([])
  })
})

describe('zoneOffsetMs', () => {
  it('is +8 h for Shanghai all year', () => {
    expect(zoneOffsetMs(new Date('2027-01-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * HOUR_MS)
    expect(zoneOffsetMs(new Date('2027-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * HOUR_MS)
  })

  it('is +5:30 for Kolkata', () => {
    expect(zoneOffsetMs(new Date('2027-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR_MS)
  })

  it('switches from -5 h to -4 h in New York at 2:00 local on 14 March 2027', () => {
    expect(zoneOffsetMs(new Date('2027-03-14T06:59:59Z'), 'America/New_York')).toBe(-5 * HOUR_MS)
    expect(zoneOffsetMs(new Date('2027-03-14T07:00:00Z'), 'America/New_York')).toBe(-4 * HOUR_MS)
  })

  it('is a whole offset when the instant has milliseconds', () => {
    expect(zoneOffsetMs(new Date('2027-07-01T12:34:56.789Z'), 'America/New_York')).toBe(-4 * HOUR_MS)
  })
})
