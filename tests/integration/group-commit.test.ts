// Group commit in the local file's write queue (docs/decisions/030-group-commit.md): transactions
// that wait are committed together, each still all-or-nothing, each caller told after COMMIT.
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_GROUP_BOUNDS, GroupAborted } from '../../db/write-queue'
import { orders } from '../../db/schema'
import { confirmPayment, placeOrder } from '~/models/commerce.server'
import { databaseHandle, db, executeOn, transaction, uniqueViolation, type Transaction } from '~/utils/db.server'
import { createBuyers, createStock, expectConsistent, line, paidNotice } from '../factories/orders'

const T0 = new Date('2026-12-06T10:00:00Z')

// Scratch tables of this file: `gc_notes.tag` is unique; a `gc_child` row naming a missing
// parent is only refused at COMMIT (a deferred foreign key), which is how a COMMIT is made to fail.
beforeAll(async () => {
  await databaseHandle.client.executeMultiple(`
    CREATE TABLE gc_notes (id INTEGER PRIMARY KEY, tag TEXT NOT NULL UNIQUE);
    CREATE TABLE gc_parent (id INTEGER PRIMARY KEY);
    CREATE TABLE gc_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES gc_parent(id) DEFERRABLE INITIALLY DEFERRED);
  `)
})

/**
 * Runs `check` with groups bounded by size only: the tests that count members per group must not
 * depend on the machine's speed (a loaded machine can stretch a group past the 50 ms allowed).
 */
async function withoutTimeBound<T>(check: () => Promise<T>): Promise<T> {
  const bounds = databaseHandle.groupBounds!
  bounds.maxMs = 60_000
  try {
    return await check()
  } finally {
    bounds.maxMs = DEFAULT_GROUP_BOUNDS.maxMs
  }
}

async function note(tx: Transaction, tag: string) {
  await tx.run(sql`INSERT INTO gc_notes (tag) VALUES (${tag})`)
}

/** Tags of gc_notes, read on a connection of its own: only what was committed. */
async function committedTags(prefix: string) {
  const rows = await db.all<{ tag: string }>(sql`SELECT tag FROM gc_notes WHERE tag LIKE ${`${prefix}%`} ORDER BY id`)
  return rows.map((row) => row.tag)
}

