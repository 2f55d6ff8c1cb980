// /wechat/jssdk-config with WeChat live (decision 022): a page of this site is signed with the
// jsapi ticket — fetched from WeChat once, then shared from the database — and another origin is
// refused before anything is signed or fetched.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { interceptWechat, WECHAT_APPID, wechatCallsTo } from '../mocks/wechat'

interceptWechat()
const { loader } = await import('~/routes/wechat_.jssdk-config')
const { t } = await import('~/i18n/zh-CN')
const { requestFor, routeArgs } = await import('../factories/requests')
const { createTestUser, signedInCookie } = await import('../factories/users')
const { referralCodeFor } = await import('~/models/referral.server')

const configFor = (url: string, cookie?: string) => loader(routeArgs(requestFor(`/wechat/jssdk-config?${new URLSearchParams({ url })}`, { cookie })))

interface LiveConfig {
  mode: string
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
  url: string
  refCode: string | null
}

describe('the JS-SDK config, live', () => {
  it('signs a page of this site with the jsapi ticket, fetched from WeChat once', async () => {
    const before = wechatCallsTo('/cgi-bin/ticket/getticket').length
    const page = 'http://localhost:3000/daily/2026-12-06?from=singlemessage#comments'
    const first = (await (await configFor(page)).json()) as LiveConfig
    const second = (await (await configFor('http://localhost:3000/shop')).json()) as LiveConfig
    expect(wechatCallsTo('/cgi-bin/ticket/getticket').length - before).toBe(1)
    const ticket = 'JSAPI_TICKET_1'
    expect(first).toMatchObject({ mode: 'live', appId: WECHAT_APPID, url: 'http://localhost:3000/daily/2026-12-06?from=singlemessage', refCode: null })
    const expected = createHash('sha1')
      .update(`jsapi_ticket=${ticket}&noncestr=${first.nonceStr}&timestamp=${first.timestamp}&url=http://localhost:3000/daily/2026-12-06?from=singlemessage`)
      .digest('hex')
    expect(first.signature).toBe(expected)
    expect(second.signature).not.toBe(first.signature)
    expect(Math.abs(first.timestamp - Date.now() / 1000)).toBeLessThan(5)
  })

  it('gives a signed-in reader their referral code for the share link', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const config = (await (await configFor('http://localhost:3000/', cookie)).json()) as LiveConfig
    expect(config.refCode).toBe(await referralCodeFor(user.id))
  })

  it('refuses another origin with a 400, asking WeChat nothing', async () => {
    const before = wechatCallsTo('/cgi-bin/ticket/getticket').length + wechatCallsTo('/cgi-bin/token').length
    for (const url of ['https://evil.example/daily', 'http://localhost:3001/', 'not a url']) {
      const response = await configFor(url)
      expect(response.status, url).toBe(400)
      const body = (await response.json()) as Record<string, unknown>
      expect(body).toEqual({ error: t.share.errors.url })
    }
    expect(wechatCallsTo('/cgi-bin/ticket/getticket').length + wechatCallsTo('/cgi-bin/token').length).toBe(before)
  })
})
