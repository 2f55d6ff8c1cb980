// Signing in to buy, and what a reader is told before they try (issue 18, decision 040), in
// Chromium: a visitor's 立即购买 leads to 「登录后继续购买」 and back to the product as they left
// it, by password or by signing up; /login has one 邮箱; every password field can be shown;
// sign-up asks for the agreement; the legal texts are an admin's to edit; a reader below 亲情会员
// is told who may post, with the way to join, instead of meeting a refusal.
import { expect, test, type Page } from '@playwright/test'
import { DEMO, SITE_URL, expectSignedInAs, flash, logInWithPassword, newAccount, newestEmailTo, verificationLinkIn } from './support'

const STAMP = { slug: 'name-seal-stamp', title: '定制藏书章' }
const AGREEMENT = '我已阅读并同意《用户协议》和《隐私政策》'

/** On the stamp's page as a visitor: 2 stamps reading 知音, then 立即购买. */
async function buyStampAsVisitor(page: Page) {
  await page.goto(`/shop/p/${STAMP.slug}`)
  await page.waitForLoadState('networkidle')
  await page.getByLabel('数量').fill('2')
  await page.getByLabel('印文').fill('知音')
  await page.getByRole('button', { name: '立即购买' }).click()
  await expect(page).toHaveURL(/\/login\?/)
  await expect(page.getByRole('note').filter({ hasText: '登录后继续购买' })).toBeVisible()
}

/** Back on the stamp's page, signed in, with the buy form as it was left. */
async function expectStampFormAsLeft(page: Page) {
  await expect(page).toHaveURL(new RegExp(`/shop/p/${STAMP.slug}\\?qty=2&p=`))
  await expect(page.getByLabel('数量')).toHaveValue('2')
  await expect(page.getByLabel('印文')).toHaveValue('知音')
}

// Sign-in hashes a password and sign-up two: on a loaded machine the journeys need more than 60 s.
test.describe.configure({ timeout: 150_000 })

test('a visitor presses 立即购买, signs in with one 邮箱 and a password they can show, and continues the purchase', async ({ page }) => {
  await buyStampAsVisitor(page)

  await test.step('/login has one 邮箱 field, for the password and for the emailed link', async () => {
    await expect(page.getByLabel('邮箱')).toHaveCount(1)
    await expect(page.getByRole('button', { name: '发送登录链接' })).toBeVisible()
  })

  await test.step('the show-password button shows and hides what was typed, saying whether it is pressed', async () => {
    const password = page.getByLabel('密码', { exact: true })
    const toggle = page.getByRole('button', { name: '显示密码' })
    await password.fill(DEMO.user.password)
    await expect(toggle).toHaveAttribute('aria-pressed', 'false')
    await toggle.click()
    await expect(toggle).toHaveAttribute('aria-pressed', 'true')
    await expect(password).toHaveAttribute('type', 'text')
    await toggle.click()
    await expect(password).toHaveAttribute('type', 'password')
  })

  await page.getByLabel('邮箱').fill(DEMO.user.email)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await expect(flash(page)).toContainText(`已登录：${DEMO.user.name}`)
  await expectStampFormAsLeft(page)

  await page.getByRole('button', { name: '立即购买' }).click()
  await expect(page).toHaveURL(new RegExp(`/checkout\\?buy=\\d+&qty=2&p=`))
  await expect(page.getByRole('main')).toContainText(STAMP.title)
})

test('a new reader signs up from 立即购买: the agreement is required, and the emailed link brings them back to the purchase', async ({ page }) => {
  const reader = newAccount('买家')
  await buyStampAsVisitor(page)
  await page.getByRole('link', { name: '注册', exact: true }).last().click()
  await expect(page).toHaveURL(/\/signup\?/)
  await expect(page.getByRole('note').filter({ hasText: '登录后继续购买' })).toBeVisible()
  // Continuing with WeChat makes an account too: the page says that is agreeing.
  await expect(page.getByTestId('wechat-sign-in')).toContainText('继续即表示你同意《用户协议》和《隐私政策》')

  await page.getByLabel('邮箱').fill(reader.email)
  await page.getByLabel('昵称').fill(reader.name)
  await page.getByLabel('密码', { exact: true }).fill(reader.password)
  await page.getByRole('button', { name: '注册', exact: true }).click()
  const agreement = page.getByRole('checkbox', { name: AGREEMENT })
  await expect(page.getByRole('alert').filter({ hasText: '请阅读并同意《用户协议》和《隐私政策》' })).toBeVisible()
  await expect(agreement).toHaveAttribute('aria-invalid', 'true')
  expect(await newestEmailTo(reader.email)).toBeUndefined()

  await agreement.check()
  await page.getByRole('button', { name: '注册', exact: true }).click()
  await expect(page).toHaveURL(`${SITE_URL}/signup/sent`)
  await expect.poll(async () => (await newestEmailTo(reader.email))?.template, { timeout: 10_000 }).toBe('verify_email')
  await page.goto(verificationLinkIn((await newestEmailTo(reader.email))!.text))
  await page.getByRole('button', { name: '验证邮箱并登录' }).click()
  await expectSignedInAs(page, reader.name)
  await expectStampFormAsLeft(page)
})

