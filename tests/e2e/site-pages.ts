// The pages a visitor, a member and an admin reach from the navigation, for the checks that go
// over every page (no sideways scrolling, accessibility). A new page joins here once and is
// checked by both.
import type { Page } from '@playwright/test'
import { siteDate } from './support'

export const VISITOR_PAGES = ['/', '/daily', `/daily/${siteDate()}`, '/shop', '/shop/p/zhiyin-10th-pen', '/courses', '/courses/song-daily-life', '/courses/song-daily-life/morning', '/membership', '/community', '/community/jobs', '/login', '/signup', '/forgot-password', '/cart', '/legal/terms', '/legal/privacy']
export const MEMBER_PAGES = ['/', `/daily/${siteDate()}`, '/shop', '/courses', '/courses/business-models', '/courses/business-models/moat', '/account/notes', '/membership', '/community', '/community/new', '/account', '/orders', '/notifications', '/membership/card', '/cart']
export const ADMIN_PAGES = [
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
  '/admin/settings',
]

/** The first page each list links to whose path matches its pattern (a thread, an order, a drop's live page…). */
export async function detailPages(page: Page, lists: readonly (readonly [string, RegExp])[]) {
  const found: string[] = []
  for (const [list, detail] of lists) {
    await page.goto(list)
    const hrefs = await page.locator('a[href^="/"]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
    const first = hrefs.find((href) => detail.test(href))
    if (first) found.push(first)
  }
  return found
}

/** A visitor's detail pages: a thread, a shop category, a lesson they may not open. */
export const VISITOR_DETAILS = [
  ['/community', /^\/community\/t\/\d+$/],
  ['/shop', /^\/shop\/c\/[\w-]+$/],
  ['/courses/song-daily-life', /^\/courses\/song-daily-life\/(?!morning)[\w-]+$/],
] as const

/** A member's: an order, a thread they may reply to. */
export const MEMBER_DETAILS = [
  ['/orders', /^\/orders\/\d+$/],
  ['/community', /^\/community\/t\/\d+$/],
] as const

/** An admin's: a drop's live page, a product, an order, a daily, a course. */
export const ADMIN_DETAILS = [
  ['/admin/drops', /^\/admin\/drops\/\d+$/],
  ['/admin/products', /^\/admin\/products\/\d+$/],
  ['/admin/orders', /^\/admin\/orders\/\d+$/],
  ['/admin/posts', /^\/admin\/posts\/\d+$/],
  ['/admin/courses', /^\/admin\/courses\/\d+$/],
] as const
