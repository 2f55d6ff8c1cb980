import { fileURLToPath } from 'node:url'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { prepareLocalFile, type DatabaseHandle } from './client'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url))

/** Applies every committed migration that the database has not seen yet. Idempotent. */
export async function runMigrations(handle: DatabaseHandle, folder = MIGRATIONS_FOLDER) {
  if (handle.isLocalFile) await prepareLocalFile(handle.client)
  await migrate(handle.db, { migrationsFolder: folder })
  // An embedded replica reads the new tables only once it has synced (decision 037).
  await handle.syncReplica()
}
