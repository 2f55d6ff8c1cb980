// Parallel wrong guesses against the real database: the limit is decided by the write that
// records an attempt, so no more guesses than the limit ever reach the password check.
import { eq } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { loginFailures, sessions } from '../../db/schema'
import { LOGIN_LIMITS } from '~/models/user.server'
import type * as PasswordModule from '~/utils/password.server'
import { action } from '~/routes/login'
import { db } from '~/utils/db.server'
import { readData, requestFor, routeArgs } from '../factories/requests'
import { createTestUser } from '../factories/users'

// Every argon2 verification the app makes, counted (the real one still runs).
const verifications = vi.hoisted(() => ({ count: 0 }))
vi.mock('~/utils/password.server', async (importOriginal) => {
  const real = await importOriginal<typeof PasswordModule>()
  return {
    ...real,
    verifyPassword: async (hashed: string, password: string) => {
      verifications.count++
      return real.verifyPassword(hashed, password)
    },
  }
})

function login(form: Record<string, string>, clientIp: string) {
  return action(routeArgs(requestFor('/login', { form }), {}, clientIp))
}

describe('parallel guesses', () => {
  it('30 wrong passwords at once from one address: at most 10 are checked against the hash and recorded, the rest answer 429 (fails without the fix)', async () => {
    const { user, password } = await createTestUser({ email: 'raced@example.com' })
    verifications.count = 0

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login({ email: 'raced@example.com', password: `guess ${i}` }, '192.0.2.99').then((r) => readData(r).status)),
    )

    const limit = LOGIN_LIMITS.perAccountAndAddress
    expect(verifications.count).toBe(limit)
    expect(answers.filter((status) => status === 400)).toHaveLength(verifications.count)
    expect(answers.filter((status) => status === 429)).toHaveLength(30 - verifications.count)
    expect(await db.select().from(loginFailures).where(eq(loginFailures.email, 'raced@example.com'))).toHaveLength(verifications.count)

    // Locked now, even for the right password, and without checking it.
    const before = verifications.count
    expect(readData(await login({ email: 'raced@example.com', password }, '192.0.2.99')).status).toBe(429)
    expect(verifications.count).toBe(before)
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([])
  })
})
