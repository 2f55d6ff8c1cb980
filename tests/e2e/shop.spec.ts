// Issue 6's journey in Chromium: a new member browses 本周上新, buys the numbered limited-edition
// pen through the test payment provider and sees the order with its edition number; an admin
// marks it shipped and exports the orders as CSV (UTF-8 with a BOM) with the tracking number.
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import { DEMO, SITE_URL, expectSignedInAs, flash, logInWithPassword, newAccount, newestEmailTo, signUp } from './support'

/** The seeded limited edition (db/seed-shop.ts): 500 numbered pens, 刻字 up to 12, limit 2. */
const PEN = { slug: 'zhiyin-10th-pen', title: '知音十周年纪念钢笔', price: '¥368', editionSize: 500 }
const ENGRAVING = '知音'
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路 90 号 3 幢 501' }
const SHIPMENT = { carrier: '顺丰速运', trackingNumber: 'SF1234567890' }
const CSV_HEADER = '订单号,下单时间,状态,买家,邮箱,商品,规格,数量,单价,编号,刻字,金额,收货人,手机,地址,快递,单号,付款时间'

/** The order page's status timeline; its current step (aria-current="step") is the order's state. */
function currentStep(page: Page) {
  return page.getByRole('list', { name: '订单进度' }).locator('[aria-current="step"]')
}

/** A row of /admin/orders: a link whose first line is 「#id」. */
function orderRow(page: Page, orderId: number) {
  return page.getByRole('link').filter({ has: page.getByText(`#${orderId}`, { exact: true }) })
}

