// Sign in with WeChat in WeChat's own browser, in the test mode (no keys): 微信一键登录 leads to
// the simulated consent page, makes an account from the nickname, and /account shows it linked.
import { createHash, randomBytes } from 'node:crypto'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { DEMO, expectSignedInAs, logInWithPassword, queryServerDatabase, required, siteDate } from './support'

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'

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
