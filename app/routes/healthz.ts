import { sql } from 'drizzle-orm'
import { db } from '~/utils/db.server'

// Liveness with a database check: 200 when a query answers, 503 when it does not. A hot route
// (server/main.ts): the server calls hotJson directly, Remix calls the loader.
export async function hotJson() {
  try {
    await db.run(sql`select 1`)
    return { status: 200, data: { status: 'ok', database: 'ok' } }
  } catch (error) {
    console.error('healthz: database check failed', error)
    return { status: 503, data: { status: 'error', database: 'unreachable' } }
  }
}

export async function loader() {
  const { status, data } = await hotJson()
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store' } })
}
