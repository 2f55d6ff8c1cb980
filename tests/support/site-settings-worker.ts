// Another server process's view of the site settings, for the test that saves them in one process
// and reads them in another on the same database file. Each line on stdin is a moment (ms since
// the epoch); the answer is one line: `settings <JSON>` of getSiteSettings at that moment.
// The environment (DATABASE_URL, the settings' initial values …) comes from the parent test.
import { createInterface } from 'node:readline'
import { getSiteSettings } from '~/models/site-settings.server'

process.stdout.write('ready\n')
for await (const line of createInterface({ input: process.stdin })) {
  const settings = await getSiteSettings(Number(line))
  process.stdout.write(`settings ${JSON.stringify(settings)}\n`)
}
process.exit(0)
