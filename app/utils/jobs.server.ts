// Periodic work inside the server process. The server calls startBackgroundJobs() once after
// it starts listening; the returned stop() lets a SIGTERM finish the current pass before exit.
import { deliverDueEmails } from './email.server'

const EMAIL_INTERVAL_MS = 5_000

export function startBackgroundJobs() {
  let stopped = false
  let running: Promise<void> | null = null
  const tick = () => {
    // One pass at a time: a slow provider never piles up overlapping passes.
    if (stopped || running) return
    running = deliverDueEmails()
      .then(() => undefined)
      .catch((error: unknown) => console.error('email delivery failed', error))
      .finally(() => {
        running = null
      })
  }
  const timer = setInterval(tick, EMAIL_INTERVAL_MS)
  timer.unref()
  tick()
  return async function stop() {
    stopped = true
    clearInterval(timer)
    await running
  }
}
