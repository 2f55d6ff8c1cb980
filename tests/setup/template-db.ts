// Vitest's global setup: one database migrated and seeded with the member tiers, made once per run.
// tests/setup/env.ts copies it for each test file, where each file used to run every migration
// itself (≈ 80 ms of CPU and up to a second of fsyncs a file; decision 053). Made from the
// migrations on disk at every run, so a new migration is in it at once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { createDatabase } from '../../db/client'
import { runMigrations } from '../../db/migrate'
import { seedTiers } from '../../db/seed'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated and seeded database file that each test file starts from a copy of. */
    templateDatabase: string
  }
}

export default async function migrateTemplate(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'zhiyin-template-'))
  const file = join(dir, 'template.db')
  const handle = createDatabase(`file:${file}`)
  try {
    await runMigrations(handle)
    await seedTiers(handle)
    // Everything into the main file, so that a copy of it alone is the whole database (WAL mode is
    // kept in the file's header).
    await handle.client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
  } finally {
    handle.close()
  }
  project.provide('templateDatabase', file)
  return () => rmSync(dir, { recursive: true, force: true })
}