test('without JavaScript the password field is a plain field that signs in, with no button that does nothing', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto('/login')
  await expect(page.getByRole('button', { name: '显示密码' })).toHaveCount(0)
  await expect(page.getByLabel('密码', { exact: true })).toHaveAttribute('type', 'password')
  await page.getByLabel('邮箱').fill(DEMO.user.email)
  await page.getByLabel('密码', { exact: true }).fill(DEMO.user.password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await expectSignedInAs(page, DEMO.user.name)
  await context.close()
})

test('a reader without membership is told who may post, with the way to join, before trying', async ({ page }) => {
  await logInWithPassword(page, DEMO.user)
  await expectSignedInAs(page, DEMO.user.name)

  await page.goto('/community')
  const note = page.getByRole('note').filter({ hasText: '亲情会员及以上可发帖和回复' })
  await expect(note).toBeVisible()
  await expect(note.getByRole('link', { name: '开通会员' })).toHaveAttribute('href', '/membership')
  await expect(page.getByRole('link', { name: '发帖', exact: true })).toHaveCount(0)

  await page.goto('/community/new')
  await expect(page.getByRole('heading', { name: '选择要发帖的版块' })).toBeVisible()
  // No board is offered as a link that would only meet a refusal.
  await expect(page.getByRole('main').getByRole('link', { name: /^分享/ })).toHaveCount(0)
  await expect(page.getByRole('note').filter({ hasText: '亲情会员及以上可发帖和回复' })).toHaveCount(2)

  await page.goto('/community/sharing')
  await expect(page.getByRole('note').filter({ hasText: '亲情会员及以上可发帖和回复' })).toBeVisible()
  await page.getByRole('main').getByRole('list').getByRole('listitem').first().getByRole('link').first().click()
  await expect(page).toHaveURL(/\/community\/t\/\d+/)
  await expect(page.getByRole('textbox', { name: '写下你的回复' })).toHaveCount(0)
  await expect(page.getByRole('region', { name: /^回复/ }).getByRole('note')).toContainText('亲情会员及以上可发帖和回复')
})

test('the footer links the legal texts, which an admin edits at /admin/legal', async ({ page }) => {
  const marker = `第 ${Date.now()} 版`
  await page.goto('/')
  await page.getByRole('contentinfo').getByRole('link', { name: '用户协议' }).click()
  await expect(page).toHaveURL(`${SITE_URL}/legal/terms`)
  await expect(page.getByRole('heading', { level: 1, name: '用户协议' })).toBeVisible()

  await logInWithPassword(page, DEMO.admin)
  await expectSignedInAs(page, DEMO.admin.name)
  await page.goto('/admin/legal')
  await page.getByRole('link', { name: '编辑用户协议' }).click()
  const body = page.getByLabel('正文（Markdown）')
  await body.fill(`## 总则\n\n${marker}`)
  await page.getByRole('button', { name: '保存' }).click()
  await expect(flash(page)).toContainText('「用户协议」已保存')
  await page.goto('/legal/terms')
  await expect(page.getByRole('heading', { level: 2, name: '总则' })).toBeVisible()
  await expect(page.getByRole('main')).toContainText(marker)
  await page.goto('/admin')
  await expect(page.getByRole('main')).toContainText('修改协议文本')
})

test('back from signing in to buy a seat, the drop page marks the tier the visitor chose', async ({ page }) => {
  await logInWithPassword(page, DEMO.user)
  await expectSignedInAs(page, DEMO.user.name)
  await page.goto('/membership')
  const heading = page.locator('h3[id^="drop-tier-"]').first()
  const anchor = await heading.getAttribute('id')
  const dropTierId = Number(anchor!.replace('drop-tier-', ''))
  await page.goto(`/membership?tier=${dropTierId}#${anchor}`)
  const card = page.getByRole('listitem', { name: (await heading.textContent())! })
  await expect(card).toContainText('你选的席位')
  await expect(page.getByText('你选的席位')).toHaveCount(1)
})
