import { describe, expect, it } from 'vitest'
import { isCalendarDate, isDailyLive, localDateTime, todayIn, voiceMinRank } from '~/domain/daily'

describe('localDateTime: a wall-clock time on a date in the site time zone', () => {
  it('06:30 in Asia/Shanghai is 22:30 UTC on the previous day', () => {
    expect(localDateTime('2026-11-24', '06:30', 'Asia/Shanghai')?.toISOString()).toBe('2026-11-23T22:30:00.000Z')
    expect(localDateTime('2027-01-01', '06:30', 'Asia/Shanghai')?.toISOString()).toBe('2026-12-31T22:30:00.000Z')
  })

  it('follows daylight saving time where the zone has it', () => {
    expect(localDateTime('2026-07-01', '06:30', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T04:30:00.000Z')
    expect(localDateTime('2026-01-15', '06:30', 'Europe/Berlin')?.toISOString()).toBe('2026-01-15T05:30:00.000Z')
  })

  it('is null for an impossible date or time', () => {
    expect(localDateTime('2026-02-30', '06:30', 'Asia/Shanghai')).toBeNull()
    expect(localDateTime('2026-11-24', '24:00', 'Asia/Shanghai')).toBeNull()
    expect(localDateTime('2026-11-24', '6:30', 'Asia/Shanghai')).toBeNull()
    expect(localDateTime('2026-11-24', '06:60', 'Asia/Shanghai')).toBeNull()
  })

  it('today in the site time zone changes at local midnight, not UTC midnight', () => {
    expect(todayIn('Asia/Shanghai', new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23')
    expect(todayIn('Asia/Shanghai', new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24')
  })
})

describe('isCalendarDate: dates in URLs and forms', () => {
  it.each(['2026-11-23', '2024-02-29', '2026-12-31', '2000-01-01'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true)
  })

  it.each(['2026-13-45', '2026-02-29', '2026-04-31', '2026-00-10', 'abc', '', '2026-1-5', '20261123', '2026-11-23T00:00', ' 2026-11-23'])(
    'refuses %j',
    (value) => {
      expect(isCalendarDate(value)).toBe(false)
    },
  )
})

describe('isDailyLive: what readers may see', () => {
  const now = new Date('2026-11-23T00:00:00Z')
  const before = new Date(now.getTime() - 1)
  const after = new Date(now.getTime() + 1)

  it('a published daily is live from its publish time on', () => {
    expect(isDailyLive({ state: 'published', publishAt: before }, now)).toBe(true)
    expect(isDailyLive({ state: 'published', publishAt: now }, now)).toBe(true)
  })

  it('a published daily whose publish time is still ahead is not live', () => {
    expect(isDailyLive({ state: 'published', publishAt: after }, now)).toBe(false)
  })

  it('drafts and scheduled dailies are never live, even when their time has passed', () => {
    expect(isDailyLive({ state: 'draft', publishAt: before }, now)).toBe(false)
    expect(isDailyLive({ state: 'scheduled', publishAt: before }, now)).toBe(false)
  })
})

describe('voiceMinRank: who hears the voice', () => {
  it('everyone, by default, whatever the article’s tier', () => {
    for (const minRank of [0, 1, 2]) expect(voiceMinRank({ voicePublic: true, minRank })).toBe(0)
  })

  it('when the editor gates it: the article’s tier, and members at least for a public article', () => {
    expect(voiceMinRank({ voicePublic: false, minRank: 2 })).toBe(2)
    expect(voiceMinRank({ voicePublic: false, minRank: 1 })).toBe(1)
    expect(voiceMinRank({ voicePublic: false, minRank: 0 })).toBe(1)
  })
})
