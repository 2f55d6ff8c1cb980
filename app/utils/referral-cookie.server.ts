// `?ref=<code>` on any page (a shared link, a poster's QR code): the referrer is remembered in a
// signed cookie for 30 days — the first one wins — and the reader is sent on to the same URL
// without the code, so the page a shared cache keeps is the same for every referrer
// (docs/decisions/022-share-posters-referral.md).
import { redirect } from '@remix-run/node'
import { findReferrerByCode } from '~/models/referral.server'
import { getAuth } from './auth.server'
import { signedCookie } from './signed-cookie.server'

export const REFERRAL_COOKIE = 'zhiyin_ref'
const REFERRAL_DAYS = 30

const referralCookie = signedCookie(REFERRAL_COOKIE, { maxAgeSeconds: REFERRAL_DAYS * 24 * 3600 })

/** The referrer a visitor's cookie names, while it is younger than 30 days; forged ones are ignored. */
export async function readReferrer(request: Request, now = new Date()): Promise<number | null> {
  const value: unknown = await referralCookie().parse(request.headers.get('Cookie'))
  if (typeof value !== 'object' || value === null) return null
  const { r, at } = value as { r?: unknown; at?: unknown }
  if (typeof r !== 'number' || !Number.isSafeInteger(r) || r <= 0 || typeof at !== 'number') return null
  return now.getTime() - at <= REFERRAL_DAYS * 24 * 3600_000 ? r : null
}

/**
 * For a GET with `?ref=`: a redirect to the same URL without it, setting the cookie when the
 * visitor has none yet (first touch), the code is someone's, and the visitor is not signed in
 * (an account cannot be referred; a reader opening their own link is no referral). Else null.
 */
export async function captureReferral(request: Request, now = new Date()): Promise<Response | null> {
  if (request.method !== 'GET') return null
  const url = new URL(request.url)
  const code = url.searchParams.get('ref')
  if (code === null) return null
  url.searchParams.delete('ref')
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const [already, referrerId, auth] = await Promise.all([readReferrer(request, now), findReferrerByCode(code), getAuth(request)])
  if (already === null && referrerId !== null && !auth) {
    headers.append('Set-Cookie', await referralCookie().serialize({ r: referrerId, at: now.getTime() }))
  }
  return redirect(`${url.pathname}${url.search}${url.hash}`, { status: 302, headers })
}
