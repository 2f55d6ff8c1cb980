// 开启提醒 in a real browser: a member on /membership before the drop opens asks to be reminded,
// sees that the reminder is on (also after a reload), and the server has stored exactly one
// request; the header's bell leads to /notifications, and /account has the 通知设置 card.
import { expect, test } from '@playwright/test'
import { DEMO_TIEGAN, expectSignedInAs, flash, logInWithPassword, queryServerDatabase } from './support'

test('a member presses 开启提醒 on /membership before the drop opens', async ({ page }) => {
  await logInWithPassword(page, DEMO_TIEGAN)
  await expectSignedInAs(page, DEMO_TIEGAN.name)

  await page.goto('/membership')
  // The seeded demo drop opens in 30 days (db/seed-drop.ts): the page counts down to it.
  await expect(page.getByText('即将开启').first()).toBeVisible()
  const remind = page.getByRole('button', { name: '开启提醒' })
  const on = page.getByText('已开启提醒：开启前 10 分钟通知你')
  // Another run of this spec on the same database may have turned it on already.
  if (await remind.isVisible()) {
    await remind.click()
    await expect(flash(page)).toContainText('已开启提醒，开启前 10 分钟通知你')
  }
  await expect(on).toBeVisible()
  await page.reload()
  await expect(on).toBeVisible()
  await expect(remind).toHaveCount(0)

  const rows = await queryServerDatabase(
    `SELECT count(*) AS n FROM drop_reminders r JOIN users u ON u.id = r.user_id WHERE u.email = ? AND r.reminded_at IS NULL`,
    [DEMO_TIEGAN.email],
  )
  expect(Number(rows[0]!.n)).toBe(1)

  const bell = page.getByRole('link', { name: /^通知/ })
  await bell.focus()
  await expect(bell).toBeFocused()
  await bell.click()
  await expect(page).toHaveURL(/\/notifications$/)
  await expect(page.getByRole('heading', { name: '通知', exact: true })).toBeVisible()

  await page.goto('/account')
  await expect(page.getByRole('heading', { name: '通知设置' })).toBeVisible()
  await expect(page.getByRole('group', { name: '会员招募开启前提醒' }).getByRole('checkbox', { name: '微信' })).toBeChecked()
})
