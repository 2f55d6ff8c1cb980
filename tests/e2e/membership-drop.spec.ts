// Issue 7's journey in a real browser: an admin schedules a drop, a new reader watches its
// countdown reach zero without reloading, buys a 铁杆会员 seat through the test provider, gets
// 第 0001 号 on their card and can now read a 铁杆-only daily that was a teaser before.
//
// Opening: the drop form takes minutes only (datetime-local, HH:MM), so the drop is scheduled
// for the first whole minute at least OPEN_LEAD_MS away; the reader watches the last seconds
// tick down and the page turn to 招募中 by itself. That waits up to about a minute, and is the
// only wait here that is not for something to happen. 「立即开启」 would skip the countdown.
//
// Other drops: /membership shows the open drop before an upcoming one, and the admin may not
// create a drop whose window overlaps another. drop-race.spec.ts writes drops straight into the
// database that are open while each of its tests runs (then moves them to 1970). So this test
// creates its drop only once no other drop has been open or about to open (within the hour)
// for QUIET_MS, and keeps watching: if another drop turns up while this one is on screen, the
// failure says so. The demo drop seeded into every fresh database (db/seed-drop.ts) opens in
// 30 days: it neither overlaps ours nor comes before it on /membership. The wait relies on
// drop-race's tests having started before this one creates its drop (they are queued first and
// open their drop at once); running both specs in one Playwright project with `workers: 1`
// would make it certain.
import { expect, test, type Page } from '@playwright/test'
import {
  DEMO,
  DEMO_TIEGAN,
  expectSignedInAs,
  flash,
  logInWithPassword,
  logOut,
  newAccount,
  queryServerDatabase,
  siteDate,
  siteDateTimeLocal,
  signUp,
} from './support'

/** The drop opens at the first whole minute at least this far ahead. */
const OPEN_LEAD_MS = 10_000
/** No other drop open or about to open for this long before ours is created. */
const QUIET_MS = 2_000
const MINUTE_MS = 60_000

const TIEGAN = { name: '铁杆会员', price: '1200', priceLabel: '¥1,200', seats: 100 }
const QINQING = { name: '亲情会员', price: '200', priceLabel: '¥200', seats: 300 }

/** A drop opening within this time from now competes with ours (the demo drop opens in 30 days). */
const NEAR_MS = 60 * MINUTE_MS

/**
 * Watches the server's drops table from the start of the test: the last time a drop other
 * than ours was open or about to open, and which.
 */
function watchOtherDrops(ourName: string) {
  let lastSeenAt = Date.now()
  /** Name → when it was last seen open or about to open. */
  const seen = new Map<string, number>()
  let running = true
  const loop = (async () => {
    while (running) {
      const now = Date.now()
      try {
        const rows = await queryServerDatabase('SELECT name FROM drops WHERE closes_at > ? AND opens_at < ? AND name != ?', [now, now + NEAR_MS, ourName])
        if (rows.length > 0) lastSeenAt = Date.now()
        for (const row of rows) seen.set(String(row.name), lastSeenAt)
      } catch {
        // Unreadable for a moment (the server is writing): not quiet, ask again.
        lastSeenAt = Date.now()
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  })()
  return {
    quietForMs: () => Date.now() - lastSeenAt,
    /** Other drops seen since `since` (ms), for a failure message. */
    clashesSince: (since: number) => [...seen].filter(([, at]) => at >= since).map(([name]) => name),
    stop: async () => {
      running = false
      await loop
    },
  }
}

/** The newest published daily only 铁杆会员 (rank 2) may read, with a subheading of its body. */
async function tieganDaily() {
  const [row] = await queryServerDatabase(
    "SELECT date, title, keyword, teaser, body FROM dailies WHERE min_rank = 2 AND state = 'published' AND publish_at <= ? ORDER BY date DESC LIMIT 1",
    [Date.now()],
  )
  expect(row, 'the demo content has a published 铁杆会员 daily').toBeTruthy()
  const body = String(row!.body)
  const subheading = /^## (.+)$/m.exec(body)?.[1]?.trim()
  expect(subheading, 'the 铁杆 daily has a ## subheading in its body').toBeTruthy()
  return { date: String(row!.date), title: String(row!.title), keyword: String(row!.keyword), teaser: String(row!.teaser), subheading: subheading! }
}

/** The countdown's accessible label (「0 天 0 小时 0 分 9 秒」) as seconds. */
function labelSeconds(label: string) {
  const match = /^(\d+) 天 (\d+) 小时 (\d+) 分 (\d+) 秒$/.exec(label)
  if (!match) throw new Error(`not a countdown label: ${label}`)
  const [days, hours, minutes, seconds] = match.slice(1).map(Number) as [number, number, number, number]
  return ((days * 24 + hours) * 60 + minutes) * 60 + seconds
}

declare global {
  interface Window {
    /** The countdown labels the page showed, in order (set by the test; gone after a reload). */
    __countdownLabels?: string[]
  }
}

/** Records every label the countdown shows from now on, in the page itself. */
function recordCountdown(page: Page) {
  return page.evaluate(() => {
    const labels: string[] = []
    window.__countdownLabels = labels
    const record = () => {
      const label = document.querySelector('[role="timer"][aria-label]')?.getAttribute('aria-label')
      if (label && labels.at(-1) !== label) labels.push(label)
    }
    record()
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] })
  })
}

