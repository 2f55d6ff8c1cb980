// Flash messages: a short signed cookie written by an action's redirect and read once by the
// root loader, so every mutation ends in a visible confirmation.
import { redirect } from '@remix-run/node'
import { signedCookie } from './signed-cookie.server'

export type FlashKind = 'success' | 'error' | 'info'
export interface Flash {
  kind: FlashKind
  message: string
}

const flashCookie = signedCookie('zhiyin_flash', { maxAgeSeconds: 60 })

export async function flashHeader(flash: Flash) {
  return flashCookie().serialize(flash)
}

export async function redirectWithFlash(to: string, flash: Flash, init: { headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers)
  headers.append('Set-Cookie', await flashHeader(flash))
  return redirect(to, { headers })
}

/** Reads the pending flash, if any, and the header that clears it. */
export async function readFlash(request: Request): Promise<{ flash: Flash | null; clearHeader: string | null }> {
  const value: unknown = await flashCookie().parse(request.headers.get('Cookie'))
  if (!isFlash(value)) return { flash: null, clearHeader: null }
  return { flash: value, clearHeader: await flashCookie().serialize('', { maxAge: 0 }) }
}

function isFlash(value: unknown): value is Flash {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Flash).message === 'string' &&
    ['success', 'error', 'info'].includes((value as Flash).kind)
  )
}
