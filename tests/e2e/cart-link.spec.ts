// The header's cart link (issue 18: the cart could not be reached from the header at all):
// everyone sees it, visitors included, with how many lines their cart holds.
import { expect, test } from '@playwright/test'
import { DEMO, SITE_URL, logInWithPassword } from './support'

const CUP = { slug: 'zhiyin-thermos', title: '知音保温杯' }

test('a visitor and a member reach their cart from the header, which counts its lines', async ({ page, browser }) => {
  await page.goto('/shop')
  const cart = page.getByRole('banner').getByRole('link', { name: /^购物车/ })
  await expect(cart).toHaveAccessibleName('购物车（空）')

  await page.goto(`/shop/p/${CUP.slug}`)
  await page.waitForLoadState('networkidle')
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(cart).toHaveAccessibleName('购物车（1 件）')
  await cart.click()
  await expect(page).toHaveURL(`${SITE_URL}/cart`)
  await expect(page.getByRole('main')).toContainText(CUP.title)

  // A member's cart lives in the database: the same link counts it on every page.
  const member = await browser.newPage()
  await logInWithPassword(member, DEMO.qinqing)
  await member.goto(`/shop/p/${CUP.slug}`)
  await member.waitForLoadState('networkidle')
  const memberCart = member.getByRole('banner').getByRole('link', { name: /^购物车/ })
  const before = Number(/（(\d+) 件）/.exec((await memberCart.getAttribute('aria-label')) ?? '')?.[1] ?? 0)
  await member.getByRole('button', { name: '加入购物车' }).click()
  // The same product again adds to its line's quantity; a first add makes a new line.
  await expect(memberCart).toHaveAccessibleName(`购物车（${Math.max(before, 1)} 件）`)
  await member.goto('/membership')
  await expect(memberCart).toHaveAccessibleName(`购物车（${Math.max(before, 1)} 件）`)
  await member.close()
})
