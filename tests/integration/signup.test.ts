// Sign-up (docs/decisions/014): the same answer whether or not the address has an account, no
// session from it, a verification link for a new address, a "you already have an account" mail
// for a registered one, and a limit per client address counted in the database.
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { authTokens, emailOutbox, passwords, rateLimitHits, sessions, users } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { SIGNUP_LIMIT } from '~/models/signup.server'
import { action, loader } from '~/routes/signup'
import * as verifyRoute from '~/routes/verify-email.$token'
import { getAuth } from '~/utils/auth.server'
import { db } from '~/utils/db.server'
import { readFlash } from '~/utils/flash.server'
import { countRows, sha256Hex } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, sessionCookieOf, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const valid = { email: 'Reader@Example.com', displayName: '新读者', password: 'long enough pass', agree: 'on' }
let address = 0

afterEach(async () => {
  await db.delete(emailOutbox)
  await db.delete(rateLimitHits)
})

/** Each sign-up from its own client address unless told, so the limit stays out of the way. */
function signup(form: Record<string, string>, clientIp = `198.51.100.${++address}`) {
  return action(routeArgs(requestFor('/signup', { form }), {}, clientIp))
}

function verify(token: string, { query = '', cookie }: { query?: string; cookie?: string } = {}) {
  return verifyRoute.action(routeArgs(requestFor(`/verify-email/${token}${query}`, { method: 'POST', cookie }), { token }))
}

const outboxTo = (email: string) => db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))

/** The verification link in the one mail to `email`: its token and query. */
async function verificationLink(email: string) {
  const mails = await outboxTo(email)
  expect(mails.map((m) => m.template)).toEqual(['verify_email'])
  const match = /http:\/\/localhost:3000\/verify-email\/([a-z2-7]{32})(\?[^\s"]*)?/.exec(mails[0]!.text)
  expect(match, 'a /verify-email/<token> link in the text part').not.toBeNull()
  expect(mails[0]!.html).toContain(`/verify-email/${match![1]}`)
  return { token: match![1]!, query: match![2] ?? '' }
}

async function flashOf(setCookies: string[]) {
  const pair = setCookies.find((c) => c.startsWith('zhiyin_flash='))?.split(';')[0]
  return (await readFlash(requestFor('/', { cookie: pair }))).flash
}

const tableCounts = async () => ({
  users: await countRows(users),
  passwords: await countRows(passwords),
  sessions: await countRows(sessions),
  tokens: await countRows(authTokens),
})

describe('signing up with a new address', () => {
  it('creates an unverified account with an argon2id hash, signs nobody in, and emails a single-use verification link', async () => {
    const { location, cookies, response } = readRedirect(await signup({ ...valid, redirectTo: '/account' }))
    expect(response.status).toBe(303)
    expect(location).toBe('/signup/sent')
    expect(cookies).toEqual([])

    const user = await db.query.users.findFirst({ where: eq(users.email, 'reader@example.com') })
    expect(user).toMatchObject({ displayName: '新读者', role: 'user', emailVerified: false })
    const password = await db.query.passwords.findFirst({ where: eq(passwords.userId, user!.id) })
    expect(password?.hash.startsWith('$argon2id$')).toBe(true)
    expect(password?.hash).not.toContain(valid.password)
    expect(await db.select().from(sessions).where(eq(sessions.userId, user!.id))).toEqual([])

    const { token } = await verificationLink('reader@example.com')
    const [stored] = await db.select().from(authTokens).where(eq(authTokens.userId, user!.id))
    expect(stored).toMatchObject({ id: sha256Hex(token), purpose: 'verify_email', usedAt: null })
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBe(24 * 60 * 60_000)
  })

  it('opening the link shows a button and changes nothing; pressing it verifies the address and signs in, once', async () => {
    readRedirect(await signup({ ...valid, email: 'clicker@example.com', redirectTo: '/account' }))
    const { token, query } = await verificationLink('clicker@example.com')
    expect(query).toBe('?redirectTo=%2Faccount')

    expect(await verifyRoute.loader(routeArgs(requestFor(`/verify-email/${token}${query}`), { token }))).toBeNull()
    const user = (await db.query.users.findFirst({ where: eq(users.email, 'clicker@example.com') }))!
    expect(user.emailVerified).toBe(false)

    const { location, cookies } = readRedirect(await verify(token, { query }))
    expect(location).toBe('/account')
    expect(await flashOf(cookies)).toEqual({ kind: 'success', message: t.auth.welcome(user.displayName) })
    const auth = await getAuth(requestFor('/', { cookie: sessionCookieOf(cookies)!.pair }))
    expect(auth?.user).toMatchObject({ id: user.id, emailVerified: true })

    expect((await thrownResponse(verify(token))).status).toBe(410)
    expect((await thrownResponse(verifyRoute.loader(routeArgs(requestFor(`/verify-email/${token}`), { token })))).status).toBe(410)
    expect((await thrownResponse(verify('a'.repeat(32)))).status).toBe(410)
  })

  it('the link brings the reader back to a non-ASCII page, encoded, and never off the site', async () => {
    readRedirect(await signup({ ...valid, email: 'buyer@example.com', redirectTo: '/checkout?buy=3&qty=1&p=知音' }))
    const back = await verificationLink('buyer@example.com')
    expect(readRedirect(await verify(back.token, { query: back.query })).location).toBe('/checkout?buy=3&qty=1&p=%E7%9F%A5%E9%9F%B3')

    readRedirect(await signup({ ...valid, email: 'wanderer@example.com', redirectTo: '//evil.example' }))
    const away = await verificationLink('wanderer@example.com')
    expect(away.query).toBe('')
    expect(readRedirect(await verify(away.token, { query: '?redirectTo=//evil.example' })).location).toBe('/')
  })

  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'email', t.errors.emailInvalid],
    ['a password under 8 characters', { password: 'short' }, 'password', t.errors.passwordTooShort],
    ['a 500-character name', { displayName: '名'.repeat(500) }, 'displayName', t.errors.nameTooLong],
  ])('%s answers 400 with the field error and creates nobody', async (_name, change, field, message) => {
    const before = await tableCounts()
    const { status, data, headers } = readData(await signup({ ...valid, email: 'fresh@example.com', ...change }))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ [field]: message })
    expect(headers.get('Set-Cookie')).toBeNull()
    expect(await tableCounts()).toEqual(before)
    expect(await countRows(emailOutbox)).toBe(0)
  })

  it.each([
    ['left unticked', {}],
    ['sent with another value', { agree: 'yes' }],
  ])('the agreement to 《用户协议》 and 《隐私政策》 %s answers 400 with its field error and stores nothing (fails without the box)', async (_name, agreement) => {
    const before = await tableCounts()
    const { agree: _ticked, ...unticked } = valid
    const { status, data, headers } = readData(await signup({ ...unticked, email: 'unticked@example.com', ...agreement }))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ agree: '请阅读并同意《用户协议》和《隐私政策》' })
    expect(headers.get('Set-Cookie')).toBeNull()
    expect(await tableCounts()).toEqual(before)
    expect(await countRows(emailOutbox)).toBe(0)
  })

  it('a signed-in reader is sent home instead', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    expect(readRedirect(await thrownResponse(loader(routeArgs(requestFor('/signup', { cookie }))))).location).toBe('/')
  })
})

