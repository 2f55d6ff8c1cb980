import { describe, expect, it } from 'vitest'
import {
  PLAYBACK_RATES,
  clampTime,
  formatClock,
  formatRate,
  isPlaybackRate,
  knownDuration,
  parsePosition,
  positionKey,
  resumePosition,
  serializePosition,
  skipTarget,
} from '~/domain/player'

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [7.9, '0:07'],
    [12, '0:12'],
    [58.4, '0:58'],
    [65, '1:05'],
    [3660, '61:00'],
  ])('%j seconds read %s', (seconds, text) => {
    expect(formatClock(seconds)).toBe(text)
  })

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -3])('%j (an unknown or negative time) reads 0:00', (seconds) => {
    expect(formatClock(seconds)).toBe('0:00')
  })
})

describe('knownDuration', () => {
  it("prefers the media's own length once the browser knows it", () => {
    expect(knownDuration(41.2, 58_000)).toBe(41.2)
  })

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 0])('falls back to the stored length while the media says %j', (media) => {
    expect(knownDuration(media, 58_000)).toBe(58)
  })

  it('is 0 when neither is known', () => {
    expect(knownDuration(Number.NaN, null)).toBe(0)
  })
})

describe('seeking stays within the track', () => {
  it('后退 15 秒 from 0:10 lands on 0:00, not before', () => {
    expect(skipTarget(10, -15, 58)).toBe(0)
  })

  it('前进 15 秒 from 0:50 of 0:58 lands on the end', () => {
    expect(skipTarget(50, 15, 58)).toBe(58)
  })

  it('前进 15 秒 in the middle moves 15 seconds', () => {
    expect(skipTarget(20, 15, 58)).toBe(35)
  })

  it('with the end not yet known, only the start bounds a seek', () => {
    expect(clampTime(500, Number.NaN)).toBe(500)
    expect(clampTime(-1, 0)).toBe(0)
  })

  it('a target that is not a number goes to the start', () => {
    expect(clampTime(Number.NaN, 58)).toBe(0)
  })
})

describe('speeds', () => {
  it('offers 1×, 1.25×, 1.5× and 2×', () => {
    expect(PLAYBACK_RATES.map(formatRate)).toEqual(['1×', '1.25×', '1.5×', '2×'])
  })

  it.each([
    [1.5, true],
    [2, true],
    [0.5, false],
    [3, false],
  ])('%j is an offered speed: %j', (rate, offered) => {
    expect(isPlaybackRate(rate)).toBe(offered)
  })
})

describe('the stored listening position', () => {
  it('is kept per daily, under a key named by its date', () => {
    expect(positionKey('2026-12-06')).toBe('zhiyin:player:position:2026-12-06')
    expect(positionKey('2026-12-05')).not.toBe(positionKey('2026-12-06'))
  })

  it('round-trips with a tenth of a second', () => {
    expect(parsePosition(serializePosition(12.345))).toBe(12.3)
    expect(serializePosition(-4)).toBe('0.0')
  })

  it.each([null, undefined, '', 'abc', '-3', 'NaN', 'Infinity', '1e400', '12s', '{"t":3}'])('%j is no position', (raw) => {
    expect(parsePosition(raw)).toBeNull()
  })

  it('resumes where the reader left off', () => {
    expect(resumePosition(23.5, 58)).toBe(23.5)
  })

  it('resumes a position even before the length is known', () => {
    expect(resumePosition(23.5, 0)).toBe(23.5)
  })

  it('starts over once the daily was heard to its end (or nearly)', () => {
    expect(resumePosition(57.5, 58)).toBe(0)
    expect(resumePosition(58, 58)).toBe(0)
  })

  it('starts at the beginning with nothing stored', () => {
    expect(resumePosition(null, 58)).toBe(0)
  })
})
