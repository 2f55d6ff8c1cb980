// 又一课 (issue 17, decision 044): a visitor who presses 购买 is asked to sign in first; a plain
// signed-up reader buys the ¥99 course with the test provider, lands on the course, which now
// opens, and hears a lesson that was locked; the order is on /orders and the card says 已购买.
import { expect, test } from '@playwright/test'
import { SITE_URL, flash, newAccount, signUp } from './support'

const COURSE = { slug: 'song-daily-life', title: '宋朝人的日常生活', price: '¥99' }
const LOCKED = { slug: 'tea', title: '点茶与斗茶' }

test('a plain reader buys the ¥99 course with the test provider and a paid lesson opens', async ({ page }) => {
  const reader = newAccount('学员')
  const coursePath = `/courses/${COURSE.slug}`
  const lessonPath = `${coursePath}/${LOCKED.slug}`
  let orderId = 0

  await test.step('a visitor’s 购买 asks them to sign in first, to come back to the purchase', async () => {
    await page.goto(coursePath)
    await page.getByRole('link', { name: '购买', exact: true }).click()
    await expect(page).toHaveURL(new RegExp(`^${SITE_URL}/login\\?`))
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe(`${coursePath}#purchase`)
    await expect(page.getByText('登录后继续购买')).toBeVisible()
  })

  await test.step('signed up, the reader finds the lesson locked and 购买 beside the price', async () => {
    await signUp(page, reader)
    await page.goto(lessonPath)
    await expect(page.getByText('这门课需要购买后学习，可先听试听课。')).toBeVisible()
    expect((await page.request.get(`${lessonPath}/media`)).status()).toBe(403)
    await page.goto(coursePath)
    await expect(page.getByText(`单独购买：${COURSE.price}`)).toBeVisible()
  })

  await test.step('购买 → /pay/:id: the course for ¥99, nothing to ship', async () => {
    await page.getByRole('button', { name: '购买', exact: true }).click()
    await expect(page).toHaveURL(new RegExp(`^${SITE_URL}/pay/\\d+$`))
    orderId = Number(new URL(page.url()).pathname.split('/').at(-1))
    await expect(page.getByText(COURSE.title)).toBeVisible()
    await expect(page.getByRole('main')).toContainText(COURSE.price)
  })

  await test.step('模拟支付成功 → the course, which now opens', async () => {
    await page.getByRole('button', { name: '模拟支付成功' }).click()
    await expect(page).toHaveURL(`${SITE_URL}${coursePath}`)
    await expect(flash(page)).toContainText('支付成功，感谢支持！')
    await expect(page.getByText('你已购买这门课，全部课程已为你开放。')).toBeVisible()
    await expect(page.getByText('未解锁')).toHaveCount(0)
  })

  await test.step('the lesson that was locked plays, with its 文稿', async () => {
    await page.getByRole('link').filter({ hasText: LOCKED.title }).click()
    await expect(page).toHaveURL(`${SITE_URL}${lessonPath}`)
    await expect(page.getByRole('heading', { level: 1, name: LOCKED.title })).toBeVisible()
    await expect(page.getByRole('heading', { level: 2, name: '文稿' })).toBeVisible()
    await page.getByRole('button', { name: '播放', exact: true }).click()
    await expect.poll(() => page.locator('audio').evaluate((audio: HTMLAudioElement) => audio.currentTime), { timeout: 15_000 }).toBeGreaterThan(1)
    expect((await page.request.get(`${lessonPath}/media`)).status()).toBe(200)
  })

  await test.step('/courses says 已购买 on its card; /orders lists the order, whose page leads to the course; buying again is refused', async () => {
    await page.goto('/courses')
    await expect(page.getByRole('link').filter({ hasText: COURSE.title })).toContainText('已购买')
    await page.goto('/orders')
    await expect(page.locator(`a[href="/orders/${orderId}"]`)).toContainText(COURSE.title)
    await page.goto(`/orders/${orderId}`)
    await expect(page.getByText('已付款，这门课已为你开放。')).toBeVisible()
    await page.getByRole('link', { name: '去学习' }).click()
    await expect(page).toHaveURL(`${SITE_URL}${coursePath}`)
    const again = await page.request.post(coursePath, { form: { intent: 'buy' }, headers: { Origin: SITE_URL } })
    expect(again.status()).toBe(409)
  })
})
