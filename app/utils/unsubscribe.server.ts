// One-click unsubscribe links (RFC 8058): /email/unsubscribe/<userId>.<HMAC>. The signature,
// made with SESSION_SECRET, is what authorises the change; no sign-in is needed.
import { isSiteSignature, siteSignature } from './crypto.server'
import { getEnv } from './env.server'

const subjectOf = (userId: number) => `unsubscribe:${userId}`

export function unsubscribeToken(userId: number) {
  return `${userId}.${siteSignature(subjectOf(userId))}`
}

export function unsubscribeUrl(userId: number) {
  return `${getEnv().SITE_URL}/email/unsubscribe/${unsubscribeToken(userId)}`
}

/** The user id a token was made for, or null when it is malformed or forged. */
export function verifyUnsubscribeToken(token: string) {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!match) return null
  const userId = Number(match[1])
  return isSiteSignature(subjectOf(userId), match[2]!) ? userId : null
}
