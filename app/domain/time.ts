// Pure time helpers for the site time zone. Callers pass the zone; nothing reads a clock.

/** The wall-clock fields of an instant in a time zone, as numbers. */
function wallClock(instant: Date, timeZone: string) {
  const parts = formatter('parts', timeZone, () => ({
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
}

/** The offset of a time zone from UTC at an instant, in milliseconds (e.g. +8 h for Shanghai). */
export function zoneOffsetMs(instant: Date, timeZone: string) {
  const { year, month, day, hour, minute, second } = wallClock(instant, timeZone)
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second)
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000
}

/** "YYYY-MM-DD HH:MM:SS" of an instant in a time zone (the form spreadsheets read as a date and time). */
export function localDateTime(instant: Date, timeZone: string) {
  const { year, month, day, hour, minute, second } = wallClock(instant, timeZone)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)}:${two(second)}`
}

/** The instant when a calendar date (YYYY-MM-DD) begins in a time zone, or null if invalid. */
export function startOfDateIn(date: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const naive = Date.UTC(year, month - 1, day)
  const check = new Date(naive)
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  // Two passes settle the offset on days when it changes (daylight saving zones). Where the
  // clocks skip midnight, the second pass lands on the previous day: the first one is right.
  const first = new Date(naive - zoneOffsetMs(new Date(naive), timeZone))
  const second = new Date(naive - zoneOffsetMs(first, timeZone))
  return localDate(second, timeZone) === date ? second : first
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string) {
  return formatter('date', timeZone, () => ({ timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant)
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and shape.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(shape: 'parts' | 'date', timeZone: string, options: () => Intl.DateTimeFormatOptions) {
  const key = `${shape} ${timeZone}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(shape === 'date' ? 'en-CA' : 'en-US', options())
    formatters.set(key, found)
  }
  return found
}

/** The calendar date `days` after (before, when negative) `date`, YYYY-MM-DD; null if invalid. */
export function addDays(date: string, days: number) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return null
  const moved = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days))
  return moved.toISOString().slice(0, 10)
}

/**
 * "Valid until <date>" counts that whole day: the membership ends when the next day begins in
 * the site time zone. Null for an invalid date.
 */
export function endOfValidityDate(date: string, timeZone: string) {
  if (!startOfDateIn(date, timeZone)) return null
  const next = addDays(date, 1)
  return next ? startOfDateIn(next, timeZone) : null
}

