// The waiting room's pure rules (decision 031): when a place is live, when 已满 is told in line,
// the ETA from the measured pace, how often the page asks, and who may be admitted.
import { describe, expect, it } from 'vitest'
import {
  LINE_ADMITTED_LAPSE_MS,
  LINE_POLL_FAR_MS,
  LINE_POLL_NEAR_MS,
  LINE_SEEN_LAPSE_MS,
  isAdmissible,
  isLivePlace,
  lineEtaSeconds,
  lineFullReason,
  linePollMs,
} from '~/domain/drop-line'

const NOW = new Date('2091-01-01T00:00:00.000Z')
const ago = (ms: number) => new Date(NOW.getTime() - ms)

describe('isLivePlace', () => {
  it.each([
    ['waiting, asked just now', { lastSeenAt: ago(0), admittedAt: null, doneAt: null }, true],
    ['waiting, last asked one ms inside the lapse', { lastSeenAt: ago(LINE_SEEN_LAPSE_MS - 1), admittedAt: null, doneAt: null }, true],
    ['waiting, page closed for the whole lapse', { lastSeenAt: ago(LINE_SEEN_LAPSE_MS), admittedAt: null, doneAt: null }, false],
    ['admitted, still within its time to buy', { lastSeenAt: ago(LINE_SEEN_LAPSE_MS * 2), admittedAt: ago(LINE_ADMITTED_LAPSE_MS - 1), doneAt: null }, true],
    ['admitted, never bought', { lastSeenAt: ago(0), admittedAt: ago(LINE_ADMITTED_LAPSE_MS), doneAt: null }, false],
    ['used', { lastSeenAt: ago(0), admittedAt: ago(0), doneAt: ago(0) }, false],
  ])('%s → %s', (_, entry, live) => {
    expect(isLivePlace(entry, NOW)).toBe(live)
  })
})

describe('lineFullReason', () => {
  it.each([
    [{ seatsLeft: 0, sameTierAhead: 0 }, 'sold_out'],
    [{ seatsLeft: -1, sameTierAhead: 0 }, 'sold_out'],
    [{ seatsLeft: 3, sameTierAhead: 3 }, 'outnumbered'],
    [{ seatsLeft: 3, sameTierAhead: 2 }, null],
    [{ seatsLeft: 100, sameTierAhead: 0 }, null],
  ])('%o → %s', (input, reason) => {
    expect(lineFullReason(input)).toBe(reason)
  })
})

describe('lineEtaSeconds', () => {
  it('has no estimate before anyone was admitted, then (ahead + 1) at the measured pace, at least a second', () => {
    expect(lineEtaSeconds({ ahead: 10, recentAdmissions: 0 })).toBeNull()
    expect(lineEtaSeconds({ ahead: 0, recentAdmissions: 30 })).toBe(1)
    expect(lineEtaSeconds({ ahead: 59, recentAdmissions: 30 })).toBe(60)
    expect(lineEtaSeconds({ ahead: 0, recentAdmissions: 3000 })).toBe(1)
  })
})

describe('linePollMs and isAdmissible', () => {
  it('asks often within a window of the front, less often further back', () => {
    expect(linePollMs({ ahead: 49, window: 50 })).toBe(LINE_POLL_NEAR_MS)
    expect(linePollMs({ ahead: 50, window: 50 })).toBe(LINE_POLL_FAR_MS)
  })

  it('admits while fewer than the window are ahead or deciding', () => {
    expect(isAdmissible({ unfinishedAhead: 0, deciding: 0, window: 1 })).toBe(true)
    expect(isAdmissible({ unfinishedAhead: 1, deciding: 0, window: 1 })).toBe(false)
    expect(isAdmissible({ unfinishedAhead: 30, deciding: 19, window: 50 })).toBe(true)
    expect(isAdmissible({ unfinishedAhead: 30, deciding: 20, window: 50 })).toBe(false)
  })
})
