// The in-process queue of write transactions on a local SQLite file, with group commit
// (docs/decisions/030-group-commit.md). Transactions that wait while another group runs are
// run one after another inside ONE write transaction, each in a savepoint of its own, and
// committed together: one BEGIN IMMEDIATE … COMMIT and one WAL sync for the whole group,
// while each transaction stays all-or-nothing and its caller hears only after the COMMIT.
import { AsyncResource, type AsyncLocalStorage } from 'node:async_hooks'
import { executeOn, type Database, type Transaction } from './client'

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

interface Queued {
  fn: (tx: Transaction) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

type Outcome = { failed: false; value: unknown } | { failed: true; error: unknown }

// One name for every member's savepoint: members run one at a time, and drizzle's own nested
// savepoints (tx.transaction inside a member) are called sp0, sp1, ….
const SAVEPOINT = 'SAVEPOINT queued_transaction'
const RELEASE = 'RELEASE queued_transaction'
const ROLLBACK_TO = 'ROLLBACK TO queued_transaction'

/** A member's own failure left the group's transaction unusable (SQLite rolled all of it back). */
export class GroupAborted extends Error {}

export function createWriteQueue(db: Database, insideTransaction: AsyncLocalStorage<true>, bounds: GroupBounds = { ...DEFAULT_GROUP_BOUNDS }) {
  const waiting: Queued[] = []
  let draining = false
  let lastQueued: Promise<unknown> = Promise.resolve()
  const stats: GroupStats = { groups: 0, transactions: 0, largest: 0 }

  function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    // A member runs in its caller's async context (as it did when each ran alone), marked as
    // inside a transaction, so plain writes it makes do not wait for their own group.
    const member = AsyncResource.bind((tx: Transaction) => insideTransaction.run(true, () => fn(tx)))
    const queued = new Promise<T>((resolve, reject) => {
      waiting.push({ fn: member, resolve: resolve as (value: unknown) => void, reject })
    })
    lastQueued = queued.catch(() => undefined)
    if (!draining) {
      draining = true
      // Started on the next turn, so that callers arriving in the same turn join the first group.
      setImmediate(() => void drain())
    }
    return queued
  }

  async function drain() {
    try {
      while (waiting.length > 0) {
        await runGroup()
        // Plain writes that waited for this group finish in microtasks; let them run before the
        // next group takes the write lock, or they would meet it in SQLite's (blocking) busy handler.
        await new Promise((resolve) => setImmediate(resolve))
      }
    } finally {
      draining = false
    }
  }

  async function runGroup() {
    const taken: Queued[] = []
    const outcomes = new Map<Queued, Outcome>()
    let aborted: GroupAborted | null = null
    // A savepoint statement that fails means SQLite ended the group's transaction (a member's
    // failure can roll all of it back): every member's writes are gone.
    async function control(tx: Transaction, statement: string) {
      try {
        await executeOn(tx, statement)
      } catch (cause) {
        aborted = new GroupAborted('the write transaction of this group ended before its COMMIT', { cause })
        throw aborted
      }
    }
    let begun = false
    try {
      await db.transaction(async (tx) => {
        begun = true
        const deadline = performance.now() + bounds.maxMs
        do {
          const queued = waiting.shift()!
          taken.push(queued)
          await control(tx, SAVEPOINT)
          try {
            outcomes.set(queued, { failed: false, value: await queued.fn(tx) })
          } catch (error) {
            outcomes.set(queued, { failed: true, error })
            await control(tx, ROLLBACK_TO)
          }
          await control(tx, RELEASE)
        } while (waiting.length > 0 && taken.length < bounds.maxSize && performance.now() < deadline)
      })
    } catch (error) {
      // BEGIN itself failed (another process held the lock past the busy timeout): the first
      // in line hears it, as when each transaction began alone.
      if (!begun) waiting.shift()?.reject(error)
      // Nothing of the group was committed: a member that failed hears its own error, the
      // others why the group failed.
      for (const queued of taken) {
        const outcome = outcomes.get(queued)
        queued.reject(outcome?.failed ? outcome.error : (aborted ?? error))
      }
      return
    } finally {
      stats.groups += 1
      stats.transactions += taken.length
      stats.largest = Math.max(stats.largest, taken.length)
    }
    for (const queued of taken) {
      const outcome = outcomes.get(queued)!
      if (outcome.failed) queued.reject(outcome.error)
      else queued.resolve(outcome.value)
    }
  }

  return {
    transaction,
    /** Settles once every transaction queued so far has; null when none is queued or running. */
    pending: (): Promise<unknown> | null => (draining ? lastQueued : null),
    stats,
    bounds,
  }
}
