// The drop's waiting room (docs/decisions/031-drop-waiting-room.md): the pure rules. A place is
// live while its page keeps asking; an admitted place is live for a short while to buy. Who is
// admitted is decided in SQL (app/models/drop-line.server.ts); what a place looks like to its
// buyer, when to ask again and how long the wait may be are decided here. No server imports: the
// page's script reads the types and the timings.

/** A waiting place whose page has not asked for this long has lapsed: the buyer left. */
export const LINE_SEEN_LAPSE_MS = 15_000
/** An admitted place that has not bought within this long has lapsed and frees its slot. */
export const LINE_ADMITTED_LAPSE_MS = 30_000
/** last_seen_at is only rewritten when older than this: a poll is usually a read, not a write. */
export const LINE_TOUCH_EVERY_MS = 5_000
/** Admissions over this span measure the line's pace (the ETA). */
export const LINE_RATE_SPAN_MS = 30_000
/** How often a page near the front asks, and one further back. */
export const LINE_POLL_NEAR_MS = 1_000
export const LINE_POLL_FAR_MS = 3_000

/** Why a place in line ends before its buyer could buy: the tier is gone, or too many are ahead. */
export type LineFullReason = 'sold_out' | 'outnumbered'

/** What a buyer's page is told about their place, as codes; the page picks the words. */
export type LinePlace =
  | { state: 'waiting'; ahead: number; etaSeconds: number | null; pollMs: number }
  | { state: 'admitted' }
  | { state: 'full'; reason: LineFullReason }
  | { state: 'lapsed' }
  | { state: 'used' }
  | { state: 'closed' }

export interface LineEntryTimes {
  lastSeenAt: Date
  admittedAt: Date | null
  doneAt: Date | null
}

/** Whether a place still holds at `now`: not used, and its page still asking (or, once admitted, not yet timed out). */
export function isLivePlace(entry: LineEntryTimes, now: Date) {
  if (entry.doneAt) return false
  const at = now.getTime()
  return entry.admittedAt ? at - entry.admittedAt.getTime() < LINE_ADMITTED_LAPSE_MS : at - entry.lastSeenAt.getTime() < LINE_SEEN_LAPSE_MS
}

/**
 * Whether a waiting place should be told 已满 now rather than after its wait: its tier has no seat
 * left, or the people ahead who chose the same tier already outnumber the seats left in it (each
 * takes at most one). Null while a seat is still possible.
 */
export function lineFullReason({ seatsLeft, sameTierAhead }: { seatsLeft: number; sameTierAhead: number }): LineFullReason | null {
  if (seatsLeft <= 0) return 'sold_out'
  if (sameTierAhead >= seatsLeft) return 'outnumbered'
  return null
}

/** Seconds until this place is likely admitted at the pace measured over LINE_RATE_SPAN_MS; null with no pace yet. */
export function lineEtaSeconds({ ahead, recentAdmissions }: { ahead: number; recentAdmissions: number }) {
  if (recentAdmissions <= 0) return null
  const perSecond = recentAdmissions / (LINE_RATE_SPAN_MS / 1000)
  return Math.max(1, Math.ceil((ahead + 1) / perSecond))
}

/** When the page asks again: often near the front, where admission is close; less often further back. */
export function linePollMs({ ahead, window }: { ahead: number; window: number }) {
  return ahead < window ? LINE_POLL_NEAR_MS : LINE_POLL_FAR_MS
}

/** Whether a place at this point should be admitted: fewer than `window` ahead of it are still in play. */
export function isAdmissible({ unfinishedAhead, deciding, window }: { unfinishedAhead: number; deciding: number; window: number }) {
  return unfinishedAhead + deciding < window
}
