import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { DEMO, DEMO_EDITOR, SITE_URL, expectSignedInAs, expectSignedOut, flash, logInWithPassword, siteDate } from './support'

const AUDIO_FILE = fileURLToPath(new URL('../../content/dailies/audio/03-curiosity.mp3', import.meta.url))

/** Today's demo daily (content/dailies/07-feynman.md: day 0, public). */
const TODAY_DEMO = { title: '费曼学习法：讲给外行听', keyword: '费曼' }

/** ASCII → full-width forms (ａ–ｚ, Ａ–Ｚ): what a reader typing with a Chinese IME may send. */
function fullWidth(text: string) {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01))
}

function randomLetters(n: number) {
  return Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')
}

/** The `<audio>` element's readyState (0 until the browser has the file's metadata). */
function audioReadyState(page: Page) {
  return page.locator('audio').evaluate((audio: HTMLAudioElement) => audio.readyState)
}

test('an editor uploads audio and schedules a 亲情会员 daily; everyone hears it, the keyword opens it for a member, a visitor with the keyword gets the reason', async ({
  page,
  browser,
}, testInfo) => {
  // The scheduler may need up to 15 s, on top of four sign-ins and an upload.
  test.setTimeout(150_000)
  // Ten days back has no demo daily (they cover -6 … +1), so its 06:30 is already due. A repeat
  // or a retry against the same server takes an earlier day: one daily per date.
  const date = siteDate(-10 - testInfo.repeatEachIndex * 3 - testInfo.retry)
  const word = `lumen${randomLetters(8)}`
  const title = `测试每日 ${word}`
  const teaser = `导语：只有这一句对所有人可见（${word}）。`
  const sentence = `只有亲情会员才能读到的这一句：${word} 藏在正文里。`

  await test.step('the editor opens /admin/posts → 新建每日 and uploads the audio', async () => {
    await logInWithPassword(page, DEMO_EDITOR)
    await expectSignedInAs(page, DEMO_EDITOR.name)
    await page.goto('/admin/posts')
    await page.getByRole('link', { name: '新建每日' }).click()
    await expect(page.getByRole('heading', { name: '新建每日' })).toBeVisible()
    // Let the page's scripts load and hydrate before choosing the file (slow on a loaded machine).
    await page.waitForLoadState('networkidle')

    // The upload runs in React's change handler: a file set before hydration is not seen, so
    // set it again until the upload starts (uploading first also means the form is hydrated
    // before the text fields are filled).
    const audioField = page.getByLabel('语音（不超过 60 秒，10 MB 以内）')
    const uploadState = page.getByText(/上传中 \d+%|已上传，时长 \d+ 秒/)
    await expect(async () => {
      await audioField.setInputFiles(AUDIO_FILE)
      await expect(uploadState.first()).toBeVisible({ timeout: 2_000 })
    }).toPass({ timeout: 30_000 })
    await expect(page.getByText(/^已上传，时长 \d+ 秒$/)).toBeVisible({ timeout: 15_000 })
  })

  await test.step('fills the daily, 谁可以收听和阅读全文 = 亲情会员, and schedules it', async () => {
    await page.getByLabel('日期', { exact: true }).fill(date)
    await page.getByLabel('发布时间').fill('06:30')
    await page.getByLabel('标题', { exact: true }).fill(title)
    await page.getByLabel('关键词', { exact: true }).fill(word)
    await page.getByLabel('导语', { exact: true }).fill(teaser)
    await page.getByLabel('正文（Markdown）').fill(`## 小标题\n\n${sentence}\n\n- 第一点\n- 第二点\n`)
    await page.getByLabel('文字稿（语音说了什么，包括关键词）').fill(`早上好。今天的关键词是：${word}。`)
    await page.getByLabel('谁可以阅读全文').selectOption({ label: '亲情会员' })
    // The live preview renders the markdown as the editor types.
    await expect(page.getByRole('region', { name: '预览' })).toContainText(sentence)

    await page.getByRole('button', { name: '排期发布' }).click()
    await expect(page).toHaveURL(/\/admin\/posts\/\d+$/)
    await expect(page.getByRole('heading', { name: '编辑每日' })).toBeVisible()
    // The edit page asks for its preview as it opens; that post must not take the
    // confirmation away (the flash cookie is read once, by the page that arrived with it).
    await expect(page.getByRole('region', { name: '预览' })).toContainText(sentence)
    await expect(flash(page)).toContainText(`已排期：${date} 06:30 自动发布`)
  })

  const member = await browser.newContext()
  const memberPage = await member.newPage()
  let audioUrl = ''
  await test.step('the scheduler publishes it; a member (亲情会员) hears it, gives the keyword and reads the whole daily', async () => {
    await logInWithPassword(memberPage, DEMO.qinqing)
    await expectSignedInAs(memberPage, DEMO.qinqing.name)
    // The scheduler publishes due dailies every 15 s; until then the page is a 404 for readers.
    await expect
      .poll(async () => (await memberPage.request.get(`/daily/${date}`)).status(), { timeout: 60_000, intervals: [1_000] })
      .toBe(200)

    const audioResponse = memberPage.waitForResponse((r) => r.url().includes('/media/') && r.request().method() === 'GET')
    await memberPage.goto(`/daily/${date}`)
    await expect(memberPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(memberPage.getByText('亲情会员专享')).toBeVisible()
    // Before the keyword: the voice, the teaser and the box; not the body, not the keyword.
    await expect(memberPage.getByText(teaser)).toBeVisible()
    await expect(memberPage.locator('article')).not.toContainText(sentence)
    await expect(memberPage.getByText(`今天的关键词是：${word}`)).toBeHidden()
    // Typed as a Chinese IME may send it: full-width, upper case, in quotes with a mark after it.
    await memberPage.getByLabel('回复关键词，获取文章').fill(`「${fullWidth(word.toUpperCase())}」！`)
    await memberPage.getByRole('button', { name: '获取文章' }).click()
    await expect(memberPage.locator('article')).toContainText(sentence)
    await expect(flash(memberPage)).toContainText('往期的关键词不计入今天的打卡')
    // A published daily has no preview notice.
    await expect(memberPage.getByText('这是预览')).toHaveCount(0)

    const response = await audioResponse
    // Chromium asks for media with a Range header and the server answers with the part.
    expect(response.status()).toBe(206)
    expect(response.headers()['accept-ranges']).toBe('bytes')
    expect(response.headers()['content-range']).toMatch(/^bytes 0-\d+\/\d+$/)
    audioUrl = new URL(response.url()).pathname
    await expect(memberPage.locator('audio')).toHaveAttribute('src', audioUrl)
    await expect.poll(() => audioReadyState(memberPage)).toBeGreaterThanOrEqual(1)
  })

  await test.step('the audio answers byte ranges to the member (206 with Content-Range)', async () => {
    const part = await memberPage.request.get(audioUrl, { headers: { Range: 'bytes=0-1023' } })
    expect(part.status()).toBe(206)
    expect(part.headers()['content-range']).toMatch(/^bytes 0-1023\/\d+$/)
    expect(part.headers()['content-type']).toBe('audio/mpeg')
    expect((await part.body()).length).toBe(1024)
  })

  const visitor = await browser.newContext()
  const visitorPage = await visitor.newPage()
  await test.step('a visitor hears the voice; with the keyword gets the reason, never the body', async () => {
    const response = await visitorPage.goto(`/daily/${date}`)
    expect(response?.status()).toBe(200)
    await expectSignedOut(visitorPage)
    await expect(visitorPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(visitorPage.getByText(teaser)).toBeVisible()
    await expect(visitorPage.getByRole('button', { name: '播放', exact: true })).toBeVisible()
    // The 文字版, folded away, says the keyword as the voice does.
    await visitorPage.getByText('文字版').click()
    await expect(visitorPage.getByText(`早上好。今天的关键词是：${word}。`)).toBeVisible()
    await visitorPage.getByLabel('回复关键词，获取文章').fill(word)
    await visitorPage.getByRole('button', { name: '获取文章' }).click()
    await expect(visitorPage.getByText('关键词正确。本文仅对亲情会员开放，登录后查看你的会员权益')).toBeVisible()
    await expect(visitorPage.locator('article').getByRole('link', { name: '了解会员' })).toHaveAttribute('href', '/membership')
    await expect(visitorPage.locator('article').getByRole('link', { name: '登录', exact: true })).toHaveAttribute(
      'href',
      `/login?redirectTo=${encodeURIComponent(`/daily/${date}`)}`,
    )
    await expect(visitorPage.locator('body')).not.toContainText(sentence)
    // Nor does the page's data (the Remix context in the HTML) carry the body.
    expect(await visitorPage.content()).not.toContain(sentence)
    // The voice is free: its file answers a visitor too.
    expect((await visitorPage.request.get(audioUrl, { headers: { Range: 'bytes=0-1023' } })).status()).toBe(206)
  })

  await test.step('an unknown keyword on / says so in place and keeps the attempt in the box', async () => {
    await memberPage.goto('/')
    const unknown = `nix${randomLetters(8)}`
    const box = memberPage.getByLabel('回复关键词，获取文章')
    await box.fill(unknown)
    await memberPage.getByRole('button', { name: '获取文章' }).click()
    await expect(memberPage.getByRole('alert').filter({ hasText: `「${unknown}」不是关键词` })).toBeVisible()
    await expect(memberPage).toHaveURL(`${SITE_URL}/`)
    await expect(box).toHaveValue(unknown)
    // As a link, the same reply answers 404 with the box.
    expect((await memberPage.request.get(`/keyword?q=${unknown}`)).status()).toBe(404)
  })

  await member.close()
  await visitor.close()
})

test("the home page shows today's public demo daily with its player and keyword box, not its keyword", async ({ page }) => {
  const today = siteDate(0)
  // The home page also shows product photos from /media/: wait for the audio itself.
  const audioResponse = page.waitForResponse(
    (r) => r.url().includes('/media/') && r.request().method() === 'GET' && (r.headers()['content-type'] ?? '').startsWith('audio/'),
  )
  const response = await page.goto('/')
  // A visitor's copy (no cookie at all) may be kept by a CDN for a few seconds (decision 010).
  expect(response?.headers()['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+/)
  expect(response?.headers()['vary']).toContain('Cookie')
  const card = page.locator('article').filter({ has: page.getByRole('heading', { level: 2, name: TODAY_DEMO.title }) })
  await expect(card).toBeVisible()
  await expect(page.getByText('今日', { exact: true })).toBeVisible()
  await expect(card.locator('time')).toHaveAttribute('datetime', today)
  await expect(card.getByText('公开', { exact: true })).toBeVisible()
  await expect(card.getByText(TODAY_DEMO.keyword, { exact: true })).toHaveCount(0)
  await expect(card).not.toContainText('用一个十二岁的孩子能听懂的话')
  await expect(card.locator('figcaption')).toContainText('收听语音')
  // The daily's player drives the site's one <audio> (in the root layout, so it plays on across pages).
  await expect(card.getByRole('button', { name: '播放', exact: true })).toBeVisible()
  await expect(page.locator('audio')).toHaveCount(1)
  expect((await audioResponse).status()).toBe(206)
  await expect.poll(() => audioReadyState(page)).toBeGreaterThanOrEqual(1)
  await expect(card.getByLabel('回复关键词，获取文章')).toBeVisible()
})
