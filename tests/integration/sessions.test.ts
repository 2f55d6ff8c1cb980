import { randomBytes } from 'node:crypto'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { emailOutbox, sessions } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { SESSION_LIFETIME_MS } from '~/models/session.server'
import { verifyLogin } from '~/models/user.server'
import { action as accountAction } from '~/routes/account'
import { getAuth } from '~/utils/auth.server'
import { db } from '~/utils/db.server'
import { sessionsOf, sha256Hex } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, sessionCookieOf } from '../factories/requests'
import { addMembership, createTestUser, DAY_MS, signedInCookie } from '../factories/users'

function accountPost(cookie: string, form: Record<string, string>) {
  return accountAction(routeArgs(requestFor('/account', { form, cookie })))
}

describe('reading the session cookie', () => {
  it('a forged cookie (a well-formed random token) signs nobody in', async () => {
    await createTestUser()
    const forged = encodeBase32LowerCaseNoPadding(randomBytes(20))
    expect(await getAuth(requestFor('/', { cookie: `zhiyin_session=${forged}` }))).toBeNull()
  })

  it('a cookie that is not a token at all signs nobody in', async () => {
    const { user } = await createTestUser()
    const { cookie, token } = await signedInCookie(user.id)
    expect((await getAuth(requestFor('/', { cookie })))?.user.id).toBe(user.id)
    // The stored hash itself, upper case, or with junk appended: none is the token.
    for (const value of [sha256Hex(token), token.toUpperCase(), `${token}x`, token.slice(1)]) {
      expect(await getAuth(requestFor('/', { cookie: `zhiyin_session=${value}` }))).toBeNull()
    }
  })

  it('an expired session signs nobody in and its row is deleted', async () => {
    const { user } = await createTestUser()
    const { cookie, token } = await signedInCookie(user.id, { now: new Date(Date.now() - SESSION_LIFETIME_MS - 60_000) })
    expect(await sessionsOf(user.id)).toHaveLength(1)

    expect(await getAuth(requestFor('/', { cookie }))).toBeNull()
    expect(await db.select().from(sessions).where(eq(sessions.id, sha256Hex(token)))).toEqual([])
  })

  it('a session within 15 days of its expiry is extended to 30 days and the cookie is sent again', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id, { now: new Date(Date.now() - 20 * DAY_MS) })

    const before = Date.now()
    const auth = await getAuth(requestFor('/', { cookie }))
    expect(auth?.user.id).toBe(user.id)
    expect(auth?.renewedCookie).toMatch(/^zhiyin_session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax; Expires=/)
    expect(auth?.renewedCookie?.startsWith(`${cookie};`)).toBe(true)

    const [row] = await sessionsOf(user.id)
    expect(row!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + SESSION_LIFETIME_MS)
    expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + SESSION_LIFETIME_MS)
    expect(auth?.renewedCookie).toContain(`Expires=${row!.expiresAt.toUTCString()}`)
  })

  it('a session with more than 15 days left is not touched', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id, { now: new Date(Date.now() - 10 * DAY_MS) })
    const [before] = await sessionsOf(user.id)

    const auth = await getAuth(requestFor('/', { cookie }))
    expect(auth?.user.id).toBe(user.id)
    expect(auth?.renewedCookie).toBeNull()
    const [after] = await sessionsOf(user.id)
    expect(after!.expiresAt).toEqual(before!.expiresAt)
  })
})

describe('one reading of the session per request (decision 032)', () => {
  it('brings every membership of the user, lapsed and revoked ones included, with its tier', async () => {
    const { user } = await createTestUser()
    const now = Date.now()
    await addMembership(user.id, { tier: 'tiegan' })
    await addMembership(user.id, { tier: 'qinqing', validFrom: new Date(now - 400 * DAY_MS), validUntil: new Date(now - 35 * DAY_MS) })
    await addMembership(user.id, { tier: 'qinqing', revokedAt: new Date(now - DAY_MS) })
    const { cookie } = await signedInCookie(user.id)

    const auth = await getAuth(requestFor('/', { cookie }))
    expect(auth?.user.id).toBe(user.id)
    expect(auth?.memberships.map((m) => [m.tierName, m.validUntil < new Date(now), m.revokedAt !== null]).sort()).toEqual([
      ['亲情会员', false, true],
      ['亲情会员', true, false],
      ['铁杆会员', false, false],
    ])
  })

  it('a reader without memberships is signed in with none', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const auth = await getAuth(requestFor('/', { cookie }))
    expect(auth?.user.id).toBe(user.id)
    expect(auth?.memberships).toEqual([])
  })

  it('the loaders of one page share the reading: Remix gives each its own Request, the context is common', async () => {
    const { user } = await createTestUser()
    const { cookie, token } = await signedInCookie(user.id)
    const context = { clientIp: '203.0.113.1' }
    expect((await getAuth(requestFor('/', { cookie }), context))?.user.id).toBe(user.id)
    await db.delete(sessions).where(eq(sessions.id, sha256Hex(token)))

    // The page's loader of the same request reads what the root's read (no second query) …
    expect((await getAuth(requestFor('/', { cookie }), context))?.user.id).toBe(user.id)
    // … and the next request reads the session afresh.
    expect(await getAuth(requestFor('/', { cookie }), { clientIp: '203.0.113.1' })).toBeNull()
  })

  it('the loaders that run after an action read the session afresh, not what the action read', async () => {
    const { user } = await createTestUser()
    const { cookie, token } = await signedInCookie(user.id)
    const context = { clientIp: '203.0.113.1' }
    expect((await getAuth(requestFor('/account', { cookie, form: { intent: 'x' } }), context))?.user.id).toBe(user.id)
    // The action ends the session (as signing out or revoking would) …
    await db.delete(sessions).where(eq(sessions.id, sha256Hex(token)))
    // … and the page it renders again in the same request shows a visitor.
    expect(await getAuth(requestFor('/account', { cookie }), context)).toBeNull()
  })

  it('a different cookie in a shared context is never answered with another reader\'s session', async () => {
    const { user: first } = await createTestUser()
    const { user: second } = await createTestUser()
    const context = { clientIp: '203.0.113.1' }
    expect((await getAuth(requestFor('/', { cookie: (await signedInCookie(first.id)).cookie }), context))?.user.id).toBe(first.id)
    expect((await getAuth(requestFor('/', { cookie: (await signedInCookie(second.id)).cookie }), context))?.user.id).toBe(second.id)
  })
})

