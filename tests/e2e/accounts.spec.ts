import { expect, test } from '@playwright/test'
import {
  DEMO,
  SITE_URL,
  expectSignedInAs,
  expectSignedOut,
  flash,
  logInWithPassword,
  logOut,
  magicLinkForm,
  magicLinkIn,
  newAccount,
  newestEmailTo,
  passwordForm,
  signUp,
  submitSignUp,
} from './support'

/** The calendar date one year from today in the site's time zone, as a date input takes it. */
function oneYearAhead() {
  const date = new Date()
  date.setFullYear(date.getFullYear() + 1)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(date)
}

test('a new reader signs up, signs in with a password and with a one-time email link, and an admin grants them 铁杆会员', async ({ page }) => {
  test.setTimeout(120_000)
  const reader = newAccount('新读者')

  await test.step('signs up and is welcomed by name, signed in', async () => {
    await signUp(page, reader)
    // Signed in, even the home page is the reader's own: no shared cache may keep it.
    const home = await page.request.get('/')
    expect(home.headers()['cache-control']).toBe('private, no-cache')
  })

  await test.step('logs out through the account menu', async () => {
    await logOut(page)
  })

  await test.step('logs in with the password', async () => {
    await logInWithPassword(page, reader)
    await expect(flash(page)).toContainText(`已登录：${reader.name}`)
    await expectSignedInAs(page, reader.name)
    await logOut(page)
  })

  let link = ''
  await test.step('requests a sign-in link by email; it lands in the outbox', async () => {
    await page.goto('/login')
    const form = magicLinkForm(page)
    await form.getByLabel('邮箱').fill(reader.email)
    await form.getByRole('button', { name: '发送登录链接' }).click()
    await expect(flash(page)).toContainText('登录链接已经发出')
    await expectSignedOut(page)

    await expect.poll(async () => (await newestEmailTo(reader.email))?.template, { timeout: 10_000 }).toBe('magic_link')
    const email = await newestEmailTo(reader.email)
    expect(email?.subject).toBe('你的知音登录链接')
    link = magicLinkIn(email!.text)
    expect(new URL(link).origin).toBe(new URL(SITE_URL).origin)
  })

  await test.step('opens the link, confirms with 「登录知音」 and is signed in', async () => {
    const response = await page.goto(link)
    expect(response?.status()).toBe(200)
    await expect(page.getByRole('heading', { name: '确认登录' })).toBeVisible()
    // Opening the link alone must not sign in (mail scanners prefetch links).
    await expectSignedOut(page)
    await page.getByRole('button', { name: '登录知音' }).click()
    await expect(flash(page)).toContainText(`已登录：${reader.name}`)
    await expect(page).toHaveURL(`${SITE_URL}/`)
    await expectSignedInAs(page, reader.name)
  })

  await test.step('the same link opened again is gone (410)', async () => {
    const response = await page.goto(link)
    expect(response?.status()).toBe(410)
    await expect(page.getByText('链接已经使用过')).toBeVisible()
    await expect(page.getByRole('button', { name: '登录知音' })).toHaveCount(0)
    await logOut(page)
  })

  await test.step('an admin finds the reader and grants 铁杆会员 for a year', async () => {
    await logInWithPassword(page, DEMO.admin)
    await expectSignedInAs(page, DEMO.admin.name)
    await page.goto('/admin/users')
    await page.getByLabel('搜索用户').fill(reader.email)
    await page.getByRole('button', { name: '搜索', exact: true }).click()
    await expect(page).toHaveURL(/[?&]q=/)
    const row = page.getByRole('listitem', { name: reader.name, exact: true })
    await expect(row).toHaveCount(1)
    await expect(row).toContainText(reader.email)
    const current = row.locator('p').filter({ hasText: '当前会员' })
    await expect(current).toContainText('无')

    // One action per row opens the forms (issue 18: a grant form on every row was too much).
    await expect(row.getByLabel('会员等级')).toBeHidden()
    await row.getByText('角色与会员…').click()
    await row.getByLabel('会员等级').selectOption({ label: '铁杆会员' })
    await row.getByLabel('有效期至').fill(oneYearAhead())
    await row.getByRole('button', { name: '赠送会员' }).click()

    await expect(flash(page)).toContainText(`已赠送 ${reader.name} 铁杆会员`)
    await expect(current.getByText('铁杆会员', { exact: true })).toBeVisible()
    await expect(current).toContainText('有效期至')
    // A 铁杆 member is offered 铁杆 again, not the first tier of the list.
    await row.getByText('角色与会员…').click()
    await expect(row.getByLabel('会员等级').locator('option:checked')).toHaveText('铁杆会员')
  })

  await test.step('the admin outbox lists the magic-link email, with the link in its text', async () => {
    await page.goto('/admin/outbox')
    // The reader's mail: the sign-up's verification link, then the sign-in link.
    await expect(page.getByRole('link').filter({ hasText: reader.email })).toHaveCount(2)
    const entry = page.getByRole('link').filter({ hasText: reader.email }).filter({ hasText: '你的知音登录链接' })
    await expect(entry).toHaveCount(1)
    await entry.click()
    await expect(page.getByTestId('email-text')).toContainText(link)
  })
})

