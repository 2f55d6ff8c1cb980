// Issue 18's accessibility sweep: axe-core in Chromium over every page a visitor, a 铁杆 member
// and an admin reach (tests/e2e/site-pages.ts, the same list the sideways-scrolling check
// opens), at 375 px, with every WCAG 2.1 A/AA rule and axe's best practices: no serious and no
// critical violation anywhere. A page added to the list is swept without a change here.
import { createRequire } from 'node:module'
import { expect, test, type Page } from '@playwright/test'
import { ADMIN_DETAILS, ADMIN_PAGES, MEMBER_DETAILS, MEMBER_PAGES, VISITOR_DETAILS, VISITOR_PAGES, detailPages } from './site-pages'
import { DEMO, logInWithPassword } from './support'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

// axe is injected as a script: the pages' CSP would rightly refuse it.
test.use({ bypassCSP: true, viewport: { width: 375, height: 812 } })

/** The serious and critical violations on the page, as "path rule: selector" lines. */
async function violations(page: Page, path: string) {
  const response = await page.goto(path)
  // A refusal (a lesson the visitor may not open: 403) is a page readers see too.
  expect(response?.status(), path).toBeLessThan(500)
  await page.waitForLoadState('networkidle')
  await page.addScriptTag({ path: AXE })
  const found = await page.evaluate(async (tags) => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<Result> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } })
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(' ')}`))
  }, TAGS)
  return found.map((line) => `${path} ${line}`)
}

async function sweep(page: Page, paths: readonly string[]) {
  // axe takes a second or two a page on a loaded machine: the time grows with the site.
  test.setTimeout(60_000 + paths.length * 6_000)
  const found: string[] = []
  for (const path of paths) found.push(...(await violations(page, path)))
  return found
}

test('a visitor meets no serious or critical violation on any page', async ({ page }) => {
  const details = await detailPages(page, VISITOR_DETAILS)
  expect(details).toHaveLength(VISITOR_DETAILS.length)
  // The sign-in page as a buyer sent there by 立即购买 sees it (「登录后继续购买」).
  expect(await sweep(page, [...VISITOR_PAGES, ...details, '/login?redirectTo=%2Fshop&for=purchase'])).toEqual([])
})

test('a 铁杆 member meets none on their pages', async ({ page }) => {
  await logInWithPassword(page, DEMO.tiegan)
  await expect(page).not.toHaveURL(/\/login/)
  const details = await detailPages(page, MEMBER_DETAILS)
  expect(details).toHaveLength(MEMBER_DETAILS.length)
  expect(await sweep(page, [...MEMBER_PAGES, ...details])).toEqual([])
})

test('an admin meets none on the admin pages, a checkout included', async ({ page }) => {
  await logInWithPassword(page, DEMO.admin)
  await expect(page).not.toHaveURL(/\/login/)
  const details = await detailPages(page, ADMIN_DETAILS)
  expect(details).toHaveLength(ADMIN_DETAILS.length)
  // 立即购买's checkout, with its 合计 / 提交订单 bar (decision 043).
  await page.goto('/shop/p/name-seal-stamp')
  const checkout = `/checkout?buy=${await page.locator('input[name="productId"]').inputValue()}&qty=1`
  expect(await sweep(page, [...ADMIN_PAGES, ...details, checkout])).toEqual([])
})
