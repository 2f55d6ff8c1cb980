// The keyword reply on the web (docs/decisions/017-keyword-ritual.md): the box under a daily's
// voice, and /keyword?q=. A reply that names a live daily opens its article for this reader —
// remembered in their account, or for a visitor in a signed cookie — and a first reply on the
// daily's own date is that day's 打卡.
import { data, type AppLoadContext } from '@remix-run/node'
import type { Daily } from '../../db/schema'
import { isStaff, type Viewer } from '~/domain/access'
import { todayIn } from '~/domain/daily'
import { checkinStats, parseKeywordReply, type CheckinStats } from '~/domain/keyword'
import { t } from '~/i18n/zh-CN'
import { checkinDays, findLiveDailyByKey, hasUnlocked, recordKeywordUnlock, type RememberedUnlock } from '~/models/keyword.server'
import { getAuth } from './auth.server'
import { getEnv } from './env.server'
import { flashHeader, redirectWithFlash, type Flash } from './flash.server'
import { readRememberedUnlocks, rememberedCookie } from './keyword-cookie.server'

// ---- who is reading -------------------------------------------------------------------------

/** A reader of dailies: the gating viewer, and where their keyword replies are kept. */
export interface KeywordReader {
  viewer: Viewer
  userId: number | null
  /** A visitor's replies from their cookie (empty for a signed-in reader). */
  remembered: RememberedUnlock[]
}

export async function getKeywordReader(request: Request, context?: AppLoadContext): Promise<KeywordReader> {
  const auth = await getAuth(request, context)
  if (auth) return { viewer: { role: auth.user.role, memberships: auth.memberships }, userId: auth.user.id, remembered: [] }
  return { viewer: null, userId: null, remembered: await readRememberedUnlocks(request) }
}

/** Whether this reader has opened the daily with its keyword; staff read every daily. */
export async function hasOpened(reader: KeywordReader, dailyId: number) {
  if (reader.viewer && isStaff(reader.viewer.role)) return true
  if (reader.userId !== null) return hasUnlocked({ userId: reader.userId, dailyId })
  return reader.remembered.some((u) => u.dailyId === dailyId)
}

/** The reader's 打卡 figures (a visitor's from their cookie). */
export async function readerCheckins(reader: KeywordReader, today: string): Promise<CheckinStats> {
  const days = reader.userId !== null ? await checkinDays(reader.userId) : reader.remembered.filter((u) => u.checkin).map((u) => u.day)
  return checkinStats(days, today)
}

// ---- the reply --------------------------------------------------------------------------------

export type KeywordReplyResult =
  | { ok: false; reason: 'empty' | 'too_long' | 'unknown' }
  | {
      ok: true
      daily: Daily
      /** `new`: this reply is today's 打卡; `repeat`: today's was already counted; `none`: an older daily. */
      checkin: 'new' | 'repeat' | 'none'
      stats: CheckinStats
      /** A visitor's updated cookie. */
      setCookie: string | null
    }

/**
 * Answers a reply: finds the live daily it names and opens it for this reader, whether or not
 * their tier lets them read it (the 打卡 counts either way; the page then gives the reason).
 */
export async function replyWithKeyword(reader: KeywordReader, input: string, now = new Date()): Promise<KeywordReplyResult> {
  const reply = parseKeywordReply(input)
  if (!reply.ok) return reply
  const daily = await findLiveDailyByKey(reply.key, now)
  if (!daily) return { ok: false, reason: 'unknown' }
  const today = todayIn(getEnv().SITE_TIMEZONE, now)
  const onItsDay = daily.date === today
  let first: boolean
  let setCookie: string | null = null
  if (reader.userId !== null) {
    ;({ first } = await recordKeywordUnlock({ userId: reader.userId, daily, day: today }))
  } else {
    // As for a member: a reply before the daily's date gives way to the first on its date.
    const earlier = reader.remembered.find((u) => u.dailyId === daily.id)
    first = !earlier || (onItsDay && !earlier.checkin)
    if (first) {
      const others = reader.remembered.filter((u) => u.dailyId !== daily.id)
      reader = { ...reader, remembered: [{ dailyId: daily.id, day: today, checkin: onItsDay }, ...others] }
      setCookie = await rememberedCookie(reader.remembered)
    }
  }
  const checkin = !onItsDay ? 'none' : first ? 'new' : 'repeat'
  return { ok: true, daily, checkin, stats: await readerCheckins(reader, today), setCookie }
}

/** The words a reply's result is told in. */
export function keywordReplyFlash(result: Extract<KeywordReplyResult, { ok: true }>, onPageOf: number | null): Flash {
  if (result.checkin === 'new') return { kind: 'success', message: t.daily.checkin.done(result.stats.current) }
  if (result.checkin === 'repeat') return { kind: 'info', message: t.daily.checkin.already(result.stats.current) }
  if (onPageOf === result.daily.id) return { kind: 'info', message: t.daily.checkin.oldDaily }
  const [, month, day] = result.daily.date.split('-').map(Number)
  return { kind: 'info', message: t.daily.checkin.otherDay(month!, day!) }
}

export function keywordErrorMessage(reason: 'empty' | 'too_long' | 'unknown', q: string) {
  return reason === 'unknown' ? t.daily.keywordErrors.unknown(q.trim()) : t.daily.keywordErrors[reason]
}

/** What the keyword box of a page shows after a failed reply: the attempt and why. */
export interface KeywordBoxState {
  q: string
  error: string
}

/**
 * The keyword box's action on a page showing a daily (home, /daily/:date): a reply that opens
 * this page's daily comes back here, one that opens another day goes there; a failed one stays
 * in place with the attempt in the box (400 for no keyword, 404 for an unknown one).
 */
export async function keywordBoxAction(request: Request, formData: FormData, here: { path: string; dailyId: number | null }) {
  const raw = formData.get('q')
  const q = typeof raw === 'string' ? raw : ''
  const reader = await getKeywordReader(request)
  const result = await replyWithKeyword(reader, q)
  if (!result.ok) {
    return data<{ keyword: KeywordBoxState }>(
      { keyword: { q: q.slice(0, 200), error: keywordErrorMessage(result.reason, q) } },
      { status: result.reason === 'unknown' ? 404 : 400 },
    )
  }
  const to = result.daily.id === here.dailyId ? here.path : `/daily/${result.daily.date}`
  const headers = new Headers()
  if (result.setCookie) headers.append('Set-Cookie', result.setCookie)
  return redirectWithFlash(to, keywordReplyFlash(result, here.dailyId), { headers })
}

/** Set-Cookie values for a successful reply answered with a redirect elsewhere (/keyword). */
export async function keywordReplyHeaders(result: Extract<KeywordReplyResult, { ok: true }>) {
  const headers = new Headers()
  if (result.setCookie) headers.append('Set-Cookie', result.setCookie)
  headers.append('Set-Cookie', await flashHeader(keywordReplyFlash(result, null)))
  return headers
}
