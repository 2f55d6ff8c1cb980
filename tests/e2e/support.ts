// Helpers shared by the end-to-end specs: the run's database (for reading the email outbox),
// demo accounts, and a few page actions that several journeys need.
import { createClient } from '@libsql/client'
import { expect, type Locator, type Page } from '@playwright/test'

export function required(name: string) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the tests through playwright.config.ts`)
  return value
}

/** The site's base URL; also the host of every link the site emails (SITE_URL). */
export const SITE_URL = required('E2E_SITE_URL')

export const DEMO = {
  admin: { email: 'admin@zhiyin.local', password: 'zhiyin-admin', name: '知音管理员' },
  qinqing: { email: 'qinqing@zhiyin.local', password: 'zhiyin-member', name: '亲情读者' },
  tiegan: { email: 'tiegan@zhiyin.local', password: 'zhiyin-member', name: '铁杆老友' },
  user: { email: 'user@zhiyin.local', password: 'zhiyin-user', name: '普通用户' },
} as const

/** A new, unique account for one test. */
export function newAccount(label = '读者') {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  return { email: `e2e-${suffix}@example.com`, name: `${label}${suffix.slice(-4)}`, password: `pw-${suffix}-secret` }
}

export interface OutboxRow {
  id: number
  template: string
  subject: string
  text: string
}

/**
 * The newest outbox email to an address, read straight from the server's SQLite file. The
 * connection is made query-only so a test can never write to the server's database.
 */
export async function newestEmailTo(address: string): Promise<OutboxRow | undefined> {
  const client = createClient({ url: required('E2E_DATABASE_URL') })
  try {
    await client.execute('PRAGMA query_only = ON')
    const { rows } = await client.execute({
      sql: 'SELECT id, template, subject, text FROM email_outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1',
      args: [address],
    })
    const row = rows[0]
    if (!row) return undefined
    return { id: Number(row.id), template: String(row.template), subject: String(row.subject), text: String(row.text) }
  } finally {
    client.close()
  }
}

/** The single-use sign-in link in a magic-link email's plain-text part. */
export function magicLinkIn(text: string) {
  const escaped = SITE_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}/auth/magic/[a-z2-7]+`).exec(text)
  if (!match) throw new Error(`no ${SITE_URL}/auth/magic/… link in the email text:\n${text}`)
  return match[0]
}

/** The flash message shown at the top of the page after a redirect. */
export function flash(page: Page): Locator {
  return page.getByRole('status')
}

/** The header's account menu (a <details>): its summary, named 「<name>（账户菜单）」 by its text. */
export function accountMenu(page: Page): Locator {
  return page.getByRole('banner').locator('summary').filter({ hasText: '（账户菜单）' })
}

/** The sign-in form on /login: one 邮箱 for the password (登录) and for the emailed link. */
export function passwordForm(page: Page): Locator {
  return page.locator('form').filter({ has: page.getByRole('button', { name: '登录', exact: true }) })
}

/** The same form on /login, found by its 「发送登录链接」 button. */
export function magicLinkForm(page: Page): Locator {
  return page.locator('form').filter({ has: page.getByRole('button', { name: '发送登录链接' }) })
}

export async function expectSignedInAs(page: Page, name: string) {
  await expect(accountMenu(page)).toContainText(name)
  await expect(page.getByRole('banner').getByRole('link', { name: '登录', exact: true })).toHaveCount(0)
}

export async function expectSignedOut(page: Page) {
  await expect(page.getByRole('banner').getByRole('link', { name: '登录', exact: true })).toBeVisible()
  await expect(accountMenu(page)).toHaveCount(0)
}

export async function logInWithPassword(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto('/login')
  const form = passwordForm(page)
  await form.getByLabel('邮箱').fill(email)
  // exact: the show-password button's name, 「显示密码」, holds the word too.
  await form.getByLabel('密码', { exact: true }).fill(password)
  await form.getByRole('button', { name: '登录', exact: true }).click()
}

/** Opens the account menu and clicks 「退出登录」. */
export async function logOut(page: Page) {
  const logout = page.getByRole('banner').getByRole('button', { name: '退出登录' })
  // A click that lands while the page is still hydrating may be undone by React: retry until
  // the menu is open (without clicking an open menu shut again).
  await expect(async () => {
    if (!(await logout.isVisible())) await accountMenu(page).click()
    await expect(logout).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 10_000 })
  await logout.click()
  await expect(flash(page)).toContainText('已退出登录')
  await expectSignedOut(page)
}