describe('signing up with an address that already has an account', () => {
  it('answers exactly as for a new address, changes nothing and signs nobody in; the owner is told by mail (fails without the fix)', async () => {
    const { user } = await createTestUser({ email: 'admin@example.com', displayName: '老读者' })
    const passwordBefore = await db.query.passwords.findFirst({ where: eq(passwords.userId, user.id) })
    const before = await tableCounts()

    const existing = readRedirect(await signup({ ...valid, email: 'Admin@Example.com', displayName: '冒名者', password: 'attacker password' }))
    const fresh = readRedirect(await signup({ ...valid, email: 'brand-new@example.com' }))

    for (const answer of [existing, fresh]) {
      expect(answer.response.status).toBe(303)
      expect(answer.location).toBe('/signup/sent')
      expect(answer.cookies).toEqual([])
    }
    // Only the new address added rows.
    expect(await tableCounts()).toEqual({ ...before, users: before.users + 1, passwords: before.passwords + 1, tokens: before.tokens + 1 })
    expect(await db.query.users.findFirst({ where: eq(users.id, user.id) })).toEqual(user)
    expect(await db.query.passwords.findFirst({ where: eq(passwords.userId, user.id) })).toEqual(passwordBefore)
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([])

    const [mail, ...more] = await outboxTo('admin@example.com')
    expect(more).toEqual([])
    expect(mail).toMatchObject({ template: 'signup_existing', subject: '你已经有知音账户了' })
    expect(mail!.text).toContain('老读者')
    expect(mail!.text).toContain('http://localhost:3000/login')
    expect(mail!.text).toContain('http://localhost:3000/forgot-password')
    expect(mail!.text).not.toContain('冒名者')
  })

  it('past three such mails an hour, the same answer sends nothing more', async () => {
    await createTestUser({ email: 'popular@example.com' })
    for (let i = 0; i < 5; i++) {
      expect(readRedirect(await signup({ ...valid, email: 'popular@example.com' })).location).toBe('/signup/sent')
    }
    expect(await outboxTo('popular@example.com')).toHaveLength(3)
  })
})

describe('sign-ups per client address', () => {
  it(`the ${SIGNUP_LIMIT.limit + 1}th sign-up from one address in an hour answers 429 with Retry-After and a zh-CN message, creating nobody; another address may still sign up (fails without the fix)`, async () => {
    for (let i = 0; i < SIGNUP_LIMIT.limit; i++) {
      expect(readRedirect(await signup({ ...valid, email: `burst${i}@example.com` }, '203.0.113.50')).location).toBe('/signup/sent')
    }
    const before = await tableCounts()
    const refused = readData(await signup({ ...valid, email: 'burst-extra@example.com' }, '203.0.113.50'))
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(SIGNUP_LIMIT.windowMs / 1000)
    expect(refused.data.errors).toEqual({ form: t.errors.tooManySignups(retryAfter) })
    expect(refused.data.errors.form).toMatch(/^注册太频繁，请 \d+ 分钟后再试$/)
    expect(await tableCounts()).toEqual(before)
    expect(await outboxTo('burst-extra@example.com')).toEqual([])

    readRedirect(await signup({ ...valid, email: 'neighbour@example.com' }, '203.0.113.51'))
  })

  it('parallel sign-ups from one address cannot slip past the limit: the count is decided by the write that records each', async () => {
    const answers = await Promise.all(
      Array.from({ length: SIGNUP_LIMIT.limit + 5 }, (_, i) => signup({ ...valid, email: `storm${i}@example.com` }, '203.0.113.60')),
    )
    const statuses = answers.map((answer) => (answer instanceof Response ? answer.status : readData(answer).status))
    expect(statuses.filter((s) => s === 303)).toHaveLength(SIGNUP_LIMIT.limit)
    expect(statuses.filter((s) => s === 429)).toHaveLength(5)
  })
})
