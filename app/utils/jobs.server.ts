// Periodic work inside the server process: publishing scheduled dailies and delivering email.
// The server calls startBackgroundJobs() once after it starts listening; the returned stop()
// lets a SIGTERM finish the current pass before exit.
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

interface Job {
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

export function startBackgroundJobs() {
  let stopped = false
  const running = new Map<string, Promise<void>>()
  const timers = JOBS.map((job) => {
    const tick = () => {
      // One pass of a job at a time: a slow pass never piles up overlapping ones.
      if (stopped || running.has(job.name)) return
      const pass = job
        .run()
        .then(() => recordJobPass(job.name, true))
        .catch((error: unknown) => {
          recordJobPass(job.name, false)
          console.error(`${job.name} failed`, error)
        })
        .finally(() => running.delete(job.name))
      running.set(job.name, pass)
    }
    const timer = setInterval(tick, job.everyMs)
    timer.unref()
    // Catch up at start: dailies whose time passed while the server was down go out now.
    tick()
    return timer
  })
  return async function stop() {
    stopped = true
    for (const timer of timers) clearInterval(timer)
    await Promise.all(running.values())
  }
}
