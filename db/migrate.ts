import { fileURLToPath } from 'node:url'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { prepareLocalFile, type DatabaseHandle } from './client'
import { retryWhileBusy } from './busy'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url))

/**
 * Applies every committed migration that the database has not seen yet. Idempotent, but one
 * migrator at a time: drizzle reads the journal, then applies what it lacked, so two at once both
 * apply the same migrations and the second fails ("table … already exists"). Across processes,
 * run it under the setup lease (setupDatabase in db/setup.ts).
 */
export async function runMigrations(handle: DatabaseHandle, folder = MIGRATIONS_FOLDER) {
  // Switching a fresh file to WAL needs it to itself for a moment: other processes may be polling it.
  if (handle.isLocalFile) await retryWhileBusy(() => prepareLocalFile(handle.client))
  await migrate(handle.db, { migrationsFolder: folder })
  // An embedded replica reads the new tables only once it has synced (decision 037).
  await handle.syncReplica()
}
