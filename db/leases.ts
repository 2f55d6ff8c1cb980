// Leases: a named right that one process holds until it lets go or stops renewing it, so that
// work which must run once at a time across processes and hosts (migrating and seeding, each
// periodic job) runs in one of them (docs/decisions/034-leases-migrations-and-jobs.md). Plain SQL
// through the libsql Client, which speaks to a local file and to a libsql server alike. The table
// lives outside drizzle's migrations: the migrator itself runs under a lease.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Client } from '@libsql/client'
import { isTransientBusy, retryWhileBusy, sleep } from './busy'

/** Who holds a lease: unique per process (host, pid and a random part, since pids are reused). */
export function newHolderId() {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
}

/** This process's holder id, shared by every lease it takes. */
export const PROCESS_HOLDER = newHolderId()

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS zhiyin_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
)`

// The rule in one statement, decided inside the write: a free name is taken; a held one only by
// its holder (a renewal) or once its time is up (its holder crashed or stalled). RETURNING gives
// a row exactly when the caller holds the lease afterwards.
const CLAIM = `INSERT INTO zhiyin_leases (name, holder, expires_at) VALUES (?1, ?2, ?3)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE zhiyin_leases.holder = excluded.holder OR zhiyin_leases.expires_at <= ?4
RETURNING holder`

export interface LeaseClaim {
  name: string
  holder: string
  /** How long the lease lasts from `now` unless renewed. */
  ttlMs: number
  now: number
}

/** Takes the lease `name` for `holder`, or renews it; true when `holder` holds it now. */
export async function claimLease(client: Client, { name, holder, ttlMs, now }: LeaseClaim) {
  const result = await client.execute({ sql: CLAIM, args: [name, holder, now + ttlMs, now] })
  return result.rows.length === 1
}

/** Lets go of the lease, only if `holder` holds it; true when it did. */
export async function releaseLease(client: Client, { name, holder }: { name: string; holder: string }) {
  const result = await client.execute({ sql: 'DELETE FROM zhiyin_leases WHERE name = ? AND holder = ?', args: [name, holder] })
  return result.rowsAffected === 1
}

/** Who holds `name` and until when (ms), or null; for logs and tests. */
export async function leaseHolder(client: Client, name: string) {
  const result = await client.execute({ sql: 'SELECT holder, expires_at FROM zhiyin_leases WHERE name = ?', args: [name] })
  const row = result.rows[0]
  return row ? { holder: String(row.holder), expiresAt: Number(row.expires_at) } : null
}

/** `ms` give or take half, so processes that collided do not collide again in step. */
const jittered = (ms: number) => ms * (0.5 + Math.random())

/** Creates the lease table unless it exists; safe to run from many processes at once. */
export function ensureLeaseTable(client: Client) {
  return retryWhileBusy(() => client.execute(CREATE_TABLE), { deadlineMs: 60_000 })
}

export class LeaseTimeout extends Error {
  name = 'LeaseTimeout'
}

export interface WaitForLease {
  name: string
  holder: string
  ttlMs: number
  /** Gives up (LeaseTimeout) after this long. */
  timeoutMs: number
  /** Called once when the lease was held by another process at first try. */
  onWait?: (current: { holder: string; expiresAt: number } | null) => void
}

/**
 * Waits, without blocking the event loop, until `holder` holds the lease: tries to claim it, and
 * between tries sleeps a jittered, growing pause (a busy database counts as "not yet").
 */
export async function waitForLease(client: Client, { name, holder, ttlMs, timeoutMs, onWait }: WaitForLease) {
  const deadline = Date.now() + timeoutMs
  let told = false
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    try {
      if (await claimLease(client, { name, holder, ttlMs, now: Date.now() })) return
    } catch (error) {
      if (!isTransientBusy(error)) throw error
    }
    if (!told) {
      told = true
      onWait?.(await leaseHolder(client, name).catch(() => null))
    }
    if (Date.now() > deadline) {
      const current = await leaseHolder(client, name).catch(() => null)
      throw new LeaseTimeout(`gave up waiting ${timeoutMs} ms for the lease "${name}" (held by ${current?.holder ?? 'nobody'})`)
    }
    await sleep(jittered(pause))
  }
}

export interface WithLease {
  name: string
  /** A crashed holder's lease lapses after this long; a live one renews it every third of it. */
  ttlMs: number
  timeoutMs: number
  holder?: string
  log?: (line: string) => void
}

/**
 * Runs `fn` while holding the lease `name` (waiting for it first), renewing it as `fn` runs and
 * releasing it afterwards, also when `fn` fails.
 */
export async function withLease<T>(client: Client, { name, ttlMs, timeoutMs, holder = PROCESS_HOLDER, log = console.log }: WithLease, fn: () => Promise<T>): Promise<T> {
  await ensureLeaseTable(client)
  await waitForLease(client, {
    name,
    holder,
    ttlMs,
    timeoutMs,
    onWait: (current) => log(`lease "${name}": held by ${current?.holder ?? 'another process'}, waiting`),
  })
  const renewal = setInterval(() => {
    claimLease(client, { name, holder, ttlMs, now: Date.now() })
      .then((held) => {
        // Only if this process stalled past the lease's time: another may now be doing the same work.
        if (!held) log(`lease "${name}": lost to another process while still working`)
      })
      .catch((error: unknown) => {
        // A busy moment: the next renewal (a third of the time-to-live later) tries again.
        if (!isTransientBusy(error)) log(`lease "${name}": renewal failed: ${String(error)}`)
      })
  }, ttlMs / 3)
  renewal.unref()
  try {
    return await fn()
  } finally {
    clearInterval(renewal)
    await retryWhileBusy(() => releaseLease(client, { name, holder }), { deadlineMs: ttlMs }).catch((error: unknown) =>
      log(`lease "${name}": not released (it lapses by itself): ${String(error)}`),
    )
  }
}
