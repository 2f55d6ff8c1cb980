import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createClient, type Client, type InArgs, type InStatement, type ResultSet, type Transaction as LibsqlTransaction, type TransactionMode } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import * as schema from './schema'
import { DEFAULT_DEADLINE_MS, retryWhileBusy, type BusyStats } from './busy'
import { createWriteQueue, type GroupBounds, type GroupStats, type QueueStats } from './write-queue'

export type Database = LibSQLDatabase<typeof schema> & { $client: Client }
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** Anything that can run a query: the database itself or an open transaction. */
export type Executor = Database | Transaction

export interface DatabaseHandle {
  /** The DATABASE_URL it was opened with. */
  url: string
  db: Database
  client: Client
  isLocalFile: boolean
  /**
   * Runs `fn` all-or-nothing in a write transaction (docs/decisions/003, 030 and 037): possibly
   * together with others that waited, in a savepoint of its own; resolves after COMMIT. Throws
   * DatabaseBusy when it could not begin before its deadline.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  /**
   * Runs statements one after another as one write, all or nothing, in the same queue: on a libsql
   * server, with the statements of the others waiting, in one request (decision 057). For writes
   * whose later statements depend on earlier ones through SQL alone; results in order.
   */
  batch(statements: InStatement[]): Promise<ResultSet[]>
  /** How transactions were grouped so far. */
  groupStats: GroupStats
  /** The group bounds, read at the start of each group. */
  groupBounds: GroupBounds
  /** The write path's state now, for /healthz and /metrics. */
  writeStats(): WriteStats
  /**
   * With an embedded replica: brings it up to the primary (once for all callers waiting at the
   * same moment) and resolves when it has; without one, at once.
   */
  syncReplica(): Promise<void>
  /** With an embedded replica, when its last finished sync began (ms since the epoch); else null. */
  replicaSyncedAt(): number | null
  close(): void
}

export interface WriteStats extends QueueStats, BusyStats {
  groups: number
  transactions: number
}

export interface DatabaseOptions {
  authToken?: string
  /**
   * A local file kept as an embedded replica of the libsql server at `url` (decision 037): reads
   * are answered from it, writes go to the server, and the replica syncs after each write.
   */
  replicaPath?: string
  /** How long a statement or transaction may wait for a busy database before DatabaseBusy (ms). */
  deadlineMs?: number
  groupBounds?: GroupBounds
}

export function isLocalFileUrl(url: string) {
  return url.startsWith('file:')
}

/**
 * The address the app's own client uses for a libsql server given as http(s)://: the same server
 * over Hrana's WebSocket. A statement of an open transaction costs one round trip either way, and
 * over HTTP each was measured 5× slower (2.5 ms against 0.5 ms on this machine, decision 037).
 */
