import { sql } from 'drizzle-orm'
import { databaseHandle, db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

// Liveness with the database and its write path (decision 037): 200 when a query answers and
// writes are getting through; 503 when the database does not answer, or when the oldest write
// waiting in this process has waited past the write deadline (writes are being refused). Under a
// storm the queue is long but moving: that is still 200, with its length and age to watch.
// A hot route (server/main.ts): the server calls hotJson directly, Remix calls the loader.
export async function hotJson() {
  const { queued, oldestWaitingMs, retries, busyFailures } = databaseHandle.writeStats()
  const writes = { queued, oldestWaitingMs: Math.round(oldestWaitingMs), retries, busyFailures }
  try {
    await db.run(sql`select 1`)
  } catch (error) {
    console.error('healthz: database check failed', error)
    return { status: 503, data: { status: 'error', database: 'unreachable', writes } }
  }
  if (oldestWaitingMs > getEnv().WRITE_DEADLINE_MS) return { status: 503, data: { status: 'error', database: 'ok', writes: { ...writes, stalled: true } } }
  return { status: 200, data: { status: 'ok', database: 'ok', writes } }
}

export async function loader() {
  const { status, data } = await hotJson()
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store' } })
}
