import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { getEnv } from './env.server'

/** A random, URL-safe secret with 160 bits of entropy (Lucia's session-token recipe). */
export function generateToken() {
  return encodeBase32LowerCaseNoPadding(randomBytes(20))
}

/** What the database stores in place of a token: its SHA-256, hex encoded. */
export function hashToken(token: string) {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

/**
 * The site's signature of a subject (HMAC-SHA256 with SESSION_SECRET, base64url), cut to `length`
 * characters when given: what authorises unsubscribe links, card share links and QR sign-in codes.
 * Each caller prefixes its subject with its purpose, so one signature never serves another.
 */
export function siteSignature(subject: string, length?: number) {
  const signature = createHmac('sha256', getEnv().SESSION_SECRET).update(subject).digest('base64url')
  return length === undefined ? signature : signature.slice(0, length)
}

/** Whether `given` is the site's signature of `subject` (compared in constant time). */
export function isSiteSignature(subject: string, given: string, length?: number) {
  const expected = Buffer.from(siteSignature(subject, length))
  const actual = Buffer.from(given)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
