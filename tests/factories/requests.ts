// Requests as the browser would send them, and ways to read what a route answered.
import { expect } from 'vitest'

export const SITE_ORIGIN = 'http://localhost:3000'
export const CLIENT_IP = '203.0.113.1'

export function requestFor(
  path: string,
  {
    method,
    form,
    cookie,
    headers,
  }: { method?: string; form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {},
) {
  const init: RequestInit = { method: method ?? (form ? 'POST' : 'GET'), headers: new Headers(headers) }
  const h = init.headers as Headers
  h.set('Origin', SITE_ORIGIN)
  if (cookie) h.set('Cookie', cookie)
  if (form) {
    h.set('Content-Type', 'application/x-www-form-urlencoded')
    init.body = new URLSearchParams(form).toString()
  }
  return new Request(new URL(path, SITE_ORIGIN), init)
}

/** The arguments Remix passes to a loader or action, with the context the Express server adds. */
export function routeArgs(request: Request, params: Record<string, string> = {}, clientIp = CLIENT_IP) {
  return { request, params, context: { clientIp } }
}

export interface DataResult<T> {
  status: number
  data: T
  headers: Headers
}

/** A single-fetch `data()` result: its payload, status and headers. Fails on anything else. */
export function readData<T = { errors: Record<string, string> }>(result: unknown): DataResult<T> {
  expect(result, 'expected a data() result, got a Response').not.toBeInstanceOf(Response)
  expect(result).toMatchObject({ type: 'DataWithResponseInit' })
  const { data, init } = result as { data: T; init: ResponseInit | null }
  return { status: init?.status ?? 200, data, headers: new Headers(init?.headers) }
}

/** A redirect Response: its Location and Set-Cookie values. Fails on anything else. */
export function readRedirect(result: unknown) {
  expect(result).toBeInstanceOf(Response)
  const response = result as Response
  expect(response.status).toBeGreaterThanOrEqual(300)
  expect(response.status).toBeLessThan(400)
  return { location: response.headers.get('Location'), cookies: response.headers.getSetCookie(), response }
}

/** The `zhiyin_session=<token>` pair from a Set-Cookie list, ready for a Cookie header. */
export function sessionCookieOf(setCookies: string[]) {
  const header = setCookies.find((c) => c.startsWith('zhiyin_session='))
  if (!header) return null
  const pair = header.split(';')[0]!
  return { pair, token: pair.slice('zhiyin_session='.length), header }
}

/** Awaits a loader/action that must throw a Response; returns it. */
export async function thrownResponse(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
  throw new Error('expected a thrown Response, but the call resolved')
}

/** The value of a named cookie's `name=value` pair in a Set-Cookie list, ready for a Cookie header. */
export function cookiePairOf(setCookies: string[], name: string) {
  return setCookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0]
}

/** The flash message a response's Set-Cookie list carries, as the next page would show it. */
export async function flashOf(setCookies: string[]) {
  const { readFlash } = await import('~/utils/flash.server')
  return (await readFlash(requestFor('/', { cookie: cookiePairOf(setCookies, 'zhiyin_flash') }))).flash
}