describe('changing the password on /account', () => {
  it('ends every session of the user, this one included, and signs this browser in afresh', async () => {
    const { user, password } = await createTestUser()
    const here = await signedInCookie(user.id)
    const phone = await signedInCookie(user.id)
    const { user: other } = await createTestUser()
    const othersSession = await signedInCookie(other.id)

    const { location, cookies } = readRedirect(
      await accountPost(here.cookie, {
        intent: 'password',
        currentPassword: password,
        password: 'a brand new password',
        confirmPassword: 'a brand new password',
      }),
    )
    expect(location).toBe('/account')
    const fresh = sessionCookieOf(cookies)
    expect(fresh).not.toBeNull()
    expect([here.token, phone.token]).not.toContain(fresh!.token)

    expect((await sessionsOf(user.id)).map((s) => s.id)).toEqual([sha256Hex(fresh!.token)])
    expect(await getAuth(requestFor('/', { cookie: here.cookie }))).toBeNull()
    expect(await getAuth(requestFor('/', { cookie: phone.cookie }))).toBeNull()
    expect((await getAuth(requestFor('/', { cookie: fresh!.pair })))?.user.id).toBe(user.id)
    // Someone else's session is not affected.
    expect((await getAuth(requestFor('/', { cookie: othersSession.cookie })))?.user.id).toBe(other.id)

    expect(await verifyLogin(user.email, 'a brand new password')).toMatchObject({ id: user.id })
    expect(await verifyLogin(user.email, password)).toBeNull()
    const mail = await db.query.emailOutbox.findMany({ where: eq(emailOutbox.toAddress, user.email) })
    expect(mail.map((m) => m.template)).toEqual(['password_changed'])
  })

  it('a wrong current password changes nothing', async () => {
    const { user, password } = await createTestUser()
    const here = await signedInCookie(user.id)
    const answer = readData(
      await accountPost(here.cookie, {
        intent: 'password',
        currentPassword: 'not my password',
        password: 'a brand new password',
        confirmPassword: 'a brand new password',
      }),
    )
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ currentPassword: t.errors.currentPasswordWrong })
    expect((await sessionsOf(user.id)).map((s) => s.id)).toEqual([sha256Hex(here.token)])
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id })
  })
})

describe('revoking a session on /account', () => {
  it('another user’s session id answers 404 and that session lives on', async () => {
    const { user } = await createTestUser()
    const mine = await signedInCookie(user.id)
    const { user: victim } = await createTestUser()
    const theirs = await signedInCookie(victim.id)

    const answer = readData(await accountPost(mine.cookie, { intent: 'revoke', sessionId: sha256Hex(theirs.token) }))
    expect(answer.status).toBe(404)
    expect(answer.data.errors).toEqual({ form: t.errors.invalidChoice })
    expect((await sessionsOf(victim.id)).map((s) => s.id)).toEqual([sha256Hex(theirs.token)])
    expect((await getAuth(requestFor('/', { cookie: theirs.cookie })))?.user.id).toBe(victim.id)
  })

  it('one of my own other sessions is ended', async () => {
    const { user } = await createTestUser()
    const here = await signedInCookie(user.id)
    const laptop = await signedInCookie(user.id)

    const { location } = readRedirect(await accountPost(here.cookie, { intent: 'revoke', sessionId: sha256Hex(laptop.token) }))
    expect(location).toBe('/account')
    expect((await sessionsOf(user.id)).map((s) => s.id)).toEqual([sha256Hex(here.token)])
  })

  it('without a session the action sends the browser to /login and back', async () => {
    const response = await accountAction(routeArgs(requestFor('/account', { form: { intent: 'revoke', sessionId: 'x' } }))).catch(
      (e: unknown) => e,
    )
    const { location } = readRedirect(response)
    expect(location).toBe('/login?redirectTo=%2Faccount')
  })
})
