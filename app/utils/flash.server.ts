// Flash messages: a short signed cookie written by an action's redirect and read once by the
// root loader, so every mutation ends in a visible confirmation.
import { createCookie, redirect } from '@remix-run/node'
import { getEnv } from './env.server'

export type FlashKind = 'success' | 'error' | 'info'
export interface Flash {
  kind: FlashKind
  message: string
}

let cookie: ReturnType<typeof createCookie> | undefined
function flashCookie() {
  const env = getEnv()
  cookie ??= createCookie('zhiyin_flash', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: env.NODE_ENV === 'production',
    secrets: [env.SESSION_SECRET],
    maxAge: 60,
  })
  return cookie
}

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