/** The demo editor (role editor: the daily editor, not the user admin). */
export const DEMO_EDITOR = { email: 'editor@zhiyin.local', password: 'zhiyin-editor', name: '早报编辑' } as const

/** The site's time zone (SITE_TIMEZONE in playwright.config.ts). */
export const SITE_TIMEZONE = 'Asia/Shanghai'

/** A calendar date in the site's time zone, `days` from today (negative goes back), as YYYY-MM-DD. */
export function siteDate(days = 0, now = new Date()) {
  const at = new Date(now.getTime() + days * 24 * 60 * 60 * 1000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: SITE_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** The demo 铁杆会员 (rank 2). */
export const DEMO_TIEGAN = { email: 'tiegan@zhiyin.local', password: 'zhiyin-member', name: '铁杆老友' } as const

/**
 * The flash message only, on pages that have other role="status" notes too (the community's
 * 「已隐藏」 notices, 「登录后即可发帖」): the flash is the status with a 关闭提示 button.
 */
export function flashMessage(page: Page): Locator {
  return page.getByRole('status').filter({ has: page.getByRole('button', { name: '关闭提示' }) })
}

/** Rows of a read-only query on the server's SQLite file (the connection is query-only). */
export async function queryServerDatabase(sql: string, args: (string | number)[] = []) {
  const client = createClient({ url: required('E2E_DATABASE_URL') })
  try {
    await client.execute('PRAGMA query_only = ON')
    return (await client.execute({ sql, args })).rows
  } finally {
    client.close()
  }
}

/** An instant as a `datetime-local` value (YYYY-MM-DDTHH:MM) in the site's time zone. */
export function siteDateTimeLocal(instant: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: SITE_TIMEZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
}

/** The single-use link of a verification email's plain-text part. */
export function verificationLinkIn(text: string) {
  const escaped = SITE_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}/verify-email/[a-z2-7]+(\\?\\S*)?`).exec(text)
  if (!match) throw new Error(`no ${SITE_URL}/verify-email/… link in the email text:\n${text}`)
  return match[0]
}

/**
 * Every spec signs its readers up from 127.0.0.1 within one run, and sign-ups are limited to 10
 * an hour per address (app/models/signup.server.ts; the limit itself is tested in
 * tests/integration/signup.test.ts). Each browser sign-up here stands for a reader on their own
 * address: the earlier ones are moved out of the hour, as if made by others.
 */
async function forgetEarlierSignUps() {
  const client = createClient({ url: required('E2E_DATABASE_URL'), timeout: 10_000 })
  try {
    await client.execute({ sql: "UPDATE rate_limit_hits SET created_at = created_at - ? WHERE bucket = 'signup'", args: [60 * 60_000] })
  } finally {
    client.close()
  }
}

/** Fills and sends the /signup form; the answer is 「请查收邮件」 whether or not the address is new. */
export async function submitSignUp(page: Page, account: { email: string; name: string; password: string }) {
  await forgetEarlierSignUps()
  await page.goto('/signup')
  await page.getByLabel('邮箱').fill(account.email)
  await page.getByLabel('昵称').fill(account.name)
  await page.getByLabel('密码', { exact: true }).fill(account.password)
  await page.getByRole('checkbox', { name: '我已阅读并同意《用户协议》和《隐私政策》' }).check()
  await page.getByRole('button', { name: '注册', exact: true }).click()
  await expect(page).toHaveURL(`${SITE_URL}/signup/sent`)
  await expect(page.getByRole('heading', { name: '请查收邮件' })).toBeVisible()
  await expectSignedOut(page)
}

/**
 * Signs a new account up through /signup: the form sends a verification link (nobody is signed
 * in yet); the link, read from the outbox and confirmed, signs the reader in with a welcome.
 */
export async function signUp(page: Page, account: { email: string; name: string; password: string }) {
  await submitSignUp(page, account)
  await expect.poll(async () => (await newestEmailTo(account.email))?.template, { timeout: 10_000 }).toBe('verify_email')
  const link = verificationLinkIn((await newestEmailTo(account.email))!.text)
  await page.goto(link)
  await expect(page.getByRole('heading', { name: '验证邮箱' })).toBeVisible()
  await page.getByRole('button', { name: '验证邮箱并登录' }).click()
  await expect(flash(page)).toContainText(`欢迎，${account.name}！注册成功。`)
  await expectSignedInAs(page, account.name)
}
