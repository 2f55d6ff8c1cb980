// Brings a database up to date before the server starts: migrations, the member tiers, the
// community boards, the shop categories, the course fields, the default legal texts and, for an
// empty database outside production, the demo accounts, the demo dailies of content/, the next
// membership drop (announced), demo products while the shop has none and demo courses while
// there are none.
import type { DatabaseHandle } from './client'
import { withLease } from './leases'
import { runMigrations } from './migrate'
import { seedBoards, seedDemo, seedTiers } from './seed'
import { seedDemoCommunity } from './seed-community'
import { seedCourseFields, seedDemoCourses } from './seed-courses'
import { seedLegalDocuments } from './seed-legal'
import { seedDemoDrop } from './seed-drop'
import { seedDemoShop, seedShopCategories } from './seed-shop'
import { addDemoTranscripts, importDemoDailies } from './seed-content'

/**
 * Several servers starting at once (WEB_CONCURRENCY, several hosts) set up one at a time under
 * this lease (docs/decisions/034): the first migrates and seeds, the others then find everything
 * done. A crashed holder's lease lapses after `ttlMs`; a live one renews it while it works.
 */
export const SETUP_LEASE = { name: 'setup', ttlMs: 30_000, timeoutMs: 10 * 60_000 }

export async function setupDatabase(
  handle: DatabaseHandle,
  { nodeEnv, log = console.log, now = new Date() }: { nodeEnv: string; log?: (line: string) => void; now?: Date },
) {
  await withLease(handle.client, { ...SETUP_LEASE, log }, () => migrateAndSeed(handle, { nodeEnv, log, now }))
}

async function migrateAndSeed(handle: DatabaseHandle, { nodeEnv, log, now }: { nodeEnv: string; log: (line: string) => void; now: Date }) {
  await runMigrations(handle)
  if (await seedTiers(handle)) log('seed: member tiers created')
  if (await seedBoards(handle)) log('seed: community boards created')
  if (await seedShopCategories(handle)) log('seed: shop categories created')
  if (await seedCourseFields(handle)) log('seed: course fields (领域) created')
  if ((await seedLegalDocuments(handle)) > 0) log('seed: default 用户协议 and 隐私政策 written')
  if (nodeEnv === 'production') {
    log('seed: NODE_ENV=production, demo accounts are never seeded')
    return
  }
  if (await seedDemo(handle, { now })) {
    log('seed: demo accounts created (see README.md)')
    const { getEnv } = await import('~/utils/env.server')
    const created = await importDemoDailies(handle, { now, timeZone: getEnv().SITE_TIMEZONE })
    const scheduled = created.filter((daily) => daily.state === 'scheduled').length
    log(`seed: ${created.length} demo dailies imported from content/dailies (${scheduled} scheduled)`)
    log(`seed: ${await seedDemoCommunity(handle, { now })} demo community threads created`)
    const drop = await seedDemoDrop(handle, { now, timeZone: getEnv().SITE_TIMEZONE })
    if (drop) log(`seed: demo membership drop 「${drop.name}」 announced, opening ${drop.opensAt.toISOString()}`)
  }
  const transcripts = await addDemoTranscripts(handle)
  if (transcripts > 0) log(`seed: ${transcripts} demo dailies given their transcripts`)
  const demoProducts = await seedDemoShop(handle, { now })
  if (demoProducts > 0) log(`seed: ${demoProducts} demo products created, with photos and a few paid demo orders`)
  const demoCourses = await seedDemoCourses(handle, { now })
  if (demoCourses > 0) log(`seed: ${demoCourses} demo courses created (又一课), with their lessons' audio and video`)
}
