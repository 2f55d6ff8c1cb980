// The WeChat API client (decision 020): the access token and the jsapi ticket live in the database
// for every process, one refresh at a time; a token WeChat calls stale is refreshed once and the
// call retried; other error codes come back as WechatApiError with WeChat's code.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { wechatCredentials } from '../../db/schema'
import { expireWechatToken, failWechatNext, interceptWechat, WECHAT_APPID, wechatCallsTo } from '../mocks/wechat'

interceptWechat()
const api = await import('~/utils/wechat-api.server')
const { db } = await import('~/utils/db.server')

async function forgetCachedCredentials() {
  await db.delete(wechatCredentials)
}

describe('wechatMode: keys → WeChat, else test mode outside production, off in production unless opted in', () => {
  const base = { WECHAT_OPEN_APPID: undefined, WECHAT_OPEN_APPSECRET: undefined, WECHAT_TEST_MODE: false }
  it.each([
    ['keys set', { ...base, NODE_ENV: 'production' as const, WECHAT_APPID: WECHAT_APPID, WECHAT_APPSECRET: 'x' }, 'live'],
    ['no keys, development', { ...base, NODE_ENV: 'development' as const, WECHAT_APPID: undefined, WECHAT_APPSECRET: undefined }, 'test'],
    ['no keys, production', { ...base, NODE_ENV: 'production' as const, WECHAT_APPID: undefined, WECHAT_APPSECRET: undefined }, 'off'],
    ['no keys, production, WECHAT_TEST_MODE=1', { ...base, NODE_ENV: 'production' as const, WECHAT_APPID: undefined, WECHAT_APPSECRET: undefined, WECHAT_TEST_MODE: true }, 'test'],
  ])('%s → %s', (_name, env, kind) => {
    expect(api.wechatMode(env).kind).toBe(kind)
  })

  it('test mode in production says so loudly at start-up', () => {
    const env = { ...base, NODE_ENV: 'production' as const, WECHAT_APPID: undefined, WECHAT_APPSECRET: undefined, WECHAT_TEST_MODE: true }
    expect(api.wechatMode(env)).toEqual({ kind: 'test', production: true })
    expect(api.describeWechatMode(env)).toMatch(/^wechat: WARNING — TEST MODE IN PRODUCTION/)
  })
})

describe('the access token', () => {
  it('is fetched once and then read from the database', async () => {
    await forgetCachedCredentials()
    const before = wechatCallsTo('/cgi-bin/token').length
    const first = await api.getAccessToken()
    expect(await api.getAccessToken()).toBe(first)
    expect(wechatCallsTo('/cgi-bin/token').length - before).toBe(1)
    const row = await db.query.wechatCredentials.findFirst()
    expect(row).toMatchObject({ appId: WECHAT_APPID, kind: 'access_token', value: first, refreshingUntil: null })
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 7000_000)
  })

  it('twenty callers at once make one refresh (WeChat would invalidate all but the newest)', async () => {
    await forgetCachedCredentials()
    const before = wechatCallsTo('/cgi-bin/token').length
    const tokens = await Promise.all(Array.from({ length: 20 }, () => api.getAccessToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(wechatCallsTo('/cgi-bin/token').length - before).toBe(1)
  })

  it('a token WeChat calls stale (42001) is refreshed once and the call retried', async () => {
    await api.getJsapiTicket()
    await db.delete(wechatCredentials).where(eq(wechatCredentials.kind, 'jsapi_ticket'))
    const tokensBefore = wechatCallsTo('/cgi-bin/token').length
    failWechatNext('/cgi-bin/ticket/getticket', 42001, 'access_token expired')
    expect(await api.getJsapiTicket()).toMatch(/^JSAPI_TICKET_\d+$/)
    expect(wechatCallsTo('/cgi-bin/token').length - tokensBefore).toBe(1)
  })

  it('a token WeChat no longer accepts (40001, another app server fetched one) is replaced too', async () => {
    await db.delete(wechatCredentials).where(eq(wechatCredentials.kind, 'jsapi_ticket'))
    expireWechatToken()
    expect(await api.getJsapiTicket()).toMatch(/^JSAPI_TICKET_\d+$/)
  })

  it('a second stale answer in a row is not retried forever: the error comes back', async () => {
    await db.delete(wechatCredentials).where(eq(wechatCredentials.kind, 'jsapi_ticket'))
    failWechatNext('/cgi-bin/ticket/getticket', 42001, 'access_token expired', 2)
    await expect(api.getJsapiTicket()).rejects.toMatchObject({ name: 'WechatApiError', errcode: 42001 })
  })

  it('a rate limit (45009) is WeChat’s error, and the lease is given back for the next try', async () => {
    await forgetCachedCredentials()
    failWechatNext('/cgi-bin/token', 45009, 'reach max api daily quota limit')
    await expect(api.getAccessToken()).rejects.toMatchObject({ errcode: 45009 })
    const row = await db.query.wechatCredentials.findFirst()
    expect(row?.refreshingUntil).toBeNull()
    expect(await api.getAccessToken()).toMatch(/^ACCESS_TOKEN_\d+$/)
  })
})

describe('the jsapi ticket', () => {
  it('is cached like the token', async () => {
    const before = wechatCallsTo('/cgi-bin/ticket/getticket').length
    const ticket = await api.getJsapiTicket()
    expect(await api.getJsapiTicket()).toBe(ticket)
    expect(wechatCallsTo('/cgi-bin/ticket/getticket').length - before).toBeLessThanOrEqual(1)
  })
})
