// Screenshots of the pages issue 18 touched, at 375 × 812 and 1280 × 900, against one running
// server (the commit before issue 18's work, or main after it). See README.md beside this file.
//
//   npx tsx docs/screenshots/issue-18/shoot.ts <before|after> <base URL> <out dir> [database file]
//
// The server must run on a fresh data dir (demo seed). The script changes that server's data:
// it opens the demo drop (立即开启), renews a job post, places an order. With a database file
// (after only), it also puts a buyer in the drop's waiting room: a server started with
// DROP_LINE_WINDOW=1 and one admitted buyer written into drop_line_entries leaves the next
// buyer waiting.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test'

const [label = 'after', base = 'http://localhost:3622', outDir = `/tmp/zy-shots/${label}`, dbFile] = process.argv.slice(2)
const AFTER = label === 'after'
const WIDTHS = [
  { width: 375, height: 812 },
  { width: 1280, height: 900 },
] as const

const ACCOUNTS = {
  admin: { email: 'admin@zhiyin.local', password: 'zhiyin-admin' },
  tiegan: { email: 'tiegan@zhiyin.local', password: 'zhiyin-member' },
  qinqing: { email: 'qinqing@zhiyin.local', password: 'zhiyin-member' },
  user: { email: 'user@zhiyin.local', password: 'zhiyin-user' },
} as const
type Role = keyof typeof ACCOUNTS

interface ShotOptions {
  /** full page at these widths (default none) */
  full?: readonly number[]
  /** run after each navigation, before the screenshot */
  prepare?: (page: Page) => Promise<void>
  /** skip navigation: shoot the page as it stands */
  stay?: boolean
}

const log: string[] = []
mkdirSync(outDir, { recursive: true })

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined)
  await page.evaluate(() => document.fonts.ready).catch(() => undefined)
  await sleep(300)
}

async function shoot(page: Page, name: string, path: string | null, options: ShotOptions = {}) {
  for (const size of WIDTHS) {
    try {
      await page.setViewportSize(size)
      let status = 200
      if (path !== null && !options.stay) {
        const response = await page.goto(base + path)
        status = response?.status() ?? 0
      }
      await settle(page)
      if (options.prepare) await options.prepare(page)
      const full = options.full?.includes(size.width) ?? false
      const file = join(outDir, `${name}-${size.width}${full ? '-full' : ''}.png`)
      await page.screenshot({ path: file, fullPage: full })
      log.push(`${name}-${size.width}: ${page.url().replace(base, '')} ${status}${full ? ' (full page)' : ''}`)
      // A full-page shot at a width also gets its viewport shot, for the table.
      if (full) {
        await page.evaluate(() => window.scrollTo(0, 0))
        await page.screenshot({ path: join(outDir, `${name}-${size.width}.png`) })
      }
    } catch (error) {
      log.push(`${name}-${size.width}: FAILED ${String(error).split('\n')[0]}`)
    }
  }
}

async function signIn(browser: Browser, role: Role | null): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: WIDTHS[0], locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  page.on('dialog', (dialog) => void dialog.accept())
  if (role) {
    await page.goto(`${base}/login`)
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: '登录', exact: true }) })
    await form.locator('input[name=email]').fill(ACCOUNTS[role].email)
    await form.locator('input[name=password]').fill(ACCOUNTS[role].password)
    await form.getByRole('button', { name: '登录', exact: true }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 })
    await settle(page)
    log.push(`signed in as ${role}: ${page.url().replace(base, '')}`)
  }
  return { context, page }
}

async function step(name: string, run: () => Promise<void>) {
  try {
    await run()
    log.push(`step ${name}: ok`)
  } catch (error) {
    log.push(`step ${name}: FAILED ${String(error).split('\n')[0]}`)
  }
}

