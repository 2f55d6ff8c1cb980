// Pure rules of the annual membership drop (issue 7). No I/O: callers pass `now`.
// The database decides what must hold under concurrency (seat holds, one seat per user); these
// functions decide what a page shows and which edits an admin may make.
import { localDateTime } from './daily'
import { localDate, zoneOffsetMs } from './time'

export type DropWindow = 'upcoming' | 'open' | 'closed'
/** What a tier of a drop shows: the drop's window, or sold out while it is open. */
export type DropTierState = DropWindow | 'sold_out'

export interface DropTimes {
  opensAt: Date
  closesAt: Date
}

export interface SeatCounts {
  capacity: number
  sold: number
  held: number
}

/** The window at `now`: upcoming before opensAt, open from opensAt (inclusive) until closesAt (exclusive). */
export function dropWindow(drop: DropTimes, now: Date): DropWindow {
  if (now.getTime() < drop.opensAt.getTime()) return 'upcoming'
  if (now.getTime() < drop.closesAt.getTime()) return 'open'
  return 'closed'
}

export function seatsAvailable(seats: SeatCounts) {
  return Math.max(0, seats.capacity - seats.sold - seats.held)
}

/** What a tier shows in a window with `available` seats left: sold out only while open. */
export function dropTierState(window: DropWindow, available: number): DropTierState {
  return window === 'open' && available === 0 ? 'sold_out' : window
}

/** Whole seconds until the drop opens (rounded up, so 0 means open), never negative. */
export function secondsToOpen(drop: Pick<DropTimes, 'opensAt'>, now: Date) {
  return Math.max(0, Math.ceil((drop.opensAt.getTime() - now.getTime()) / 1000))
}

export interface CountdownParts {
  days: number
  hours: number
  minutes: number
  seconds: number
}

/** A number of seconds as days, hours, minutes and seconds. */
export function countdownParts(totalSeconds: number): CountdownParts {
  const s = Math.max(0, Math.floor(totalSeconds))
  return { days: Math.floor(s / 86_400), hours: Math.floor((s % 86_400) / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 }
}

/**
 * How far the server's clock is ahead of this browser's, from one request: the server read its
 * clock somewhere between sending and receiving, so the midpoint is the best guess.
 */
export function clockOffsetMs({ serverNow, sentAt, receivedAt }: { serverNow: number; sentAt: number; receivedAt: number }) {
  return serverNow - (sentAt + receivedAt) / 2
}

// ---- orders -----------------------------------------------------------------------------------

/** One live seat order per user per drop: the orders table's unique index on this key decides. */
export function seatKey(dropId: number, userId: number) {
  return `${seatKeyPrefix(dropId)}${userId}`
}

/** The seat keys of a drop all start so (SQL appends the user id). */
export function seatKeyPrefix(dropId: number) {
  return `drop:${dropId}:seat:`
}

/** One live upgrade order per user per drop. */
export function upgradeKey(dropId: number, userId: number) {
  return `drop:${dropId}:upgrade:${userId}`
}

export interface UpgradeTier {
  dropTierId: number
  rank: number
  priceFen: number
}

export type UpgradeDecision =
  | { ok: true; priceFen: number }
  | { ok: false; reason: 'not_open' | 'not_higher' }

/**
 * A member of a drop may move to a higher tier of the same drop while it is open, paying the
 * difference of the two prices (seats left are decided by the hold, not here).
 */
export function decideUpgrade(drop: DropTimes, from: UpgradeTier, to: UpgradeTier, now: Date): UpgradeDecision {
  if (dropWindow(drop, now) !== 'open') return { ok: false, reason: 'not_open' }
  if (to.rank <= from.rank || to.priceFen <= from.priceFen) return { ok: false, reason: 'not_higher' }
  return { ok: true, priceFen: to.priceFen - from.priceFen }
}

// ---- waitlist ---------------------------------------------------------------------------------

/** A waitlist email is a promise of a seat for this long; after it, the seat may go to the next. */
export const WAITLIST_NOTICE_MINUTES = 30

/**
 * How many more waiting users to email: never more than the seats free now minus the notices
 * still outstanding, so nobody is promised a seat that is not there.
 */
export function waitlistNoticeCount({ available, outstanding, waiting }: { available: number; outstanding: number; waiting: number }) {
  return Math.max(0, Math.min(waiting, available - outstanding))
}

// ---- admin edits ------------------------------------------------------------------------------

export type WindowAction = 'open_now' | 'close_now' | 'extend'

/** Whether an admin's window action applies at `now` (extend: to a later closing time, in the future). */
export function canApplyWindowAction(action: WindowAction, drop: DropTimes, now: Date, newClosesAt?: Date) {
  const window = dropWindow(drop, now)
  switch (action) {
    case 'open_now':
      return window === 'upcoming'
    case 'close_now':
      return window === 'open'
    case 'extend':
      return window !== 'upcoming' && !!newClosesAt && newClosesAt > drop.closesAt && newClosesAt > now
  }
}

/** Two windows overlap when each starts before the other ends. */
export function windowsOverlap(a: DropTimes, b: DropTimes) {
  return a.opensAt < b.closesAt && b.opensAt < a.closesAt
}

// ---- site time <-> datetime-local -------------------------------------------------------------

/** A `datetime-local` value (YYYY-MM-DDTHH:MM) read as wall-clock time in the site zone, or null. */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(value)
  if (!match) return null
  return localDateTime(match[1]!, match[2]!, timeZone)
}

/** An instant as a `datetime-local` value in the site zone. */
export function toLocalDateTimeValue(instant: Date, timeZone: string) {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone))
  return shifted.toISOString().slice(0, 16)
}

/** The last calendar date (site zone) a membership valid until this instant covers. */
export function lastValidDate(validUntil: Date, timeZone: string) {
  return localDate(new Date(validUntil.getTime() - 1), timeZone)
}

/** Money typed in 元 ("200", "1200.5", "99.90") as fen; null when not such an amount. */
export function yuanToFen(value: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(value.trim())
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

/** Fen as an amount in 元 for a form field ("1200", "99.9"). */
export function fenToYuan(fen: number) {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2).replace(/0$/, '')
}

// ---- the admin's sales chart ------------------------------------------------------------------

export const MINUTE_MS = 60_000
/** The chart shows at most this many minutes (the opening rush matters most). */
export const CHART_MAX_MINUTES = 240

/**
 * The minutes the sales chart spans (starts of minutes, inclusive): from the opening minute to
 * now while open, or to the last sale after closing; capped at CHART_MAX_MINUTES — the latest
 * ones while open, the first ones afterwards. Null before opening.
 */
export function salesChartRange(drop: DropTimes, now: Date, lastSaleMinute: number | null): { from: number; to: number } | null {
  const window = dropWindow(drop, now)
  if (window === 'upcoming') return null
  const floor = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS
  const from = floor(drop.opensAt.getTime())
  const end = window === 'open' ? floor(now.getTime()) : Math.max(from, Math.min(floor(drop.closesAt.getTime() - 1), lastSaleMinute ?? from))
  const span = CHART_MAX_MINUTES - 1
  if ((end - from) / MINUTE_MS <= span) return { from, to: end }
  return window === 'open' ? { from: end - span * MINUTE_MS, to: end } : { from, to: from + span * MINUTE_MS }
}
