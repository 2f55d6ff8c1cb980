// Reading the test database the way an assertion needs it.
import { createHash } from 'node:crypto'
import { count, eq } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { sessions } from '../../db/schema'
import { db } from '~/utils/db.server'

export async function countRows(table: SQLiteTable) {
  const [row] = await db.select({ n: count() }).from(table)
  return row?.n ?? 0
}

export function sessionsOf(userId: number) {
  return db.select().from(sessions).where(eq(sessions.userId, userId))
}

/** SHA-256 hex of a token, computed independently of the app's own helper. */
export function sha256Hex(value: string) {
  return createHash('sha256').update(value).digest('hex')
}
