// The in-process queue of write transactions on a local SQLite file, with group commit
// (docs/decisions/030-group-commit.md). Transactions that wait while another group runs are
// run one after another inside ONE write transaction, each in a savepoint of its own, and
// committed together: one BEGIN IMMEDIATE … COMMIT and one WAL sync for the whole group,
// while each transaction stays all-or-nothing and its caller hears only after the COMMIT.
//
// Across processes (decision 037) the group's BEGIN IMMEDIATE may find another process holding
// the write lock: the group waits asynchronously and tries again, and a transaction that waited
// past its deadline, or arrives to a full queue, is refused with DatabaseBusy (answered 503).
//
// A write that is only statements, whose later steps depend on earlier ones through SQL alone (a
// seat's hold, decision 057), is queued as statements (batch): on a libsql server, the statements
// of such writes waiting together go as ONE batch — BEGIN, every statement, COMMIT — in one
// request, so the server's write lock is held for one exchange instead of one per member.
import { AsyncResource, type AsyncLocalStorage } from 'node:async_hooks'
import type { InStatement, ResultSet } from '@libsql/client'
import { backoffMs, DatabaseBusy, DEFAULT_DEADLINE_MS, isTransientBusy, sleep, type BusyStats } from './busy'
import { batchOn, prefixStatementsOn, type Database, type Transaction } from './client'
import { afterWaitingPieces, onALaterTurn } from './loop-turns'

export interface GroupBounds {
  /** Most transactions committed together. */
  maxSize: number
  /** After this long (ms) a group takes no further transactions: a slow one holds back only its group. */
  maxMs: number
}

export const DEFAULT_GROUP_BOUNDS: GroupBounds = { maxSize: 64, maxMs: 50 }

export interface GroupStats {
  groups: number
  transactions: number
  largest: number
}

export interface QueueOptions {
  bounds?: GroupBounds
  /** Counts retries and refusals (shared with the client's own retries). */
  busy: BusyStats
  /** Longest a transaction may wait for its group to begin before it is refused (ms). */
  deadlineMs?: number
  /** Most transactions waiting at once; one more is refused at once. */
  maxQueued?: number
  /** Runs after each COMMIT, before the group's callers hear (an embedded replica's sync). */
  afterCommit?: () => Promise<void>
  /** Runs after a group's BEGIN met a busy database, before it is tried again. */
  renewAfterBusy?: () => void
  /**
   * Runs statements as one write batch (BEGIN … COMMIT) in one exchange: given on a libsql server,
   * where the statements of queued batches waiting together are sent this way. Without it (a local
   * file) each queued batch is a member of a group like any transaction.
   */
  runBatch?: (statements: InStatement[]) => Promise<ResultSet[]>
  /**
   * A local file's statements run on the event loop (decision 059): after a COMMIT the callers go
   * on spread over turns of the loop (a few milliseconds of them per turn), and a group begins only
   * once the pieces of work waiting for a turn have run, so that the requests among them join it.
   * On a libsql server the loop is not the bottleneck, the write path's round trips are: callers
   * go on at once, groups begin on the next turn (spreading them there cost holds per second).
   */
  callersInTurns?: boolean
}

/** Enough for a drop's admitted buyers many times over; beyond it waiting only turns into timeouts. */
export const DEFAULT_MAX_QUEUED = 5_000

export interface QueueStats {
  /** Transactions waiting for a group, and those of the group running. */
  queued: number
  /** How long the oldest of them has waited (ms), 0 when none is. */
  oldestWaitingMs: number
}

interface Queued {
  since: number
  fn: (tx: Transaction) => Promise<unknown>
  /** A queued batch's statements (fn runs them in a group's transaction). */
  statements?: InStatement[]
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

type Outcome = { failed: false; value: unknown } | { failed: true; error: unknown }

// One name for every member's savepoint: members run one at a time, and drizzle's own nested
// savepoints (tx.transaction inside a member) are called sp0, sp1, ….
const SAVEPOINT = 'SAVEPOINT queued_transaction'
const RELEASE = 'RELEASE queued_transaction'
const ROLLBACK_TO = 'ROLLBACK TO queued_transaction'

/** Longest a group runs its members without letting the event loop take other work (ms). */
const YIELD_AFTER_MS = 10

/** A member's own failure left the group's transaction unusable (SQLite rolled all of it back). */
export class GroupAborted extends Error {}

export function createWriteQueue(database: () => Database, insideTransaction: AsyncLocalStorage<Transaction>, options: QueueOptions) {
  const { bounds = { ...DEFAULT_GROUP_BOUNDS }, busy, deadlineMs = DEFAULT_DEADLINE_MS, maxQueued = DEFAULT_MAX_QUEUED, afterCommit, renewAfterBusy, runBatch, callersInTurns = false } = options
  const waiting: Queued[] = []
  let running: Queued[] = []
  let draining = false
  const stats: GroupStats = { groups: 0, transactions: 0, largest: 0 }

  function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return enqueue(fn)
  }

