import { sql } from 'drizzle-orm'
import { db } from '~/utils/db.server'

type Health = { status: number; data: { status: 'ok' | 'error'; database: 'ok' | 'unreachable' } }

/** The check under way: probes arriving together share its query, every later one runs its own. */
let checking: Promise<Health> | null = null

async function checkDatabase(): Promise<Health> {
  try {
    await db.run(sql`select 1`)
    return { status: 200, data: { status: 'ok', database: 'ok' } }
  } catch (error) {
    console.error('healthz: database check failed', error)
    return { status: 503, data: { status: 'error', database: 'unreachable' } }
  }
}

// Liveness with a database check: 200 when a query answers, 503 when it does not. A hot route
// (server/main.ts): the server calls hotJson directly, Remix calls the loader. Probes that
// arrive while a query is under way get its answer, at most one query's time old.
export function hotJson() {
  checking ??= checkDatabase().finally(() => (checking = null))
  return checking
}

export async function loader() {
  const { status, data } = await hotJson()
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store' } })
}
