// Racing real HTTP requests against the running e2e server (playwright.config.ts starts it on a
// fresh database). Setup rows (buyers, their sessions, stock) are written straight into the
// server's SQLite file; everything under test goes through HTTP like a browser's form posts.
import { createHash, randomBytes } from 'node:crypto'
import { createClient, type Client, type InStatement } from '@libsql/client'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { SITE_URL, required } from './support'

/** A connection to the server's database file; the busy timeout waits out the server's writes. */
export function openServerDatabase(): Client {
  return createClient({ url: required('E2E_DATABASE_URL'), timeout: 10_000 })
}

export interface RaceBuyer {
  userId: number
  email: string
  cookie: string
}

/** `n` users, each with a live session, as the session cookie a browser would send. */
export async function createBuyers(client: Client, n: number, label: string): Promise<RaceBuyer[]> {
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  const buyers: RaceBuyer[] = []
  const now = Date.now()
  const statements: InStatement[] = []
  const tokens: string[] = []
  for (let i = 0; i < n; i++) {
    const email = `${label}-${stamp}-${i}@example.com`
    statements.push({ sql: 'INSERT INTO users (email, display_name) VALUES (?, ?)', args: [email, `${label}${i}`] })
    // The site's token format (20 random bytes, base32): anything else is refused unread.
    tokens.push(encodeBase32LowerCaseNoPadding(randomBytes(20)))
  }
  await client.batch(statements, 'write')
  const { rows } = await client.execute({ sql: 'SELECT id, email FROM users WHERE email LIKE ? ORDER BY id', args: [`${label}-${stamp}-%`] })
  const sessions: InStatement[] = rows.map((row, i) => ({
    sql: 'INSERT INTO sessions (id, user_id, expires_at, last_seen_at) VALUES (?, ?, ?, ?)',
    args: [createHash('sha256').update(tokens[i]!).digest('hex'), Number(row.id), now + 24 * 3600_000, now],
  }))
  await client.batch(sessions, 'write')
  rows.forEach((row, i) => buyers.push({ userId: Number(row.id), email: String(row.email), cookie: `zhiyin_session=${tokens[i]}` }))
  return buyers
}

/** A form POST as the site's own pages send it (same Origin, the buyer's cookie); redirects are not followed. */
export function postForm(path: string, cookie: string, form: Record<string, string>) {
  return fetch(new URL(path, SITE_URL), {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: SITE_URL, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
}

/** The order id of a `/pay/:orderId` redirect, or null. */
export function payRedirectOrderId(response: Response) {
  const match = /\/pay\/(\d+)$/.exec(response.headers.get('Location') ?? '')
  return match ? Number(match[1]) : null
}

/**
 * Answers counted by status, for one readable assertion; the first few answers with another
 * status are quoted in the message so a failed run says what the server answered.
 */
export async function countStatuses(responses: Response[], expected: number[]) {
  const counts = responses.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {})
  const surprises = responses.filter((r) => !expected.includes(r.status)).slice(0, 3)
  const quoted = await Promise.all(surprises.map(async (r) => `${r.status}: ${(await r.text()).slice(0, 600)}`))
  return { counts, surprises: quoted.join('\n---\n') }
}

/** Numbers 1..n, for comparing with assigned member or edition numbers. */
export function oneTo(n: number) {
  return Array.from({ length: n }, (_, i) => i + 1)
}
