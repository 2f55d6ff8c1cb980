import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { passwords, sessions, users } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { action } from '~/routes/signup'
import { getAuth } from '~/utils/auth.server'
import { db } from '~/utils/db.server'
import { countRows, sha256Hex } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, sessionCookieOf } from '../factories/requests'
import { createTestUser } from '../factories/users'

const valid = { email: 'Reader@Example.com', displayName: '新读者', password: 'long enough pass' }

function signup(form: Record<string, string>) {
  return action(routeArgs(requestFor('/signup', { form })))
}

describe('sign-up', () => {
  it('creates the user with an argon2id hash, a hashed session and an HttpOnly cookie', async () => {
    const { location, cookies } = readRedirect(await signup({ ...valid, redirectTo: '/account' }))
    expect(location).toBe('/account')

    const user = await db.query.users.findFirst({ where: eq(users.email, 'reader@example.com') })
    expect(user).toMatchObject({ displayName: '新读者', role: 'user' })

    const password = await db.query.passwords.findFirst({ where: eq(passwords.userId, user!.id) })
    expect(password?.hash.startsWith('$argon2id$')).toBe(true)
    expect(password?.hash).not.toContain(valid.password)

    const session = sessionCookieOf(cookies)
    expect(session?.header).toMatch(/^zhiyin_session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax; Expires=/)
    const rows = await db.select().from(sessions)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: sha256Hex(session!.token), userId: user!.id, ip: '203.0.113.1' })
    expect(rows[0]!.id).not.toBe(session!.token)

    // The cookie signs the browser in.
    const auth = await getAuth(requestFor('/', { cookie: session!.pair }))
    expect(auth?.user.id).toBe(user!.id)
  })

  it('never redirects off the site after sign-up', async () => {
    const { location } = readRedirect(await signup({ ...valid, email: 'other@example.com', redirectTo: '//evil.example' }))
    expect(location).toBe('/')
  })

  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'email', t.errors.emailInvalid],
    ['a password under 8 characters', { password: 'short' }, 'password', t.errors.passwordTooShort],
    ['a 500-character name', { displayName: '名'.repeat(500) }, 'displayName', t.errors.nameTooLong],
  ])('%s answers 400 with the field error and creates nobody', async (_name, change, field, message) => {
    const before = await countRows(users)
    const { status, data, headers } = readData(await signup({ ...valid, email: 'fresh@example.com', ...change }))
    expect(status).toBe(400)
    expect(data.errors).toEqual({ [field]: message })
    expect(headers.get('Set-Cookie')).toBeNull()
    expect(await countRows(users)).toBe(before)
  })

  it('an email already used in another case answers 409 "already registered" and creates nobody', async () => {
    await createTestUser({ email: 'admin@example.com' })
    const before = { users: await countRows(users), sessions: await countRows(sessions), passwords: await countRows(passwords) }

    const { status, data } = readData(await signup({ ...valid, email: 'Admin@Example.com' }))
    expect(status).toBe(409)
    expect(data.errors).toEqual({ email: t.errors.emailTaken })
    expect({ users: await countRows(users), sessions: await countRows(sessions), passwords: await countRows(passwords) }).toEqual(
      before,
    )
  })
})
