// The site's own signed cookies (flash, cart, keywords, referral, WeChat sign-in): HttpOnly,
// SameSite=Lax, Secure in production, signed with SESSION_SECRET. Each is made on first use —
// the environment is read then — and kept.
import { createCookie, type Cookie } from '@remix-run/node'
import { getEnv } from './env.server'

export function signedCookie(name: string, { path = '/', maxAgeSeconds }: { path?: string; maxAgeSeconds: number }): () => Cookie {
  let cookie: Cookie | undefined
  return () => {
    const env = getEnv()
    cookie ??= createCookie(name, {
      httpOnly: true,
      sameSite: 'lax',
      path,
      secure: env.NODE_ENV === 'production',
      secrets: [env.SESSION_SECRET],
      maxAge: maxAgeSeconds,
    })
    return cookie
  }
}
