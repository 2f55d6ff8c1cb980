import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { authTokens, emailOutbox } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { consumeAuthToken, createAuthToken } from '~/models/auth-token.server'
import { verifyLogin } from '~/models/user.server'
import * as magicRoute from '~/routes/auth.magic.$token'
import * as forgotRoute from '~/routes/forgot-password'
import * as loginRoute from '~/routes/login'
import * as resetRoute from '~/routes/reset-password.$token'
import { getAuth } from '~/utils/auth.server'
import { db } from '~/utils/db.server'
import { countRows, sessionsOf, sha256Hex } from '../factories/db'
import { flashOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

afterEach(async () => {
  await db.delete(emailOutbox)
  await db.delete(authTokens)
})

/** The one link of a template in the outbox: the same URL in the HTML and the text part. */
async function mailedLink(template: string, pathPrefix: string) {
  const rows = await db.query.emailOutbox.findMany()
  expect(rows.map((r) => r.template)).toEqual([template])
  const mail = rows[0]!
  const pattern = new RegExp(`http://localhost:3000${pathPrefix}([a-z2-7]{32})`)
  const inText = pattern.exec(mail.text)
  const inHtml = pattern.exec(mail.html)
  expect(inText, 'link in the text part').not.toBeNull()
  expect(inHtml?.[1], 'same link in the HTML part').toBe(inText?.[1])
  return { mail, token: inText![1]! }
}


function requestMagicLink(email: string) {
  return loginRoute.action(routeArgs(requestFor('/login', { form: { intent: 'magic', email } })))
}

function useMagicLink(token: string) {
  return magicRoute.action(routeArgs(requestFor(`/auth/magic/${token}`, { method: 'POST' }), { token }))
}

describe('magic sign-in link', () => {
  it('for an existing user writes exactly one email with a /auth/magic/<token> link, stored only as a hash', async () => {
    const { user } = await createTestUser({ email: 'magic@example.com', displayName: '魔法读者' })
    const { location, cookies } = readRedirect(await requestMagicLink('Magic@Example.com'))
    expect(location).toBe('/login')
    expect(await flashOf(cookies)).toEqual({ kind: 'info', message: t.auth.magicSent })

    const { mail, token } = await mailedLink('magic_link', '/auth/magic/')
    expect(mail).toMatchObject({ toAddress: 'magic@example.com', state: 'pending', attempts: 0 })
    expect(mail.text).toContain('魔法读者')

    const tokens = await db.select().from(authTokens)
    expect(tokens).toHaveLength(1)
    expect(tokens[0]).toMatchObject({ id: sha256Hex(token), userId: user.id, purpose: 'magic_link', usedAt: null })
    const minutes = (tokens[0]!.expiresAt.getTime() - tokens[0]!.createdAt.getTime()) / 60_000
    expect(minutes).toBe(15)
  })

  it('for an unknown email writes nothing but answers exactly the same', async () => {
    const { location, cookies, response } = readRedirect(await requestMagicLink('stranger@example.com'))
    expect(response.status).toBe(302)
    expect(location).toBe('/login')
    expect(await flashOf(cookies)).toEqual({ kind: 'info', message: t.auth.magicSent })
    expect(await countRows(emailOutbox)).toBe(0)
    expect(await countRows(authTokens)).toBe(0)
  })

  it('writes the token and the email in one transaction: if the email cannot be written, no token is left', async () => {
    await createTestUser({ email: 'atomic@example.com' })
    await db.run(sql`CREATE TRIGGER outbox_down BEFORE INSERT ON email_outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END`)
    try {
      await expect(requestMagicLink('atomic@example.com')).rejects.toThrow()
    } finally {
      await db.run(sql`DROP TRIGGER outbox_down`)
    }
    expect(await countRows(authTokens)).toBe(0)
    expect(await countRows(emailOutbox)).toBe(0)
  })

  it('signs in once; the second use of the link is refused with 410', async () => {
    const { user } = await createTestUser({ email: 'once@example.com' })
    await requestMagicLink('once@example.com')
    const { token } = await mailedLink('magic_link', '/auth/magic/')

    // Opening the link (a GET, as a mail scanner would) does not use it up.
    expect(await magicRoute.loader(routeArgs(requestFor(`/auth/magic/${token}`), { token }))).toBeNull()

    const { location, cookies } = readRedirect(await useMagicLink(token))
    expect(location).toBe('/')
    const session = sessionCookieOf(cookies)
    expect((await getAuth(requestFor('/', { cookie: session!.pair })))?.user.id).toBe(user.id)

    const again = await thrownResponse(useMagicLink(token))
    expect(again.status).toBe(410)
    expect(await again.text()).toBe(t.errors.tokenUsed)
    expect((await thrownResponse(magicRoute.loader(routeArgs(requestFor(`/auth/magic/${token}`), { token })))).status).toBe(410)
    expect(await sessionsOf(user.id)).toHaveLength(1)
  })

  it('an unknown token is 404 on opening and 410 on use', async () => {
    const token = 'a'.repeat(32)
    expect((await thrownResponse(magicRoute.loader(routeArgs(requestFor(`/auth/magic/${token}`), { token })))).status).toBe(404)
    expect((await thrownResponse(useMagicLink(token))).status).toBe(410)
  })

  it('expires after 15 minutes', async () => {
    const { user } = await createTestUser()
    const issuedAt = new Date('2027-06-01T08:00:00Z')
    const token = await createAuthToken({ userId: user.id, purpose: 'magic_link', now: issuedAt })
    const later = (minutes: number) => new Date(issuedAt.getTime() + minutes * 60_000)

    expect(await consumeAuthToken({ token, purpose: 'magic_link', now: later(16) })).toBeNull()
    expect(await consumeAuthToken({ token, purpose: 'magic_link', now: later(15) })).toBeNull()
    // Not used up by those attempts: still good inside the window, and only once.
    expect(await consumeAuthToken({ token, purpose: 'magic_link', now: later(14) })).toBe(user.id)
    expect(await consumeAuthToken({ token, purpose: 'magic_link', now: later(14) })).toBeNull()
  })

  it('a magic-link token cannot reset a password', async () => {
    const { user } = await createTestUser()
    const token = await createAuthToken({ userId: user.id, purpose: 'magic_link' })
    expect(await consumeAuthToken({ token, purpose: 'password_reset' })).toBeNull()
    expect(await consumeAuthToken({ token, purpose: 'magic_link' })).toBe(user.id)
  })
})

describe('emailed links are capped per account', () => {
  it('a sixth magic link within the hour is not sent, and the answer is the same', async () => {
    await createTestUser({ email: 'flooded@example.com' })
    for (let i = 0; i < 6; i++) {
      const { location, cookies } = readRedirect(await requestMagicLink('flooded@example.com'))
      expect(location).toBe('/login')
      expect(await flashOf(cookies)).toEqual({ kind: 'info', message: t.auth.magicSent })
    }
    expect(await countRows(emailOutbox)).toBe(5)
    expect(await countRows(authTokens)).toBe(5)
  })

  it('a sixth reset email within the hour is not sent either', async () => {
    await createTestUser({ email: 'forgot-often@example.com' })
    for (let i = 0; i < 6; i++) {
      await forgotRoute.action(routeArgs(requestFor('/forgot-password', { form: { email: 'forgot-often@example.com' } })))
    }
    expect(await countRows(emailOutbox)).toBe(5)
  })
})

describe('password reset by email', () => {
  function forgot(email: string) {
    return forgotRoute.action(routeArgs(requestFor('/forgot-password', { form: { email } })))
  }
  function reset(token: string, form: Record<string, string>) {
    return resetRoute.action(routeArgs(requestFor(`/reset-password/${token}`, { form }), { token }))
  }

  it('emails a link; the link sets the new password, ends every session and signs this browser in', async () => {
    const { user, password } = await createTestUser({ email: 'forgetful@example.com' })
    const laptop = await signedInCookie(user.id)
    const phone = await signedInCookie(user.id)

    const { location, cookies } = readRedirect(await forgot('Forgetful@example.com'))
    expect(location).toBe('/login')
    expect(await flashOf(cookies)).toEqual({ kind: 'info', message: t.auth.forgotSent })
    const { mail, token } = await mailedLink('password_reset', '/reset-password/')
    expect(mail.toAddress).toBe('forgetful@example.com')

    expect(await resetRoute.loader(routeArgs(requestFor(`/reset-password/${token}`), { token }))).toBeNull()

    const done = readRedirect(await reset(token, { password: 'my new secret', confirmPassword: 'my new secret' }))
    expect(done.location).toBe('/account')
    const fresh = sessionCookieOf(done.cookies)
    expect((await sessionsOf(user.id)).map((s) => s.id)).toEqual([sha256Hex(fresh!.token)])
    expect(await getAuth(requestFor('/', { cookie: laptop.cookie }))).toBeNull()
    expect(await getAuth(requestFor('/', { cookie: phone.cookie }))).toBeNull()

    expect(await verifyLogin('forgetful@example.com', 'my new secret')).toMatchObject({ id: user.id })
    expect(await verifyLogin('forgetful@example.com', password)).toBeNull()

    expect((await thrownResponse(reset(token, { password: 'another one!', confirmPassword: 'another one!' }))).status).toBe(410)
    expect(await verifyLogin('forgetful@example.com', 'my new secret')).toMatchObject({ id: user.id })
  })

  it('an unknown email writes nothing but answers the same', async () => {
    const { location, cookies } = readRedirect(await forgot('nobody-here@example.com'))
    expect(location).toBe('/login')
    expect(await flashOf(cookies)).toEqual({ kind: 'info', message: t.auth.forgotSent })
    expect(await countRows(emailOutbox)).toBe(0)
    expect(await countRows(authTokens)).toBe(0)
  })

  it('a mismatched confirmation is a field error and leaves the link usable', async () => {
    const { user, password } = await createTestUser()
    const token = await createAuthToken({ userId: user.id, purpose: 'password_reset' })
    const answer = readData(await reset(token, { password: 'my new secret', confirmPassword: 'my new secret?' }))
    expect(answer.status).toBe(400)
    expect(answer.data.errors).toEqual({ confirmPassword: t.errors.passwordMismatch })
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id })
    expect(await resetRoute.loader(routeArgs(requestFor(`/reset-password/${token}`), { token }))).toBeNull()
  })

  it('an expired reset link is refused with 410 and the password stays', async () => {
    const { user, password } = await createTestUser()
    const token = await createAuthToken({ userId: user.id, purpose: 'password_reset', now: new Date(Date.now() - 31 * 60_000) })
    const opened = await thrownResponse(resetRoute.loader(routeArgs(requestFor(`/reset-password/${token}`), { token })))
    expect(opened.status).toBe(410)
    expect(await opened.text()).toBe(t.errors.tokenExpired)
    expect((await thrownResponse(reset(token, { password: 'my new secret', confirmPassword: 'my new secret' }))).status).toBe(410)
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id })
  })

  it('a reset ends every other unused emailed link of that user', async () => {
    const { user } = await createTestUser()
    const resetToken = await createAuthToken({ userId: user.id, purpose: 'password_reset' })
    const oldReset = await createAuthToken({ userId: user.id, purpose: 'password_reset' })
    const oldMagic = await createAuthToken({ userId: user.id, purpose: 'magic_link' })
    readRedirect(await reset(resetToken, { password: 'my new secret', confirmPassword: 'my new secret' }))
    expect(await consumeAuthToken({ token: oldReset, purpose: 'password_reset' })).toBeNull()
    expect(await consumeAuthToken({ token: oldMagic, purpose: 'magic_link' })).toBeNull()
  })

  it('a made-up reset token is refused (404) before the form is even read', async () => {
    const answer = await thrownResponse(reset('a'.repeat(32), { password: 'x' }))
    expect(answer.status).toBe(404)
    expect(await answer.text()).toBe(t.errors.tokenInvalid)
  })
})
