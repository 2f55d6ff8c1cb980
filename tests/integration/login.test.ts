import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { emailOutbox, loginFailures, sessions } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { LOGIN_FAILURE_WINDOW_MS, LOGIN_LIMITS } from '~/models/user.server'
import { action } from '~/routes/login'
import { db } from '~/utils/db.server'
import { countRows, sha256Hex } from '../factories/db'
import { CLIENT_IP, readData, readRedirect, requestFor, routeArgs, sessionCookieOf } from '../factories/requests'
import { createTestUser } from '../factories/users'

type LoginData = { intent: string; errors: Record<string, string>; lockedEmail?: string }

/** Failed sign-ins written straight to the table, as earlier attempts would have left them. */
async function insertFailures({ email, ip, n, at = new Date() }: { email: string; ip: string; n: number; at?: Date }) {
  await db.insert(loginFailures).values(Array.from({ length: n }, () => ({ email, ip, createdAt: at })))
}

function login(form: Record<string, string>, clientIp = '203.0.113.1') {
  return action(routeArgs(requestFor('/login', { form }), {}, clientIp))
}

describe('sign-in with a password', () => {
  it('a wrong password and an unknown email get the same generic 400, and no session', async () => {
    const { user } = await createTestUser({ email: 'known@example.com' })
    const wrongPassword = readData<LoginData>(await login({ email: 'known@example.com', password: 'wrong password' }, '198.51.100.1'))
    const unknownEmail = readData<LoginData>(await login({ email: 'nobody@example.com', password: 'wrong password' }, '198.51.100.1'))

    for (const answer of [wrongPassword, unknownEmail]) {
      expect(answer.status).toBe(400)
      expect(answer.data).toEqual({ intent: 'password', errors: { form: t.errors.loginFailed } })
      expect(answer.headers.get('Set-Cookie')).toBeNull()
    }
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([])
  })

  it('10 wrong passwords for one account from one address lock that address out of that account — 429 with the wait and the emailed link offered, even with the right password — while the owner signs in from elsewhere (fails without the fix)', async () => {
    const { user, password } = await createTestUser({ email: 'target@example.com' })
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) {
      const answer = readData<LoginData>(await login({ email: 'target@example.com', password: `guess ${i}` }, '192.0.2.66'))
      expect(answer.status).toBe(400)
    }

    const locked = readData<LoginData>(await login({ email: 'Target@Example.com', password }, '192.0.2.66'))
    expect(locked.status).toBe(429)
    const retryAfter = Number(locked.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_FAILURE_WINDOW_MS / 1000)
    expect(locked.data.errors.form).toBe(t.errors.tooManyAttempts(retryAfter))
    expect(locked.data.errors.form).toMatch(/\d+\s*分钟/)
    expect(locked.data.lockedEmail).toBe('target@example.com')
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([])

    // The owner, elsewhere, is not locked out by the stranger's guesses.
    readRedirect(await login({ email: 'target@example.com', password }, '203.0.113.10'))
  })

  it('the locked page’s button emails a sign-in link to the locked address', async () => {
    const { user } = await createTestUser({ email: 'locked-out@example.com' })
    await insertFailures({ email: user.email, ip: '192.0.2.77', n: LOGIN_LIMITS.perAccountAndAddress })
    const locked = readData<LoginData>(await login({ email: user.email, password: 'whatever' }, '192.0.2.77'))
    expect(locked.status).toBe(429)

    const sent = readRedirect(await login({ intent: 'magic', email: locked.data.lockedEmail! }, '192.0.2.77'))
    expect(sent.location).toBe('/login')
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email))
    expect(mail.map((m) => m.template)).toEqual(['magic_link'])
  })

  it('100 failures for one account spread over many addresses lock that account everywhere', async () => {
    const { password } = await createTestUser({ email: 'popular@example.com' })
    for (let i = 0; i < LOGIN_LIMITS.perAccount / 5; i++) await insertFailures({ email: 'popular@example.com', ip: `198.18.0.${i}`, n: 5 })
    const locked = readData<LoginData>(await login({ email: 'popular@example.com', password }, '203.0.113.11'))
    expect(locked.status).toBe(429)
  })

  it('a shared address where 10 sign-ins failed across accounts still lets its other people in (fails without the fix)', async () => {
    const { password, user } = await createTestUser({ email: 'colleague@example.com' })
    for (let i = 0; i < 10; i++) await insertFailures({ email: `someone${i}@example.com`, ip: '198.51.100.44', n: 1 })
    readRedirect(await login({ email: user.email, password }, '198.51.100.44'))
  })

  it('50 failures from one address across accounts lock that address, but not other addresses', async () => {
    const { password } = await createTestUser({ email: 'victim@example.com' })
    for (let i = 0; i < LOGIN_LIMITS.perAddress / 5; i++) await insertFailures({ email: `probe${i}@example.com`, ip: '203.0.113.66', n: 5 })

    const locked = readData<LoginData>(await login({ email: 'victim@example.com', password }, '203.0.113.66'))
    expect(locked.status).toBe(429)
    expect(locked.headers.get('Retry-After')).toMatch(/^\d+$/)
    expect(locked.data.errors.form).toBe(t.errors.tooManyAttempts(Number(locked.headers.get('Retry-After'))))

    readRedirect(await login({ email: 'victim@example.com', password }, '203.0.113.67'))
  })

  it('failures older than 15 minutes no longer count', async () => {
    const { password } = await createTestUser({ email: 'patient@example.com' })
    const longAgo = new Date(Date.now() - LOGIN_FAILURE_WINDOW_MS - 60_000)
    await insertFailures({ email: 'patient@example.com', ip: CLIENT_IP, n: LOGIN_LIMITS.perAccountAndAddress, at: longAgo })
    readRedirect(await login({ email: 'patient@example.com', password }))
  })

  it('success starts a new session each time and clears the failures of that account from that address only', async () => {
    const { user, password } = await createTestUser({ email: 'returning@example.com' })
    await login({ email: 'returning@example.com', password: 'wrong one' })
    await login({ email: 'returning@example.com', password: 'wrong two' }, '198.51.100.21')
    expect(await db.select().from(loginFailures).where(eq(loginFailures.email, 'returning@example.com'))).toHaveLength(2)

    const first = readRedirect(await login({ email: 'returning@example.com', password, redirectTo: '/account' }))
    expect(first.location).toBe('/account')
    const second = readRedirect(await login({ email: 'returning@example.com', password }))
    const firstToken = sessionCookieOf(first.cookies)!.token
    const secondToken = sessionCookieOf(second.cookies)!.token
    expect(secondToken).not.toBe(firstToken)

    const ids = (await db.select().from(sessions).where(eq(sessions.userId, user.id))).map((s) => s.id).sort()
    expect(ids).toEqual([sha256Hex(firstToken), sha256Hex(secondToken)].sort())
    // Someone else's guess from another address still counts.
    const left = await db.select().from(loginFailures).where(eq(loginFailures.email, 'returning@example.com'))
    expect(left.map((row) => row.ip)).toEqual(['198.51.100.21'])
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example'])('redirectTo=%s sends the user to / instead', async (redirectTo) => {
    const { password, user } = await createTestUser()
    const { location } = readRedirect(await login({ email: user.email, password, redirectTo }))
    expect(location).toBe('/')
  })

  it.each([
    ['an ideographic space', '/\u3000', '/%E3%80%80'],
    ['立即购买 with Chinese 刻字', '/checkout?buy=3&qty=1&p=知音', '/checkout?buy=3&qty=1&p=%E7%9F%A5%E9%9F%B3'],
  ])('a correct sign-in with %s in redirectTo lands there percent-encoded, with exactly one session (fails without the fix)', async (_name, redirectTo, expected) => {
    const { user, password } = await createTestUser()
    const { location, cookies } = readRedirect(await login({ email: user.email, password, redirectTo }))
    expect(location).toBe(expected)
    const rows = await db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(rows.map((row) => row.id)).toEqual([sha256Hex(sessionCookieOf(cookies)!.token)])
  })

  it('a malformed email is a field error and is not counted as a failure', async () => {
    const before = await countRows(loginFailures)
    const answer = readData<LoginData>(await login({ email: 'no-at-sign', password: 'whatever' }))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ email: t.errors.emailInvalid })
    expect(await countRows(loginFailures)).toBe(before)
  })
})
