// Sign in with WeChat in the test mode (decisions 020, 021): no keys, no network. The button leads
// to a page marked 测试模式 where the reader gives a simulated nickname; the same sign-in runs, with
// the state still checked, and every page carries the test mode's banner.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { users, wechatIdentities } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { loader as rootLoader } from '~/root'
import { loader as startLoader } from '~/routes/auth.wechat._index'
import { action as testAction, loader as testLoader } from '~/routes/auth.wechat.[test]'
import { loader as signupLoader } from '~/routes/signup'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { cookiePairOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf, thrownResponse } from '../factories/requests'

async function startTestSignIn(redirectTo = '/membership') {
  const { location, cookies } = readRedirect(await startLoader(routeArgs(requestFor(`/auth/wechat?${new URLSearchParams({ redirectTo })}`))))
  const url = new URL(location!, 'http://localhost:3000')
  return { path: `${url.pathname}${url.search}`, state: url.searchParams.get('state')!, cookie: cookiePairOf(cookies, 'zhiyin_wx_oauth')! }
}

function consent({ state, cookie, nickname }: { state: string; cookie?: string; nickname: string }) {
  return testAction(routeArgs(requestFor('/auth/wechat/test', { cookie, form: { state, nickname } })))
}

const testIdentities = () => db.select().from(wechatIdentities).where(eq(wechatIdentities.appId, 'test'))

describe('WeChat test mode (no keys)', () => {
  it('offers 微信一键登录（测试模式） and says so on every page', async () => {
    const page = await signupLoader(routeArgs(requestFor('/signup')))
    expect(page.wechat).toEqual({ kind: 'test', scan: true })
    const root = readData<{ wechatTestMode: unknown }>(await rootLoader(routeArgs(requestFor('/'))))
    expect(root.data.wechatTestMode).toEqual({ production: false })
  })

  it('leads to the simulated consent page, which signs a new reader in with a simulated openid of app “test”', async () => {
    const { path, state, cookie } = await startTestSignIn()
    expect(path).toMatch(/^\/auth\/wechat\/test\?state=[a-z2-7]{32}$/)
    await testLoader(routeArgs(requestFor(path, { cookie })))
    const usersBefore = await countRows(users)
    const { location, cookies } = readRedirect(await consent({ state, cookie, nickname: '早起的读书人' }))
    expect(location).toBe('/membership')
    expect(sessionCookieOf(cookies)).not.toBeNull()
    expect(await countRows(users)).toBe(usersBefore + 1)
    const [identity] = await db.select().from(wechatIdentities).where(and(eq(wechatIdentities.appId, 'test'), eq(wechatIdentities.nickname, '早起的读书人')))
    expect(identity!.openid).toMatch(/^o_test_[0-9a-f]{22}$/)
  })

  it('the same nickname again is the same simulated WeChat user: no second account', async () => {
    const first = await startTestSignIn()
    readRedirect(await consent({ ...first, nickname: '知音小书童' }))
    const usersBefore = await countRows(users)
    const second = await startTestSignIn()
    readRedirect(await consent({ ...second, nickname: '知音小书童' }))
    expect(await countRows(users)).toBe(usersBefore)
  })

  it('still checks the state: none, another browser’s, or one used already is a 400 and stores nothing', async () => {
    const { state, cookie } = await startTestSignIn()
    const identitiesBefore = (await testIdentities()).length
    const missing = await thrownResponse(consent({ state, nickname: '没有状态的人' }))
    expect(missing.status).toBe(400)
    expect(await missing.text()).toBe(t.wechatAuth.errors.stateMissing)
    const page = await thrownResponse(testLoader(routeArgs(requestFor(`/auth/wechat/test?state=${state}`))))
    expect(page.status).toBe(400)
    expect((await testIdentities()).length).toBe(identitiesBefore)

    readRedirect(await consent({ state, cookie, nickname: '守规矩的人' }))
    const replayed = await thrownResponse(consent({ state, cookie, nickname: '重放的人' }))
    expect(replayed.status).toBe(400)
    expect(await replayed.text()).toBe(t.wechatAuth.errors.stateUsed)
    expect((await testIdentities()).some((i) => i.nickname === '重放的人')).toBe(false)
  })

  it('asks for a nickname (400, in place) without using the state up', async () => {
    const { state, cookie } = await startTestSignIn()
    const empty = readData(await consent({ state, cookie, nickname: '   ' }))
    expect(empty.status).toBe(400)
    expect(empty.data.errors).toEqual({ nickname: t.wechatAuth.errors.nicknameRequired })
    readRedirect(await consent({ state, cookie, nickname: '第二次填了' }))
  })
})
