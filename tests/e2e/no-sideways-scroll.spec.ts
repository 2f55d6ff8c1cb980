// No page scrolls sideways on a phone (issue 18: /community was 410 px wide on a 375 px phone,
// so the page slid sideways in WeChat). Every page a visitor, a member and an admin reach from
// the navigation is opened at 320, 375 and 414 px; the document may be no wider than the screen.
import { expect, test, type Page } from '@playwright/test'
import { DEMO, logInWithPassword, siteDate } from './support'

const WIDTHS = [320, 375, 414]

const VISITOR_PAGES = ['/', '/daily', `/daily/${siteDate()}`, '/shop', '/shop/p/zhiyin-10th-pen', '/courses', '/courses/song-daily-life', '/courses/song-daily-life/morning', '/membership', '/community', '/community/jobs', '/login', '/signup', '/forgot-password', '/cart', '/legal/terms', '/legal/privacy']
const MEMBER_PAGES = ['/', `/daily/${siteDate()}`, '/shop', '/courses/business-models/moat', '/membership', '/community', '/community/new', '/account', '/orders', '/notifications', '/membership/card', '/cart']
const ADMIN_PAGES = [
  '/admin',
  '/admin/posts',
  '/admin/posts/new',
  '/admin/products',
  '/admin/products/new',
  '/admin/orders',
  '/admin/drops',
  '/admin/drops/new',
  '/admin/users',
  '/admin/community',
  '/admin/outbox',
  '/admin/payments',
  '/admin/legal',
  '/admin/legal/terms',
  '/admin/courses',
  '/admin/courses/new',
]

/** The first detail page each admin list links to (a drop's live page, a product, an order, a daily). */
async function adminDetailPages(page: Page) {
  const found: string[] = []
  for (const [list, detail] of [
    ['/admin/drops', /^\/admin\/drops\/\d+$/],
    ['/admin/products', /^\/admin\/products\/\d+$/],
    ['/admin/orders', /^\/admin\/orders\/\d+$/],
    ['/admin/posts', /^\/admin\/posts\/\d+$/],
    ['/admin/courses', /^\/admin\/courses\/\d+$/],
  ] as const) {
    await page.goto(list)
    const hrefs = await page.locator('a[href^="/admin/"]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
    const first = hrefs.find((href) => detail.test(href))
    if (first) found.push(first)
  }
  return found
}

/** The pages whose document is wider than the screen, with the widest element that sticks out. */
async function sidewaysPages(page: Page, paths: readonly string[]) {
  // Every page three times: the test's time grows with the site, not with any one page's.
  test.setTimeout(60_000 + paths.length * WIDTHS.length * 2_000)
  const found: string[] = []
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 })
    for (const path of paths) {
      const response = await page.goto(path)
      expect(response?.status(), path).toBeLessThan(400)
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
  expect(await sidewaysPages(page, VISITOR_PAGES)).toEqual([])
})

test('a 铁杆 member never scrolls sideways at 320–414 px', async ({ page }) => {
  await logInWithPassword(page, DEMO.tiegan)
  await expect(page).not.toHaveURL(/\/login/)
  expect(await sidewaysPages(page, MEMBER_PAGES)).toEqual([])
})

test('an admin never scrolls sideways at 320–414 px', async ({ page }) => {
  await logInWithPassword(page, DEMO.admin)
  await expect(page).not.toHaveURL(/\/login/)
  const details = await adminDetailPages(page)
  expect(details.length).toBeGreaterThanOrEqual(3)
  expect(await sidewaysPages(page, [...ADMIN_PAGES, ...details])).toEqual([])
})
