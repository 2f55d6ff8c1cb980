// Brings a database up to date before the server starts: migrations, the member tiers and,
// for an empty database outside production, the demo accounts.
import type { DatabaseHandle } from './client'
import { runMigrations } from './migrate'
import { seedDemo, seedTiers } from './seed'

export async function setupDatabase(handle: DatabaseHandle, { nodeEnv, log = console.log }: { nodeEnv: string; log?: (line: string) => void }) {
  await runMigrations(handle)
  if (await seedTiers(handle)) log('seed: member tiers created')
  if (nodeEnv === 'production') {
    log('seed: NODE_ENV=production, demo accounts are never seeded')
    return
  }
  if (await seedDemo(handle)) log('seed: demo accounts created (see README.md)')
}
