// No page scrolls sideways on a phone (issue 18: /community was 410 px wide on a 375 px phone,
// so the page slid sideways in WeChat). Every page a visitor, a member and an admin reach from
// the navigation is opened at 320, 375 and 414 px; the document may be no wider than the screen.
import { expect, test, type Page } from '@playwright/test'
import { ADMIN_DETAILS, ADMIN_PAGES, MEMBER_DETAILS, MEMBER_PAGES, VISITOR_DETAILS, VISITOR_PAGES, detailPages } from './site-pages'
import { DEMO, logInWithPassword } from './support'

const WIDTHS = [320, 375, 414]

/** The pages whose document is wider than the screen, with the widest element that sticks out. */
async function sidewaysPages(page: Page, paths: readonly string[]) {
  // Every page three times: the test's time grows with the site, not with any one page's.
  test.setTimeout(60_000 + paths.length * WIDTHS.length * 2_000)
  const found: string[] = []
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 })
    for (const path of paths) {
      const response = await page.goto(path)
      // A refusal (a lesson the visitor may not open: 403) is a page readers see too.
      expect(response?.status(), path).toBeLessThan(500)
      const overflow = await page.evaluate(() => {
        const screen = document.documentElement.clientWidth
        const wide = [...document.querySelectorAll('body *')].find((element) => element.getBoundingClientRect().right > screen + 1)
        return document.documentElement.scrollWidth > screen ? `${document.documentElement.scrollWidth} px: <${wide?.tagName.toLowerCase()} class="${wide?.getAttribute('class') ?? ''}">` : null
      })
      if (overflow) found.push(`${path} at ${width} px is ${overflow}`)
    }
  }
  return found
}

test('a visitor never scrolls sideways at 320–414 px', async ({ page }) => {
  const details = await detailPages(page, VISITOR_DETAILS)
  expect(details).toHaveLength(VISITOR_DETAILS.length)
  expect(await sidewaysPages(page, [...VISITOR_PAGES, ...details])).toEqual([])
})

test('a 铁杆 member never scrolls sideways at 320–414 px', async ({ page }) => {
  await logInWithPassword(page, DEMO.tiegan)
  await expect(page).not.toHaveURL(/\/login/)
  const details = await detailPages(page, MEMBER_DETAILS)
  expect(details).toHaveLength(MEMBER_DETAILS.length)
  expect(await sidewaysPages(page, [...MEMBER_PAGES, ...details])).toEqual([])
})

test('an admin never scrolls sideways at 320–414 px', async ({ page }) => {
  await logInWithPassword(page, DEMO.admin)
  await expect(page).not.toHaveURL(/\/login/)
  const details = await detailPages(page, ADMIN_DETAILS)
  expect(details.length).toBeGreaterThanOrEqual(3)
  expect(await sidewaysPages(page, [...ADMIN_PAGES, ...details])).toEqual([])
})
