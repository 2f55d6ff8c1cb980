// A second server process's drop-reminder job, for the test that races processes on one database
// file: runs sendDueDropReminders at the instant the parent gives (NOW) and prints how many it sent.
// The environment (DATABASE_URL, SESSION_SECRET …) comes from the parent test.
import { sendDueDropReminders } from '~/models/notification.server'
import { waitAtStartLine } from './start-together'

// All workers start together once all are loaded, so their passes overlap.
await waitAtStartLine()
let sent = 0
for (let pass = 0; pass < 20; pass++) {
  const now = new Date(Number(process.env.NOW))
  const n = await sendDueDropReminders(now, 5)
  sent += n
  if (n === 0) break
}
console.log(JSON.stringify({ sent }))
process.exit(0)
