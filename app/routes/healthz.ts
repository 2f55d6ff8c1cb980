import { sql } from 'drizzle-orm'
import { db } from '~/utils/db.server'

// Liveness with a database check: 200 when a query answers, 503 when it does not.
export async function loader() {
  const headers = { 'Cache-Control': 'no-store' }
  try {
    await db.run(sql`select 1`)
    return Response.json({ status: 'ok', database: 'ok' }, { headers })
  } catch (error) {
    console.error('healthz: database check failed', error)
    return Response.json({ status: 'error', database: 'unreachable' }, { status: 503, headers })
  }
}
