// A reader who signed in with WeChat (decision 021) completes the account on /account: 添加邮箱
// (stored unverified, verified by the emailed link, then good for mail and sign-in links),
// 设置密码 (only when there is none), and unlinking WeChat once another way in exists. A WeChat
// sign-up brought by a `?ref=` link counts as a referral at once (decision 022).
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { emailOutbox, rateLimitHits, referrals, users, wechatIdentities } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { countReferrals, referralCodeFor } from '~/models/referral.server'
import { checkPassword } from '~/models/user.server'
import { loader as rootLoader } from '~/root'
import { action as accountAction, loader as accountLoader } from '~/routes/account'
import * as magicRoute from '~/routes/auth.magic.$token'
import { loader as startLoader } from '~/routes/auth.wechat._index'
import { action as testAction } from '~/routes/auth.wechat.[test]'
import { action as loginAction } from '~/routes/login'
import * as verifyRoute from '~/routes/verify-email.$token'
import { db } from '~/utils/db.server'
import { REFERRAL_COOKIE } from '~/utils/referral-cookie.server'
import { cookiePairOf, flashOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie, TEST_PASSWORD } from '../factories/users'

afterEach(async () => {
  await db.delete(emailOutbox)
  await db.delete(rateLimitHits)
})

let nicknames = 0
const userRow = async (id: number) => (await db.query.users.findFirst({ where: eq(users.id, id) }))!
const outboxTo = (email: string) => db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))
const joined = (...cookies: (string | undefined)[]) => cookies.filter(Boolean).join('; ')

/** Signs in through 微信一键登录（测试模式） as the simulated WeChat user `nickname`; `cookie` is what the browser already carries. */
async function signInWithWechat(nickname = `微信读者${++nicknames}`, cookie?: string) {
  const start = readRedirect(await startLoader(routeArgs(requestFor('/auth/wechat?redirectTo=/account', { cookie }))))
  const state = new URL(start.location!, 'http://localhost:3000').searchParams.get('state')!
  const oauth = cookiePairOf(start.cookies, 'zhiyin_wx_oauth')
  const { cookies } = readRedirect(await testAction(routeArgs(requestFor('/auth/wechat/test', { cookie: joined(oauth, cookie), form: { state, nickname } }))))
  const session = sessionCookieOf(cookies)!.pair
  const [identity] = await db.select().from(wechatIdentities).where(and(eq(wechatIdentities.appId, 'test'), eq(wechatIdentities.nickname, nickname)))
  return { cookie: session, userId: identity!.userId, nickname }
}

function accountPost(cookie: string, form: Record<string, string>, ip?: string) {
  return accountAction(routeArgs(requestFor('/account', { form, cookie }), {}, ip))
}

async function verifyFromOutbox(email: string) {
  const [mail, ...more] = await outboxTo(email)
  expect(more).toEqual([])
  const token = /\/verify-email\/([a-z2-7]{32})/.exec(mail?.text ?? '')?.[1]
  expect(token, 'a verification link in the mail').toBeDefined()
  return readRedirect(await verifyRoute.action(routeArgs(requestFor(`/verify-email/${token}`, { method: 'POST' }), { token: token! })))
}

async function magicLinkSignIn(email: string) {
  readRedirect(await loginAction(routeArgs(requestFor('/login', { form: { intent: 'magic', email } }))))
  const [mail] = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, 'magic_link')))
  const token = /\/auth\/magic\/([a-z2-7]{32})/.exec(mail?.text ?? '')?.[1]
  if (!token) return null
  return readRedirect(await magicRoute.action(routeArgs(requestFor(`/auth/magic/${token}`, { method: 'POST' }), { token })))
}

