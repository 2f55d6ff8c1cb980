// The daily-voice player: one shared <audio> in the root layout keeps playing while the reader
// moves around the site (client-side navigation), a mini player docks on other pages, and the
// position of each daily is remembered across a reload.
import { expect, test, type Page } from '@playwright/test'
import { SITE_URL, siteDate } from './support'

/** Today's demo daily (content/dailies/07-feynman.md: day 0, public, with audio). */
const TODAY_DEMO = { title: '费曼学习法：讲给外行听' }

/** The one <audio> element of the page (the root layout's, once the page is hydrated). */
function audioProperty<K extends 'currentTime' | 'playbackRate' | 'paused'>(page: Page, name: K) {
  return page.locator('audio').evaluate((audio: HTMLAudioElement, key) => audio[key], name)
}

/** The full player of a daily: the figure with the 播放进度 scrubber. */
function fullPlayer(page: Page) {
  return page.locator('figure').filter({ has: page.getByRole('slider', { name: '播放进度' }) })
}

function miniPlayer(page: Page) {
  return page.getByRole('region', { name: '正在收听' })
}

/** What the browser's Media Session says is playing. */
function mediaSession(page: Page) {
  return page.evaluate(() => {
    const metadata = navigator.mediaSession.metadata
    return metadata && { title: metadata.title, artist: metadata.artist, album: metadata.album, artwork: metadata.artwork[0]?.src }
  })
}

async function scrubberSeconds(page: Page) {
  return Number(await fullPlayer(page).getByRole('slider', { name: '播放进度' }).inputValue())
}

test('the voice plays on while the reader browses the shop, docked at the bottom, and the daily page takes it back', async ({ page }) => {
  const date = siteDate(0)
  await page.goto('/')
  const card = page.locator('article').filter({ has: page.getByRole('heading', { level: 2, name: TODAY_DEMO.title }) })
  let heard = 0

  await test.step('a visitor presses 播放 on the home page daily', async () => {
    // The custom controls replace the native <audio controls> once the page is hydrated.
    const play = card.getByRole('button', { name: '播放', exact: true })
    await expect(play).toBeVisible()
    await expect(card.locator('audio')).toHaveCount(0)
    await play.click()
    await expect(card.getByRole('button', { name: '暂停', exact: true })).toBeVisible()
    await expect.poll(() => audioProperty(page, 'currentTime'), { timeout: 15_000 }).toBeGreaterThan(1)
    await expect(card.getByRole('slider', { name: '播放进度' })).toHaveAttribute('aria-valuetext', /^0:0[1-9] \/ 0:\d\d$/)
    // Lock screens and headphones see what plays (the demo daily has no cover: the site icon).
    expect(await mediaSession(page)).toEqual({ title: TODAY_DEMO.title, artist: '知音', album: '每日语音', artwork: `${SITE_URL}/favicon.svg` })
  })

  await test.step('moves to 商城 by the header link: the mini player shows the daily and the voice keeps playing', async () => {
    await page.getByRole('banner').getByRole('link', { name: '商城', exact: true }).click()
    await expect(page).toHaveURL(`${SITE_URL}/shop`)
    const mini = miniPlayer(page)
    await expect(mini).toBeVisible()
    await expect(mini).toContainText(TODAY_DEMO.title)
    await expect(mini.getByRole('button', { name: '暂停', exact: true })).toBeVisible()
    await expect(fullPlayer(page)).toHaveCount(0)
    heard = await audioProperty(page, 'currentTime')
    await expect.poll(() => audioProperty(page, 'currentTime')).toBeGreaterThan(heard + 0.5)
    expect(await audioProperty(page, 'paused')).toBe(false)

    // Scrolled to the very end, the page's last line (the footer) is above the docked player.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    const footer = await page.getByRole('contentinfo').boundingBox()
    const docked = await mini.boundingBox()
    expect(footer && docked && footer.y + footer.height).toBeLessThanOrEqual(docked!.y + 1)
  })

  await test.step("the mini player's link leads back to the daily, where the full player carries on", async () => {
    await miniPlayer(page).getByRole('link', { name: `回到「${TODAY_DEMO.title}」` }).click()
    await expect(page).toHaveURL(`${SITE_URL}/daily/${date}`)
    await expect(page.getByRole('heading', { level: 1, name: TODAY_DEMO.title })).toBeVisible()
    await expect(miniPlayer(page)).toHaveCount(0)
    await expect(fullPlayer(page).getByRole('button', { name: '暂停', exact: true })).toBeVisible()
    await expect.poll(() => scrubberSeconds(page)).toBeGreaterThanOrEqual(Math.floor(heard))
  })

  await test.step('1.5 倍速 speeds the voice up', async () => {
    const speeds = fullPlayer(page).getByRole('group', { name: '播放速度' })
    await expect(speeds.getByRole('button', { name: '1 倍速' })).toHaveAttribute('aria-pressed', 'true')
    await speeds.getByRole('button', { name: '1.5 倍速' }).click()
    await expect(speeds.getByRole('button', { name: '1.5 倍速' })).toHaveAttribute('aria-pressed', 'true')
    await expect(speeds.getByRole('button', { name: '1 倍速' })).toHaveAttribute('aria-pressed', 'false')
    expect(await audioProperty(page, 'playbackRate')).toBe(1.5)
  })

  await test.step('后退 15 秒 goes back (to the start, this early in the voice)', async () => {
    await expect.poll(() => audioProperty(page, 'currentTime')).toBeGreaterThan(4)
    const before = await audioProperty(page, 'currentTime')
    await fullPlayer(page).getByRole('button', { name: '后退 15 秒' }).click()
    await expect.poll(() => audioProperty(page, 'currentTime')).toBeLessThan(before - 3)
    // Still the chosen speed after seeking.
    expect(await audioProperty(page, 'playbackRate')).toBe(1.5)
  })
})