export function primaryUrl(url: string) {
  return url.replace(/^http(s?):\/\//, 'ws$1://')
}

/** The replica file of one worker of several: `replica.db` → `replica.1.db` for slot 1. */
export function replicaPathFor(path: string, slot: string | undefined) {
  if (slot === undefined) return path
  const dot = path.lastIndexOf('.')
  return dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}.${slot}${path.slice(dot)}` : `${path}.${slot}`
}

/** How often an embedded replica pulls others' writes when it has written nothing itself (s). */
const REPLICA_SYNC_SECONDS = 1

export function createDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const { authToken, replicaPath, deadlineMs = DEFAULT_DEADLINE_MS } = options
  const isLocalFile = isLocalFileUrl(url)
  if (isLocalFile) {
    const path = url.slice('file:'.length)
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  }
  if (replicaPath && isLocalFile) throw new Error('DATABASE_REPLICA_PATH needs DATABASE_URL to name a libsql server, not a file')
  const busy: BusyStats = { retries: 0, busyFailures: 0 }
  // busy_timeout 0: never SQLite's busy handler, which sleeps on the event loop (decision 037).
  const primary = isLocalFile ? createClient({ url, timeout: 0 }) : createClient({ url: primaryUrl(url), authToken })
  if (replicaPath) mkdirSync(dirname(replicaPath), { recursive: true })
  const replica = replicaPath
    ? createReplica(createClient({ url: `file:${replicaPath}`, syncUrl: url, authToken, syncInterval: REPLICA_SYNC_SECONDS }))
    : null

  // Write transactions are queued in this process and those that waited are committed together
  // (docs/decisions/030-group-commit.md): on one local file they would otherwise fight for
  // SQLite's single write lock, and on a libsql server every open transaction holds the server's
  // lock across the network, so one at a time per process is what the server can serve.
  // A member's async context holds its transaction, so that its plain writes join it.
  const insideTransaction = new AsyncLocalStorage<Transaction>()
  const groups = isLocalFile ? groupConnection(url) : null
  const client = isLocalFile
    ? queuedWrites(retryingClient(primary, null, busy, deadlineMs), insideTransaction, (fn) => queue.transaction(fn))
    : retryingClient(primary, replica, busy, deadlineMs)
  const db = drizzle({ client, schema, casing: 'snake_case' }) as Database
  const queue = createWriteQueue(groups ? groups.database : () => db, insideTransaction, {
    bounds: options.groupBounds,
    busy,
    deadlineMs,
    renewAfterBusy: groups?.renew,
    afterCommit: replica ? () => replica.sync() : undefined,
    // BEGIN, the statements and COMMIT in one request (the queue retries a busy server).
    runBatch: isLocalFile ? undefined : (statements) => primary.batch(statements, 'write'),
    callersInTurns: isLocalFile,
  })

  return {
    url,
    db,
    client,
    isLocalFile,
    transaction: (fn) => queue.transaction(fn),
    batch: (statements) => queue.batch(statements),
    groupStats: queue.stats,
    groupBounds: queue.bounds,
    writeStats: () => ({ ...queue.queueStats(), ...busy, groups: queue.stats.groups, transactions: queue.stats.transactions }),
    syncReplica: () => replica?.sync() ?? Promise.resolve(),
    replicaSyncedAt: () => replica?.syncedAt ?? null,
    close: () => {
      primary.close()
      groups?.close()
      replica?.client.close()
    },
  }
}

/**
 * The one connection a local file's write groups run on, opened anew after its BEGIN met another
 * process's lock: libsql 0.5 leaves a statement that failed with SQLITE_BUSY open on its
 * connection until it is garbage-collected, and while it is, that connection can neither open a
 * savepoint nor commit (and keeps reading its old snapshot). No other statement ever runs on it.
 */
function groupConnection(url: string) {
  const open = () => {
    const client = createClient({ url, timeout: 0, concurrency: 1 })
    return { client, db: drizzle({ client, schema, casing: 'snake_case' }) as Database }
  }
  let current = open()
  return {
    database: () => current.db,
    renew() {
      current.client.close()
      current = open()
    },
    close: () => current.client.close(),
  }
}

interface Replica {
  client: Client
  sync(): Promise<void>
  syncedAt: number | null
}

/** An embedded replica whose syncs are shared: callers arriving during one wait for the next. */
function createReplica(client: Client): Replica {
  let running: Promise<void> | null = null
  let next: Promise<void> | null = null
  const replica: Replica = {
    client,
    syncedAt: null,
    sync() {
      if (next) return next
      // syncedAt is when the last finished sync began: it holds every write committed before.
      const start = async () => {
        const began = Date.now()
        await client.sync()
        replica.syncedAt = began
      }
      if (!running) {
        running = start().finally(() => (running = null))
        return running
      }
      // One is under way but may have begun before the caller's write: the next one covers it.
      next = running
        .catch(() => undefined)
        .then(() => {
          next = null
          running = start().finally(() => (running = null))
          return running
        })
      return next
    },
  }
  return replica
}

/**
 * The client the app uses: every statement and batch that meets a busy database is tried again
 * asynchronously until the deadline (db/busy.ts), and, with an embedded replica, reads are
 * answered by the replica while writes go to the primary and the replica syncs after each.
 * Interactive transactions go to the primary; the write queue retries their BEGIN.
 */
function retryingClient(primary: Client, replica: Replica | null, busy: BusyStats, deadlineMs: number): Client {
  const retry = <T>(attempt: () => Promise<T>) => retryWhileBusy(attempt, { stats: busy, deadlineMs })
  return new Proxy(primary, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return async (statement: InStatement, args?: InArgs) => {
          const run = (client: Client) => (args === undefined ? client.execute(statement) : client.execute(statement as string, args))
          if (replica && READ_ONLY.test(statementText(statement))) return retry(() => run(replica.client))
          const result = await retry(() => run(target))
          if (replica) await replica.sync()
          return result
        }
      }
      if (property === 'batch') {
        return async (statements: InStatement[], mode?: TransactionMode) => {
          if (replica && mode === 'read') return retry(() => replica.client.batch(statements, mode))
          const result = await retry(() => target.batch(statements, mode))
          if (replica) await replica.sync()
          return result
        }
      }
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * Runs one SQL statement on the connection an executor's queries go to: the open transaction's
 * (a savepoint of a group on the local file) or the client's. For the hottest statements of the
 * write path only: plain SQL skips drizzle's query building, which costs more than SQLite running
 * a point query (docs/decisions/030). Rows come back as SQLite stores them (numbers, text,
 * timestamps in ms), not mapped to the schema's types.
 */
export function executeOn(executor: Executor, statement: InStatement): Promise<ResultSet> {
  return sessionTarget(executor).execute(statement)
}

/**
 * Holds statements back to send them in front of the next statement a transaction's connection is
 * given (execute, batch or executeMultiple), in the same exchange: `take` returns them, once. The
 * write queue's savepoint statements between members go this way (decision 055). Only for the
 * connection of a transaction that runs one member at a time.
 */
export function prefixStatementsOn(executor: Executor, take: () => string[]) {
  const connection = sessionTarget(executor)
  if (!('commit' in connection)) throw new Error('statements are held back only on a transaction’s connection')
  const { execute, batch, executeMultiple } = connection
  const toStatement = (sql: string): InStatement => ({ sql, args: [] })
  Object.assign(connection, {
    async execute(statement: InStatement) {
      const before = take()
      if (before.length === 0) return execute.call(connection, statement)
      return (await batch.call(connection, [...before.map(toStatement), statement])).at(-1)!
    },
    async batch(statements: InStatement[]) {
      const before = take()
      if (before.length === 0) return batch.call(connection, statements)
      return (await batch.call(connection, [...before.map(toStatement), ...statements])).slice(before.length)
    },
    executeMultiple(sql: string) {
      const before = take()
      return executeMultiple.call(connection, before.length === 0 ? sql : `${before.join('; ')}; ${sql}`)
    },
  })
}

/** The libsql transaction (inside one) or client an executor's queries go to. */
function sessionTarget(executor: Executor): LibsqlTransaction | Client {
  // drizzle-orm/libsql keeps both on the session (`tx` only inside a transaction).
  const session = (executor as unknown as { session?: { client?: Client; tx?: LibsqlTransaction } }).session
  const target = session?.tx ?? session?.client
  if (!target) throw new Error('this drizzle version keeps its libsql client elsewhere')
  return target
}

/**
 * Runs statements one after another, in one exchange, on the connection an executor's queries go
 * to: inside a transaction, as part of it (a later statement may depend on an earlier one through
 * SQL, e.g. `changes()`); on the database itself, as a transaction of their own. Rows come back
 * as SQLite stores them, as with executeOn.
 */
export function batchOn(executor: Executor, statements: InStatement[]): Promise<ResultSet[]> {
  const target = sessionTarget(executor)
  return 'commit' in target ? target.batch(statements) : target.batch(statements, 'write')
}

const READ_ONLY = /^\s*(select|explain)\b/i
const PRAGMA = /^\s*pragma\b/i

function statementText(statement: InStatement) {
  return typeof statement === 'string' ? statement : statement.sql
}

/**
 * A local file's client: reads run on the client's pool, while every write that is not already
 * part of a transaction runs as a transaction of its own in the write queue. Only the queue's
 * connection ever takes the write lock, so no pooled connection meets SQLITE_BUSY (and none is
 * left unusable by it, see groupConnection); a plain write waits asynchronously, in turn, and is
 * committed with the group it joins. Inside a queued transaction, plain writes join it.
 */
function queuedWrites(client: Client, insideTransaction: AsyncLocalStorage<Transaction>, enqueue: <T>(fn: (tx: Transaction) => Promise<T>) => Promise<T>): Client {
  const inOwnTransaction = <T>(run: (tx: Transaction) => Promise<T>) => {
    const tx = insideTransaction.getStore()
    return tx ? run(tx) : enqueue(run)
  }
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return (statement: InStatement, args?: InArgs) => {
          const full: InStatement = args === undefined ? statement : { sql: statementText(statement), args }
          // Reads, and pragmas (some cannot run inside a transaction), go straight to the pool.
          if (READ_ONLY.test(statementText(statement)) || PRAGMA.test(statementText(statement))) return target.execute(full)
          return inOwnTransaction((tx) => executeOn(tx, full))
        }
      }
      if (property === 'batch') {
        return (statements: InStatement[], mode?: TransactionMode) => {
          if (mode === 'read') return target.batch(statements, mode)
          // A batch is all-or-nothing: as one queued transaction (its own savepoint), in order.
          return inOwnTransaction((tx) => batchOn(tx, statements))
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
