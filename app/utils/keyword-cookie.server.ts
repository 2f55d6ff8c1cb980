// A visitor's keyword replies, remembered in a signed cookie (docs/decisions/017-keyword-ritual.md)
// until they sign in, when the account takes them over.
import { adoptRememberedUnlocks, type RememberedUnlock } from '~/models/keyword.server'
import { signedCookie } from './signed-cookie.server'

/** A cookie holds this many replies, newest first (about 2 KB signed). */
const REMEMBERED_MAX = 90

const unlocksCookie = signedCookie('zhiyin_keys', { maxAgeSeconds: 400 * 24 * 3600 })

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The replies a visitor's cookie remembers; a forged, altered or malformed cookie is ignored. */
export async function readRememberedUnlocks(request: Request): Promise<RememberedUnlock[]> {
  const value: unknown = await unlocksCookie().parse(request.headers.get('Cookie'))
  if (!Array.isArray(value)) return []
  const unlocks: RememberedUnlock[] = []
  for (const entry of value.slice(0, REMEMBERED_MAX)) {
    if (!Array.isArray(entry) || entry.length !== 3) return []
    const [dailyId, day, checkin] = entry as unknown[]
    if (typeof dailyId !== 'number' || !Number.isSafeInteger(dailyId) || dailyId <= 0) return []
    if (typeof day !== 'string' || !DAY.test(day) || (checkin !== 0 && checkin !== 1)) return []
    unlocks.push({ dailyId, day, checkin: checkin === 1 })
  }
  return unlocks
}

export function rememberedCookie(unlocks: readonly RememberedUnlock[]) {
  return unlocksCookie().serialize(unlocks.slice(0, REMEMBERED_MAX).map((u) => [u.dailyId, u.day, u.checkin ? 1 : 0]))
}

/** The Set-Cookie that forgets a visitor's replies (once an account holds them). */
function forgetRememberedCookie() {
  return unlocksCookie().serialize([], { maxAge: 0 })
}

/**
 * After signing in: the replies this browser gave as a visitor move into the account, so the
 * days already 打卡'd count there. Returns the Set-Cookie that clears them, or null.
 */
export async function carryRememberedUnlocks(request: Request, userId: number) {
  const unlocks = await readRememberedUnlocks(request)
  if (unlocks.length === 0) return null
  await adoptRememberedUnlocks(userId, unlocks)
  return forgetRememberedCookie()
}