  /** A later turn: with callersInTurns, once the pieces of work waiting for a turn have run. */
  const nextTurn = callersInTurns ? afterWaitingPieces : () => new Promise<void>((resolve) => setImmediate(resolve))
  /** A committed caller goes on: with callersInTurns, on a later turn, after those before it. */
  const goOn = callersInTurns ? onALaterTurn : (resume: () => void) => resume()

  /**
   * Statements run one after another as one write, all or nothing, their results in order. Inside
   * a queued transaction they are part of it.
   */
  function batch(statements: InStatement[]): Promise<ResultSet[]> {
    const inside = insideTransaction.getStore()
    if (inside) return batchOn(inside, statements)
    return enqueue((tx) => batchOn(tx, statements), statements)
  }

  function enqueue<T>(fn: (tx: Transaction) => Promise<T>, statements?: InStatement[]): Promise<T> {
    // A member runs in its caller's async context (as it did when each ran alone), which holds
    // its transaction, so that plain writes it makes join it instead of queueing behind it.
    const member = AsyncResource.bind((tx: Transaction) => insideTransaction.run(tx, () => fn(tx)))
    if (waiting.length >= maxQueued) {
      busy.busyFailures += 1
      return Promise.reject(new DatabaseBusy(0))
    }
    const queued = new Promise<T>((resolve, reject) => {
      waiting.push({ since: performance.now(), fn: member, statements, resolve: resolve as (value: unknown) => void, reject })
    })
    if (!draining) {
      draining = true
      // Started on a later turn, so that callers arriving meanwhile join the first group.
      void nextTurn().then(drain)
    }
    return queued
  }

  async function drain() {
    try {
      for (let refusals = 0; waiting.length > 0; ) {
        refuseLate()
        if (waiting.length === 0) break
        const run = runBatch && waiting[0]!.statements ? runBatches(runBatch) : runGroup()
        if ((await run) === 'busy') {
          busy.retries += 1
          await sleep(backoffMs(refusals++))
          continue
        }
        refusals = 0
        // Let the callers of this group go on (they may queue more) before the next one begins.
        await nextTurn()
      }
    } finally {
      draining = false
    }
  }

  /** Transactions that waited past the deadline are refused before their group begins. */
  function refuseLate() {
    const cutoff = performance.now() - deadlineMs
    while (waiting.length > 0 && waiting[0]!.since <= cutoff) {
      const late = waiting.shift()!
      busy.busyFailures += 1
      late.reject(new DatabaseBusy(performance.now() - late.since))
    }
  }

