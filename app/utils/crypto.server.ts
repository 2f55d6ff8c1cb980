import { randomBytes } from 'node:crypto'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'

/** A random, URL-safe secret with 160 bits of entropy (Lucia's session-token recipe). */
export function generateToken() {
  return encodeBase32LowerCaseNoPadding(randomBytes(20))
}

/** What the database stores in place of a token: its SHA-256, hex encoded. */
export function hashToken(token: string) {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}
