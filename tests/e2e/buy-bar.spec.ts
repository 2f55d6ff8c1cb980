// What stays on a phone's screen when buying (issue 18, decision 043), in Chromium at 375×812:
// the product page's bar with the price, 加入购物车 and 立即购买 is there without scrolling and
// submits the buy form with the stepper's quantity; the stepper stops at its bounds; on
// /checkout 提交订单 is on screen before the address form is scrolled past. At 1280×800 the
// pages keep their in-flow buttons and show no bar.
import { expect, test, type Page } from '@playwright/test'
import { newAccount, signUp } from './support'

/** The seeded limited edition (db/seed-shop.ts): ¥368, at most 2 per member. */
const PEN = { slug: 'zhiyin-10th-pen', title: '知音十周年纪念钢笔', price: '¥368', limit: 2 }

const PHONE = { width: 375, height: 812 }

function buyBar(page: Page) {
  return page.getByRole('group', { name: '购买' })
}

/** The page is at its top and no wider than the screen. */
async function expectUnscrolledAndNotSideways(page: Page) {
  const { scrollY, scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollY: window.scrollY,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  expect(scrollY).toBe(0)
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth)
}

test.describe('on a 375 px phone', () => {
  test.use({ viewport: PHONE })
  // Sign-up hashes a password: on a loaded machine the journey needs more than 60 s.
  test.describe.configure({ timeout: 120_000 })

  test('the stepper steps the quantity and stops at 1 and at the per-member limit', async ({ page }) => {
    await page.goto(`/shop/p/${PEN.slug}`)
    await page.waitForLoadState('networkidle')
    const qty = page.getByLabel('数量')
    const down = page.getByRole('button', { name: '减少一件' })
    const up = page.getByRole('button', { name: '增加一件' })
    await expect(qty).toHaveAttribute('type', 'number')
    await expect(qty).toHaveAttribute('max', String(PEN.limit))
    await expect(qty).toHaveValue('1')
    await expect(down).toBeDisabled()

    await up.click()
    await expect(qty).toHaveValue('2')
    await expect(up).toBeDisabled()
    await expect(down).toBeEnabled()

    await down.click()
    await expect(qty).toHaveValue('1')
    await expect(down).toBeDisabled()
    // A typed value out of bounds is stepped back inside them.
    await qty.fill('7')
    await down.click()
    await expect(qty).toHaveValue('2')
  })

  test('the bar is on screen without scrolling, its 立即购买 leads to checkout with the quantity, and 提交订单 is on screen there', async ({ page }) => {
    await signUp(page, newAccount('手机买家'))
    await page.goto(`/shop/p/${PEN.slug}`)
    await page.waitForLoadState('networkidle')

    const bar = buyBar(page)
    await expect(bar).toBeInViewport({ ratio: 1 })
    await expect(bar).toContainText(PEN.price)
    await expect(bar.getByRole('button', { name: '加入购物车' })).toBeInViewport()
    await expect(bar.getByRole('button', { name: '立即购买' })).toBeInViewport()
    // One 立即购买 on a phone: the in-page copy gives way to the bar's.
    await expect(page.getByRole('button', { name: '立即购买' })).toHaveCount(1)
    await expectUnscrolledAndNotSideways(page)

    await page.getByRole('button', { name: '增加一件' }).click()
    await bar.getByRole('button', { name: '立即购买' }).click()
    await expect(page).toHaveURL(/\/checkout\?buy=\d+&qty=2/)
    await expect(page.getByRole('main')).toContainText(PEN.title)

    const checkoutBar = page.getByRole('group', { name: '提交订单' })
    await expect(checkoutBar).toContainText('¥736')
    await expect(checkoutBar.getByRole('button', { name: '提交订单' })).toBeInViewport({ ratio: 1 })
    await expect(page.getByRole('button', { name: '提交订单' })).toHaveCount(1)
    await expectUnscrolledAndNotSideways(page)

    // The page ends clear of the bar: scrolled to the end, the footer's last line is above it.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    const footer = await page.getByRole('contentinfo').boundingBox()
    const barBox = await checkoutBar.boundingBox()
    expect(footer && barBox && footer.y + footer.height).toBeLessThanOrEqual(barBox!.y + 1)
  })
})

test.describe('on a 375 px phone without JavaScript', () => {
  test.use({ viewport: PHONE, javaScriptEnabled: false })

  test('the typed quantity and 立即购买 in the bar still post the buy form', async ({ page }) => {
    await page.goto(`/shop/p/${PEN.slug}`)
    await page.getByLabel('数量').fill('2')
    await buyBar(page).getByRole('button', { name: '立即购买' }).click()
    // A visitor is sent to sign in, and back to the pen as they left it (decision 040).
    await expect(page).toHaveURL(/\/login\?/)
    expect(decodeURIComponent(page.url())).toContain(`/shop/p/${PEN.slug}?qty=2`)
  })
})

test('on a 1280 px desktop the product page keeps its in-flow buttons and shows no bar', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(`/shop/p/${PEN.slug}`)
  await expect(buyBar(page)).toBeHidden()
  await expect(page.getByRole('button', { name: '立即购买' })).toBeVisible()
  await expect(page.getByRole('button', { name: '立即购买' })).toHaveCount(1)
})