  /** Runs one group; 'busy' when its BEGIN met another writer (nothing was taken: try again). */
  async function runGroup(): Promise<'done' | 'busy'> {
    const taken: Queued[] = []
    running = taken
    const outcomes = new Map<Queued, Outcome>()
    let aborted: GroupAborted | null = null
    // A savepoint statement that fails means SQLite ended the group's transaction (a member's
    // failure can roll all of it back): every member's writes are gone.
    async function control(tx: Transaction, statements: string[]) {
      try {
        await batchOn(tx, statements.map((sql) => ({ sql, args: [] })))
      } catch (cause) {
        aborted = new GroupAborted('the write transaction of this group ended before its COMMIT', { cause })
        throw aborted
      }
    }
    let begun = false
    let membersRan = false
    try {
      await database().transaction(async (tx) => {
        begun = true
        const deadline = performance.now() + bounds.maxMs
        let more = true
        let yielded = performance.now()
        // The savepoint statements between members go in front of the next member's first
        // statement, in its exchange: on a libsql server each exchange is a round trip while the
        // server's write lock is held (decisions 037, 055). The first goes with the BEGIN, alone,
        // so that a busy database is met before any member runs.
        let heldBack: string[] = []
        const takeHeldBack = () => heldBack.splice(0)
        prefixStatementsOn(tx, takeHeldBack)
        await control(tx, [SAVEPOINT])
        while (more) {
          const queued = waiting.shift()!
          taken.push(queued)
          try {
            outcomes.set(queued, { failed: false, value: await queued.fn(tx) })
          } catch (error) {
            outcomes.set(queued, { failed: true, error })
            await control(tx, [...takeHeldBack(), ROLLBACK_TO])
          }
          more = waiting.length > 0 && taken.length < bounds.maxSize && performance.now() < deadline
          // A member that sent nothing leaves a fresh savepoint for the next. After the last,
          // COMMIT ends the savepoint with the transaction.
          if (more && heldBack.length === 0) heldBack = [RELEASE, SAVEPOINT]
          if (!more) heldBack = []
          membersRan = !more
          // A local file's statements run synchronously and resolve at once, so a group would run
          // to its end without the event loop serving anything else: under a storm its p99 delay
          // was 340–550 ms, 61 ms with this pause (decision 037).
          if (more && performance.now() - yielded > YIELD_AFTER_MS) {
            await new Promise((resolve) => setImmediate(resolve))
            yielded = performance.now()
          }
        }
      })
    } catch (error) {
      running = []
      // Another process holds the write lock (or the server asks us to wait): nothing began,
      // every transaction is still in line.
      if (taken.length === 0 && isTransientBusy(error)) {
        renewAfterBusy?.()
        return 'busy'
      }
      // BEGIN failed for another reason: the first in line hears it, as when each began alone.
      if (!begun) waiting.shift()?.reject(error)
      // Nothing of the group was committed: a member that failed hears its own error, the
      // others why the group failed (busy, if the database refused it for load: 503, not 500).
      // A COMMIT that failed after every member ran (a deferred constraint, or a transaction a
      // member's failure had ended) is the group's failure too, unless the database was busy.
      const groupError =
        aborted ?? (membersRan && !isTransientBusy(error) ? new GroupAborted('the write transaction of this group did not commit: nothing of it was kept', { cause: error }) : error)
      const told = isTransientBusy(groupError) ? new DatabaseBusy(0, { cause: groupError }) : groupError
      for (const queued of taken) {
        const outcome = outcomes.get(queued)
        queued.reject(outcome?.failed ? outcome.error : told)
      }
      return 'done'
    } finally {
      if (begun) countGroup(taken.length)
    }
    running = []
    await syncAfterCommit()
    for (const queued of taken) {
      const outcome = outcomes.get(queued)!
      if (outcome.failed) queued.reject(outcome.error)
      else goOn(() => queued.resolve(outcome.value))
    }
    return 'done'
  }

  /**
   * Runs the queued batches at the head of the line (at most a group's size) as one batch; 'busy'
   * when the database refused it for another writer (nothing was taken: try again). When a
   * statement of one fails, the server rolled all of them back: each then runs alone and hears
   * its own outcome.
   */
  async function runBatches(run: (statements: InStatement[]) => Promise<ResultSet[]>): Promise<'done' | 'busy'> {
    const taken: Queued[] = []
    while (taken.length < bounds.maxSize && waiting[0]?.statements) taken.push(waiting.shift()!)
    running = taken
    const committed = async (queued: Queued[], results: ResultSet[]) => {
      countGroup(queued.length)
      await syncAfterCommit()
      let at = 0
      for (const one of queued) {
        const own = results.slice(at, at + one.statements!.length)
        goOn(() => one.resolve(own))
        at += one.statements!.length
      }
    }
    try {
      await committed(taken, await run(taken.flatMap((queued) => queued.statements!)))
    } catch (error) {
      if (isTransientBusy(error)) {
        waiting.unshift(...taken)
        return 'busy'
      }
      for (const queued of taken) {
        try {
          await committed([queued], await run(queued.statements!))
        } catch (own) {
          queued.reject(isTransientBusy(own) ? new DatabaseBusy(0, { cause: own }) : own)
        }
      }
    } finally {
      running = []
    }
    return 'done'
  }

  function countGroup(size: number) {
    stats.groups += 1
    stats.transactions += size
    stats.largest = Math.max(stats.largest, size)
  }

  /** Committed whatever happens here: the callers hear success, a failed sync is only logged. */
  async function syncAfterCommit() {
    if (afterCommit) await afterCommit().catch((error: unknown) => console.error('after commit:', error))
  }

  function queueStats(): QueueStats {
    const oldest = running[0] ?? waiting[0]
    return { queued: waiting.length + running.length, oldestWaitingMs: oldest ? performance.now() - oldest.since : 0 }
  }

  return {
    transaction,
    batch,
    stats,
    queueStats,
    bounds,
  }
}
