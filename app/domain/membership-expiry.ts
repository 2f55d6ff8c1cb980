// When a reader hears that their membership ends (issue 13): 30 and 7 days before its last day,
// counted in calendar days of the site time zone. Pure; the job in membership-expiry.server.ts
// finds the memberships.
import { localDate } from './time'

export const EXPIRY_NOTICE_DAYS = [30, 7] as const
export type ExpiryNotice = (typeof EXPIRY_NOTICE_DAYS)[number]

/** The membership's last day (validUntil is the instant it ends, the start of the next day). */
export function lastDayOf(validUntil: Date, timeZone: string) {
  return localDate(new Date(validUntil.getTime() - 1), timeZone)
}

/** Whole calendar days from today to the membership's last day, in the site time zone. */
export function daysLeft(validUntil: Date, now: Date, timeZone: string) {
  const today = Date.parse(localDate(now, timeZone))
  return Math.round((Date.parse(lastDayOf(validUntil, timeZone)) - today) / 86_400_000)
}

/**
 * The notice due now, or null: the 7-day one in the last week, the 30-day one before it. A
 * membership first seen inside the last week gets only the 7-day notice.
 */
export function dueExpiryNotice(validUntil: Date, now: Date, timeZone: string): ExpiryNotice | null {
  if (validUntil <= now) return null
  const days = daysLeft(validUntil, now, timeZone)
  if (days <= 7) return 7
  if (days <= 30) return 30
  return null
}

/** The notification key of one notice: one per membership and stage, whichever process sends it. */
export const expiryNoticeKey = (membershipId: number, notice: ExpiryNotice) => `membership:${membershipId}:${notice}`
