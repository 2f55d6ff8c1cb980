// Email verification after sign-up (docs/decisions/014): what an unverified account gets (no
// daily mail), how /account shows and resends, how other emailed links prove the address, and
// that accounts from before verification existed count as verified.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase } from '../../db/client'
import { MIGRATIONS_FOLDER, runMigrations } from '../../db/migrate'
import { authTokens, emailOutbox, users } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { createAuthToken, MAX_LINKS_PER_HOUR } from '~/models/auth-token.server'
import { publishDueDailies } from '~/models/daily.server'
import { verifyLogin } from '~/models/user.server'
import { action as accountAction, loader as accountLoader } from '~/routes/account'
import * as magicRoute from '~/routes/auth.magic.$token'
import * as resetRoute from '~/routes/reset-password.$token'
import * as verifyRoute from '~/routes/verify-email.$token'
import { db } from '~/utils/db.server'
import { insertDaily, nextSequence } from '../factories/dailies'
import { sessionsOf } from '../factories/db'
import { flashOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

afterEach(async () => {
  await db.delete(emailOutbox)
})

const unverifiedReader = () => createTestUser({ emailVerified: false })
const userRow = async (id: number) => (await db.query.users.findFirst({ where: eq(users.id, id) }))!


function accountPost(cookie: string, form: Record<string, string>) {
  return accountAction(routeArgs(requestFor('/account', { form, cookie })))
}

describe('the daily email goes only to verified addresses', () => {
  it('an opted-in reader who has not verified gets no daily email; once verified, the next one arrives (fails without the fix)', async () => {
    const { user: waiting } = await unverifiedReader()
    const { user: verified } = await createTestUser()
    await db.update(users).set({ emailDaily: true }).where(sql`${users.id} in (${waiting.id}, ${verified.id})`)

    await insertDaily({ state: 'scheduled', publishAt: new Date(Date.now() - 60_000), publishedAt: null, keyword: `验证前${nextSequence()}` })
    await publishDueDailies()
    const daily = (to: string) => db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, 'daily')))
    expect(await daily(verified.email)).toHaveLength(1)
    expect(await daily(waiting.email)).toEqual([])

    const token = await createAuthToken({ userId: waiting.id, purpose: 'verify_email' })
    readRedirect(await verifyRoute.action(routeArgs(requestFor(`/verify-email/${token}`, { method: 'POST' }), { token })))
    await insertDaily({ state: 'scheduled', publishAt: new Date(Date.now() - 60_000), publishedAt: null, keyword: `验证后${nextSequence()}` })
    await publishDueDailies()
    expect(await daily(waiting.email)).toHaveLength(1)
  })
})

describe('/account shows whether the address is verified and resends the link', () => {
  it('shows the state', async () => {
    const { user: waiting } = await unverifiedReader()
    const { user: verified } = await createTestUser()
    for (const [user, state] of [
      [waiting, false],
      [verified, true],
    ] as const) {
      const { cookie } = await signedInCookie(user.id)
      const data = await accountLoader(routeArgs(requestFor('/account', { cookie })))
      expect(data.user.emailVerified).toBe(state)
    }
  })

  it('resending writes a new single-use link; the link, opened while signed in, verifies without a second session', async () => {
    const { user } = await unverifiedReader()
    const { cookie } = await signedInCookie(user.id)
    const { cookies } = readRedirect(await accountPost(cookie, { intent: 'resend-verification' }))
    expect(await flashOf(cookies)).toEqual({ kind: 'success', message: t.account.verificationSent })

    const [mail, ...more] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email))
    expect(more).toEqual([])
    expect(mail!.template).toBe('verify_email')
    const token = /\/verify-email\/([a-z2-7]{32})/.exec(mail!.text)![1]!

    const done = readRedirect(await verifyRoute.action(routeArgs(requestFor(`/verify-email/${token}`, { method: 'POST', cookie }), { token })))
    expect(done.location).toBe('/account')
    expect(sessionCookieOf(done.cookies)).toBeNull()
    expect(await flashOf(done.cookies)).toEqual({ kind: 'success', message: t.account.emailVerifiedDone })
    expect((await userRow(user.id)).emailVerified).toBe(true)
    expect(await sessionsOf(user.id)).toHaveLength(1)
  })

  it(`past ${MAX_LINKS_PER_HOUR} links an hour, resending answers 429 and sends nothing`, async () => {
    const { user } = await unverifiedReader()
    const { cookie } = await signedInCookie(user.id)
    for (let i = 0; i < MAX_LINKS_PER_HOUR; i++) readRedirect(await accountPost(cookie, { intent: 'resend-verification' }))
    const refused = readData(await accountPost(cookie, { intent: 'resend-verification' }))
    expect(refused.status).toBe(429)
    expect(refused.data).toEqual({ intent: 'resend-verification', errors: { form: t.account.verificationTooMany } })
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email))).toHaveLength(MAX_LINKS_PER_HOUR)
  })

  it('a verified reader asking again is told so, and nothing is sent', async () => {
    const { user } = await createTestUser()
    const { cookie } = await signedInCookie(user.id)
    const { cookies } = readRedirect(await accountPost(cookie, { intent: 'resend-verification' }))
    expect(await flashOf(cookies)).toEqual({ kind: 'success', message: t.account.alreadyVerified })
    expect(await db.select().from(authTokens).where(eq(authTokens.userId, user.id))).toEqual([])
  })
})

