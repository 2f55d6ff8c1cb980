// Between pages (issue 18): WeChat shows no progress for in-app navigation, so readers tapped
// twice. A bar runs at the top while the next page loads, a submitted form's buttons are
// disabled until it is answered, focus moves to the new page's heading and its title is
// announced, and the account menu closes on Esc.
import { expect, test } from '@playwright/test'
import { DEMO, accountMenu, logInWithPassword } from './support'

test('a slow page shows the bar at the top until it arrives; then focus is on its heading and its title is announced', async ({ page }) => {
  await page.goto('/')
  await page.waitForLoadState('networkidle')
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  // The shop's data is held back, as a slow network would.
  await page.route(/\/shop\.data/, async (route) => {
    await held
    await route.continue()
  })
  const bar = page.locator('[data-navigation-progress]')
  await expect(bar).toHaveAttribute('data-navigation-progress', 'idle')
  await page.getByRole('banner').getByRole('link', { name: '商城' }).first().click()
  await expect(bar).toHaveAttribute('data-navigation-progress', 'running')
  release()
  await expect(page.getByRole('heading', { level: 1, name: '商城' })).toBeVisible()
  await expect(bar).toHaveAttribute('data-navigation-progress', 'idle')
  await expect(page.getByRole('heading', { level: 1, name: '商城' })).toBeFocused()
  await expect(page.locator('p[aria-live="polite"]')).toContainText('商城')
})

test('a submitted form cannot be sent twice: its button is disabled until the answer comes', async ({ page }) => {
  await page.goto('/login')
  await page.waitForLoadState('networkidle')
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(/\/login(\.data|\?)/, async (route) => {
    if (route.request().method() === 'POST') await held
    await route.continue()
  })
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: '登录', exact: true }) })
  await form.getByLabel('邮箱').fill(DEMO.user.email)
  await form.getByLabel('密码', { exact: true }).fill('not-the-password')
  const submit = form.getByRole('button', { name: '登录', exact: true })
  await submit.click()
  await expect(submit).toBeDisabled()
  release()
  await expect(submit).toBeEnabled()
})

test('the account menu closes on Esc and gives focus back to its button', async ({ page }) => {
  await logInWithPassword(page, DEMO.qinqing)
  await expect(page).not.toHaveURL(/\/login/)
  const menu = accountMenu(page)
  await expect(menu).toContainText(`${DEMO.qinqing.name}（账户菜单）`)
  await menu.click()
  const orders = page.getByRole('banner').getByRole('link', { name: '我的订单' })
  await expect(orders).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(orders).toBeHidden()
  await expect(menu).toBeFocused()
})
