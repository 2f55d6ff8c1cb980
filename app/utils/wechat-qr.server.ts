// 扫码登录 through the Official Account, the tickets (docs/decisions/021-wechat-sign-in.md). The
// desktop holds a random secret in a signed, HttpOnly, 5-minute cookie; its QR code carries only
// the code's id (from the secret's hash), its expiry and the site's signature of both, so a phone
// can approve it and nobody can make one up. Only the desktop that holds the secret can take the
// approval.
import QRCode from 'qrcode'
import { generateToken, hashToken, isSiteSignature, siteSignature } from './crypto.server'
import { signedCookie } from './signed-cookie.server'
import { safeRedirect } from './redirect'

/** How long a QR code may be scanned. */
export const QR_LOGIN_MINUTES = 5
/** A code with less left than this is not shown again: the reader needs time to scan. */
const REUSE_MARGIN_MS = 60_000

export interface QrTicket {
  /** What the QR code names (hex): the first 32 digits of the secret's SHA-256. */
  id: string
  expiresAt: number
  redirectTo: string
}

const idOf = (secret: string) => hashToken(secret).slice(0, 32)

const qrCookie = signedCookie('zhiyin_wx_qr', { path: '/auth/wechat', maxAgeSeconds: QR_LOGIN_MINUTES * 60 })

/** The desktop's code under way, when its cookie holds one that has not expired. */
export async function readQrTicket(request: Request, now = new Date()): Promise<QrTicket | null> {
  const value: unknown = await qrCookie().parse(request.headers.get('Cookie'))
  if (typeof value !== 'object' || value === null) return null
  const { s, e, r } = value as Record<string, unknown>
  if (typeof s !== 'string' || typeof e !== 'number' || typeof r !== 'string' || e <= now.getTime()) return null
  return { id: idOf(s), expiresAt: e, redirectTo: safeRedirect(r) }
}

/**
 * The code to show: the desktop's own while it has time left and goes to the same place, else a
 * new one (with the Set-Cookie that gives the desktop its secret).
 */
export async function qrTicketFor(request: Request, redirectTo: string, now = new Date()): Promise<{ ticket: QrTicket; setCookie: string | null }> {
  const current = await readQrTicket(request, now)
  if (current && current.redirectTo === redirectTo && current.expiresAt - now.getTime() > REUSE_MARGIN_MS) return { ticket: current, setCookie: null }
  const secret = generateToken()
  const ticket = { id: idOf(secret), expiresAt: now.getTime() + QR_LOGIN_MINUTES * 60_000, redirectTo }
  return { ticket, setCookie: await qrCookie().serialize({ s: secret, e: ticket.expiresAt, r: redirectTo }) }
}

/** The Set-Cookie that ends the desktop's code (once it signed in). */
export function clearQrTicket() {
  return qrCookie().serialize('', { maxAge: 0 })
}

const SIGNATURE_LENGTH = 22
const subjectOf = (id: string, expiresAt: number) => `wechat-qr:${id}.${expiresAt}`

/** Where the phone goes when it scans the code: the site's scan page with the signed ticket. */
export function scanPath(ticket: Pick<QrTicket, 'id' | 'expiresAt'>) {
  return `/auth/wechat/scan?${new URLSearchParams({ t: ticket.id, e: String(ticket.expiresAt), s: siteSignature(subjectOf(ticket.id, ticket.expiresAt), SIGNATURE_LENGTH) })}`
}

export type ScannedTicket = { ok: true; id: string; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' }

/** The ticket a scan page was opened with: the site's own, signed and still valid — or why not. */
export function readScannedTicket(params: URLSearchParams, now = new Date()): ScannedTicket {
  const id = params.get('t') ?? ''
  const expiresAt = Number(params.get('e'))
  const signature = params.get('s') ?? ''
  if (!/^[0-9a-f]{32}$/.test(id) || !Number.isSafeInteger(expiresAt) || !/^[A-Za-z0-9_-]{22}$/.test(signature)) return { ok: false, reason: 'invalid' }
  if (!isSiteSignature(subjectOf(id, expiresAt), signature, SIGNATURE_LENGTH)) return { ok: false, reason: 'invalid' }
  if (expiresAt <= now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, id, expiresAt }
}

/** The QR code of an absolute URL as an SVG document (drawn on the page, no image request). */
export function qrSvg(url: string) {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } })
}