test('after a reload the daily resumes where the reader paused, and the scrubber moves by keyboard', async ({ page }) => {
  const date = siteDate(0)
  await page.goto(`/daily/${date}`)
  const player = fullPlayer(page)
  await player.getByRole('button', { name: '播放', exact: true }).click()
  await expect.poll(() => audioProperty(page, 'currentTime'), { timeout: 15_000 }).toBeGreaterThan(3)
  await player.getByRole('button', { name: '暂停', exact: true }).click()
  await expect(player.getByRole('button', { name: '播放', exact: true })).toBeVisible()
  const paused = await audioProperty(page, 'currentTime')

  await page.reload()
  // Before anyone presses play, the scrubber already stands where the reader stopped.
  await expect(player.getByRole('button', { name: '播放', exact: true })).toBeVisible()
  await expect.poll(() => scrubberSeconds(page)).toBeGreaterThan(0)
  // The scrubber moves in whole seconds: it stands on the second the reader paused in (or the
  // next, when the pause fell at the very end of one).
  const resumed = await scrubberSeconds(page)
  expect(resumed - paused).toBeGreaterThan(-1)
  expect(resumed - paused).toBeLessThanOrEqual(1)
  await expect.poll(async () => Math.abs((await audioProperty(page, 'currentTime')) - paused)).toBeLessThanOrEqual(1)

  // The scrubber is a real range input: → moves one second.
  const scrubber = player.getByRole('slider', { name: '播放进度' })
  await scrubber.focus()
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => scrubberSeconds(page)).toBe(resumed + 1)
  await expect.poll(() => audioProperty(page, 'currentTime')).toBeCloseTo(resumed + 1, 0)

  await player.getByRole('button', { name: '播放', exact: true }).click()
  await expect.poll(() => audioProperty(page, 'currentTime')).toBeGreaterThan(resumed + 1.5)
  expect(await audioProperty(page, 'paused')).toBe(false)
})

test("another daily's page shows its own player; pressing 播放 there takes over from the docked voice", async ({ page }) => {
  const other = { date: siteDate(-2), title: '间隔重复：和遗忘曲线做朋友' }
  await page.goto('/')
  await page.getByRole('button', { name: '播放', exact: true }).click()
  await expect.poll(() => audioProperty(page, 'currentTime'), { timeout: 15_000 }).toBeGreaterThan(1)

  await page.getByRole('banner').getByRole('link', { name: '每日', exact: true }).click()
  await page.getByRole('link', { name: new RegExp(other.title) }).click()
  await expect(page).toHaveURL(`${SITE_URL}/daily/${other.date}`)
  await expect(page.getByRole('heading', { level: 1, name: other.title })).toBeVisible()
  // This daily waits at its start; today's voice plays on in the docked player.
  const player = fullPlayer(page)
  await expect(player.getByRole('button', { name: '播放', exact: true })).toBeVisible()
  await expect(player.getByRole('slider', { name: '播放进度' })).toHaveValue('0')
  await expect(miniPlayer(page)).toContainText(TODAY_DEMO.title)
  expect(await audioProperty(page, 'paused')).toBe(false)

  await player.getByRole('button', { name: '播放', exact: true }).click()
  await expect(player.getByRole('button', { name: '暂停', exact: true })).toBeVisible()
  await expect(miniPlayer(page)).toHaveCount(0)
  await expect.poll(() => audioProperty(page, 'currentTime'), { timeout: 15_000 }).toBeGreaterThan(1)
  expect((await mediaSession(page))?.title).toBe(other.title)
  // Today's daily kept the place where the reader left it.
  const kept = await page.evaluate((key) => localStorage.getItem(key), `zhiyin:player:position:${siteDate(0)}`)
  expect(Number(kept)).toBeGreaterThan(1)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test("the daily keeps the browser's own audio controls", async ({ page }) => {
    await page.goto('/')
    const card = page.locator('article').filter({ has: page.getByRole('heading', { level: 2, name: TODAY_DEMO.title }) })
    await expect(card.locator('audio[controls]')).toHaveAttribute('src', /^\/media\//)
    await expect(card.getByRole('button', { name: '播放', exact: true })).toHaveCount(0)
  })
})