describe('other emailed links prove the address too', () => {
  it('a magic link into an unverified account verifies it and takes it back from whoever signed it up: their password and sessions end', async () => {
    // Someone signed the address up with a password of their choosing and stayed signed in.
    const { user, password } = await unverifiedReader()
    await signedInCookie(user.id)
    const token = await createAuthToken({ userId: user.id, purpose: 'magic_link' })

    const { cookies } = readRedirect(await magicRoute.action(routeArgs(requestFor(`/auth/magic/${token}`, { method: 'POST' }), { token })))
    expect(await flashOf(cookies)).toEqual({ kind: 'success', message: t.auth.signedInPasswordCleared(user.displayName) })
    expect((await userRow(user.id)).emailVerified).toBe(true)
    expect(await verifyLogin(user.email, password)).toBeNull()
    // Only the session this link started is left.
    expect((await sessionsOf(user.id)).map((s) => s.id)).toHaveLength(1)
  })

  it('a magic link into a verified account changes nothing else', async () => {
    const { user, password } = await createTestUser()
    await signedInCookie(user.id)
    const token = await createAuthToken({ userId: user.id, purpose: 'magic_link' })
    const { cookies } = readRedirect(await magicRoute.action(routeArgs(requestFor(`/auth/magic/${token}`, { method: 'POST' }), { token })))
    expect(await flashOf(cookies)).toEqual({ kind: 'success', message: `${t.auth.signedIn}：${user.displayName}` })
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id })
    expect(await sessionsOf(user.id)).toHaveLength(2)
  })

  it('a password reset verifies the address', async () => {
    const { user } = await unverifiedReader()
    const token = await createAuthToken({ userId: user.id, purpose: 'password_reset' })
    const form = { password: 'the owner’s own password', confirmPassword: 'the owner’s own password' }
    readRedirect(await resetRoute.action(routeArgs(requestFor(`/reset-password/${token}`, { form }), { token })))
    expect((await userRow(user.id)).emailVerified).toBe(true)
    expect(await verifyLogin(user.email, form.password)).toMatchObject({ id: user.id })
  })

  it('an unverified reader can still sign in with the password they chose (and resend from /account)', async () => {
    const { user, password } = await unverifiedReader()
    expect(await verifyLogin(user.email, password)).toMatchObject({ id: user.id, emailVerified: false })
  })
})

describe('accounts from before verification existed', () => {
  it('count as verified once the migration that adds verification runs', async () => {
    // The migrations up to the one that adds users.email_verified, in a folder of their own.
    const dir = mkdtempSync(join(tmpdir(), 'zhiyin-migrations-'))
    try {
      const before = join(dir, 'before')
      cpSync(MIGRATIONS_FOLDER, before, { recursive: true })
      const journalPath = join(before, 'meta', '_journal.json')
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
      const adding = journal.entries.findIndex((entry) => readFileSync(join(before, `${entry.tag}.sql`), 'utf8').includes('`email_verified`'))
      expect(adding).toBeGreaterThan(0)
      writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, adding) }))
      expect(readdirSync(before).some((name) => name === `${journal.entries[adding]!.tag}.sql`)).toBe(true)

      const handle = createDatabase(`file:${join(dir, 'old.db')}`)
      try {
        await runMigrations(handle, before)
        await handle.client.execute("INSERT INTO users (email, display_name) VALUES ('old@example.com', '老用户')")
        await runMigrations(handle)
        const { rows } = await handle.client.execute("SELECT email_verified FROM users WHERE email = 'old@example.com'")
        expect(rows[0]?.email_verified).toBe(1)
      } finally {
        handle.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
