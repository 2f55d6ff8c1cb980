// One-click unsubscribe links (RFC 8058): /email/unsubscribe/<userId>.<HMAC>. The signature,
// made with SESSION_SECRET, is what authorises the change; no sign-in is needed.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { getEnv } from './env.server'

function sign(userId: number) {
  return createHmac('sha256', getEnv().SESSION_SECRET).update(`unsubscribe:${userId}`).digest('base64url')
}

export function unsubscribeToken(userId: number) {
  return `${userId}.${sign(userId)}`
}

export function unsubscribeUrl(userId: number) {
  return `${getEnv().SITE_URL}/email/unsubscribe/${unsubscribeToken(userId)}`
}

/** The user id a token was made for, or null when it is malformed or forged. */
export function verifyUnsubscribeToken(token: string) {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!match) return null
  const userId = Number(match[1])
  const expected = Buffer.from(sign(userId))
  const given = Buffer.from(match[2]!)
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : null
}