test('signing up with an address that already has an account looks the same, signs nobody in, and mails its owner', async ({ page }) => {
  await submitSignUp(page, { email: DEMO.user.email, name: '另一个人', password: 'someone else’s password' })
  await expect.poll(async () => (await newestEmailTo(DEMO.user.email))?.template, { timeout: 10_000 }).toBe('signup_existing')
  const email = await newestEmailTo(DEMO.user.email)
  expect(email?.subject).toBe('你已经有知音账户了')
  expect(email?.text).toContain(`${SITE_URL}/forgot-password`)
  await logInWithPassword(page, DEMO.user)
  await expectSignedInAs(page, DEMO.user.name)
})

test('ten wrong passwords lock the account on this browser for a while; the 429 page emails a sign-in link instead', async ({ page }) => {
  test.setTimeout(90_000)
  const reader = newAccount('锁定')
  await signUp(page, reader)
  await logOut(page)
  for (let i = 0; i < 10; i++) {
    await logInWithPassword(page, { email: reader.email, password: `wrong guess ${i}` })
    await expect(passwordForm(page).getByRole('alert')).toHaveText('邮箱或密码不正确')
  }
  await logInWithPassword(page, reader)
  await expect(page.getByRole('alert').filter({ hasText: '登录失败次数过多' })).toContainText('15 分钟')
  await expectSignedOut(page)
  await page.getByRole('button', { name: '给我发送登录链接' }).click()
  await expect(flash(page)).toContainText('登录链接已经发出')
  await expect.poll(async () => (await newestEmailTo(reader.email))?.template, { timeout: 10_000 }).toBe('magic_link')
  await page.goto(magicLinkIn((await newestEmailTo(reader.email))!.text))
  await page.getByRole('button', { name: '登录知音' }).click()
  await expectSignedInAs(page, reader.name)
})

test('a wrong password is refused with one generic message', async ({ page }) => {
  await logInWithPassword(page, { email: DEMO.user.email, password: 'not-the-password' })
  await expect(passwordForm(page).getByRole('alert')).toHaveText('邮箱或密码不正确')
  await expect(page).toHaveURL(/\/login/)
  await expectSignedOut(page)
})

test('signup refuses a password shorter than 8 characters, with the message next to the field', async ({ page }) => {
  const reader = newAccount('短密码')
  await page.goto('/signup')
  await page.getByLabel('邮箱').fill(reader.email)
  await page.getByLabel('昵称').fill(reader.name)
  await page.getByLabel('密码', { exact: true }).fill('short')
  await page.getByRole('button', { name: '注册', exact: true }).click()

  const password = page.getByLabel('密码', { exact: true })
  await expect(password).toHaveAttribute('aria-invalid', 'true')
  await expect(password).toHaveAccessibleDescription('密码至少 8 个字符')
  // The alert follows the field's box (the input and its show-password button).
  await expect(password.locator('xpath=parent::div/following-sibling::*[@role="alert"][1]')).toHaveText('密码至少 8 个字符')
  await expect(page).toHaveURL(/\/signup/)
  await expectSignedOut(page)
})

test('a member without a staff role gets the 403 page at /admin', async ({ page }) => {
  await logInWithPassword(page, DEMO.qinqing)
  await expectSignedInAs(page, DEMO.qinqing.name)
  const response = await page.goto('/admin')
  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { name: '没有权限' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: '管理后台' })).toHaveCount(0)
})

test('an unknown address gets the Chinese 404 page, with no router message in English', async ({ page }) => {
  const response = await page.goto('/no-such-page')
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible()
  await expect(page.getByText('你要找的页面不存在，或已被移走。')).toBeVisible()
  await expect(page.getByText(/No route matches/)).toHaveCount(0)
})
