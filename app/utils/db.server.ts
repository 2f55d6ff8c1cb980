import { createDatabase, replicaPathFor, type DatabaseHandle } from '../../db/client'
import { getEnv } from './env.server'

export type { Database, Executor, Transaction } from '../../db/client'
export type { InArgs, InStatement, InValue, ResultSet, Row } from '@libsql/client'
export { batchOn, executeOn, uniqueViolation } from '../../db/client'
export { BUSY_RETRY_AFTER_SECONDS, DatabaseBusy, isDatabaseBusy } from '../../db/busy'

declare global {
  var __zhiyinDatabase: DatabaseHandle | undefined
}

function connect() {
  const env = getEnv()
  return createDatabase(env.DATABASE_URL, {
    authToken: env.DATABASE_AUTH_TOKEN,
    // One replica file per process: a worker of several (server/main.ts) adds its slot.
    replicaPath: env.DATABASE_REPLICA_PATH && replicaPathFor(env.DATABASE_REPLICA_PATH, process.env.WORKER_SLOT),
    deadlineMs: env.WRITE_DEADLINE_MS,
  })
}

// One client per process, kept on globalThis so a rebuilt server bundle reuses it.
const handle = (globalThis.__zhiyinDatabase ??= connect())

export const db = handle.db
export const transaction = handle.transaction.bind(handle)
export const writeBatch = handle.batch.bind(handle)

/** The whole handle, for start-up work (migrations, seeding) and shutdown. */
export const databaseHandle = handle