describe('添加邮箱 for an account made by WeChat sign-in', () => {
  it('offers 添加邮箱 and 设置密码 (not 修改密码) to a WeChat-only reader', async () => {
    const { cookie } = await signInWithWechat()
    const data = await accountLoader(routeArgs(requestFor('/account', { cookie })))
    expect(data.user).toMatchObject({ email: null, emailVerified: false, hasPassword: false, mayAddEmail: true })
  })

  it('stores the address unverified and mails a verification link; once verified it receives a magic link that signs in', async () => {
    const { cookie, userId } = await signInWithWechat()
    const { location, cookies } = readRedirect(await accountPost(cookie, { intent: 'add-email', email: '  Reader.WX@Example.com ' }))
    expect(location).toBe('/account')
    expect((await flashOf(cookies))?.message).toBe(t.wechatAuth.account.emailAddedFlash)
    expect(await userRow(userId)).toMatchObject({ email: 'reader.wx@example.com', emailVerified: false })

    expect((await accountLoader(routeArgs(requestFor('/account', { cookie })))).user).toMatchObject({ email: 'reader.wx@example.com', emailVerified: false })
    await verifyFromOutbox('reader.wx@example.com')
    expect((await userRow(userId)).emailVerified).toBe(true)

    await db.delete(emailOutbox)
    const signedIn = await magicLinkSignIn('reader.wx@example.com')
    expect(signedIn).not.toBeNull()
    expect(sessionCookieOf(signedIn!.cookies)).not.toBeNull()
    // The verification link was the first proof: WeChat stays linked.
    expect(await db.select().from(wechatIdentities).where(eq(wechatIdentities.userId, userId))).toHaveLength(1)
  })

  it('refuses an address another account has with a 409 and stores nothing', async () => {
    const { user: other } = await createTestUser({ email: 'taken@example.com' })
    const { cookie, userId } = await signInWithWechat()
    const before = await userRow(userId)
    const refused = readData(await accountPost(cookie, { intent: 'add-email', email: 'TAKEN@example.com' }))
    expect(refused.status).toBe(409)
    expect(refused.data.errors).toEqual({ email: t.wechatAuth.account.emailTaken })
    expect(await userRow(userId)).toEqual(before)
    expect(await outboxTo('taken@example.com')).toEqual([])
    expect((await userRow(other.id)).email).toBe('taken@example.com')
  })

  it('refuses a malformed address with a 400 next to the field', async () => {
    const { cookie, userId } = await signInWithWechat()
    const before = await userRow(userId)
    const refused = readData(await accountPost(cookie, { intent: 'add-email', email: 'not-an-address' }))
    expect(refused.status).toBe(400)
    expect(refused.data.errors).toEqual({ email: t.errors.emailInvalid })
    expect(await userRow(userId)).toEqual(before)
  })

  it('a corrected address replaces the first: the link mailed to the first one no longer verifies anything', async () => {
    const { cookie, userId } = await signInWithWechat()
    readRedirect(await accountPost(cookie, { intent: 'add-email', email: 'typo@exmaple.com' }))
    const [first] = await outboxTo('typo@exmaple.com')
    const staleToken = /\/verify-email\/([a-z2-7]{32})/.exec(first!.text)![1]!
    readRedirect(await accountPost(cookie, { intent: 'add-email', email: 'right@example.com' }))
    expect((await userRow(userId)).email).toBe('right@example.com')
    const stale = await thrownResponse(verifyRoute.action(routeArgs(requestFor(`/verify-email/${staleToken}`, { method: 'POST' }), { token: staleToken })))
    expect(stale.status).toBeGreaterThanOrEqual(400)
    expect((await userRow(userId)).emailVerified).toBe(false)
    await verifyFromOutbox('right@example.com')
    expect((await userRow(userId)).emailVerified).toBe(true)
  })

  it('is limited like sign-up: the 11th try within the hour from one client address is a 429 with Retry-After', async () => {
    await createTestUser({ email: 'probe@example.com' })
    const { cookie } = await signInWithWechat()
    for (let i = 0; i < 10; i++) expect(readData(await accountPost(cookie, { intent: 'add-email', email: 'probe@example.com' }, '192.0.2.77')).status).toBe(409)
    const limited = readData(await accountPost(cookie, { intent: 'add-email', email: 'fresh-address@example.com' }, '192.0.2.77'))
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await outboxTo('fresh-address@example.com')).toEqual([])
  })

  it('is not for an account with a verified address (403)', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    expect(readData(await accountPost(cookie, { intent: 'add-email', email: 'another@example.com' })).status).toBe(403)
    expect((await userRow(user.id)).email).toBe(user.email)
  })

  it('whoever proves the address first by a magic link takes the account from the WeChat that added it (no pre-hijacking)', async () => {
    const { cookie, userId } = await signInWithWechat()
    readRedirect(await accountPost(cookie, { intent: 'add-email', email: 'squatted@example.com' }))
    await db.delete(emailOutbox)
    expect(await magicLinkSignIn('squatted@example.com')).not.toBeNull()
    expect((await userRow(userId)).emailVerified).toBe(true)
    expect(await db.select().from(wechatIdentities).where(eq(wechatIdentities.userId, userId))).toEqual([])
  })
})

