// 又一课 (issue 17, decision 046): a reader finishes the free 科学 course by 「标记为已学」 on each
// lesson, is told 「恭喜完成本课」, opens the certificate, finds it on /account, and its share
// link shows it to a visitor.
import { expect, test } from '@playwright/test'
import { DEMO, expectSignedInAs, flashMessage, logInWithPassword, SITE_URL } from './support'

const COURSE = '/courses/science-of-curiosity'
const SHOTS = process.env.E2E_SCREENSHOTS

test('a reader finishing the free 科学 course is congratulated and gets the certificate', async ({ page, browser }) => {
  await logInWithPassword(page, DEMO.user)
  await expectSignedInAs(page, DEMO.user.name)

  await test.step('before the end, the certificate page says what is left', async () => {
    const response = await page.goto(`${COURSE}/certificate`)
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { level: 1, name: '还差一点就能拿到证书' })).toBeVisible()
    await expect(page.getByRole('link', { name: '把好奇变成好问题' })).toBeVisible()
  })

  await test.step('「标记为已学」 on each lesson; the last one says 恭喜完成本课 with the way to the certificate', async () => {
    await page.goto(`${COURSE}/where-from`)
    await page.getByRole('button', { name: '标记为已学' }).click()
    await expect(page.getByText('✓ 已学完')).toBeVisible()
    await expect(page.getByText('恭喜完成本课', { exact: true })).toHaveCount(0)
    await page.goto(`${COURSE}/good-questions`)
    await page.getByRole('button', { name: '标记为已学' }).click()
    await expect(flashMessage(page)).toContainText('恭喜完成本课')
    await page.getByRole('link', { name: '查看结业证书' }).click()
  })

  let sharePath = ''
  await test.step('the certificate names the reader, the course, its lecturer, the day and a number', async () => {
    await expect(page).toHaveURL(`${SITE_URL}${COURSE}/certificate`)
    const sheet = page.getByRole('article', { name: '结业证书' })
    await expect(sheet).toContainText(DEMO.user.name)
    await expect(sheet).toContainText('《好奇心的科学》')
    await expect(sheet).toContainText('主讲人 周以宁')
    await expect(sheet).toContainText(/ZY-\d{3}-[0-9A-F]{8}/)
    const image = page.getByRole('img', { name: `${DEMO.user.name} 的《好奇心的科学》结业证书` })
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200)
    sharePath = (await page.getByRole('link', { name: /certificate\?s=/ }).getAttribute('href'))!
    if (SHOTS) {
      for (const [width, height] of [[375, 812], [1280, 900]] as const) {
        await page.setViewportSize({ width, height })
        await page.screenshot({ path: `${SHOTS}/certificate-${width}.png`, fullPage: true })
      }
    }
  })

  await test.step('/account lists it under 已完成的课程', async () => {
    await page.goto('/account')
    const card = page.locator('section, div').filter({ has: page.getByRole('heading', { name: '已完成的课程' }) }).last()
    await expect(card.getByRole('link', { name: '《好奇心的科学》' })).toBeVisible()
    await expect(card.getByRole('link', { name: /结业证书/ })).toHaveAttribute('href', `${COURSE}/certificate`)
  })

  await test.step('a visitor opens the share link and sees the certificate', async () => {
    const visitor = await browser.newContext({ locale: 'zh-CN' })
    const other = await visitor.newPage()
    await other.goto(`${SITE_URL}${sharePath}`)
    await expect(other.getByRole('heading', { level: 1, name: `${DEMO.user.name} 的结业证书` })).toBeVisible()
    await expect(other.getByRole('link', { name: '去看看这门课' })).toBeVisible()
    await visitor.close()
  })
})

test('an editor reorders lessons by dragging, and by ↑ without script; edits a lesson; sees the figures and the schedule', async ({ page }) => {
  await logInWithPassword(page, DEMO.admin)
  await expectSignedInAs(page, DEMO.admin.name)
  await page.goto('/admin/courses')
  await page.getByRole('link').filter({ hasText: '商业模式的底层逻辑' }).click()
  await expect(page.getByRole('heading', { level: 2, name: '发布计划' })).toBeVisible()
  await expect(page.getByText('完成率')).toBeVisible()
  const titles = () => page.locator('ol ol > li').locator('span.block.font-medium').allInnerTexts()
  const first = (await titles())[0]!
  const second = (await titles())[1]!

  await test.step('drags the second lesson above the first by its grip', async () => {
    const grips = page.locator('ol ol > li span[title^="拖动调整"]')
    const saved = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes('/admin/courses/'))
    await grips.nth(1).dragTo(page.locator('ol ol > li').first())
    await saved
    await page.reload()
    expect((await titles()).slice(0, 2)).toEqual([second, first])
  })

  await test.step('the ↑ button puts it back (the way without script)', async () => {
    await page.getByRole('button', { name: `上移：${first}` }).click()
    await expect.poll(async () => (await titles()).slice(0, 2)).toEqual([first, second])
  })

  await test.step('edits the first lesson’s title', async () => {
    const row = page.locator('ol ol > li').first()
    await row.getByText('编辑', { exact: true }).click()
    await row.getByLabel('课时标题').fill(`${first}（修订）`)
    await row.getByRole('button', { name: '保存课时' }).click()
    await expect(flashMessage(page)).toContainText(`课时「${first}（修订）」已保存`)
  })

  if (SHOTS) {
    for (const [width, height] of [[375, 812], [1280, 900]] as const) {
      await page.setViewportSize({ width, height })
      await page.screenshot({ path: `${SHOTS}/admin-course-editor-${width}.png`, fullPage: true })
    }
  }
})
