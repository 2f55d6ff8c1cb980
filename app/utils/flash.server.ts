// Flash messages: a short signed cookie written by an action's redirect and read once by the
// root loader, so every mutation ends in a visible confirmation.
import { redirect } from '@remix-run/node'
import { signedCookie } from './signed-cookie.server'

export type FlashKind = 'success' | 'error' | 'info'
export interface Flash {
  kind: FlashKind
  message: string
  /**
   * The one page this confirms. A reader who leaves before that page arrives (taps 商城 while
   * 加入购物车 is on its way) would otherwise meet it on whatever page they open next (issue 18).
   */
  path?: string
}

const flashCookie = signedCookie('zhiyin_flash', { maxAgeSeconds: 60 })

export async function flashHeader(flash: Flash) {
  return flashCookie().serialize(flash)
}

/**
 * Redirects with a confirmation. `onlyThere`: the confirmation belongs to the page redirected to
 * and is dropped, unseen, on any other; leave it off where that page may redirect on.
 */
export async function redirectWithFlash(to: string, flash: Flash, init: { headers?: HeadersInit; onlyThere?: boolean } = {}) {
  const headers = new Headers(init.headers)
  const scoped = init.onlyThere ? { ...flash, path: pathOf(to) } : flash
  headers.append('Set-Cookie', await flashHeader(scoped))
  return redirect(to, { headers })
}

/** Reads the pending flash, if it belongs on this page, and the header that clears it. */
export async function readFlash(request: Request): Promise<{ flash: Flash | null; clearHeader: string | null }> {
  const value: unknown = await flashCookie().parse(request.headers.get('Cookie'))
  if (!isFlash(value)) return { flash: null, clearHeader: null }
  const clearHeader = await flashCookie().serialize('', { maxAge: 0 })
  // Another page than the one it confirms: cleared without being shown.
  if (value.path !== undefined && value.path !== pathOf(request.url)) return { flash: null, clearHeader }
  return { flash: value, clearHeader }
}

/** The path of a URL or of a site-relative location, without query, hash or trailing slash. */
function pathOf(to: string) {
  const path = new URL(to, 'http://site.invalid').pathname
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}

function isFlash(value: unknown): value is Flash {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Flash).message === 'string' &&
    ['string', 'undefined'].includes(typeof (value as Flash).path) &&
    ['success', 'error', 'info'].includes((value as Flash).kind)
  )
}