describe('设置密码', () => {
  it('gives a WeChat-only account a password without asking for a current one; with a verified address it signs in by email and password', async () => {
    const { cookie, userId } = await signInWithWechat()
    const mismatch = readData(await accountPost(cookie, { intent: 'set-password', password: 'long enough pass', confirmPassword: 'different pass' }))
    expect(mismatch.status).toBe(400)
    expect(readData(await accountPost(cookie, { intent: 'set-password', password: 'short', confirmPassword: 'short' })).status).toBe(400)
    expect(await checkPassword(userId, 'long enough pass')).toBe(false)

    const { cookies } = readRedirect(await accountPost(cookie, { intent: 'set-password', password: 'long enough pass', confirmPassword: 'long enough pass' }))
    expect((await flashOf(cookies))?.message).toBe(t.wechatAuth.account.passwordSetFlash)
    expect((await accountLoader(routeArgs(requestFor('/account', { cookie })))).user.hasPassword).toBe(true)

    readRedirect(await accountPost(cookie, { intent: 'add-email', email: 'pw-reader@example.com' }))
    await verifyFromOutbox('pw-reader@example.com')
    const login = readRedirect(await loginAction(routeArgs(requestFor('/login', { form: { email: 'pw-reader@example.com', password: 'long enough pass' } }))))
    expect(sessionCookieOf(login.cookies)).not.toBeNull()
  })

  it('cannot stand in for 修改密码: an account with a password gets a 409 and keeps its password', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const refused = readData(await accountPost(cookie, { intent: 'set-password', password: 'hijacker password', confirmPassword: 'hijacker password' }))
    expect(refused.status).toBe(409)
    expect(refused.data.errors).toEqual({ form: t.wechatAuth.account.passwordExists })
    expect(await checkPassword(user.id, 'hijacker password')).toBe(false)
    expect(await checkPassword(user.id, TEST_PASSWORD)).toBe(true)
  })

  it('makes unlinking WeChat possible: refused while WeChat is the only way in, allowed once a password exists', async () => {
    const { cookie, userId } = await signInWithWechat()
    const refused = readData(await accountPost(cookie, { intent: 'wechat-unlink' }))
    expect(refused.status).toBe(409)
    readRedirect(await accountPost(cookie, { intent: 'set-password', password: 'long enough pass', confirmPassword: 'long enough pass' }))
    const { location } = readRedirect(await accountPost(cookie, { intent: 'wechat-unlink' }))
    expect(location).toBe('/account')
    expect(await db.select().from(wechatIdentities).where(eq(wechatIdentities.userId, userId))).toEqual([])
  })
})

describe('referrals for WeChat sign-ups', () => {
  async function refCookieFor(referrerId: number) {
    const response = await thrownResponse(rootLoader(routeArgs(requestFor(`/?ref=${await referralCodeFor(referrerId)}`))))
    return cookiePairOf(readRedirect(response).cookies, REFERRAL_COOKIE)!
  }

  it('a new account made by WeChat sign-in with a ?ref= cookie counts at once, and only once', async () => {
    const { user: sharer } = await createTestUser()
    const refCookie = await refCookieFor(sharer.id)
    const { userId, nickname } = await signInWithWechat(undefined, refCookie)
    const [row, ...more] = await db.select().from(referrals).where(eq(referrals.referredUserId, userId))
    expect(more).toEqual([])
    expect(row).toMatchObject({ referrerId: sharer.id })
    expect(row!.verifiedAt).toBeInstanceOf(Date)
    expect(await countReferrals(sharer.id)).toBe(1)

    // Signing in again (an existing account) counts nothing more.
    await signInWithWechat(nickname, refCookie)
    expect(await countReferrals(sharer.id)).toBe(1)
  })

  it('no referral for a sign-up without the cookie, nor for a reader opening their own link', async () => {
    const { userId, nickname } = await signInWithWechat()
    expect(await db.select().from(referrals).where(eq(referrals.referredUserId, userId))).toEqual([])
    const ownCookie = await refCookieFor(userId)
    await signInWithWechat(nickname, ownCookie)
    expect(await db.select().from(referrals).where(eq(referrals.referredUserId, userId))).toEqual([])
    expect(await countReferrals(userId)).toBe(0)
  })
})
