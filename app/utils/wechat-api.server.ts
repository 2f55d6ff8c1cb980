// WeChat's server API (api.weixin.qq.com) for the Official Account, behind one client
// (docs/decisions/020-wechat-integration.md): which mode WeChat runs in, the access token and the
// jsapi ticket cached in the database for every process, and calls that refresh a token WeChat
// says has expired once, then give up with WeChat's own error code.
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { wechatCredentials } from '../../db/schema'
import { db } from './db.server'
import { getEnv, type Env } from './env.server'
import { awayWhile } from './request-turn.server'

export const WECHAT_API = 'https://api.weixin.qq.com'

type WechatEnv = Pick<Env, 'NODE_ENV' | 'WECHAT_APPID' | 'WECHAT_APPSECRET' | 'WECHAT_OPEN_APPID' | 'WECHAT_OPEN_APPSECRET' | 'WECHAT_TEST_MODE'>

export type WechatMode =
  | { kind: 'live'; appId: string; appSecret: string; open: { appId: string; appSecret: string } | null }
  /** Simulated sign-in, messages kept in the outbox; `production` when opted in there (loud). */
  | { kind: 'test'; production: boolean }
  | { kind: 'off' }

/** The one rule: keys → WeChat itself; outside production → test mode; in production → off unless opted in. */
export function wechatMode(env: WechatEnv = getEnv()): WechatMode {
  if (env.WECHAT_APPID && env.WECHAT_APPSECRET) {
    const open = env.WECHAT_OPEN_APPID && env.WECHAT_OPEN_APPSECRET ? { appId: env.WECHAT_OPEN_APPID, appSecret: env.WECHAT_OPEN_APPSECRET } : null
    return { kind: 'live', appId: env.WECHAT_APPID, appSecret: env.WECHAT_APPSECRET, open }
  }
  if (env.NODE_ENV !== 'production') return { kind: 'test', production: false }
  return env.WECHAT_TEST_MODE ? { kind: 'test', production: true } : { kind: 'off' }
}

/** The start-up log line that says how WeChat runs. */
export function describeWechatMode(env: WechatEnv = getEnv()) {
  const mode = wechatMode(env)
  switch (mode.kind) {
    case 'live':
      return `wechat: Official Account ${mode.appId}${mode.open ? `, website QR login ${mode.open.appId}` : ''}`
    case 'test':
      return mode.production
        ? 'wechat: WARNING — TEST MODE IN PRODUCTION (WECHAT_TEST_MODE=1): anyone can sign in as a simulated WeChat user; every page shows a banner'
        : 'wechat: test mode (simulated sign-in, messages kept in /admin/outbox). Set WECHAT_APPID and WECHAT_APPSECRET to use WeChat'
    case 'off':
      return 'wechat: off — set WECHAT_APPID and WECHAT_APPSECRET (or WECHAT_TEST_MODE=1 for a demo)'
  }
}

