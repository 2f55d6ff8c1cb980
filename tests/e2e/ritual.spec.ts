// The daily ritual as a new reader meets it (issue 12): the free voice plays on across the site,
// the page never prints the keyword, the keyword heard in the voice opens the article with the
// day's 打卡, a wrong one is answered in place, and a 铁杆 day says why and where to go.
import { expect, test, type Page } from '@playwright/test'
import { DEMO, DEMO_EDITOR, SITE_URL, expectSignedInAs, logInWithPassword, siteDate } from './support'

/** Today's demo daily (content/dailies/07-feynman.md: day 0, public) and a 铁杆 one (day -6). */
const TODAY = { title: '费曼学习法：讲给外行听', keyword: '费曼', sentence: '用一个十二岁的孩子能听懂的话' }
const TIEGAN = { date: siteDate(-6), keyword: '追问', sentence: '对同一个问题连续追问几次' }

const currentTime = (page: Page) => page.locator('audio').evaluate((audio: HTMLAudioElement) => audio.currentTime)
const isPaused = (page: Page) => page.locator('audio').evaluate((audio: HTMLAudioElement) => audio.paused)

test('a visitor hears today’s voice across pages, replies with its keyword and gets the article with 打卡成功 · 连续 1 天', async ({ page }) => {
  const card = page.locator('article').filter({ has: page.getByRole('heading', { name: TODAY.title }) })

  await test.step('the home page: the voice, the title and the teaser — no keyword, no article', async () => {
    await page.goto('/')
    await expect(card.getByRole('button', { name: '播放', exact: true })).toBeVisible()
    await expect(card).not.toContainText(TODAY.sentence)
    await expect(card.getByText(`「${TODAY.keyword}」`)).toHaveCount(0)
    // Only the folded 文字版 says it, as the voice does.
    await expect(card.getByText('今天的关键词是：费曼。')).toBeHidden()
  })

  let heard = 0
  await test.step('plays the voice, browses the shop (mini player), and comes back to a voice that went on', async () => {
    await card.getByRole('button', { name: '播放', exact: true }).click()
    await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(1)
    await page.getByRole('banner').getByRole('link', { name: '商城', exact: true }).click()
    await expect(page).toHaveURL(`${SITE_URL}/shop`)
    await expect(page.getByRole('region', { name: '正在收听' })).toContainText(TODAY.title)
    heard = await currentTime(page)
    await expect.poll(() => currentTime(page)).toBeGreaterThan(heard + 0.5)
    await page.getByRole('banner').getByRole('link', { name: '知音' }).click()
    await expect(page).toHaveURL(`${SITE_URL}/`)
    await expect(card.getByRole('button', { name: '暂停', exact: true })).toBeVisible()
    expect(await currentTime(page)).toBeGreaterThan(heard)
  })

  await test.step('a wrong keyword is answered in place, with the attempt kept', async () => {
    const box = card.getByLabel('回复关键词，获取文章')
    await box.fill('牛顿')
    await card.getByRole('button', { name: '获取文章' }).click()
    await expect(card.getByRole('alert')).toHaveText('「牛顿」不是关键词。关键词在语音的结尾，再听一遍试试？')
    await expect(box).toHaveValue('牛顿')
    await expect(page).toHaveURL(`${SITE_URL}/`)
  })

  await test.step('the keyword, typed with a mark after it, opens the article with the 打卡 — and the voice plays on', async () => {
    const before = await currentTime(page)
    await card.getByLabel('回复关键词，获取文章').fill('费曼！')
    await card.getByRole('button', { name: '获取文章' }).click()
    await expect(card).toContainText(TODAY.sentence)
    await expect(card.getByRole('region', { name: '关键词打卡' })).toContainText('打卡成功 · 连续 1 天')
    await expect(card.getByRole('region', { name: '关键词打卡' })).toContainText('最长连续 1 天 · 累计 1 天')
    await expect(page).toHaveURL(`${SITE_URL}/`)
    expect(await isPaused(page)).toBe(false)
    expect(await currentTime(page)).toBeGreaterThan(before)
    // Remembered: the article is there on the next visit too.
    await page.reload()
    await expect(card).toContainText(TODAY.sentence)
  })

  await test.step('on a 铁杆 day the right keyword gives the reason and the way to /membership', async () => {
    await page.goto(`/daily/${TIEGAN.date}`)
    await page.getByLabel('回复关键词，获取文章').fill(TIEGAN.keyword)
    await page.getByRole('button', { name: '获取文章' }).click()
    await expect(page.getByText('关键词正确。本文仅对铁杆会员开放，登录后查看你的会员权益')).toBeVisible()
    await expect(page.locator('article').getByRole('link', { name: '了解会员' })).toHaveAttribute('href', '/membership')
    await expect(page.locator('article')).not.toContainText(TIEGAN.sentence)
  })
})

