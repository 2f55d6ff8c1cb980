// The share card inside WeChat's browser, in WeChat test mode (no keys): every page signs itself
// with the server (the same SHA-1 as with a real jsapi ticket), configures `wx` — the site's
// simulated JS-SDK — and hands it the page's og card with the reader's referral link. On iOS the
// signature is for the URL the reader came in by, on Android for the current one.
import { createHash } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { DEMO, expectSignedInAs, logInWithPassword, queryServerDatabase } from './support'

const ANDROID_WECHAT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) NetType/WIFI Language/zh_CN'
const IOS_WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'
/** The test mode's jsapi ticket (app/utils/share-meta.ts). */
const TEST_TICKET = 'zhiyin-test-mode-jsapi-ticket'

interface SdkCall {
  name: string
  data: { appId?: string; timestamp?: number; nonceStr?: string; signature?: string; title?: string; desc?: string; link?: string; imgUrl?: string }
}

/** What the page has handed to `wx` so far. */
function sdkCalls(page: Page) {
  return page.evaluate(() => (window as unknown as { __wechatSdkCalls?: SdkCall[] }).__wechatSdkCalls ?? [])
}

/** Waits until the page has set its share card `count` times, and gives the latest config and cards. */
async function sharedCard(page: Page, count = 1) {
  await expect.poll(async () => (await sdkCalls(page)).filter((call) => call.name === 'updateTimelineShareData').length).toBe(count)
  const calls = await sdkCalls(page)
  const configs = calls.filter((call) => call.name === 'config')
  const friends = calls.filter((call) => call.name === 'updateAppMessageShareData')
  const moments = calls.filter((call) => call.name === 'updateTimelineShareData')
  return { config: configs.at(-1)!.data, friends: friends.at(-1)!.data, moments: moments.at(-1)!.data }
}

function expectSignedFor(config: SdkCall['data'], url: string) {
  const plain = `jsapi_ticket=${TEST_TICKET}&noncestr=${config.nonceStr}&timestamp=${config.timestamp}&url=${url}`
  expect(config.signature, `signature for ${url}`).toBe(createHash('sha1').update(plain).digest('hex'))
}

const ogOf = (page: Page, property: string) => page.locator(`meta[property="${property}"]`).getAttribute('content')

test.describe('in WeChat on Android', () => {
  test.use({ userAgent: ANDROID_WECHAT, viewport: { width: 375, height: 812 } })

  test('a signed-in reader’s daily and shop pages set their share cards with the reader’s referral link, signed for the page', async ({ page }) => {
    await logInWithPassword(page, DEMO.qinqing)
    await expectSignedInAs(page, DEMO.qinqing.name)
    await page.goto('/')
    const first = await sharedCard(page)
    expectSignedFor(first.config, page.url().split('#')[0]!)
    expect(first.config.appId).toBe('test')

    const [code] = await queryServerDatabase('SELECT code FROM referral_codes WHERE user_id = (SELECT id FROM users WHERE email = ?)', [DEMO.qinqing.email])
    const refCode = String(code?.code)
    const title = await ogOf(page, 'og:title')
    expect(first.friends).toMatchObject({ title, desc: await ogOf(page, 'og:description'), imgUrl: await ogOf(page, 'og:image') })
    expect(new URL(first.friends.link!).searchParams.get('ref')).toBe(refCode)
    expect(first.moments).toMatchObject({ title, link: first.friends.link })

    // A navigation inside the app (no reload) signs the new page and sets its own card.
    await page.getByRole('link', { name: '商城', exact: true }).filter({ visible: true }).first().click()
    await expect(page).toHaveURL(/\/shop$/)
    const second = await sharedCard(page, 2)
    expectSignedFor(second.config, page.url())
    expect(second.friends.title).toBe(await ogOf(page, 'og:title'))
    expect(second.friends.title).not.toBe(title)
    expect(new URL(second.friends.link!).pathname).toBe('/shop')
  })
})

test.describe('in WeChat on iOS', () => {
  test.use({ userAgent: IOS_WECHAT, viewport: { width: 375, height: 812 } })

  test('a visitor’s pages are signed for the URL they came in by, and share without a referral code', async ({ page }) => {
    await page.goto('/membership')
    const landing = page.url().split('#')[0]!
    const first = await sharedCard(page)
    expectSignedFor(first.config, landing)
    expect(new URL(first.friends.link!).searchParams.has('ref')).toBe(false)

    await page.getByRole('link', { name: '商城', exact: true }).filter({ visible: true }).first().click()
    await expect(page).toHaveURL(/\/shop$/)
    const second = await sharedCard(page, 2)
    expectSignedFor(second.config, landing)
    expect(new URL(second.friends.link!).pathname).toBe('/shop')
  })
})
