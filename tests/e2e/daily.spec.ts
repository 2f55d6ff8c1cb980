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

test('an editor uploads audio and schedules a 亲情会员 daily; a member reads and hears it, a visitor sees only the teaser, the keyword leads to it', async ({
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
    await page.getByLabel('谁可以收听和阅读全文').selectOption({ label: '亲情会员' })
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
  await test.step('the scheduler publishes it; a member (亲情会员) reads the whole daily', async () => {
    await logInWithPassword(memberPage, DEMO.qinqing)
    await expectSignedInAs(memberPage, DEMO.qinqing.name)
    // The scheduler publishes due dailies every 15 s; until then the page is a 404 for readers.
    await expect
      .poll(async () => (await memberPage.request.get(`/daily/${date}`)).status(), { timeout: 60_000, intervals: [1_000] })
      .toBe(200)

    const audioResponse = memberPage.waitForResponse((r) => r.url().includes('/media/') && r.request().method() === 'GET')
    await memberPage.goto(`/daily/${date}`)
    await expect(memberPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(memberPage.locator('article')).toContainText(sentence)
    await expect(memberPage.locator('article')).toContainText(`今日关键词「${word}」`)
    await expect(memberPage.getByText('亲情会员专享')).toBeVisible()
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
  await test.step('a visitor sees the title and teaser with the reason, never the body or the audio', async () => {
    const response = await visitorPage.goto(`/daily/${date}`)
    expect(response?.status()).toBe(200)
    await expectSignedOut(visitorPage)
    await expect(visitorPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(visitorPage.getByText(teaser)).toBeVisible()
    await expect(visitorPage.getByText('本文仅对亲情会员开放，登录后查看你的会员权益')).toBeVisible()
    await expect(visitorPage.locator('article').getByRole('link', { name: '登录', exact: true })).toHaveAttribute(
      'href',
      `/login?redirectTo=${encodeURIComponent(`/daily/${date}`)}`,
    )
    await expect(visitorPage.locator('body')).not.toContainText(sentence)
    await expect(visitorPage.locator('body')).not.toContainText('今日关键词')
    await expect(visitorPage.locator('audio')).toHaveCount(0)
    // Nor does the page's data (the Remix context in the HTML) carry the body or the keyword.
    const html = await visitorPage.content()
    expect(html).not.toContain(sentence)
    expect(html).not.toContain(audioUrl)
    // The audio itself is gated like the daily.
    expect((await visitorPage.request.get(audioUrl, { headers: { Range: 'bytes=0-1023' } })).status()).toBe(403)
  })

  await test.step('the keyword box on / leads to the article, whatever the case or width', async () => {
    await memberPage.goto('/')
    const box = memberPage.getByRole('search')
    await box.getByLabel('回复关键词，获取文章').fill(`  ${fullWidth(word.toUpperCase())} `)
    await box.getByRole('button', { name: '获取文章' }).click()
    await expect(memberPage).toHaveURL(`${SITE_URL}/daily/${date}`)
    await expect(memberPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(memberPage.locator('article')).toContainText(sentence)
  })

  await test.step('an unknown keyword shows 「没有找到这个关键词」', async () => {
    await memberPage.goto('/')
    const unknown = `nix${randomLetters(8)}`
    const box = memberPage.getByRole('search')
    await box.getByLabel('回复关键词，获取文章').fill(unknown)
    await box.getByRole('button', { name: '获取文章' }).click()
    await expect(memberPage).toHaveURL(new RegExp(`/keyword\\?q=${unknown}$`))
    await expect(memberPage.getByRole('heading', { name: '没有找到这个关键词' })).toBeVisible()
    await expect(memberPage.getByText(`没有与「${unknown}」对应的文章`)).toBeVisible()
    // Opened directly, the same address answers 404.
    expect((await memberPage.request.get(`/keyword?q=${unknown}`)).status()).toBe(404)
  })

  await member.close()
  await visitor.close()
})

test("the home page shows today's public demo daily with its player and keyword box", async ({ page }) => {
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
  await expect(card).toContainText(`今日关键词「${TODAY_DEMO.keyword}」`)
  await expect(card.locator('figcaption')).toContainText('收听语音')
  // The daily's player drives the site's one <audio> (in the root layout, so it plays on across pages).
  await expect(card.getByRole('button', { name: '播放', exact: true })).toBeVisible()
  await expect(page.locator('audio')).toHaveCount(1)
  expect((await audioResponse).status()).toBe(206)
  await expect.poll(() => audioReadyState(page)).toBeGreaterThanOrEqual(1)
  await expect(page.getByRole('search').getByLabel('回复关键词，获取文章')).toBeVisible()
})
