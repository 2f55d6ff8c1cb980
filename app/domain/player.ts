// Pure rules of the daily-voice player (app/components/player.tsx): time readouts, seeking
// bounds, speeds, and how a daily's listening position is kept in localStorage.

/** The speeds a reader can choose, slowest first. */
export const PLAYBACK_RATES = [1, 1.25, 1.5, 2] as const
export type PlaybackRate = (typeof PLAYBACK_RATES)[number]

/** How far 后退 / 前进 jump, in seconds. */
export const SKIP_SECONDS = 15

/** A position this close to the end counts as finished: the next listen starts over. */
const FINISHED_WITHIN_SECONDS = 1

/** A time in seconds as m:ss (0:07, 1:05, 61:00); anything not a finite positive number is 0:00. */
export function formatClock(seconds: number) {
  const whole = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0
  const minutes = Math.floor(whole / 60)
  const rest = whole % 60
  return `${minutes}:${String(rest).padStart(2, '0')}`
}

/** The length to show: the media's own once known, else the length stored with the daily. */
export function knownDuration(mediaDuration: number, storedMs: number | null) {
  if (Number.isFinite(mediaDuration) && mediaDuration > 0) return mediaDuration
  return storedMs && storedMs > 0 ? storedMs / 1000 : 0
}

/** A seek target kept within the track: never before 0, never past the end when the end is known. */
export function clampTime(seconds: number, duration: number) {
  const target = Number.isFinite(seconds) ? Math.max(0, seconds) : 0
  return Number.isFinite(duration) && duration > 0 ? Math.min(target, duration) : target
}

/** Where 后退 15 秒 (negative `by`) or 前进 15 秒 lands. */
export function skipTarget(current: number, by: number, duration: number) {
  return clampTime(current + by, duration)
}

/** Whether a rate is one of the offered speeds (a stored or media rate may be anything). */
export function isPlaybackRate(rate: number): rate is PlaybackRate {
  return (PLAYBACK_RATES as readonly number[]).includes(rate)
}

/** The visible speed label: 1×, 1.25×, 1.5×, 2×. */
export function formatRate(rate: number) {
  return `${rate}×`
}

/** The localStorage key of a daily's listening position; a daily's date is unique. */
export function positionKey(date: string) {
  return `zhiyin:player:position:${date}`
}

/** A position as stored: seconds with one decimal. */
export function serializePosition(seconds: number) {
  return clampTime(seconds, Number.NaN).toFixed(1)
}

/** A stored position, or null for anything that is not a finite number of seconds ≥ 0. */
export function parsePosition(raw: string | null | undefined) {
  if (raw == null || !/^\d+(\.\d+)?$/.test(raw.trim())) return null
  const seconds = Number(raw)
  return Number.isFinite(seconds) ? seconds : null
}

/**
 * Where listening resumes: the stored position, unless there is none worth resuming (the start)
 * or the daily was heard to its end (then it starts over). `duration` 0 means not yet known.
 */
export function resumePosition(saved: number | null, duration: number) {
  if (saved === null || saved <= 0) return 0
  if (duration > 0 && saved >= duration - FINISHED_WITHIN_SECONDS) return 0
  return saved
}
