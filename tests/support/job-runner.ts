// A server process's job loop (startBackgroundJobs) with two quick test jobs, for the test that
// runs it in two processes on one database file. Each pass prints {"pass": job, "at": ms}; the
// loop's own lines (takeovers) are printed as they are. The environment (DATABASE_URL …) and
// JOB_LEASE_MS come from the parent test. SIGTERM stops the loop, which releases its leases.
import { startBackgroundJobs } from '~/utils/jobs.server'
import { waitAtStartLine } from './start-together'

const jobs = ['alpha', 'beta'].map((name) => ({
  name,
  everyMs: 100,
  run: async () => console.log(JSON.stringify({ pass: name, at: Date.now() })),
}))

await waitAtStartLine()
// Its lease lines as plain text on stdout, where the test reads them (the logger is silent under NODE_ENV=test).
const stop = startBackgroundJobs({ jobs, leaseMs: Number(process.env.JOB_LEASE_MS), log: (line) => console.log(line) })
// The loop's timers do not keep a process alive: this does, until SIGTERM.
const alive = setInterval(() => {}, 60_000)
process.on('SIGTERM', () => {
  clearInterval(alive)
  void stop().then(() => process.exit(0))
})
