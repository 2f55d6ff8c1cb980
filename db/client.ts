import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createClient, type Client, type InArgs, type InStatement, type ResultSet, type TransactionMode } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import * as schema from './schema'
import { createWriteQueue, type GroupBounds, type GroupStats } from './write-queue'

export type Database = LibSQLDatabase<typeof schema> & { $client: Client }
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** Anything that can run a query: the database itself or an open transaction. */
export type Executor = Database | Transaction

export interface DatabaseHandle {
  db: Database
  client: Client
  isLocalFile: boolean
  /**
   * Runs `fn` all-or-nothing in a write transaction (docs/decisions/003 and 030): on a local file
   * possibly together with others that waited, in a savepoint of its own; resolves after COMMIT.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  /** How the local file's transactions were grouped so far (null on a libsql server). */
  groupStats: GroupStats | null
  /** The local file's group bounds, read at the start of each group (null on a libsql server). */
  groupBounds: GroupBounds | null
  close(): void
}

/** Busy timeout for local files, in milliseconds: waits for another writer instead of failing. */
const BUSY_TIMEOUT_MS = 5000

export function isLocalFileUrl(url: string) {
  return url.startsWith('file:')
}

export function createDatabase(url: string, authToken?: string): DatabaseHandle {
  const isLocalFile = isLocalFileUrl(url)
  if (isLocalFile) {
    const path = url.slice('file:'.length)
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  }
  const rawClient = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS })

  // Each interactive transaction of @libsql/client takes its own connection; on one local
  // file they would fight for SQLite's single write lock. Queue them in this process instead,
  // and commit those that waited together (docs/decisions/030-group-commit.md). A libsql
  // server arbitrates its own writers: there each transaction goes straight to it.
  const insideTransaction = new AsyncLocalStorage<true>()
  function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return queue ? queue.transaction(fn) : db.transaction(fn)
  }

  // A plain write on the shared connection while a queued transaction holds the write lock
  // would wait in SQLite's busy handler, which blocks the event loop, so the transaction
  // could never finish: both stall for the busy timeout and the write fails with SQLITE_BUSY.
  // Plain writes therefore wait for the transactions queued before them.
  const client = isLocalFile ? waitForTransactions(rawClient, () => (insideTransaction.getStore() ? null : (queue?.pending() ?? null))) : rawClient
  const db = drizzle({ client, schema, casing: 'snake_case' }) as Database
  const queue = isLocalFile ? createWriteQueue(db, insideTransaction) : null

  return { db, client, isLocalFile, transaction, groupStats: queue?.stats ?? null, groupBounds: queue?.bounds ?? null, close: () => rawClient.close() }
}

/**
 * Runs one SQL statement on the connection an executor's queries go to: the open transaction's
 * (a savepoint of a group on the local file) or the client's. For the hottest statements of the
 * write path only: plain SQL skips drizzle's query building, which costs more than SQLite running
 * a point query (docs/decisions/030). Rows come back as SQLite stores them (numbers, text,
 * timestamps in ms), not mapped to the schema's types.
 */
export function executeOn(executor: Executor, statement: InStatement): Promise<ResultSet> {
  // drizzle-orm/libsql keeps both on the session (`tx` only inside a transaction).
  const session = (executor as unknown as { session?: { client?: Client; tx?: Pick<Client, 'execute'> } }).session
  const target = session?.tx ?? session?.client
  if (!target) throw new Error('executeOn: this drizzle version keeps its libsql client elsewhere')
  return target.execute(statement)
}

const READ_ONLY = /^\s*(select|explain)\b/i

function statementText(statement: InStatement) {
  return typeof statement === 'string' ? statement : statement.sql
}

/** The client, with `execute` (of anything but a read) and `batch` run after `pending()` settles. */
function waitForTransactions(client: Client, pending: () => Promise<unknown> | null): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return async (statement: InStatement, args?: InArgs) => {
          const wait = READ_ONLY.test(statementText(statement)) ? null : pending()
          if (wait) await wait
          return args === undefined ? target.execute(statement) : target.execute(statement as string, args)
        }
      }
      if (property === 'batch') {
        return async (statements: InStatement[], mode?: TransactionMode) => {
          const wait = pending()
          if (wait) await wait
          return target.batch(statements, mode)
        }
      }
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * The journal mode lives in the database file: set once before first use. Durability does not:
 * `synchronous` is a setting of each connection, and the client opens connections lazily (one per
 * open transaction). Every connection therefore keeps SQLite's default, FULL, which syncs the WAL
 * on each commit, so a payment answered 200 survives a power loss (issue 11; a test reads the
 * setting on every connection of the pool). Never lower it on one connection only.
 */
export async function prepareLocalFile(client: Client) {
  await client.execute('PRAGMA journal_mode = WAL')
}

/**
 * The "table.column" a UNIQUE constraint failure names (e.g. "dailies.date"), or null when the
 * error is something else. libsql wraps the SQLite error in `cause`.
 */
export function uniqueViolation(error: unknown): string | null {
  const text = String((error as { cause?: unknown })?.cause ?? error)
  const match = /UNIQUE constraint failed: ([^\n]+)/.exec(text)
  return match ? match[1]!.trim() : null
}
