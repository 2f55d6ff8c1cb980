// Periodic work inside the server process: publishing scheduled dailies and delivering email.
// The server calls startBackgroundJobs() once after it starts listening; the returned stop()
// lets a SIGTERM finish the current pass before exit. With several server processes each job
// runs in the one holding its lease, and another takes it over when that one dies
// (docs/decisions/034-leases-migrations-and-jobs.md).
import { isTransientBusy } from '../../db/busy'
import { logger } from './log.server'
import { claimLease, ensureLeaseTable, PROCESS_HOLDER, releaseLease } from '../../db/leases'
import { processPendingRefunds, releaseExpiredHolds } from '~/models/commerce.server'
import { publishDueDailies } from '~/models/daily.server'
import { sendMembershipExpiryNotices } from '~/models/membership-expiry.server'
import { sendDueDropReminders } from '~/models/notification.server'
import { closeLapsedCheckouts } from '~/models/payable-checkout.server'
import { reconcileYesterday } from '~/models/reconciliation.server'
import { sendDueProductAlerts } from '~/models/product-alert.server'
import { forgetOldRateLimitRecords } from '~/models/rate-limit.server'
import { forgetOldWechatReplies } from '~/models/wechat.server'
import { forgetOldWechatSignIns } from '~/models/wechat-identity.server'
import { deliverDueEmails } from './email.server'
import { deliverDueWechatMessages } from './notify.server'
import { recordJobPass } from './metrics.server'
import { configuredProviders } from './payments.server'
import { databaseHandle } from './db.server'

export interface Job {
  name: string
  everyMs: number
  run: () => Promise<unknown>
}

const JOBS: Job[] = [
  // Publishing first: a daily that goes out also queues its emails for the next delivery pass.
  { name: 'publish scheduled dailies', everyMs: 15_000, run: () => publishDueDailies() },
  { name: 'deliver email', everyMs: 5_000, run: () => deliverDueEmails() },
  { name: 'deliver WeChat messages', everyMs: 5_000, run: () => deliverDueWechatMessages() },
  // Ten minutes before a drop opens; the notification's unique key keeps it one per reader.
  { name: 'drop reminders', everyMs: 15_000, run: () => sendDueDropReminders() },
  // 30 and 7 days before a membership's last day; each notice's key keeps it one across processes.
  { name: 'membership expiry notices', everyMs: 5 * 60_000, run: () => sendMembershipExpiryNotices() },
  // Unpaid holds lapse to the second for readers (heldAt counts them free, decision 029) and
  // writes on a stock release them first; this pass marks their orders expired and returns the
  // stock, since no page writes.
  { name: 'release expired holds', everyMs: 5_000, run: () => releaseExpiredHolds() },
  // A provider checkout of an order that lapsed or was cancelled must not take a payment later.
  { name: 'close lapsed checkouts', everyMs: 5_000, run: () => closeLapsedCheckouts() },
  { name: 'refund payments', everyMs: 30_000, run: () => processPendingRefunds() },
  // 对账: yesterday's bill of each provider, once it is published; once per provider and day across processes.
  { name: 'reconcile yesterday', everyMs: 30 * 60_000, run: () => reconcileYesterday(configuredProviders()) },
  { name: 'forget old WeChat replies', everyMs: 60 * 60_000, run: () => forgetOldWechatReplies() },
  { name: 'forget old WeChat sign-in states and links', everyMs: 60 * 60_000, run: () => forgetOldWechatSignIns() },
  { name: 'forget old rate-limit records', everyMs: 60 * 60_000, run: () => forgetOldRateLimitRecords() },
  // 到货提醒 / 开售提醒: polled, so stock coming back by any path (lapsed hold, refund, capacity) counts.
  { name: 'product alerts', everyMs: 15_000, run: () => sendDueProductAlerts() },
]

export interface JobOptions {
  jobs?: Job[]
  /**
   * A killed holder's jobs pass to another process this long after its last renewal. Renewals
   * come every third of it, whatever a pass takes, so it need only outlast a stalled moment.
   */
  leaseMs?: number
  holder?: string
  log?: (line: string) => void
}

type LeaseOptions = Required<Omit<JobOptions, 'jobs'>>

/** One job's lease (job:<name>): claim() takes or renews it and says whether this process runs the job. */
function jobLease(job: Job, { leaseMs, holder, log }: LeaseOptions, tableReady: Promise<unknown>) {
  const client = databaseHandle.client
  const name = `job:${job.name}`
  let held = false
  // Until when the last renewal keeps the lease: a busy database cannot make it last longer.
  let heldUntil = 0
  let claiming: Promise<boolean> | null = null

  async function tryClaim() {
    try {
      await tableReady
      const now = Date.now()
      const holds = await claimLease(client, { name, holder, ttlMs: leaseMs, now })
      if (holds && !held) log(`job ${job.name}: taken over by this process (${holder})`)
      if (!holds && held) log(`job ${job.name}: now run by another process`)
      held = holds
      heldUntil = holds ? now + leaseMs : 0
    } catch (error) {
      if (!isTransientBusy(error)) logger.error({ err: error }, `job ${job.name}: lease check failed`)
      held = Date.now() < heldUntil
    }
    return held
  }

  return {
    claim: () =>
      (claiming ??= tryClaim().finally(() => {
        claiming = null
      })),
    /** Hands the job to another process at once instead of after leaseMs. */
    release: async () => {
      if (held) await releaseLease(client, { name, holder }).catch(() => false)
      held = false
    },
  }
}

export function startBackgroundJobs({ jobs = JOBS, leaseMs = 30_000, holder = PROCESS_HOLDER, log = (line: string) => logger.info(line) }: JobOptions = {}) {
  let stopped = false
  const running = new Map<string, Promise<void>>()
  const tableReady = ensureLeaseTable(databaseHandle.client)
  // Every tick settles before stop() releases the leases, so none is claimed after its release.
  const ticking = new Set<Promise<void>>()
  const track = (fn: () => Promise<unknown>) => () => {
    const done = fn().then(() => undefined)
    ticking.add(done)
    void done.finally(() => ticking.delete(done))
  }

  const leases = jobs.map((job) => jobLease(job, { leaseMs, holder, log }, tableReady))
  const timers = jobs.flatMap((job, index) => {
    const lease = leases[index]!
    const tick = async () => {
      if (stopped || !(await lease.claim()) || stopped) return
      // One pass of a job at a time: a slow pass never piles up overlapping ones.
      if (running.has(job.name)) return
      const pass = job
        .run()
        .then(() => recordJobPass(job.name, true))
        .catch((error: unknown) => {
          recordJobPass(job.name, false)
          logger.error({ err: error }, `${job.name} failed`)
        })
        .finally(() => running.delete(job.name))
      running.set(job.name, pass)
    }
    const passes = setInterval(track(tick), job.everyMs)
    passes.unref()
    // Catch up at start: dailies whose time passed while the server was down go out now.
    track(tick)()
    // Each tick renews the lease; a job with longer pauses renews it every third of leaseMs too.
    if (job.everyMs <= leaseMs / 3) return [passes]
    const renewals = setInterval(track(async () => !stopped && (await lease.claim())), leaseMs / 3)
    renewals.unref()
    return [passes, renewals]
  })

  return async function stop() {
    stopped = true
    for (const timer of timers) clearInterval(timer)
    await Promise.all(ticking)
    await Promise.all(running.values())
    await Promise.all(leases.map((lease) => lease.release()))
  }
}
