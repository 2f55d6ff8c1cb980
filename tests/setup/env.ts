// Runs before every test file: gives that file its own environment and its own fresh SQLite
// file, migrated and seeded with the member tiers (a copy of tests/setup/template-db.ts's),
// before any app module reads the env.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, inject, vi } from 'vitest'
import { runMigrations } from '../../db/migrate'
import { seedTiers } from '../../db/seed'

// A worker may run several files one after another (always so with --no-isolate), and
// globalThis outlives the module registry: drop the previous file's handle and app modules so
// that db.server and getEnv() start over with this file's database and environment.
globalThis.__zhiyinDatabase?.close()
delete globalThis.__zhiyinDatabase
vi.resetModules()

const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-test-'))
process.env.NODE_ENV = 'test'
process.env.DATA_DIR = dataDir
process.env.DATABASE_URL = `file:${join(dataDir, 'test.db')}`
process.env.SESSION_SECRET = 'test-session-secret-0123456789abcdef'
process.env.SITE_URL = 'http://localhost:3000'
delete process.env.RESEND_API_KEY
delete process.env.DATABASE_AUTH_TOKEN
delete process.env.PORT
delete process.env.SITE_TIMEZONE
delete process.env.MAIL_FROM
delete process.env.HOLD_MINUTES
for (const name of ['DAILY_PUBLISH_TIME', 'SUPPORT_CONTACT', 'ICP_NUMBER']) delete process.env[name]
// Servers a test starts run one process unless the test asks for more (decision 037).
process.env.WEB_CONCURRENCY = '1'
delete process.env.DATABASE_REPLICA_PATH
delete process.env.WRITE_DEADLINE_MS
delete process.env.STRIPE_SECRET_KEY
delete process.env.PAYMENTS_TEST_MODE
delete process.env.STRIPE_WEBHOOK_SECRET
for (const name of ['WECHAT_APPID', 'WECHAT_APPSECRET', 'WECHAT_OPEN_APPID', 'WECHAT_OPEN_APPSECRET', 'WECHAT_TEST_MODE']) delete process.env[name]
for (const name of ['ALIPAY_APPID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY', 'ALIPAY_GATEWAY']) delete process.env[name]

// A copy of the database tests/setup/template-db.ts migrated and seeded once for the whole run
// (decision 053); migrated here only when vitest runs without that global setup.
const template = inject('templateDatabase')
if (template) copyFileSync(template, join(dataDir, 'test.db'))
const { databaseHandle } = await import('~/utils/db.server')
if (!template) {
  await runMigrations(databaseHandle)
  await seedTiers(databaseHandle)
}

afterAll(() => {
  if (globalThis.__zhiyinDatabase === databaseHandle) {
    databaseHandle.close()
    delete globalThis.__zhiyinDatabase
  }
  rmSync(dataDir, { recursive: true, force: true })
})
