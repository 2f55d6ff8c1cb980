// A second (or third) server process's refund job, for the test that races processes on one
// database file: runs processPendingRefunds until nothing is due, printing the ids it refunded.
// The environment (DATABASE_URL, SESSION_SECRET …) comes from the parent test.
import { processPendingRefunds } from '~/models/commerce.server'
import { waitAtStartLine } from './start-together'

const done: number[] = []
const log = console.log
// processPendingRefunds logs "refund #<id> (…): done (…)" for each refund it executed.
console.log = (...parts: unknown[]) => {
  const match = /^refund #(\d+) .*: done/.exec(String(parts[0]))
  if (match) done.push(Number(match[1]))
}
// All workers start together once all are loaded, so their passes overlap.
await waitAtStartLine()
for (let pass = 0; pass < 50; pass++) {
  const refunded = await processPendingRefunds(new Date(), 5)
  if (refunded === 0) break
}
log(JSON.stringify(done))
process.exit(0)
