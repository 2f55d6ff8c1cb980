// The keyword ritual's pure rules (docs/decisions/017-keyword-ritual.md): what a reply is
// matched on, what counts as a reply at all, and the 打卡 streak a reader's days make.
import { addDays } from './time'

/** Longer than any keyword an editor may set: a reply past this is refused, not searched. */
export const KEYWORD_REPLY_MAX_LENGTH = 40

// Punctuation a reader types around a keyword: 「费曼」, 费曼！, "feiman." and the like.
const SURROUNDING_PUNCTUATION = /^[\p{P}\s]+|[\p{P}\s]+$/gu

/**
 * The form a keyword and a reply are compared in: Unicode NFKC (full-width ＡＢＣ and ！ fold to
 * their plain forms), invisible characters dropped, surrounding whitespace and punctuation
 * removed, inner runs of whitespace collapsed, case-folded. Works for Chinese and Latin alike.
 */
export function normalizeKeyword(input: string) {
  return input
    .normalize('NFKC')
    // Zero-width spaces, direction marks, BOMs: pasted along from chats and documents, unseen.
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(SURROUNDING_PUNCTUATION, '')
    .replace(/\s+/gu, ' ')
    .toLocaleLowerCase('und')
}

export type KeywordReply = { ok: true; key: string } | { ok: false; reason: 'empty' | 'too_long' }

/** A reply as typed (web box, /keyword?q=, WeChat): refused when empty or too long to be a keyword. */
export function parseKeywordReply(input: string): KeywordReply {
  if (input.length > KEYWORD_REPLY_MAX_LENGTH) return { ok: false, reason: 'too_long' }
  const key = normalizeKeyword(input)
  if (!key) return { ok: false, reason: 'empty' }
  return { ok: true, key }
}

/** A reader's 打卡 record: the current run of consecutive days, the longest run, all days. */
export interface CheckinStats {
  /** Consecutive days up to today, or up to yesterday while today has none yet. */
  current: number
  longest: number
  total: number
  checkedInToday: boolean
}

/**
 * The 打卡 figures from the local days (YYYY-MM-DD, site time zone) on which a reader answered
 * that day's keyword. A streak survives until today is over: on a morning before the reply,
 * yesterday's run still stands.
 */
export function checkinStats(days: readonly string[], today: string): CheckinStats {
  const set = new Set(days.filter((day) => day <= today))
  const sorted = [...set].sort()
  let longest = 0
  let run = 0
  let previous: string | null = null
  for (const day of sorted) {
    run = previous !== null && addDays(previous, 1) === day ? run + 1 : 1
    longest = Math.max(longest, run)
    previous = day
  }
  let current = 0
  let day: string | null = set.has(today) ? today : addDays(today, -1)
  while (day !== null && set.has(day)) {
    current++
    day = addDays(day, -1)
  }
  return { current, longest, total: set.size, checkedInToday: set.has(today) }
}