/** A figure in the admin's live numbers (收入, 会员, 已付款, 锁定中). */
function liveStat(page: Page, label: string) {
  // Visible ones only: on a phone the tiers' own 已付款 / 锁定中 are cards (hidden at this width).
  return page
    .locator('dl > div:visible')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd')
}

test('an admin schedules a drop; a new reader watches the countdown reach zero, buys 铁杆会员, is 第 0001 号 and can read a 铁杆 daily', async ({
  page: adminPage,
  browser,
}) => {
  // Up to a minute of countdown, plus waiting out drop-race.spec.ts when both run together.
  test.setTimeout(180_000)
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const year = Number(siteDate(0).slice(0, 4))
  const dropName = `${year + 1} 年度会员招募 e2e-${suffix}`
  const validUntil = `${year + 1}-12-31`
  const validUntilLabel = `${year + 1}年12月31日`
  const others = watchOtherDrops(dropName)

  try {
    const reader = newAccount('招募读者')
    const readerContext = await browser.newContext()
    const page = await readerContext.newPage()
    const daily = await tieganDaily()

    await test.step('a new reader signs up', async () => {
      await signUp(page, reader)
    })

    await test.step('the 铁杆 daily: with its keyword the reader gets only its title and teaser, with the way to membership', async () => {
      await page.goto(`/daily/${daily.date}`)
      const article = page.locator('article')
      await expect(page.getByRole('heading', { level: 1, name: daily.title })).toBeVisible()
      await expect(article.getByText(daily.teaser)).toBeVisible()
      // The keyword is said in the voice (and its folded 文字版), never printed on the page.
      await expect(article.getByText(`今天的关键词是：${daily.keyword}`)).toBeHidden()
      await article.getByLabel('回复关键词，获取文章').fill(daily.keyword)
      await article.getByRole('button', { name: '获取文章' }).click()
      await expect(article.getByText(`关键词正确。本文仅对${TIEGAN.name}开放`, { exact: true })).toBeVisible()
      await expect(article.getByRole('link', { name: '了解会员' })).toHaveAttribute('href', '/membership')
      await expect(page.getByRole('heading', { name: daily.subheading })).toHaveCount(0)
    })

    await test.step('the admin fills /admin/drops/new: 铁杆会员 ¥1,200 × 100 and 亲情会员 ¥200 × 300, valid until next year', async () => {
      await logInWithPassword(adminPage, DEMO.admin)
      await expectSignedInAs(adminPage, DEMO.admin.name)
      await adminPage.goto('/admin/drops')
      await adminPage.getByRole('link', { name: '新建招募' }).click()
      await expect(adminPage.getByRole('heading', { name: '新建会员招募' })).toBeVisible()
      await adminPage.waitForLoadState('networkidle')

      await adminPage.getByLabel('招募名称').fill(dropName)
      const tiers = adminPage.getByRole('group', { name: '等级' })
      for (const tier of [TIEGAN, QINQING]) {
        const box = tiers.locator(':scope > div').filter({ has: adminPage.getByRole('checkbox', { name: `本期招募${tier.name}` }) })
        await expect(box.getByRole('checkbox')).toBeChecked()
        await box.getByLabel('价格（元）').fill(tier.price)
        await box.getByLabel('席位数').fill(String(tier.seats))
        await box.getByLabel('会员有效期至（含当天）').fill(validUntil)
      }
    })

    // The first whole minute at least OPEN_LEAD_MS away, once no other drop is running.
    let opensAt = 0
    await test.step('once no other drop is open or about to open, the admin creates the drop to open at the next whole minute', async () => {
      await expect
        .poll(() => others.quietForMs(), { message: 'waiting for other drops (drop-race.spec.ts) to finish', timeout: 90_000, intervals: [250] })
        .toBeGreaterThanOrEqual(QUIET_MS)
      opensAt = Math.ceil((Date.now() + OPEN_LEAD_MS) / MINUTE_MS) * MINUTE_MS
      await adminPage.getByLabel('开启时间（北京时间）').fill(siteDateTimeLocal(new Date(opensAt)))
      await adminPage.getByLabel('结束时间（北京时间）').fill(siteDateTimeLocal(new Date(opensAt + 24 * 60 * MINUTE_MS)))
      await adminPage.getByRole('button', { name: '创建招募' }).click()

      await expect(flash(adminPage)).toContainText(`已创建「${dropName}」`)
      await expect(adminPage).toHaveURL(/\/admin\/drops\/\d+$/)
      await expect(adminPage.getByRole('heading', { level: 1, name: dropName })).toBeVisible()
      await expect(adminPage.getByText('即将开启', { exact: true })).toBeVisible()
    })
    const createdAt = Date.now()

    await test.step('the reader opens /membership: 即将开启, a countdown ticking to the second, seats and prices, nothing to buy yet', async () => {
      await page.goto('/membership')
      await page.waitForLoadState('networkidle')
      await expect(page.getByRole('heading', { level: 1, name: dropName })).toBeVisible()
      await expect(page.getByRole('region', { name: '即将开启' })).toBeVisible()
      const countdown = page.getByRole('timer', { name: /^\d+ 天 \d+ 小时 \d+ 分 \d+ 秒$/ })
      await expect(countdown).toBeVisible()
      const first = (await countdown.getAttribute('aria-label'))!
      // By the server's clock: within a couple of seconds of the time really left.
      expect(Math.abs(labelSeconds(first) - (opensAt - Date.now()) / 1000)).toBeLessThanOrEqual(2)
      await expect.poll(() => countdown.getAttribute('aria-label'), { timeout: 2_500, intervals: [100] }).not.toBe(first)

      for (const tier of [TIEGAN, QINQING]) {
        const card = page.getByRole('listitem', { name: tier.name })
        await expect(card).toContainText(tier.priceLabel)
        await expect(card).toContainText(`限 ${tier.seats} 席`)
        await expect(card).toContainText('即将开启')
      }
      await expect(page.getByRole('button', { name: /^抢.+席位$/ })).toHaveCount(0)
    })

    await test.step('the countdown reaches zero and the page turns to 招募中 by itself, seats live, buy buttons there', async () => {
      await recordCountdown(page)
      // At zero the page asks the server for itself again (a data request, not a reload).
      const revalidated = page.waitForResponse((r) => new URL(r.url()).pathname === '/membership.data' && r.request().method() === 'GET', {
        timeout: opensAt - Date.now() + 15_000,
      })
      try {
        await expect(page.getByRole('region', { name: '招募中' })).toBeVisible({ timeout: opensAt - Date.now() + 15_000 })
      } catch (error) {
        const clashes = others.clashesSince(createdAt)
        throw clashes.length > 0 ? new Error(`another drop was open or about to open during the countdown: ${clashes.join('、')}`, { cause: error }) : error
      }
      expect(Date.now()).toBeGreaterThanOrEqual(opensAt)
      expect((await revalidated).status()).toBe(200)
      // Still the same document (a reload would have dropped the recorder), and it saw the last seconds.
      const labels = await page.evaluate(() => window.__countdownLabels)
      expect(labels, 'the page was not reloaded').toBeDefined()
      const seconds = labels!.map(labelSeconds)
      expect(seconds.length).toBeGreaterThanOrEqual(2)
      expect(seconds.at(-1)).toBe(1)
      await expect(page.getByRole('timer', { name: /天/ })).toHaveCount(0)
      await expect(page.getByRole('heading', { level: 1, name: dropName })).toBeVisible()

      await expect(page.getByText('席位每几秒自动刷新')).toBeVisible()
      for (const tier of [TIEGAN, QINQING]) {
        const card = page.getByRole('listitem', { name: tier.name })
        await expect(card).toContainText(`剩余 ${tier.seats} 席`)
        await expect(card).toContainText('招募中')
        await expect(card.getByRole('button', { name: `抢${tier.name}席位` })).toBeEnabled()
      }
    })

    await test.step('the admin live page, open since before the opening, turns to 招募中 by itself', async () => {
      await expect(adminPage.getByText('招募中', { exact: true })).toBeVisible({ timeout: 15_000 })
      await expect(adminPage.getByText('招募进行中，每 5 秒刷新')).toBeVisible()
      await expect(liveStat(adminPage, '会员')).toHaveText('0')
    })

    let orderId = 0
    await test.step('the reader takes a 铁杆会员 seat and pays through the test provider', async () => {
      await page.getByRole('listitem', { name: TIEGAN.name }).getByRole('button', { name: `抢${TIEGAN.name}席位` }).click()
      await expect(page).toHaveURL(/\/pay\/\d+$/)
      orderId = Number(/\/pay\/(\d+)$/.exec(page.url())![1])
      await expect(page.getByRole('heading', { level: 1, name: `支付订单 #${orderId}` })).toBeVisible()
      await expect(page.getByText(`${dropName} · ${TIEGAN.name}`)).toBeVisible()
      await expect(page.getByText('应付金额').locator('..')).toContainText(TIEGAN.priceLabel)
      await expect(page.getByRole('main').getByText('测试模式', { exact: true })).toBeVisible()
      await page.getByRole('button', { name: '模拟支付成功' }).click()
    })

    await test.step('the card says 第 0001 号, 铁杆会员, the reader and the drop', async () => {
      await expect(page).toHaveURL(/\/membership\/card$/)
      await expect(flash(page)).toContainText('支付成功，感谢支持！')
      await expect(page.getByRole('heading', { level: 1, name: '我的会员卡' })).toBeVisible()
      const card = page.getByRole('article', { name: '我的会员卡' })
      await expect(card).toContainText('第 0001 号')
      await expect(card).toContainText(TIEGAN.name)
      await expect(card).toContainText(reader.name)
      await expect(card).toContainText(dropName)
      await expect(card).toContainText(`有效期至 ${validUntilLabel}`)
      await expect(page.getByText(`会员有效期至 ${validUntilLabel}，感谢你的支持。`)).toBeVisible()
    })

    await test.step('the admin sees the sale arrive without reloading: 1 member, ¥1,200, 99 铁杆 seats left', async () => {
      await expect(liveStat(adminPage, '会员')).toHaveText('1', { timeout: 15_000 })
      await expect(liveStat(adminPage, '收入')).toHaveText(TIEGAN.priceLabel)
      await expect(liveStat(adminPage, '已付款')).toHaveText('1')
      await expect(adminPage.getByRole('row', { name: new RegExp(TIEGAN.name) }).getByRole('cell')).toHaveText([
        TIEGAN.priceLabel,
        '100',
        '1',
        '0',
        '99',
        '0',
      ])
    })

    await test.step('the 铁杆 daily, whose keyword the reader gave, now opens in full', async () => {
      await page.goto(`/daily/${daily.date}`)
      const article = page.locator('article')
      await expect(page.getByRole('heading', { level: 1, name: daily.title })).toBeVisible()
      await expect(page.getByRole('heading', { name: daily.subheading })).toBeVisible()
      await expect(article.getByText(`本文仅对${TIEGAN.name}开放`)).toHaveCount(0)
    })

    await test.step('/membership greets the reader as 第 0001 号 and offers no second seat', async () => {
      await page.goto('/membership')
      await expect(page.getByRole('heading', { level: 1, name: dropName })).toBeVisible()
      await expect(page.getByText(`你是本期第 0001 号会员 · ${TIEGAN.name}`)).toBeVisible()
      await expect(page.getByRole('link', { name: '查看我的会员卡' })).toHaveAttribute('href', '/membership/card')
      await expect(page.getByRole('listitem', { name: TIEGAN.name })).toContainText(`剩余 ${TIEGAN.seats - 1} 席`)
      await expect(page.getByRole('button', { name: /^抢.+席位$/ })).toHaveCount(0)
    })

    // Members of an earlier year (the demo 铁杆 and 亲情 readers, valid for most of a year) in this
    // drop (issue 18, decision 049): their plan, 续费 of their tier, the upgrade, a downgrade explained.
    const memberContext = await browser.newContext()
    const member = await memberContext.newPage()
    await test.step('a 铁杆 member sees their plan, 续费铁杆会员 from their end date, and why 亲情 is not for them', async () => {
      await logInWithPassword(member, DEMO_TIEGAN)
      await expectSignedInAs(member, DEMO_TIEGAN.name)
      await member.goto('/membership')
      const plan = member.getByRole('region', { name: '我的会员' })
      await expect(plan).toContainText(TIEGAN.name)
      await expect(plan).toContainText(/有效期至 \d{4}年\d{1,2}月\d{1,2}日/)
      await expect(plan).toContainText('本期招募中可以续费')
      const until = /有效期至 (\d{4}年\d{1,2}月\d{1,2}日)/.exec((await plan.textContent()) ?? '')![1]!

      const qinqing = member.getByRole('listitem', { name: QINQING.name })
      await expect(qinqing).toContainText(`你是${TIEGAN.name}至 ${until}，${QINQING.name}席位不适合你：到期后可选择${QINQING.name}续费。`)
      await expect(qinqing.getByRole('button')).toHaveCount(0)

      const tiegan = member.getByRole('listitem', { name: TIEGAN.name })
      await expect(tiegan).toContainText(`当前会员 ${until} 到期后顺延一年`)
      await tiegan.getByRole('button', { name: `续费${TIEGAN.name} · ${TIEGAN.priceLabel}` }).click()
      await expect(member).toHaveURL(/\/pay\/\d+$/)
      await expect(member.getByText(`${dropName} · ${TIEGAN.name}续费`)).toBeVisible()
      await expect(member.getByText('应付金额').locator('..')).toContainText(TIEGAN.priceLabel)
      // Not paid: the demo reader stays as other specs expect; the hold lapses when the drop closes.
    })

    await test.step('a 亲情 member is offered the upgrade to 铁杆 with its price before buying anything, and 续费亲情会员', async () => {
      await logOut(member)
      await logInWithPassword(member, { email: 'qinqing@zhiyin.local', password: 'zhiyin-member' })
      await expectSignedInAs(member, '亲情读者')
      await member.goto('/membership')
      await expect(member.getByRole('region', { name: '我的会员' })).toContainText(QINQING.name)
      const tiegan = member.getByRole('listitem', { name: TIEGAN.name })
      // The demo membership was not paid for: no credit, the full price, said so.
      await expect(tiegan.getByRole('button', { name: `升级为${TIEGAN.name} · ${TIEGAN.priceLabel}` })).toBeVisible()
      await expect(tiegan).toContainText(`付款后即日起成为${TIEGAN.name}，有效期至 ${validUntilLabel}`)
      await expect(member.getByRole('listitem', { name: QINQING.name }).getByRole('button', { name: `续费${QINQING.name} · ${QINQING.priceLabel}` })).toBeVisible()
      await expect(member.getByRole('button', { name: /^抢.+席位$/ })).toHaveCount(0)
    })
    await memberContext.close()

    await test.step('the admin closes the drop early (提前结束): 已结束', async () => {
      await adminPage.getByRole('button', { name: '提前结束' }).click()
      await expect(flash(adminPage)).toContainText('招募已结束')
      await expect(adminPage.getByText('已结束', { exact: true })).toBeVisible()
    })

    await readerContext.close()
  } finally {
    await others.stop()
  }
})
