// server/main.ts, started at the start line (./start-together.ts) together with the other
// servers of a race: its modules are loaded first, so all begin setting up the database within
// moments of each other however long the machine takes to load each process.
import { fileURLToPath } from 'node:url'
import { waitAtStartLine } from './start-together'

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url))

// What server/main.ts loads before it sets up the database (its own module loads after the line).
await Promise.all([
  import('express'),
  import('compression'),
  import('helmet'),
  import('pino'),
  import('prom-client'),
  import('~/utils/env.server'),
  import('~/utils/payments.server'),
  import('~/utils/wechat-api.server'),
  import('~/utils/csp.server'),
  import('~/utils/db.server'),
  import('../../db/setup'),
  import('../../server/build-if-needed'),
  import('../../server/build-assets'),
  import('../../server/page-cache'),
  import('../../server/remix-handler'),
  import('../../server/request-guards'),
  import('../../server/origin'),
])
await waitAtStartLine()
// main.ts starts the server only when it is the script that node was asked to run.
process.argv[1] = MAIN
await import(MAIN)
