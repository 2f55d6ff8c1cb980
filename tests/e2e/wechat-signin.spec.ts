// Sign in with WeChat in WeChat's own browser, in the test mode (no keys): 微信一键登录 leads to
// the simulated consent page, makes an account from the nickname, and /account shows it linked.
import { createHash, randomBytes } from 'node:crypto'
import { expect, test, type APIRequestContext } from '@playwright/test'
import jsQR from 'jsqr'
import sharp from 'sharp'
import { DEMO, expectSignedInAs, logInWithPassword, queryServerDatabase, required, siteDate } from './support'

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'

const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

test.use({ userAgent: WECHAT_UA, viewport: { width: 375, height: 812 } })

test('微信一键登录 (test mode) makes an account, and /account shows 已绑定', async ({ page }) => {
  const nickname = `微信读者${Date.now().toString(36).slice(-5)}`
  await page.goto('/login?redirectTo=%2Faccount')
  await expect(page.getByRole('note').filter({ hasText: '微信测试模式' })).toBeVisible()
  await page.getByRole('link', { name: '微信一键登录（测试模式）' }).click()

  await expect(page.getByRole('heading', { name: '模拟微信授权（测试模式）' })).toBeVisible()
  await page.getByLabel('模拟的微信昵称').fill(nickname)
  await page.getByRole('button', { name: '同意授权' }).click()

  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByText(`已用微信登录：${nickname}`)).toBeVisible()
  await expect(page.getByTestId('wechat-status')).toHaveText(`微信：已绑定（${nickname}）`)
  await expect(page.getByRole('button', { name: '解除绑定' })).toBeVisible()
})

/** A text message from a follower to the Official Account, signed as WeChat signs its calls. */
async function sendToOfficialAccount(request: APIRequestContext, { openid, content }: { openid: string; content: string }) {
  const token = required('E2E_WECHAT_TOKEN')
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(8).toString('hex')
  const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
  const xml = `<xml><ToUserName><![CDATA[gh_zhiyin0000001]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${Date.now()}</MsgId></xml>`
  const response = await request.post(`/wechat?${new URLSearchParams({ signature, timestamp, nonce })}`, {
    data: xml,
    headers: { 'Content-Type': 'text/xml' },
  })
  expect(response.status()).toBe(200)
  return response.text()
}

test('a 铁杆 member links WeChat on /account; the keyword sent to the Official Account returns a link that opens the 铁杆 daily signed in, once', async ({
  page,
  browser,
}) => {
  const nickname = `铁杆微信${Date.now().toString(36).slice(-5)}`
  const tiegan = { date: siteDate(-6), keyword: '追问', sentence: '对同一个问题连续追问几次' }

  await test.step('the member signs in with the password and links WeChat (test mode)', async () => {
    await logInWithPassword(page, DEMO.tiegan)
    await expectSignedInAs(page, DEMO.tiegan.name)
    await page.goto('/account')
    await page.getByRole('link', { name: '绑定微信（测试模式）' }).click()
    await expect(page.getByRole('heading', { name: '模拟微信授权（测试模式）' })).toBeVisible()
    await page.getByLabel('模拟的微信昵称').fill(nickname)
    await page.getByRole('button', { name: '同意授权' }).click()
    await expect(page.getByTestId('wechat-status')).toHaveText(`微信：已绑定（${nickname}）`)
  })

  const [identity] = await queryServerDatabase('SELECT openid FROM wechat_identities WHERE nickname = ?', [nickname])
  const openid = String(identity!.openid)
  let link = ''
  await test.step('the keyword of a 铁杆 daily sent from that WeChat gets a news reply with a sign-in link', async () => {
    const reply = await sendToOfficialAccount(page.request, { openid, content: tiegan.keyword })
    expect(reply).toContain('<MsgType><![CDATA[news]]></MsgType>')
    link = /<Url><!\[CDATA\[([^\]]+)\]\]><\/Url>/.exec(reply)?.[1] ?? ''
    expect(link).toMatch(/\/auth\/wechat\/link\/[A-Za-z0-9_-]+$/)
  })

  await test.step('opened in WeChat’s browser (signed out), the link signs the member in and opens the article', async () => {
    const wechat = await browser.newContext({ userAgent: WECHAT_UA, viewport: { width: 375, height: 812 } })
    const chat = await wechat.newPage()
    await chat.goto(link)
    await expect(chat).toHaveURL(new RegExp(`/daily/${tiegan.date}$`))
    await expectSignedInAs(chat, DEMO.tiegan.name)
    await expect(chat.locator('article')).toContainText(tiegan.sentence)
    // Single use: the same link again is gone.
    expect((await chat.request.get(link, { maxRedirects: 0 })).status()).toBe(410)
    await wechat.close()
  })
})

test('微信扫码登录 on a desktop through the Official Account (test mode): the phone signs in with WeChat and confirms; the desktop signs in by itself', async ({
  browser,
}) => {
  const nickname = `扫码读者${Date.now().toString(36).slice(-5)}`
  const desktop = await browser.newContext({ userAgent: DESKTOP_CHROME, viewport: { width: 1280, height: 800 } })
  const screen = await desktop.newPage()
  await screen.goto('/login?redirectTo=%2Faccount')
  await screen.getByRole('link', { name: '用手机微信扫码登录（测试模式）' }).click()
  await expect(screen.getByRole('heading', { name: '微信扫码登录' })).toBeVisible()
  const qr = screen.getByRole('img', { name: '微信扫码登录的二维码' })
  await expect(qr).toBeVisible()

  // The phone reads the code off the screen, as a camera would.
  const { data, info } = await sharp(await qr.screenshot()).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const scanned = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)
  expect(scanned, 'a readable QR code on the page').not.toBeNull()
  expect(scanned!.data).toMatch(/\/auth\/wechat\/scan\?t=[0-9a-f]{32}&e=\d+&s=[\w-]{22}$/)

  const phone = await browser.newContext({ userAgent: WECHAT_UA, viewport: { width: 375, height: 812 } })
  const wechat = await phone.newPage()
  await wechat.goto(scanned!.data)
  await expect(wechat.getByRole('heading', { name: '模拟微信授权（测试模式）' })).toBeVisible()
  await wechat.getByLabel('模拟的微信昵称').fill(nickname)
  await wechat.getByRole('button', { name: '同意授权' }).click()
  await expect(wechat.getByRole('heading', { name: '在电脑上登录知音' })).toBeVisible()
  await expect(wechat.getByText(`你正在用账户「${nickname}」登录电脑上的知音。`)).toBeVisible()
  await wechat.getByRole('button', { name: '确认登录' }).click()
  await expect(wechat.getByRole('main').getByText('已确认，电脑上即将登录。你可以关闭此页。')).toBeVisible()

  // No click on the desktop: the page notices the confirmation and signs in.
  await expect(screen).toHaveURL(/\/account$/)
  await expectSignedInAs(screen, nickname)
  // The code was taken: confirming it again from the phone is refused.
  await wechat.reload()
  await expect(wechat.getByRole('main').getByText('这个二维码已经确认过了。')).toBeVisible()
  await desktop.close()
  await phone.close()
})