function tags(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`)
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Keeps the thread busy for `ms`, as a local file's synchronous statements do. */
function busyFor(ms: number) {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // spin
  }
}

describe('transactions queued together on the local file', () => {
  it('commit as one group, and every caller hears only after that COMMIT, with its own result', () =>
    withoutTimeBound(async () => {
      const events: string[] = []
      const results = await Promise.all(
        tags('together-', 10).map((tag) =>
          transaction(async (tx) => {
            await note(tx, tag)
            events.push(`ran ${tag}`)
            return tag.toUpperCase()
          }).then(async (result) => {
            events.push(`told ${tag}`)
            // Told means committed: another connection of the pool sees the row.
            expect(await committedTags(tag)).toEqual([tag])
            return result
          }),
        ),
      )
      expect(results).toEqual(tags('TOGETHER-', 10))
      // All ten ran before the first caller was told: one COMMIT for the group.
      expect(events.slice(0, 10)).toEqual(tags('ran together-', 10))
      expect(events.slice(10).sort()).toEqual(tags('told together-', 10).sort())
    }))

  it('run in the order they were queued, across groups too', async () => {
    const queued = tags('order-', 150)
    await Promise.all(queued.map((tag) => transaction((tx) => note(tx, tag))))
    expect(await committedTags('order-')).toEqual(queued)
  })

  it('roll back only the one that throws: its writes go, the others commit, its caller gets its error', async () => {
    const refused = new Error('这一笔不成立')
    const outcomes = await Promise.allSettled(
      tags('one-fails-', 8).map((tag, i) =>
        transaction(async (tx) => {
          await note(tx, tag)
          await note(tx, `${tag}-second`)
          if (i === 3) throw refused
          return i
        }),
      ),
    )
    expect(outcomes[3]).toEqual({ status: 'rejected', reason: refused })
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([0, 1, 2, 4, 5, 6, 7])
    const committed = await committedTags('one-fails-')
    expect(committed).toHaveLength(14)
    expect(committed.filter((tag) => tag.startsWith('one-fails-3'))).toEqual([])
  })

  it('hand a UNIQUE violation to its own caller, recognisable, and commit the rest', async () => {
    await transaction((tx) => note(tx, 'taken'))
    const outcomes = await Promise.allSettled(
      ['unique-a', 'taken', 'unique-b'].map((tag) =>
        transaction(async (tx) => {
          await note(tx, `${tag}-first`)
          await note(tx, tag)
        }),
      ),
    )
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(uniqueViolation((outcomes[1] as PromiseRejectedResult).reason)).toBe('gc_notes.tag')
    expect(await committedTags('unique-')).toEqual(['unique-a-first', 'unique-a', 'unique-b-first', 'unique-b'])
    expect(await committedTags('taken-')).toEqual([])
  })

  it('reject every member when the COMMIT fails, and keep none of their writes', async () => {
    const outcomes = await Promise.allSettled(
      tags('commit-fails-', 5).map((tag, i) =>
        transaction(async (tx) => {
          await note(tx, tag)
          // Accepted now, refused at COMMIT: parent 999999 does not exist.
          if (i === 2) await tx.run(sql`INSERT INTO gc_child (parent_id) VALUES (999999)`)
          return i
        }),
      ),
    )
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected'])
    for (const outcome of outcomes) expect(String((outcome as PromiseRejectedResult).reason.cause ?? (outcome as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/)
    expect(await committedTags('commit-fails-')).toEqual([])
    // The queue carries on with the next group.
    await expect(transaction((tx) => note(tx, 'after-failed-commit'))).resolves.toBeUndefined()
    expect(await committedTags('after-failed-commit')).toEqual(['after-failed-commit'])
  })

  it('reject the members run so far when one member’s failure makes SQLite roll back the transaction; the next group goes on', async () => {
    await transaction((tx) => note(tx, 'rollback-taken'))
    const outcomes = await Promise.allSettled(
      ['rollback-a', 'rollback-b', 'rollback-c'].map((tag) =>
        transaction(async (tx) => {
          await note(tx, tag)
          // OR ROLLBACK ends the whole transaction, not just the statement or the savepoint.
          if (tag === 'rollback-b') await tx.run(sql`INSERT OR ROLLBACK INTO gc_notes (tag) VALUES ('rollback-taken')`)
        }),
      ),
    )
    // a's writes went with b's failure, and a hears so; c had not run yet: it commits in the next group.
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled'])
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(GroupAborted)
    expect(uniqueViolation((outcomes[1] as PromiseRejectedResult).reason)).toBe('gc_notes.tag')
    expect(await committedTags('rollback-')).toEqual(['rollback-taken', 'rollback-c'])
  })

  it('tell a member that swallowed the error which ended the transaction that nothing of it was kept', async () => {
    await transaction((tx) => note(tx, 'swallowed-taken'))
    const outcomes = await Promise.allSettled(
      ['swallowed-a', 'swallowed-b'].map((tag) =>
        transaction(async (tx) => {
          await note(tx, tag)
          if (tag === 'swallowed-b') await tx.run(sql`INSERT OR ROLLBACK INTO gc_notes (tag) VALUES ('swallowed-taken')`).catch(() => undefined)
          return 'done'
        }),
      ),
    )
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    for (const outcome of outcomes) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(GroupAborted)
    expect(await committedTags('swallowed-')).toEqual(['swallowed-taken'])
  })

  it('keep a member’s nested tx.transaction a savepoint of its own inside the member', async () => {
    const outcomes = await Promise.allSettled([
      transaction(async (tx) => {
        await note(tx, 'nested-kept')
        // A nested failure caught by the member: only the nested writes go.
        await tx
          .transaction(async (inner) => {
            await note(inner, 'nested-dropped')
            throw new Error('inner')
          })
          .catch(() => undefined)
        await tx.transaction((inner) => note(inner, 'nested-inner-kept'))
      }),
      transaction(async (tx) => {
        // A nested success inside a member that then fails: all of the member goes.
        await tx.transaction((inner) => note(inner, 'nested-of-failed'))
        throw new Error('outer')
      }),
      transaction((tx) => note(tx, 'nested-neighbour')),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await committedTags('nested-')).toEqual(['nested-kept', 'nested-inner-kept', 'nested-neighbour'])
  })

  it('take no more members once a group has run its time: a slow one holds back only its own group', async () => {
    const events: string[] = []
    const slow = transaction(async (tx) => {
      await note(tx, 'slow')
      // Longer than a group may take members (50 ms).
      await pause(80)
      events.push('slow ran')
    }).then(() => events.push('slow told'))
    await pause(10)
    const quick = transaction(async (tx) => {
      events.push('quick ran')
      await note(tx, 'quick')
    }).then(() => events.push('quick told'))
    await Promise.all([slow, quick])
    expect(events).toEqual(['slow ran', 'slow told', 'quick ran', 'quick told'])
  })

  it('let the event loop serve other work while a long group runs its members', async () => {
    const events: string[] = []
    const members = Array.from({ length: 8 }, (_, i) =>
      transaction(async (tx) => {
        // Due at once, set as the group begins: without a pause inside the group it could fire
        // only after all eight had run and been told.
        if (i === 0) setTimeout(() => events.push('timer'), 0)
        busyFor(4)
        await note(tx, `yield-${i}`)
      }).then(() => events.push('member told')),
    )
    await Promise.all(members)
    expect(events).toEqual(['timer', ...Array<string>(8).fill('member told')])
    expect(databaseHandle.groupStats.largest).toBeGreaterThan(1)
  })

  it('let each caller go on in a turn of the event loop of its own after the COMMIT (decision 059)', () =>
    withoutTimeBound(async () => {
      databaseHandle.groupStats!.largest = 0
      const events: string[] = []
      const callers = Array.from({ length: 4 }, (_, i) =>
        transaction((tx) => note(tx, `turns-${i}`)).then(() => {
          // Due at once, set as the first caller goes on: were the callers told together, each
          // going on for 8 ms (its reads and render on a local file), it would fire after all four.
          if (i === 0) setTimeout(() => events.push('timer'), 0)
          events.push(`caller ${i}`)
          busyFor(8)
        }),
      )
      await Promise.all(callers)
      await pause(5)
      expect(databaseHandle.groupStats.largest).toBe(4)
      expect(events).toEqual(['caller 0', 'timer', 'caller 1', 'caller 2', 'caller 3'])
    }))

  it('commit at most 64 together', () =>
    withoutTimeBound(async () => {
      const stats = databaseHandle.groupStats!
      stats.largest = 0
      await Promise.all(tags('bounded-', 200).map((tag) => transaction((tx) => note(tx, tag))))
      expect(stats.largest).toBe(64)
      expect(await committedTags('bounded-')).toHaveLength(200)
    }))

  it('sync every group’s commit to disk (synchronous = FULL on the connection that writes)', async () => {
    const levels = await Promise.all(
      Array.from({ length: 5 }, () => transaction(async (tx) => (await tx.all<{ synchronous: number }>(sql`PRAGMA synchronous`))[0]!.synchronous)),
    )
    expect(levels).toEqual([2, 2, 2, 2, 2])
  })

  it('run a plain write in the queue, after the transactions queued before it', async () => {
    const events: string[] = []
    const slowly = (tag: string) =>
      transaction(async (tx) => {
        await note(tx, tag)
        await pause(25)
      }).then(() => events.push(tag))
    const before = [slowly('plain-before-1'), slowly('plain-before-2')]
    const plain = db.run(sql`INSERT INTO gc_notes (tag) VALUES ('plain-write')`).then(() => events.push('plain-write'))
    const after = [slowly('plain-after-1'), slowly('plain-after-2')]
    await Promise.all([...before, plain, ...after])
    expect(events.slice(0, 2)).toEqual(['plain-before-1', 'plain-before-2'])
    expect(events.toSorted()).toEqual(['plain-after-1', 'plain-after-2', 'plain-before-1', 'plain-before-2', 'plain-write'])
  })
})

describe('executeOn, plain SQL for the hottest statements', () => {
  it('runs inside the member’s savepoint: it sees the member’s writes and goes with its rollback', async () => {
    const seen = await transaction(async (tx) => {
      await note(tx, 'raw-seen')
      const { rows } = await executeOn(tx, { sql: 'SELECT count(*) AS n FROM gc_notes WHERE tag = ?', args: ['raw-seen'] })
      return Number(rows[0]!.n)
    })
    expect(seen).toBe(1)
    const failed = transaction(async (tx) => {
      await executeOn(tx, { sql: 'INSERT INTO gc_notes (tag) VALUES (?)', args: ['raw-rolled-back'] })
      throw new Error('refused')
    })
    await expect(failed).rejects.toThrow('refused')
    expect(await committedTags('raw-')).toEqual(['raw-seen'])
  })

  it('on the database itself, writes as a plain write: after the transactions queued before it', async () => {
    const events: string[] = []
    const queued = transaction(async (tx) => {
      await note(tx, 'raw-plain-queued')
      await pause(30)
    }).then(() => events.push('transaction'))
    const plain = executeOn(db, { sql: 'INSERT INTO gc_notes (tag) VALUES (?)', args: ['raw-plain'] }).then(() => events.push('plain'))
    await Promise.all([queued, plain])
    expect(events).toEqual(['transaction', 'plain'])
  })
})

describe('the reservation core on grouped commits', () => {
  it('never oversells: 120 concurrent orders for 40 units, committed in groups, hold exactly 40', async () => {
    const item = await createStock({ capacity: 40 })
    const buyers = await createBuyers(120)
    const stats = databaseHandle.groupStats!
    stats.largest = 0
    const results = await withoutTimeBound(() => Promise.all(buyers.map((b) => placeOrder({ userId: b.id, kind: 'goods', lines: [line(item.id)], now: T0 }))))
    expect(stats.largest).toBeGreaterThan(1)
    expect(results.filter((r) => r.ok)).toHaveLength(40)
    expect(results.filter((r) => !r.ok && r.reason === 'sold_out')).toHaveLength(80)
    await expectConsistent(item.id, { available: 0, held: 40 })
    // Every order told "placed" exists, committed; the refused left no order behind.
    const [placed] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${orders} WHERE user_id IN (${sql.join(buyers.map((b) => sql`${b.id}`), sql`, `)})`)
    expect(placed?.n).toBe(40)
  })

  it('pays concurrently held orders once each, numbers 1..N without gaps or repeats', async () => {
    const item = await createStock({ capacity: 30, numbered: true })
    const buyers = await createBuyers(30)
    const results = await Promise.all(buyers.map((b) => placeOrder({ userId: b.id, kind: 'goods', lines: [line(item.id)], now: T0 })))
    const placed = results.map((r) => (r.ok ? r.order : null)).filter((o) => o !== null)
    expect(placed).toHaveLength(30)
    // Each payment twice at once: the provider repeats itself.
    const confirmed = await Promise.all(placed.flatMap((order) => [confirmPayment(paidNotice(order), T0), confirmPayment(paidNotice(order), T0)]))
    expect(confirmed.filter((c) => c.outcome === 'paid' && !c.duplicate)).toHaveLength(30)
    expect(confirmed.filter((c) => c.duplicate)).toHaveLength(30)
    await expectConsistent(item.id, { sold: 30, held: 0, available: 0 })
    const numbers = await db.all<{ numbers: string }>(sql`SELECT numbers FROM order_lines WHERE stock_id = ${item.id}`)
    expect(numbers.flatMap((row) => JSON.parse(row.numbers) as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
  })
})