test('a member leaves a 留言 under today’s daily; the editor features it with a reply; a visitor sees it', async ({ browser }, testInfo) => {
  const words = `第 ${testInfo.repeatEachIndex}-${testInfo.retry}-${Date.now()} 条：讲给外行听，我先讲给了我妈。`
  const date = siteDate(0)

  const member = await browser.newContext()
  const memberPage = await member.newPage()
  await test.step('the member gives the keyword and leaves a 留言, shown only to them until featured', async () => {
    await logInWithPassword(memberPage, DEMO.qinqing)
    await expectSignedInAs(memberPage, DEMO.qinqing.name)
    await memberPage.goto(`/daily/${date}`)
    const box = memberPage.getByLabel('回复关键词，获取文章')
    // An earlier run may have opened it already.
    if (await box.isVisible()) {
      await box.fill(TODAY.keyword)
      await memberPage.getByRole('button', { name: '获取文章' }).click()
    }
    await expect(memberPage.locator('article')).toContainText(TODAY.sentence)
    await memberPage.getByLabel('写留言').fill(words)
    await memberPage.getByRole('button', { name: '发表留言' }).click()
    const mine = memberPage.locator('li').filter({ hasText: words })
    await expect(mine).toBeVisible()
    await expect(mine).toContainText('仅自己可见，精选后公开')
  })

  const visitor = await browser.newContext()
  const visitorPage = await visitor.newPage()
  await test.step('a visitor does not see it yet', async () => {
    await visitorPage.goto(`/daily/${date}`)
    await expect(visitorPage.getByRole('heading', { name: TODAY.title })).toBeVisible()
    await expect(visitorPage.getByText(words)).toHaveCount(0)
  })

  const editor = await browser.newContext()
  const editorPage = await editor.newPage()
  await test.step('the editor sees it as new in /admin/posts, features it and replies', async () => {
    await logInWithPassword(editorPage, DEMO_EDITOR)
    await expectSignedInAs(editorPage, DEMO_EDITOR.name)
    await editorPage.goto('/admin/posts')
    await editorPage.getByRole('link', { name: new RegExp(`^管理 ${date} 的留言：\\d+ 条新留言$`) }).click()
    const item = editorPage.locator('li').filter({ hasText: words })
    await item.getByRole('button', { name: '精选', exact: true }).click()
    // Featured, it moves to the 精选 list (a new element): wait for it there before replying.
    const featured = editorPage.locator('li').filter({ hasText: words })
    await expect(featured.getByRole('button', { name: '取消精选' })).toBeVisible()
    await featured.getByText('写编辑回复').click()
    await featured.getByLabel('编辑回复（最多 500 字）').fill('谢谢分享，讲给家人听是最好的练习。')
    await featured.getByRole('button', { name: '保存回复' }).click()
    await expect(editorPage.locator('li').filter({ hasText: words })).toContainText('谢谢分享，讲给家人听是最好的练习。')
  })

  await test.step('the visitor now sees it among the 精选留言, with the editor’s reply', async () => {
    await visitorPage.reload()
    const shown = visitorPage.locator('#comments li').filter({ hasText: words })
    await expect(shown).toBeVisible()
    await expect(shown).toContainText('谢谢分享，讲给家人听是最好的练习。')
    await expect(shown).not.toContainText('仅自己可见')
  })

  await member.close()
  await visitor.close()
  await editor.close()
})