/** WeChat answered with an error code (errcode ≠ 0), or could not be reached (errcode -1). */
export class WechatApiError extends Error {
  name = 'WechatApiError'
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat API error ${errcode}: ${errmsg}`)
  }
}

// Codes that mean "this access token is no longer good": refresh it once and try again.
const STALE_TOKEN_CODES = new Set([40001, 40014, 42001])

/** Fetches JSON from WeChat; an `errcode` other than 0 becomes a WechatApiError. */
export async function fetchWechatJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response
  try {
    // Up to 5 s on WeChat: without holding the request's place meanwhile (decision 041).
    response = await awayWhile(() => fetch(url, { ...init, signal: AbortSignal.timeout(5_000) }))
  } catch (error) {
    throw new WechatApiError(-1, `unreachable: ${(error as Error).message}`)
  }
  if (!response.ok) throw new WechatApiError(-1, `HTTP ${response.status}`)
  const json = (await response.json()) as T & { errcode?: number; errmsg?: string }
  if (json.errcode !== undefined && json.errcode !== 0) throw new WechatApiError(json.errcode, json.errmsg ?? '')
  return json
}

function liveMode() {
  const mode = wechatMode()
  if (mode.kind !== 'live') throw new Error('WeChat API called without WECHAT_APPID / WECHAT_APPSECRET')
  return mode
}

// ---- cached credentials -------------------------------------------------------------------------

/** Renew this long before WeChat's expiry (7,200 s), so a value handed out is still good in use. */
const EXPIRY_MARGIN_MS = 5 * 60_000
/** How long one process may take to fetch a new value before another may try. */
const LEASE_MS = 10_000
const WAIT_STEP_MS = 100

type CredentialKind = (typeof wechatCredentials.$inferSelect)['kind']

/**
 * A credential from the database while it is good; otherwise one process (the one that takes the
 * lease) fetches a new one and the others wait for it. WeChat invalidates the previous access
 * token when a new one is issued, so two processes must never fetch at once.
 */
async function cachedCredential(appId: string, kind: CredentialKind, fetchFresh: () => Promise<{ value: string; expiresInSeconds: number }>) {
  const deadline = Date.now() + LEASE_MS + 5_000
  for (;;) {
    const now = new Date()
    const row = await db.query.wechatCredentials.findFirst({ where: and(eq(wechatCredentials.appId, appId), eq(wechatCredentials.kind, kind)) })
    if (row?.value && row.expiresAt && row.expiresAt.getTime() - EXPIRY_MARGIN_MS > now.getTime()) return row.value
    const leaseUntil = new Date(now.getTime() + LEASE_MS)
    const [claimed] = await db
      .insert(wechatCredentials)
      .values({ appId, kind, refreshingUntil: leaseUntil, updatedAt: now })
      .onConflictDoUpdate({
        target: [wechatCredentials.appId, wechatCredentials.kind],
        set: { refreshingUntil: leaseUntil, updatedAt: now },
        where: or(isNull(wechatCredentials.refreshingUntil), lt(wechatCredentials.refreshingUntil, now)),
      })
      .returning({ appId: wechatCredentials.appId })
    if (claimed) {
      try {
        const fresh = await fetchFresh()
        const at = new Date()
        await db
          .update(wechatCredentials)
          .set({ value: fresh.value, expiresAt: new Date(at.getTime() + fresh.expiresInSeconds * 1000), refreshingUntil: null, updatedAt: at })
          .where(and(eq(wechatCredentials.appId, appId), eq(wechatCredentials.kind, kind)))
        return fresh.value
      } catch (error) {
        await db
          .update(wechatCredentials)
          .set({ refreshingUntil: null })
          .where(and(eq(wechatCredentials.appId, appId), eq(wechatCredentials.kind, kind)))
        throw error
      }
    }
    if (Date.now() > deadline) throw new WechatApiError(-1, `timed out waiting for another process to refresh the ${kind}`)
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS))
  }
}

/** Marks a value WeChat refused as expired, so the next read fetches a new one (once, for all). */
async function forgetCredential(appId: string, kind: CredentialKind, value: string) {
  await db
    .update(wechatCredentials)
    .set({ expiresAt: sql`0` })
    .where(and(eq(wechatCredentials.appId, appId), eq(wechatCredentials.kind, kind), eq(wechatCredentials.value, value)))
}

/** The Official Account's access token (cgi-bin/token), shared by every process. */
export function getAccessToken() {
  const { appId, appSecret } = liveMode()
  return cachedCredential(appId, 'access_token', async () => {
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: appSecret })
    const json = await fetchWechatJson<{ access_token: string; expires_in: number }>(`${WECHAT_API}/cgi-bin/token?${query}`)
    return { value: json.access_token, expiresInSeconds: json.expires_in }
  })
}

/**
 * Calls an API that takes the access token (`access_token=` in the query). A token WeChat says is
 * stale (40001, 40014, 42001) is dropped and the call made once more with a fresh one.
 */
export async function callWechatApi<T>(path: string, { query = {}, body }: { query?: Record<string, string>; body?: unknown } = {}): Promise<T> {
  const { appId } = liveMode()
  for (let attempt = 1; ; attempt++) {
    const token = await getAccessToken()
    const url = `${WECHAT_API}${path}?${new URLSearchParams({ ...query, access_token: token })}`
    try {
      return await fetchWechatJson<T>(
        url,
        body === undefined ? undefined : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      )
    } catch (error) {
      if (attempt === 1 && error instanceof WechatApiError && STALE_TOKEN_CODES.has(error.errcode)) {
        await forgetCredential(appId, 'access_token', token)
        continue
      }
      throw error
    }
  }
}

/** The JS-SDK's jsapi ticket (cgi-bin/ticket/getticket?type=jsapi), shared by every process. */
export function getJsapiTicket() {
  const { appId } = liveMode()
  return cachedCredential(appId, 'jsapi_ticket', async () => {
    const json = await callWechatApi<{ ticket: string; expires_in: number }>('/cgi-bin/ticket/getticket', { query: { type: 'jsapi' } })
    return { value: json.ticket, expiresInSeconds: json.expires_in }
  })
}
