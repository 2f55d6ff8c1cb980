// What the site counts for Prometheus (docs/decisions/036-logs-and-metrics.md): requests by
// route, holds, payments and refusals as they happen; the outboxes', the periodic jobs' and the
// write path's lag read when scraped. server/metrics.ts serves them on an internal port. Label
// values come from code (route ids, reason codes, job names), never from a request, so the set
// of series stays small.
import cluster from 'node:cluster'
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { DatabaseHandle } from '../../db/client'
import { databaseHandle } from './db.server'

/** What the write path reports of itself (db/client.ts `writeStats()`). */
export interface WriteStats {
  queued: number
  oldestWaitingMs: number
  retries: number
  busyFailures: number
}

/** What the page cache in front of Express (decision 033) has counted since it started. */
export interface PageCacheCounts {
  hits: number
  notModified: number
  renders: number
}

/** The handle's write path counters, where the handle has them: a series is never shown as 0 for "not measured". */
type WriteReporting = Pick<DatabaseHandle, 'groupStats' | 'writeStats'>

/** A registry with every metric of the site, reading `handle` when scraped. One per process: see below. */
export function createSiteMetrics(handle: WriteReporting & Partial<Pick<DatabaseHandle, 'client'>>) {
  const registry = new Registry()
  // Event-loop delay (nodejs_eventloop_lag_p99_seconds …, from monitorEventLoopDelay), memory, CPU, GC.
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const jobPasses = new Map<string, number>()
  const metrics = {
    registry,
    /** Read when scraped; the newest module's, see below. */
    database: handle,
    /** The page cache's counts, read when scraped (countPageCache). */
    pageCache: null as (() => PageCacheCounts) | null,
    /** The admission's counts, read when scraped (countAdmission). */
    admission: null as (() => AdmissionCounts) | null,
    jobPasses,
    requestDuration: new Histogram({
      name: 'zhiyin_http_request_duration_seconds',
      help: 'Time to answer requests that went through Express, by method, Remix route id and status class',
      labelNames: ['method', 'route', 'status_class'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    holdsPlaced: new Counter({
      name: 'zhiyin_holds_placed_total',
      help: 'Orders whose every line was held (stock or seats), by order kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    holdsRefused: new Counter({
      name: 'zhiyin_holds_refused_total',
      help: 'Orders refused because a line could not be held, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    paymentsConfirmed: new Counter({
      name: 'zhiyin_payments_confirmed_total',
      help: 'Payments providers told of for the first time, by provider and what confirming them did',
      labelNames: ['provider', 'outcome'] as const,
      registers,
    }),
    refusals: new Counter({
      name: 'zhiyin_refusals_total',
      help: 'Requests refused (4xx) for a reason the app names with a code, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    jobPassesTotal: new Counter({
      name: 'zhiyin_job_passes_total',
      help: 'Passes of the periodic jobs, by job and outcome (ok, failed)',
      labelNames: ['job', 'outcome'] as const,
      registers,
    }),
  }

  new Gauge({
    name: 'zhiyin_job_seconds_since_success',
    help: "Seconds since each periodic job's last successful pass in any process (jobs that never passed here are absent)",
    labelNames: ['job'] as const,
    // Under leases one process runs a job: the cluster's lag is the freshest pass.
    aggregator: 'min',
    registers,
    collect() {
      this.reset()
      const now = Date.now()
      for (const [job, at] of jobPasses) this.set({ job }, (now - at) / 1000)
    },
  })

  new Gauge({
    name: 'zhiyin_outbox_lag_seconds',
    help: 'Age of the oldest due, unsent message of each outbox (0 when none is due), read when scraped',
    labelNames: ['outbox'] as const,
    // Every worker reads the same database.
    aggregator: 'max',
    registers,
    async collect() {
      if (!metrics.database.client) return
      const lag = await readOutboxLag({ client: metrics.database.client }, new Date())
      this.set({ outbox: 'email' }, lag.email)
      this.set({ outbox: 'wechat' }, lag.wechat)
    },
  })

  const writeGauge = (name: string, help: string, aggregator: 'sum' | 'max', read: (stats: WriteStats) => number) =>
    new Gauge({
      name,
      help,
      aggregator,
      registers,
      collect() {
        this.set(read(metrics.database.writeStats()))
      },
    })
  const writeCounter = (name: string, help: string, read: (handle: WriteReporting) => number) =>
    new Counter({
      name,
      help,
      registers,
      // A running total kept by the database handle, shown as it stands.
      collect() {
        this.reset()
        this.inc(read(metrics.database))
      },
    })
  writeGauge('zhiyin_db_writes_queued', 'Write transactions waiting for the write path', 'sum', (s) => s.queued)
  writeGauge('zhiyin_db_write_oldest_waiting_seconds', 'How long the oldest queued write has waited', 'max', (s) => s.oldestWaitingMs / 1000)
  writeCounter('zhiyin_db_write_retries_total', 'Writes tried again after the database was busy', (h) => h.writeStats().retries)
  writeCounter('zhiyin_db_write_busy_failures_total', 'Writes that failed because the database stayed busy past their deadline', (h) => h.writeStats().busyFailures)
  // Pages the cache answers skip Express and the request histogram: their counts, read when scraped.
  const pageCacheCounter = (name: string, help: string, read: (counts: PageCacheCounts) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        const counts = metrics.pageCache?.()
        if (!counts) return
        this.reset()
        this.inc(read(counts))
      },
    })
  pageCacheCounter('zhiyin_page_cache_hits_total', 'Requests answered from the page cache, before Express', (c) => c.hits)
  pageCacheCounter('zhiyin_page_cache_not_modified_total', 'Page cache answers that were 304 Not Modified', (c) => c.notModified)
  pageCacheCounter('zhiyin_page_cache_renders_total', 'Pages rendered for the page cache to keep', (c) => c.renders)

  new Gauge({
    name: 'zhiyin_requests_working',
    help: 'Requests the app is working on (their headers not sent yet)',
    aggregator: 'sum',
    registers,
    collect() {
      this.set(metrics.admission?.().working ?? 0)
    },
  })
  new Gauge({
    name: 'zhiyin_requests_waiting',
    help: 'Requests waiting for their turn past REQUEST_CONCURRENCY',
    aggregator: 'sum',
    registers,
    collect() {
      this.set(metrics.admission?.().waiting ?? 0)
    },
  })
  new Counter({
    name: 'zhiyin_requests_refused_total',
    help: 'Requests answered 503 because the wait for their turn was full or ran out',
    registers,
    collect() {
      this.reset()
      this.inc(metrics.admission?.().refused ?? 0)
    },
  })

  writeCounter('zhiyin_db_write_groups_total', 'Groups of write transactions committed together (group commit)', (h) => h.groupStats.groups)
  writeCounter('zhiyin_db_write_transactions_total', 'Write transactions committed in groups (group commit)', (h) => h.groupStats.transactions)

  return metrics
}

declare global {
  var __zhiyinMetrics: ReturnType<typeof createSiteMetrics> | undefined
}

/** In a cluster worker: answers the primary's requests for this registry (serveMetrics with cluster). */
function answerClusterPrimary(registry: Registry) {
  AggregatorRegistry.setRegistries([registry])
  // Constructing one is what makes prom-client listen to the primary.
  new AggregatorRegistry()
}

// One registry per process, whichever copy of this module (the server's, the bundle's) comes first.
if (!globalThis.__zhiyinMetrics) {
  globalThis.__zhiyinMetrics = createSiteMetrics(databaseHandle)
  if (cluster.isWorker) answerClusterPrimary(globalThis.__zhiyinMetrics.registry)
}
const metrics = globalThis.__zhiyinMetrics
// Scrapes read the database through the handle of the newest copy of this module: a test file's
// fresh modules bring a fresh handle, the previous one is closed.
metrics.database = databaseHandle

/** The process's registry: what /metrics shows of this process. */
export const metricsRegistry = metrics.registry

/**
 * Seconds the oldest due, unsent message of each outbox has been due: pending past its next
 * attempt, or claimed by a sender whose lease ran out. WeChat's test-mode rows are never sent.
 */
export async function readOutboxLag(handle: Pick<DatabaseHandle, 'client'>, now: Date) {
  const dueSince = (table: string, condition: string) => `
    SELECT '${table}' AS outbox, min(CASE WHEN state = 'pending' THEN next_attempt_at ELSE locked_until END) AS since FROM ${table}
    WHERE ${condition} ((state = 'pending' AND next_attempt_at <= :now) OR (state = 'sending' AND locked_until < :now))`
  const { rows } = await handle.client.execute({
    sql: `${dueSince('email_outbox', '')} UNION ALL ${dueSince('wechat_outbox', 'test_mode = 0 AND')}`,
    args: { now: now.getTime() },
  })
  const age = (since: unknown) => (since == null ? 0 : Math.max(0, now.getTime() - Number(since)) / 1000)
  const since = (table: string) => rows.find((row) => row.outbox === table)?.since
  return { email: age(since('email_outbox')), wechat: age(since('wechat_outbox')) }
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** The page cache whose counts /metrics shows (the site's, made by createSite). */
export function countPageCache(counts: () => PageCacheCounts) {
  metrics.pageCache = counts
}

/** What the admission (server/admission.ts) counts, read when scraped. */
export interface AdmissionCounts {
  working: number
  waiting: number
  refused: number
}

/** The admission whose counts /metrics shows (the site's, made by createSite). */
export function countAdmission(admission: { stats(): AdmissionCounts }) {
  metrics.admission = () => admission.stats()
}

/** One answered request: `route` is a route id or another label from code, never the URL. */
export function observeRequest(method: string, route: string, status: number, seconds: number) {
  metrics.requestDuration.observe({ method: METHODS.has(method) ? method : 'other', route, status_class: `${Math.floor(status / 100)}xx` }, seconds)
}

export function countHoldPlaced(kind: string) {
  metrics.holdsPlaced.inc({ kind })
}

/** A refused hold is also a refusal the buyer is shown (sold out, over the limit, …). */
export function countHoldRefused(reason: string) {
  metrics.holdsRefused.inc({ reason })
  countRefusal(reason)
}

/** A request refused for a reason the app names with a code (a model's `{ ok: false, reason }`). */
export function countRefusal(reason: string) {
  metrics.refusals.inc({ reason })
}

/** A payment confirmed by confirmPayment; repeats of one the provider told of before are not counted. */
export function countPaymentConfirmed(provider: string, result: { outcome: string; duplicate: boolean }) {
  if (!result.duplicate) metrics.paymentsConfirmed.inc({ provider, outcome: result.outcome })
}

/** The job loop's word after each pass of a periodic job (app/utils/jobs.server.ts). */
export function recordJobPass(job: string, ok: boolean) {
  metrics.jobPassesTotal.inc({ job, outcome: ok ? 'ok' : 'failed' })
  if (ok) metrics.jobPasses.set(job, Date.now())
}
