// Waiting for the database without blocking (docs/decisions/037-write-path-across-processes.md).
// A local file is opened with busy_timeout 0: SQLite's own busy handler would sleep on the event
// loop while another process holds the write lock. Instead a statement, batch or BEGIN refused as
// busy is tried again after an asynchronous, jittered back-off, until a deadline; then the caller
// hears DatabaseBusy, which the server answers 503 with Retry-After. A libsql server's refusals
// under load (HTTP 429, DbCreateTimeout) are waited out the same way.

/** The write (or read) could not get through before its deadline: answer 503, try again later. */
export class DatabaseBusy extends Error {
  override name = 'DatabaseBusy'
  constructor(
    readonly waitedMs: number,
    options?: ErrorOptions,
  ) {
    super(`the database stayed busy for ${Math.round(waitedMs)} ms`, options)
  }
}

/**
 * Whether an error is DatabaseBusy, or wraps one (drizzle wraps a failed query's error as its
 * cause). By name, not instanceof: the server and the app's build each load their own copy of
 * this module.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    if (current.name === 'DatabaseBusy') return true
    current = current.cause
  }
  return false
}

// SQLite's SQLITE_BUSY (and SQLITE_BUSY_SNAPSHOT etc., as libsql reports them) on a local file; a
// libsql server's "try later" answers. None of them applied anything: trying again is safe.
const TRANSIENT = /SQLITE_BUSY|SQLITE_LOCKED|database is locked|DbCreateTimeout|status 429|Too Many Requests/i

/** A refusal that changed nothing and may pass if tried again a moment later. */
export function isTransientBusy(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const { code, message, status } = current as { code?: unknown; message?: unknown; status?: unknown }
    if (status === 429 || TRANSIENT.test(String(code ?? '')) || TRANSIENT.test(String(message ?? ''))) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

export interface BusyStats {
  /** Attempts that met a busy database and were tried again. */
  retries: number
  /** Operations given up at their deadline (answered DatabaseBusy). */
  busyFailures: number
}

// Long enough that a storm's queue (decision 031 keeps it bounded) never reaches it on a busy
// machine; well short of the 60 s after which proxies give up on an answer.
export const DEFAULT_DEADLINE_MS = 20_000

/** Seconds a client is asked to wait (Retry-After) after a 503 for a busy database. */
export const BUSY_RETRY_AFTER_SECONDS = 2

/**
 * Full-jitter exponential back-off: a random wait up to 1, 2, 4 … ms, capped at `capMs`, so that
 * processes refused together do not all come back together.
 */
export function backoffMs(attempt: number, capMs = 50, random = Math.random) {
  return random() * Math.min(capMs, 2 ** attempt)
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Runs `attempt` until it passes, fails for another reason, or `deadlineMs` has gone by (then DatabaseBusy). */
export async function retryWhileBusy<T>(
  attempt: () => Promise<T>,
  { stats = { retries: 0, busyFailures: 0 }, deadlineMs = DEFAULT_DEADLINE_MS }: { stats?: BusyStats; deadlineMs?: number } = {},
): Promise<T> {
  const start = performance.now()
  for (let tries = 0; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      if (!isTransientBusy(error)) throw error
      const waited = performance.now() - start
      if (waited >= deadlineMs) {
        stats.busyFailures += 1
        throw new DatabaseBusy(waited, { cause: error })
      }
      stats.retries += 1
      await sleep(backoffMs(tries))
    }
  }
}
