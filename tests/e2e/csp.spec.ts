// The pages a shared cache may keep for visitors carry no nonce: their inline scripts run because
// their own CSP lists those scripts' hashes (docs/decisions/012-csp-for-cached-pages.md). In
// Chromium, each page hydrates and its scripts run without a single CSP violation or console
// error, and a signed-in reader's private pages keep their per-request nonce.
import { expect, test, type Page } from '@playwright/test'
import { DEMO, expectSignedInAs, logInWithPassword, siteDate } from './support'

declare global {
  interface Window {
    __remixRouter?: { state: { initialized: boolean } }
    __stillThisDocument?: boolean
  }
}

// zod, which some route bundles carry into the browser, probes once whether `new Function` may
// run and takes no for an answer: a violation of script-src 'eval' under any policy of this
// site (nonce or hashes), not a script refused. Everything else counts.
const ZOD_EVAL_PROBE = /^error: CSP violation: script-src eval\b/

/** Console errors and warnings, uncaught errors and CSP violations, as they happen. */
function watchForProblems(page: Page) {
  const problems: string[] = []
  page.on('console', (message) => {
    const problem = `${message.type()}: ${message.text()}`
    if ((message.type() === 'error' || message.type() === 'warning') && !ZOD_EVAL_PROBE.test(problem)) problems.push(problem)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  return problems
}

async function reportViolations(page: Page) {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`)
    })
  })
}

async function expectHydrated(page: Page) {
  await page.waitForFunction(() => window.__remixRouter?.state.initialized === true)
}

test('a visitor’s cached pages hydrate and run their scripts under a CSP of hashes, with no violation', async ({ page }) => {
  const problems = watchForProblems(page)
  await reportViolations(page)

  for (const path of ['/', `/daily/${siteDate()}`, '/membership', '/shop']) {
    await test.step(path, async () => {
      const response = await page.goto(path)
      expect(response?.status()).toBe(200)
      const headers = response!.headers()
      expect(headers['cache-control']).toContain('public')
      expect(headers['content-security-policy']).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/)
      expect(headers['content-security-policy']).not.toContain('nonce-')
      expect(await page.locator('script[nonce]').count()).toBe(0)
      await expectHydrated(page)
    })
  }

  await test.step('a link is followed by the hydrated app, not by a new document', async () => {
    await page.goto('/')
    await expectHydrated(page)
    await page.evaluate(() => (window.__stillThisDocument = true))
    await page.getByRole('navigation', { name: '主导航' }).first().getByRole('link', { name: '商城' }).click()
    await expect(page).toHaveURL(/\/shop$/)
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    expect(await page.evaluate(() => window.__stillThisDocument)).toBe(true)
  })

  expect(problems).toEqual([])
})

test('a signed-in reader’s pages stay private, each with its own nonce, and run without violation', async ({ page }) => {
  await logInWithPassword(page, DEMO.user)
  await expectSignedInAs(page, DEMO.user.name)
  const problems = watchForProblems(page)
  await reportViolations(page)
  const nonces: string[] = []
  for (let i = 0; i < 2; i++) {
    const response = await page.goto('/')
    expect(response!.headers()['cache-control']).toContain('private')
    const nonce = /'nonce-([^']+)'/.exec(response!.headers()['content-security-policy'] ?? '')?.[1]
    expect(nonce).toBeTruthy()
    nonces.push(nonce!)
    await expectHydrated(page)
  }
  expect(nonces[0]).not.toBe(nonces[1])
  expect(problems).toEqual([])
})
