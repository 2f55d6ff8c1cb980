// Periodic work inside the server process. The server calls startBackgroundJobs() once after
// it starts listening; stop() lets a SIGTERM finish the current pass before exit.
import { deliverDueEmails } from './email.server'

const EMAIL_INTERVAL_MS = 5_000

export function startBackgroundJobs() {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    running = deliverDueEmails().catch((error: unknown) => console.error('email delivery failed', error))
  }
  const timer = setInterval(() => {
    if (!stopped) tick()
  }, EMAIL_INTERVAL_MS)
  timer.unref()
  tick()
  return async function stop() {
    stopped = true
    clearInterval(timer)
    await running
  }
}
