// Sign in with WeChat in WeChat's own browser, in the test mode (no keys): 微信一键登录 leads to
// the simulated consent page, makes an account from the nickname, and /account shows it linked.
import { expect, test } from '@playwright/test'

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'

test.use({ userAgent: WECHAT_UA, viewport: { width: 375, height: 812 } })

test('微信一键登录 (test mode) makes an account, and /account shows 已绑定', async ({ page }) => {
  const nickname = `微信读者${Date.now().toString(36).slice(-5)}`
  await page.goto('/login?redirectTo=%2Faccount')
  await expect(page.getByRole('note').filter({ hasText: '微信测试模式' })).toBeVisible()
  await page.getByRole('link', { name: '微信一键登录（测试模式）' }).click()

  await expect(page.getByRole('heading', { name: '模拟微信授权（测试模式）' })).toBeVisible()
  await page.getByLabel('模拟的微信昵称').fill(nickname)
  await page.getByRole('button', { name: '同意授权' }).click()

  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByText(`已用微信登录：${nickname}`)).toBeVisible()
  await expect(page.getByTestId('wechat-status')).toHaveText(`微信：已绑定（${nickname}）`)
  await expect(page.getByRole('button', { name: '解除绑定' })).toBeVisible()
})
