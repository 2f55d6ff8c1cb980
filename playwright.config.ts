// End-to-end tests: Playwright drives Debian's Chromium (never a downloaded browser) against a
// real server started on its own port, with a fresh database for every run.
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, devices } from '@playwright/test'

const ROOT = dirname(fileURLToPath(import.meta.url))
const PORT = Number(process.env.E2E_PORT ?? 3100)
const BASE_URL = `http://127.0.0.1:${PORT}`
/** The Official Account token of the e2e server (specs sign /wechat calls with it). */
const WECHAT_E2E_TOKEN = 'zhiyinE2Etoken'
const TMP = join(ROOT, 'tests/.tmp')
/**
 * The drop waiting room's admission window on the e2e server (DROP_LINE_WINDOW, decision 031).
 * Above drop-race's 500 simultaneous buyers, so the races test the reservation core as before;
 * drop-line.spec.ts fills the window with buyers of its own to put three browsers in line.
 */
const DROP_LINE_WINDOW = 600

// This file is loaded by the runner and again by every worker. Only the runner (the first to
// load it) picks the data dir and wipes earlier runs; workers inherit E2E_DATA_DIR from it.
if (!process.env.E2E_DATA_DIR) {
  mkdirSync(TMP, { recursive: true })
  for (const name of readdirSync(TMP)) {
    if (name.startsWith('e2e-')) rmSync(join(TMP, name), { recursive: true, force: true })
  }
  const dir = join(TMP, `e2e-${Date.now()}-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  process.env.E2E_DATA_DIR = dir
}
const DATA_DIR = process.env.E2E_DATA_DIR
process.env.E2E_DATABASE_URL = `file:${join(DATA_DIR, 'zhiyin.db')}`
process.env.E2E_SITE_URL = BASE_URL
process.env.E2E_WECHAT_TOKEN = WECHAT_E2E_TOKEN
process.env.E2E_DROP_LINE_WINDOW = String(DROP_LINE_WINDOW)

// Debian's Chromium in a zh-CN desktop browser, for every project.
const CHROMIUM = {
  ...devices['Desktop Chrome'],
  locale: 'zh-CN',
  launchOptions: {
    // Debian's Chromium; `npx playwright install` is never needed (nor possible here).
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
}

// The races load the server with hundreds of requests at once; the drop journey needs to be
// the only drop on /membership. Both run after the browser journeys (see the projects below).
// The waiting room's spec opens a drop of its own, so it waits with the races.
const RACE_SPECS = /(shop-race|drop-race|drop-line)\.spec\.ts$/
const DROP_JOURNEY = /membership-drop\.spec\.ts$/

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['line']] : [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: BASE_URL,
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testIgnore: [RACE_SPECS, DROP_JOURNEY], use: CHROMIUM },
    // Hundreds of parallel buyers would slow the journeys' pages past their timeouts: the races
    // run once the journeys are done, and the drop journey after the races (whose drops would
    // otherwise be the one /membership shows).
    { name: 'races', testMatch: RACE_SPECS, dependencies: ['chromium'], use: CHROMIUM },
    { name: 'drop-journey', testMatch: DROP_JOURNEY, dependencies: ['races'], use: CHROMIUM },
  ],
  webServer: {
    // Builds the app first when build/ is missing or stale, then migrates and seeds DATA_DIR.
    command: 'npx tsx server/main.ts',
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    // The request log is noise in a passing run: only errors are logged unless E2E_SERVER_LOG=1.
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      // One process: a page kept by one worker's page cache would outlive another's write by up to a
      // second (decision 033); the races across processes are tests/integration's (decision 037).
      WEB_CONCURRENCY: '1',
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.E2E_SERVER_LOG ? 'info' : 'error',
      PORT: String(PORT),
      DATA_DIR,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      DATABASE_AUTH_TOKEN: '',
      SITE_URL: BASE_URL,
      SESSION_SECRET: '',
      SITE_TIMEZONE: 'Asia/Shanghai',
      TRUST_PROXY: '',
      // Mail stays in the outbox, where the tests read it.
      RESEND_API_KEY: '',
      // Test payments are the default outside production (decision 011).
      PAYMENTS_TEST_MODE: '',
      STRIPE_SECRET_KEY: '',
      STRIPE_WEBHOOK_SECRET: '',
      // WeChat in its test mode (no keys), with the Official Account's message endpoint on.
      WECHAT_TOKEN: WECHAT_E2E_TOKEN,
      WECHAT_APPID: '',
      WECHAT_APPSECRET: '',
      WECHAT_OPEN_APPID: '',
      WECHAT_OPEN_APPSECRET: '',
      WECHAT_TEST_MODE: '',
      DROP_LINE_WINDOW: String(DROP_LINE_WINDOW),
    },
  },
})