function scrollToBottom(page: Page) {
  return page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
}

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  try {
    // Admin: open the demo drop now, so /membership shows an open drop and its countdown.
    const admin = await signIn(browser, 'admin')
    await step('open the demo drop', async () => {
      await admin.page.goto(`${base}/admin/drops/1`)
      await admin.page.getByRole('button', { name: '立即开启' }).first().click()
      await settle(admin.page)
    })

    // Visitor.
    const visitor = await signIn(browser, null)
    const v = visitor.page
    await shoot(v, 'community', '/community')
    await shoot(v, 'community-search', `/community?q=${encodeURIComponent('读书')}`)
    await shoot(v, 'login', '/login')
    await shoot(v, 'signup', '/signup')
    await shoot(v, 'legal-terms', '/legal/terms')
    await shoot(v, 'legal-privacy', '/legal/privacy')
    await shoot(v, 'footer', '/', { prepare: scrollToBottom })
    await shoot(v, 'shop', '/shop', { full: [375, 1280] })
    await shoot(v, 'product-hoodie', '/shop/p/zhiyin-hoodie', { full: [375] })
    await shoot(v, 'product-limited', '/shop/p/zhiyin-10th-pen', { full: [375] })
    // The product page scrolled to its sizes and quantity: is 立即购买 still on screen?
    await shoot(v, 'product-hoodie-scrolled', '/shop/p/zhiyin-hoodie', {
      prepare: async (page) => {
        await page.evaluate(() => window.scrollTo(0, 700))
        await sleep(300)
      },
    })
    await shoot(v, 'membership-visitor', '/membership')
    await step('visitor adds the pen to the cart', async () => {
      await v.goto(`${base}/shop/p/zhiyin-10th-pen`)
      await settle(v)
      await v.getByRole('button', { name: '加入购物车' }).first().click()
      await settle(v)
    })
    await shoot(v, 'header-cart', '/shop')
    await shoot(v, 'cart-visitor', '/cart')
    // A navigation on its way: the next page's data held back for 3 s.
    await step('navigation progress', async () => {
      for (const size of WIDTHS) {
        await v.setViewportSize(size)
        await v.goto(`${base}/shop`)
        await settle(v)
        await v.route('**/*', async (route) => {
          if (['fetch', 'xhr'].includes(route.request().resourceType())) await sleep(3_000)
          await route.continue().catch(() => undefined)
        })
        await v.locator('a[href="/community"]:visible').first().click()
        await sleep(700)
        await v.screenshot({ path: join(outDir, `nav-progress-${size.width}.png`) })
        await v.unroute('**/*')
        await settle(v)
      }
    })
    await visitor.context.close()

    // A plain user: who may post, before trying.
    const user = await signIn(browser, 'user')
    await shoot(user.page, 'community-new-user', '/community/new', { full: [375] })
    await shoot(user.page, 'community-new-user-board', '/community/new?board=sharing')
    await shoot(user.page, 'community-user', '/community')
    // A thread without replies, read by someone who may not reply.
    await step('plain user opens a thread without replies', async () => {
      await user.page.goto(`${base}/community/jobs`)
      await user.page.getByRole('link', { name: /五年用户运营/ }).first().click()
      await user.page.waitForURL(/\/community\/t\/\d+$/)
    })
    await shoot(user.page, 'thread-empty-user', user.page.url().replace(base, ''), { full: [375] })
    await user.context.close()

    // 亲情 member: the drop page and the renewal of her job post.
    const qinqing = await signIn(browser, 'qinqing')
    await shoot(qinqing.page, 'membership-qinqing', '/membership', { full: [375, 1280] })
    await step('qinqing renews her job post', async () => {
      const q = qinqing.page
      await q.goto(`${base}/community/jobs`)
      await settle(q)
      await q.getByRole('link', { name: /独立开发者招兼职前端/ }).first().click()
      await q.waitForURL(/\/community\/t\/\d+$/)
      await q.getByRole('heading', { name: /独立开发者招兼职前端/ }).waitFor()
      await settle(q)
      await q.setViewportSize(WIDTHS[1])
      await q.screenshot({ path: join(outDir, `job-before-renewal-1280-full.png`), fullPage: true })
      await q.getByRole('button', { name: /续期/ }).first().click()
      await q.getByText(/已续期/).first().waitFor()
      await settle(q)
    })
    await shoot(qinqing.page, 'job-renewed', qinqing.page.url().replace(base, ''), { full: [375, 1280] })
    await qinqing.context.close()

    // 铁杆 member: the drop page, cart, checkout, orders, addresses.
    const tiegan = await signIn(browser, 'tiegan')
    const t = tiegan.page
    await shoot(t, 'membership-tiegan', '/membership', { full: [375, 1280] })
    await step('tiegan adds the hoodie and the pen', async () => {
      await t.goto(`${base}/shop/p/zhiyin-hoodie`)
      await settle(t)
      if (AFTER) await t.getByRole('group', { name: '尺码' }).getByText('M', { exact: true }).click()
      await t.getByRole('button', { name: '加入购物车' }).first().click()
      await settle(t)
      await t.goto(`${base}/shop/p/zhiyin-10th-pen`)
      await settle(t)
      await t.getByRole('button', { name: '加入购物车' }).first().click()
      await settle(t)
    })
    await shoot(t, 'cart', '/cart', { full: [375] })
    await shoot(t, 'checkout', '/checkout', { full: [375, 1280] })
    await step('tiegan submits the order', async () => {
      await t.setViewportSize(WIDTHS[1])
      await t.goto(`${base}/checkout`)
      await settle(t)
      if (AFTER) {
        const paste = t.getByLabel('粘贴地址')
        await paste.fill('王小明 13800138000 浙江省杭州市西湖区文三路 90 号')
        await t.getByRole('button', { name: '识别并填写' }).click()
        await t.getByText('已识别并填入下方，请核对。').waitFor()
        await t.setViewportSize(WIDTHS[0])
        await t.screenshot({ path: join(outDir, 'checkout-pasted-375-full.png'), fullPage: true })
      } else {
        const fill = async (name: string, value: string) => {
          const field = t.locator(`input[name=${name}], textarea[name=${name}]`).first()
          if ((await field.count()) && !(await field.inputValue())) await field.fill(value)
        }
        await fill('name', '王小明')
        await fill('phone', '13800138000')
        await fill('province', '浙江省')
        await fill('city', '杭州市')
        await fill('district', '西湖区')
        await fill('street', '文三路 90 号')
      }
      await t.getByRole('button', { name: '提交订单' }).first().click()
      await t.waitForURL((url) => !url.pathname.startsWith('/checkout'), { timeout: 20_000 })
      await settle(t)
    })
    await shoot(t, 'orders', '/orders', { full: [375] })
    await shoot(t, 'checkout-saved-address', null, {
      prepare: async (page) => {
        // Something in the cart again, so /checkout shows the saved address.
        await page.goto(`${base}/shop/p/zhiyin-thermos`)
        await settle(page)
        await page.getByRole('button', { name: '加入购物车' }).first().click()
        await settle(page)
        await page.goto(`${base}/checkout`)
        await settle(page)
      },
    })
    await shoot(t, 'account-addresses', '/account/addresses', { full: [375] })
    await tiegan.context.close()

    // Admin pages.
    const a = admin.page
    await shoot(a, 'admin', '/admin', { full: [375, 1280] })
    await shoot(a, 'admin-drop', '/admin/drops/1', { full: [375] })
    await shoot(a, 'admin-posts-new', '/admin/posts/new', { full: [375, 1280] })
    await shoot(a, 'admin-users', '/admin/users', { full: [375] })
    await shoot(a, 'admin-users-form', '/admin/users', {
      prepare: async (page) => {
        // The 铁杆 member's row: after, its one action opens the form with her tier chosen.
        const row = page.locator('li').filter({ hasText: 'tiegan@zhiyin.local' }).last()
        const open = row.locator('summary')
        if (await open.count()) await open.first().click()
        await row.evaluate((element) => {
          element.scrollIntoView({ block: 'start' })
          window.scrollBy(0, -130)
        })
        await sleep(400)
      },
    })
    await shoot(a, 'admin-products', '/admin/products', { full: [375, 1280] })
    await shoot(a, 'admin-shipping', '/admin/shipping', { full: [375] })
    await shoot(a, 'admin-outbox', '/admin/outbox')
    await admin.context.close()

    // The drop's waiting room (after only): the one admission slot is taken by a buyer still
    // deciding, so the next buyer waits in line.
    if (AFTER && dbFile) {
      await step('waiting room', async () => {
        const client = createClient({ url: `file:${dbFile}` })
        try {
          const now = Date.now()
          const later = now + 30 * 60_000
          const tier = await client.execute(
            "SELECT dt.id FROM drop_tiers dt JOIN tiers t ON t.id = dt.tier_id WHERE dt.drop_id = 1 AND t.slug = 'qinqing'",
          )
          const expired = await client.execute("SELECT id FROM users WHERE email = 'expired@zhiyin.local'")
          await client.execute({
            sql: 'INSERT INTO drop_line_entries (drop_id, user_id, drop_tier_id, position, joined_at, last_seen_at, admitted_at) VALUES (1, ?, ?, 1, ?, ?, ?)',
            args: [Number(expired.rows[0]!.id), Number(tier.rows[0]!.id), now, now, later],
          })
        } finally {
          client.close()
        }
        const buyer = await signIn(browser, 'user')
        await buyer.page.goto(`${base}/membership`)
        await settle(buyer.page)
        await buyer.page.getByRole('button', { name: '抢亲情会员席位' }).first().click()
        await buyer.page.getByRole('region', { name: '排队中' }).waitFor({ timeout: 15_000 })
        await settle(buyer.page)
        await shoot(buyer.page, 'waiting-room', null, { stay: true })
        await buyer.context.close()
      })
    }
  } finally {
    await browser.close()
    console.log(log.join('\n'))
  }
}

void main()
