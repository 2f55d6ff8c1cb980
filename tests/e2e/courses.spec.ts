// 又一课 (issue 17): a visitor finds a course and hears its 试听 lesson; a 铁杆 member opens a
// lesson their tier includes, and finds it where they left it after a reload — the position kept
// by the server, not only by this browser.
import { expect, test, type Page } from '@playwright/test'
import { DEMO, expectSignedInAs, logInWithPassword, SITE_URL } from './support'

function audioProperty<K extends 'currentTime' | 'paused'>(page: Page, name: K) {
  return page.locator('audio').evaluate((audio: HTMLAudioElement, key) => audio[key], name)
}

function scrubber(page: Page) {
  return page.getByRole('slider', { name: '播放进度' })
}

test('a visitor opens /courses, a course, and hears its 试听 lesson; the locked one says why', async ({ page }) => {
  await test.step('/courses lists the courses by field with their prices', async () => {
    await page.goto('/courses')
    await expect(page.getByRole('heading', { level: 1, name: '又一课' })).toBeVisible()
    for (const field of ['商业', '历史', '科学']) await expect(page.getByRole('heading', { level: 2, name: field })).toBeVisible()
    const card = page.getByRole('link').filter({ hasText: '宋朝人的日常生活' })
    await expect(card).toContainText('¥99')
    await expect(card).toContainText('沈知白')
    await expect(page.getByRole('link').filter({ hasText: '商业模式的底层逻辑' })).toContainText('铁杆会员免费')
    await expect(page.getByRole('link').filter({ hasText: '好奇心的科学' })).toContainText('免费')
    await card.click()
  })

  await test.step('the course page shows the syllabus, the 试听 lesson and the way in', async () => {
    await expect(page).toHaveURL(`${SITE_URL}/courses/song-daily-life`)
    await expect(page.getByRole('heading', { level: 1, name: '宋朝人的日常生活' })).toBeVisible()
    await expect(page.getByText('单独购买：¥99')).toBeVisible()
    const preview = page.getByRole('link').filter({ hasText: '汴京的早晨' })
    await expect(preview).toContainText('试听')
    await expect(page.getByRole('link').filter({ hasText: '点茶与斗茶' })).toContainText('未解锁')
    await preview.click()
  })

  await test.step('the 试听 lesson plays in the daily’s player, with its 文稿', async () => {
    await expect(page).toHaveURL(`${SITE_URL}/courses/song-daily-life/morning`)
    await expect(page.getByRole('heading', { level: 2, name: '文稿' })).toBeVisible()
    await expect(page.getByText('五更天，报晓的头陀')).toBeVisible()
    await page.getByRole('button', { name: '播放', exact: true }).click()
    await expect.poll(() => audioProperty(page, 'currentTime'), { timeout: 15_000 }).toBeGreaterThan(1)
  })

  await test.step('下一讲 leads to a locked lesson: the reason and 登录, no player', async () => {
    await page.getByRole('link', { name: /下一讲/ }).first().click()
    await expect(page).toHaveURL(`${SITE_URL}/courses/song-daily-life/tea`)
    await expect(page.getByText('登录后才能学习这一讲。')).toBeVisible()
    await expect(page.getByRole('link', { name: '登录', exact: true }).last()).toHaveAttribute('href', `/login?redirectTo=${encodeURIComponent('/courses/song-daily-life/tea')}`)
    await expect(page.getByRole('heading', { level: 2, name: '文稿' })).toHaveCount(0)
    const media = await page.request.get('/courses/song-daily-life/tea/media')
    expect(media.status()).toBe(403)
  })
})

test('a 铁杆 member opens an included lesson and resumes it where they left it after a reload', async ({ page }) => {
  await logInWithPassword(page, DEMO.tiegan)
  // The sign-in's redirect lands before the next page is asked for (else it would cancel it).
  await expectSignedInAs(page, DEMO.tiegan.name)
  const lesson = '/courses/business-models/flywheel'

  await test.step('the course is theirs: no way in to show, every lesson open', async () => {
    await page.goto('/courses/business-models')
    await expect(page.getByText('本课程已为你开放')).toBeVisible()
    await expect(page.getByText('未解锁')).toHaveCount(0)
  })

  await test.step('plays the included lesson for a few seconds and pauses: the server keeps the position', async () => {
    await page.goto(lesson)
    await expect(page.getByRole('heading', { level: 1, name: '飞轮效应' })).toBeVisible()
    // Every answer to a progress report: the player reports as it plays and again on pause, and
    // a report sent before the pause may be answered after it, so none is "the" pause's answer.
    const savedPositions: number[] = []
    page.on('response', (response) => {
      if (!response.url().endsWith(`${lesson}/progress`) || response.request().method() !== 'POST' || response.status() !== 200) return
      response.json().then(
        (body: { positionSeconds: number }) => savedPositions.push(body.positionSeconds),
        () => undefined,
      )
    })
    await page.getByRole('button', { name: '播放', exact: true }).click()
    await expect.poll(() => audioProperty(page, 'currentTime'), { timeout: 20_000 }).toBeGreaterThan(4)
    await page.getByRole('button', { name: '暂停', exact: true }).click()
    await expect.poll(() => Math.max(0, ...savedPositions), { timeout: 10_000 }).toBeGreaterThanOrEqual(4)
  })

  await test.step('after a reload — with this browser’s memory cleared — the lesson resumes there', async () => {
    await page.evaluate(() => window.localStorage.clear())
    await page.reload()
    await expect(page.getByText(/上次学到 0:0[4-9]/)).toBeVisible()
    await expect.poll(async () => Number(await scrubber(page).inputValue()), { timeout: 10_000 }).toBeGreaterThanOrEqual(4)
  })

  await test.step('「标记为已学」 records the lesson as learned', async () => {
    await page.getByRole('button', { name: '标记为已学' }).click()
    await expect(page.getByText('✓ 已学完')).toBeVisible()
    await page.goto('/courses')
    await expect(page.getByRole('link').filter({ hasText: '商业模式的底层逻辑' })).toContainText('已学 1/3 讲')
  })

  await test.step('the video lesson plays from its mp4 with a poster', async () => {
    await page.goto('/courses/business-models/moat')
    const video = page.locator('video')
    await expect(video).toHaveAttribute('poster', '/courses/business-models/moat/poster')
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await video.evaluate((element: HTMLVideoElement) => Math.round(element.duration))).toBeGreaterThan(2)
  })
})
