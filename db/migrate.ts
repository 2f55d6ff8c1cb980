import { fileURLToPath } from 'node:url'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
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
  if (handle.isLocalFile) {
    // drizzle's migrator runs its own transaction on the client's pool, outside the write queue
    // (decision 037): on a connection of its own that waits for other processes' writes (the
    // leases they renew) in SQLite's busy handler. Blocking is harmless here: nothing is served yet.
    const client = createClient({ url: handle.url, timeout: 5000, concurrency: 1 })
    try {
      await migrate(drizzle({ client }), { migrationsFolder: folder })
    } finally {
      client.close()
    }
  } else {
    await migrate(handle.db, { migrationsFolder: folder })
  }
  // An embedded replica reads the new tables only once it has synced (decision 037).
  await handle.syncReplica()
}
