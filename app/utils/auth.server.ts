// Sessions on Lucia's design (docs/decisions/002-sessions.md): the cookie carries a random
// token; the database keeps its SHA-256; expiry slides; a new session on every sign-in.
import { redirect, type AppLoadContext } from '@remix-run/node'
import type { Session, User } from '../../db/schema'
import type { Viewer } from '~/domain/access'
import type { MembershipPeriod } from '~/domain/membership'
import {
  createSession,
  invalidateSession,
  validateSessionToken,
  type SessionContext,
} from '~/models/session.server'
import { getEnv } from './env.server'
import { flashHeader, type Flash } from './flash.server'
import { carryRememberedUnlocks } from './keyword-cookie.server'
import { safeRedirect } from './redirect'

export const SESSION_COOKIE = 'zhiyin_session'

export interface Auth {
  user: User
  session: Session
  memberships: (MembershipPeriod & { tierName: string })[]
  /** Set-Cookie value when the session's expiry moved and the cookie must follow. */
  renewedCookie: string | null
}

function sessionCookie(value: string, expiresAt: Date | null) {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax']
  if (expiresAt) parts.push(`Expires=${expiresAt.toUTCString()}`)
  else parts.push('Max-Age=0')
  if (getEnv().NODE_ENV === 'production') parts.push('Secure')
  return parts.join('; ')
}

export function readSessionToken(request: Request) {
  const header = request.headers.get('Cookie') ?? ''
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === SESSION_COOKIE) {
      const value = rest.join('=')
      // Tokens are base32 (a-z, 2-7); anything else is forged and never reaches the database.
      return /^[a-z2-7]{32}$/.test(value) ? value : null
    }
  }
  return null
}

/**
 * One reading of the session per request (decision 032). Remix gives each loader its own copy
 * of the Request, so a memo keyed on the Request is not shared between the root loader and the
 * page's; the load context is one object per request, handed to every loader. An action's
 * reading stays keyed on its own Request: the loaders that run after it see what it changed.
 */
const authByRequest = new WeakMap<object, { token: string | null; auth: Promise<Auth | null> }>()

/** The signed-in user of this request, or null. Memoised per request (pass the loader's context). */
export function getAuth(request: Request, context?: AppLoadContext): Promise<Auth | null> {
  const key = context && (request.method === 'GET' || request.method === 'HEAD') ? context : request
  const token = readSessionToken(request)
  const known = authByRequest.get(key)
  if (known && known.token === token) return known.auth
  const auth = loadAuth(token)
  authByRequest.set(key, { token, auth })
  return auth
}

async function loadAuth(token: string | null): Promise<Auth | null> {
  if (!token) return null
  const valid = await validateSessionToken(token)
  if (!valid) return null
  return {
    user: valid.user,
    session: valid.session,
    memberships: valid.memberships,
    renewedCookie: valid.renewed ? sessionCookie(token, valid.session.expiresAt) : null,
  }
}

export async function getUser(request: Request, context?: AppLoadContext) {
  return (await getAuth(request, context))?.user ?? null
}

/** The viewer that checkAccess() takes. */
export async function getViewer(request: Request, context?: AppLoadContext): Promise<Viewer> {
  const auth = await getAuth(request, context)
  return auth ? { role: auth.user.role, memberships: auth.memberships } : null
}

function loginRedirect(request: Request) {
  const url = new URL(request.url)
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })
  return redirect(`/login?${params}`)
}

/** The signed-in user; otherwise a thrown redirect to /login that comes back here. */
export async function requireAuth(request: Request, context?: AppLoadContext) {
  const auth = await getAuth(request, context)
  if (!auth) throw loginRedirect(request)
  return auth
}

export async function requireUser(request: Request, context?: AppLoadContext) {
  return (await requireAuth(request, context)).user
}

/**
 * For the sign-in and sign-up pages: a reader already signed in goes where the page would have
 * sent them afterwards (its `redirectTo`, through safeRedirect), or home.
 */
export async function requireAnonymous(request: Request) {
  if (await getAuth(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
}

/** Starts a new session for the user and redirects with its cookie (and an optional flash). */
export async function signIn({
  request,
  userId,
  context,
  redirectTo,
  flash,
}: {
  request: Request
  userId: number
  context: SessionContext
  redirectTo?: string | null
  flash?: Flash
}) {
  // The answer is built before the session exists, so nothing is left behind if it fails.
  const response = redirect(safeRedirect(redirectTo))
  if (flash) response.headers.append('Set-Cookie', await flashHeader(flash))
  // Keywords given as a visitor on this browser (and the days they were 打卡) join the account.
  const carried = await carryRememberedUnlocks(request, userId)
  if (carried) response.headers.append('Set-Cookie', carried)
  const { token, expiresAt } = await createSession({ userId, context })
  response.headers.append('Set-Cookie', sessionCookie(token, expiresAt))
  return response
}

/** Set-Cookie for a new session (used where the redirect is built elsewhere). */
export async function newSessionCookie(userId: number, context: SessionContext) {
  const { token, expiresAt } = await createSession({ userId, context })
  return sessionCookie(token, expiresAt)
}

export async function signOut(request: Request, flash?: Flash) {
  const auth = await getAuth(request)
  if (auth) await invalidateSession(auth.session.id)
  const headers = new Headers()
  headers.append('Set-Cookie', sessionCookie('', null))
  if (flash) headers.append('Set-Cookie', await flashHeader(flash))
  return redirect('/', { headers })
}

/** The cookie that ends the session on this browser (for a forged or expired token). */
export function clearSessionCookie() {
  return sessionCookie('', null)
}

export function sessionContext(request: Request, clientIp: string | undefined): SessionContext {
  return { userAgent: request.headers.get('User-Agent') ?? '', ip: clientIp ?? '' }
}