test('a member buys the limited-edition pen from 本周上新 with the test provider and sees its edition number; an admin ships it and exports CSV', async ({
  page,
  browser,
}) => {
  const buyer = newAccount('买家')
  let orderId = 0
  let edition = 0

  await test.step('a new member opens the pen from 本周上新 and sees its edition size and price', async () => {
    await signUp(page, buyer)
    await page.goto('/shop')
    const fresh = page.getByRole('region', { name: '本周上新' })
    await expect(fresh.getByRole('heading', { level: 2, name: '本周上新' })).toBeVisible()
    await fresh.getByRole('link', { name: PEN.title }).click()

    await expect(page).toHaveURL(`${SITE_URL}/shop/p/${PEN.slug}`)
    await expect(page.getByRole('heading', { level: 1, name: PEN.title })).toBeVisible()
    // 「限量 500 · 剩 N」 and 每份独立编号 (decision 050).
    await expect(page.getByText(new RegExp(`^限量 ${PEN.editionSize}\\s· 剩 \\d+$`)).first()).toBeVisible()
    await expect(page.getByText('每份独立编号', { exact: true })).toBeVisible()
    await expect(page.getByText('每人限购 2 件')).toBeVisible()
    await expect(page.getByRole('region', { name: '你的价格' })).toContainText(PEN.price)
  })

  await test.step('engraves 「知音」 and buys now: 立即购买 → /checkout with that line alone, priced by the server', async () => {
    // The engraving field is a controlled input: let the page hydrate before typing into it.
    await page.waitForLoadState('networkidle')
    const engraving = page.getByLabel('刻字')
    await engraving.fill(ENGRAVING)
    await expect(page.getByText(`${ENGRAVING.length} / 12`)).toBeVisible()
    await expect(engraving).toHaveValue(ENGRAVING)
    await page.getByRole('button', { name: '立即购买' }).click()

    // Bought now, the line travels alone in the URL; the cart is left as it is.
    await expect(page).toHaveURL(new RegExp(`^${SITE_URL}/checkout\\?buy=\\d+&qty=1&p=`))
    await expect(page.getByRole('link', { name: '返回商品' })).toBeVisible()
    await expect(page.getByRole('heading', { level: 1, name: '结算' })).toBeVisible()
    await expect(page.getByRole('main')).toContainText(`刻字：「${ENGRAVING}」`)
    await expect(page.getByRole('main')).toContainText(`${PEN.price} × 1`)
  })

  await test.step('pastes 「姓名 电话 地址」: the fields and the 省/市/区 picker fill in; places the order → /pay/:id with a countdown in 测试模式', async () => {
    await page.waitForLoadState('networkidle')
    await page.getByLabel('粘贴地址').fill(`${ADDRESS.name} ${ADDRESS.phone} ${ADDRESS.province}${ADDRESS.city}${ADDRESS.district}${ADDRESS.street}`)
    await page.getByRole('button', { name: '识别并填写' }).click()
    await expect(page.getByText('已识别并填入下方，请核对。')).toBeVisible()
    await expect(page.getByLabel('收货人')).toHaveValue(ADDRESS.name)
    await expect(page.getByLabel('手机号')).toHaveValue(ADDRESS.phone)
    await expect(page.getByLabel('省 / 直辖市')).toHaveValue(ADDRESS.province)
    await expect(page.getByLabel('市', { exact: true })).toHaveValue(ADDRESS.city)
    await expect(page.getByLabel('区 / 县')).toHaveValue(ADDRESS.district)
    await expect(page.getByLabel('详细地址')).toHaveValue(ADDRESS.street)
    await page.getByRole('button', { name: '提交订单' }).click()

    await expect(page).toHaveURL(new RegExp(`^${SITE_URL}/pay/\\d+$`))
    orderId = Number(new URL(page.url()).pathname.split('/').pop())
    await expect(flash(page)).toContainText('订单已提交，请在保留时间内完成支付')
    await expect(page.getByRole('heading', { level: 1, name: `支付订单 #${orderId}` })).toBeVisible()
    await expect(page.getByText('测试模式', { exact: true })).toBeVisible()
    // The hold's countdown (10 minutes by default) is running.
    const timer = page.getByRole('timer')
    await expect(timer).toHaveText(/^(?:10:00|0\d:[0-5]\d)$/)
    const first = await timer.textContent()
    await expect(timer).not.toHaveText(first!)
  })

  await test.step('模拟支付成功 → /orders/:id: 已支付, the edition number 「No. N / 500」 and the engraving', async () => {
    await page.getByRole('button', { name: '模拟支付成功' }).click()

    await expect(page).toHaveURL(`${SITE_URL}/orders/${orderId}`)
    await expect(flash(page)).toContainText('支付成功，感谢支持！')
    await expect(page.getByRole('heading', { level: 1, name: `订单 #${orderId}` })).toBeVisible()
    await expect(currentStep(page)).toContainText('已支付')
    await expect(page.getByText('已付款，我们会尽快发货。')).toBeVisible()
    await expect(page.getByText(`刻字：「${ENGRAVING}」`)).toBeVisible()
    const number = page.getByText(new RegExp(`^No\\. \\d+ / ${PEN.editionSize}$`))
    await expect(number).toBeVisible()
    edition = Number(/No\. (\d+)/.exec((await number.textContent()) ?? '')![1])
    // The seed's two demo pens took No. 1 and No. 2.
    expect(edition).toBeGreaterThanOrEqual(3)
    expect(edition).toBeLessThanOrEqual(PEN.editionSize)
  })

  await test.step('the receipt is in the outbox, with the edition number and the engraving', async () => {
    await expect.poll(async () => (await newestEmailTo(buyer.email))?.template).toBe('order-receipt')
    const receipt = (await newestEmailTo(buyer.email))!
    expect(receipt.subject).toBe(`知音 · 订单 #${orderId} 已付款`)
    expect(receipt.text).toContain(`编号 No. ${edition}`)
    expect(receipt.text).toContain(`刻字「${ENGRAVING}」`)
    expect(receipt.text).toContain(`${SITE_URL}/orders/${orderId}`)
  })

  await test.step('the order is listed on /orders as 已支付', async () => {
    await page.goto('/orders')
    const listed = page.getByRole('listitem').filter({ has: page.getByText(`订单 #${orderId}`, { exact: true }) })
    await expect(listed).toContainText('已支付')
    await expect(listed).toContainText(PEN.title)
  })

  const admin = await browser.newContext()
  const adminPage = await admin.newPage()
  await test.step('the admin filters /admin/orders by 已支付 and the pen, and opens the order', async () => {
    await logInWithPassword(adminPage, DEMO.admin)
    await expectSignedInAs(adminPage, DEMO.admin.name)
    await adminPage.goto('/admin/orders')
    await adminPage.waitForLoadState('networkidle')
    const filters = adminPage.getByRole('form', { name: '筛选订单' })
    await filters.getByLabel('状态').selectOption({ label: '已支付' })
    await filters.getByLabel('商品').selectOption({ label: PEN.title })
    await filters.getByRole('button', { name: '筛选' }).click()
    await expect(adminPage).toHaveURL(/[?&]state=paid(&|$)/)

    const row = orderRow(adminPage, orderId)
    await expect(row).toContainText(buyer.email)
    await expect(row).toContainText('已支付')
    await row.click()
    await expect(adminPage).toHaveURL(`${SITE_URL}/admin/orders/${orderId}`)
    await expect(adminPage.getByRole('heading', { level: 1, name: `订单 #${orderId}` })).toBeVisible()
    await expect(adminPage.getByText(`刻字：「${ENGRAVING}」`)).toBeVisible()
    await expect(adminPage.getByText(`No. ${edition} / ${PEN.editionSize}`)).toBeVisible()
  })

  await test.step('marks it shipped with 顺丰速运 SF1234567890 → 已发货, and the buyer is emailed', async () => {
    await adminPage.waitForLoadState('networkidle')
    await adminPage.getByLabel('快递公司').selectOption({ label: SHIPMENT.carrier })
    await adminPage.getByLabel('快递单号').fill(SHIPMENT.trackingNumber)
    await adminPage.getByRole('button', { name: '标记为已发货' }).click()

    await expect(flash(adminPage)).toContainText(`订单 #${orderId} 已标记为已发货，已通知买家。`)
    await expect(currentStep(adminPage)).toContainText('已发货')
    await expect(adminPage.getByRole('button', { name: '标记为已发货' })).toHaveCount(0)
    await expect(adminPage.getByText(SHIPMENT.trackingNumber, { exact: true })).toBeVisible()

    await expect.poll(async () => (await newestEmailTo(buyer.email))?.template).toBe('order-shipped')
    const shipped = (await newestEmailTo(buyer.email))!
    expect(shipped.subject).toBe(`知音 · 订单 #${orderId} 已发货`)
    expect(shipped.text).toContain(`快递公司：${SHIPMENT.carrier}`)
    expect(shipped.text).toContain(`快递单号：${SHIPMENT.trackingNumber}`)
  })

  await test.step("the buyer's order page shows 已发货 with the carrier and tracking number", async () => {
    await page.goto(`/orders/${orderId}`)
    await expect(currentStep(page)).toContainText('已发货')
    await expect(page.getByRole('heading', { level: 2, name: '物流信息' })).toBeVisible()
    await expect(page.getByText(SHIPMENT.carrier, { exact: true })).toBeVisible()
    await expect(page.getByText(SHIPMENT.trackingNumber, { exact: true })).toBeVisible()
    await expect(page.getByRole('button', { name: '确认收货' })).toBeVisible()
  })

  await test.step('the admin exports the shipped pens as CSV: BOM, Chinese header, the order with its tracking number', async () => {
    await adminPage.goto(`/admin/orders`)
    await adminPage.waitForLoadState('networkidle')
    const filters = adminPage.getByRole('form', { name: '筛选订单' })
    await filters.getByLabel('状态').selectOption({ label: '已发货' })
    await filters.getByLabel('商品').selectOption({ label: PEN.title })
    await filters.getByRole('button', { name: '筛选' }).click()
    await expect(adminPage).toHaveURL(/[?&]state=shipped(&|$)/)
    await expect(orderRow(adminPage, orderId)).toContainText('已发货')

    const downloading = adminPage.waitForEvent('download')
    await adminPage.getByRole('button', { name: '导出 CSV' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toMatch(/^知音订单-\d{4}-\d{2}-\d{2}\.csv$/)
    const bytes = await readFile(await download.path())

    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.subarray(3).toString('utf8').split('\r\n')
    expect(lines[0]).toBe(CSV_HEADER)
    const row = lines.find((line) => line.startsWith(`${orderId},`))
    expect(row, `a row for order ${orderId} in:\n${lines.join('\n')}`).toBeDefined()
    const cells = row!.split(',')
    expect(cells[2]).toBe('已发货')
    expect(cells[4]).toBe(buyer.email)
    expect(cells[5]).toBe(PEN.title)
    // 规格: the pen has no options.
    expect(cells[6]).toBe('')
    expect(cells[9]).toBe(String(edition))
    expect(cells[10]).toBe(ENGRAVING)
    expect(cells[11]).toBe('368.00')
    expect(cells[13]).toBe(ADDRESS.phone)
    expect(cells[15]).toBe(SHIPMENT.carrier)
    expect(cells[16]).toBe(SHIPMENT.trackingNumber)
    // Only what the filter shows: every row is a shipped pen.
    for (const line of lines.slice(1).filter(Boolean)) expect(line).toContain(`,已发货,`)
  })

  await admin.close()
})

/** The seeded hoodie (db/seed-shop.ts): sizes S/M/L/XL with their own stock; XL costs ¥10 more (decision 047). */
const HOODIE = { slug: 'zhiyin-hoodie', title: '知音卫衣', price: '¥239', xlPrice: '¥249' }

test('a member must pick a size of the hoodie; the price follows it and the cart and checkout show 「尺码：L」', async ({ page }) => {
  await signUp(page, newAccount('尺码'))
  await page.goto(`/shop/p/${HOODIE.slug}`)
  await page.waitForLoadState('networkidle')
  const sizes = page.getByRole('group', { name: '尺码' })
  await expect(sizes.getByRole('radio')).toHaveCount(4)
  // Prices differ by size: the lowest shows with 起 until a size is picked.
  await expect(page.getByRole('region', { name: '你的价格' })).toContainText(`${HOODIE.price}起`)

  await test.step('加入购物车 without a size says so and stays on the page', async () => {
    await page.getByRole('button', { name: '加入购物车' }).first().click()
    await expect(page.getByRole('alert').filter({ hasText: '请选择尺码' })).toBeVisible()
    await expect(page).toHaveURL(`${SITE_URL}/shop/p/${HOODIE.slug}`)
  })

  await test.step('XL shows its own price; L is added to the cart', async () => {
    await sizes.getByText('XL', { exact: true }).click()
    await expect(page.getByRole('region', { name: '你的价格' })).toContainText(HOODIE.xlPrice)
    await sizes.getByText('L', { exact: true }).click()
    await expect(page.getByRole('region', { name: '你的价格' })).toContainText(HOODIE.price)
    await expect(page.getByText(/^库存 \d+ 件$/)).toBeVisible()
    await page.getByRole('button', { name: '加入购物车' }).first().click()
    await expect(page).toHaveURL(`${SITE_URL}/cart`)
    await expect(page.getByRole('main')).toContainText('尺码：L')
    await expect(page.getByRole('main')).toContainText(`${HOODIE.price} × 1`)
  })

  await test.step('checkout lists the line with its size', async () => {
    await page.getByRole('link', { name: '去结算' }).click()
    await expect(page.getByRole('heading', { level: 1, name: '结算' })).toBeVisible()
    await expect(page.getByRole('main')).toContainText('尺码：L')
  })
})

test('without JavaScript, a size is still required (a zh-CN message) and the chosen one reaches the cart', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await signUp(page, newAccount('无脚本'))
  await page.goto(`/shop/p/${HOODIE.slug}`)
  await page.getByRole('button', { name: '加入购物车' }).first().click()
  await expect(page).toHaveURL(`${SITE_URL}/cart`)
  await expect(page.getByRole('alert').first()).toContainText('请选择尺码')
  await page.goto(`/shop/p/${HOODIE.slug}`)
  await page.getByRole('group', { name: '尺码' }).getByText('M', { exact: true }).click()
  await page.getByRole('button', { name: '加入购物车' }).first().click()
  await expect(page).toHaveURL(`${SITE_URL}/cart`)
  await expect(page.getByRole('main')).toContainText('尺码：M')
  await context.close()
})
