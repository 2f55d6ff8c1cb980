// 微信扫码登录 through the Official Account, on a desktop when the Open Platform is not configured
// (decision 021): the desktop's QR code names a signed ticket; a phone signed in to the site
// confirms it once; only the desktop holding the ticket's secret takes the confirmation, once.
// Forged, altered and old codes are refused with nothing stored.
import { vi } from 'vitest'
import { afterEach, describe, expect, it } from 'vitest'
import { wechatQrLogins } from '../../db/schema'
import { countRows } from '../factories/db'
import { cookiePairOf, readData, readRedirect, requestFor, routeArgs, sessionCookieOf, thrownResponse } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'
import { interceptWechat, WECHAT_APPID } from '../mocks/wechat'

interceptWechat()
const qrPage = await import('~/routes/auth.wechat.qr')
const scanPage = await import('~/routes/auth.wechat.scan')
const start = await import('~/routes/auth.wechat._index')
const { getAuth } = await import('~/utils/auth.server')
const { t } = await import('~/i18n/zh-CN')

const q = t.wechatAuth.qr
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN'
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
const SAFARI_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

afterEach(() => {
  vi.useRealTimers()
})

/** A desktop opens the QR page: the scan path its code names and the ticket cookie it now holds. */
async function showQrCode(query = '?redirectTo=%2Faccount', cookie?: string) {
  const result = await qrPage.loader(routeArgs(requestFor(`/auth/wechat/qr${query}`, { cookie, headers: { 'User-Agent': DESKTOP_UA } })))
  const { data, headers } = readData<{ svg: string; expiresAt: Date }>(result)
  const ticketCookie = cookiePairOf(headers.getSetCookie(), 'zhiyin_wx_qr') ?? cookie ?? ''
  // The SVG is drawn from the scan URL; the route hands it to the page only as a drawing, so the
  // test rebuilds the same path from the ticket the cookie names.
  const { readQrTicket, scanPath } = await import('~/utils/wechat-qr.server')
  const ticket = (await readQrTicket(requestFor('/auth/wechat/qr', { cookie: ticketCookie })))!
  return { svg: data.svg, ticketCookie, scan: scanPath(ticket), ticket }
}

const askDesktop = (cookie: string) => qrPage.action(routeArgs(requestFor('/auth/wechat/qr', { method: 'POST', form: {}, cookie, headers: { 'User-Agent': DESKTOP_UA } })))

const openScan = (path: string, { cookie, ua = WECHAT_UA }: { cookie?: string; ua?: string } = {}) =>
  scanPage.loader(routeArgs(requestFor(path, { cookie, headers: { 'User-Agent': ua } })))

const confirmScan = (path: string, cookie: string, intent = 'confirm') =>
  scanPage.action(routeArgs(requestFor(path, { form: { intent }, cookie, headers: { 'User-Agent': WECHAT_UA } })))

describe('微信扫码登录 through the Official Account', () => {
  it('is where a desktop’s 微信登录 goes when only the Official Account is configured; WeChat’s browser keeps the one-tap way', async () => {
    const desktop = readRedirect(await start.loader(routeArgs(requestFor('/auth/wechat?redirectTo=%2Forders', { headers: { 'User-Agent': DESKTOP_UA } }))))
    expect(desktop.location).toBe('/auth/wechat/qr?redirectTo=%2Forders')
    const inWechat = readRedirect(await thrownResponse(qrPage.loader(routeArgs(requestFor('/auth/wechat/qr?redirectTo=%2Forders', { headers: { 'User-Agent': WECHAT_UA } })))))
    expect(inWechat.location).toBe('/auth/wechat?redirectTo=%2Forders')
  })

  it('shows a QR code of the site’s scan page, the same one on a reload, and stores nothing until a phone confirms', async () => {
    const first = await showQrCode()
    expect(first.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    expect(first.scan).toMatch(/^\/auth\/wechat\/scan\?t=[0-9a-f]{32}&e=\d+&s=[\w-]{22}$/)
    const rowsBefore = await countRows(wechatQrLogins)
    const again = await showQrCode('?redirectTo=%2Faccount', first.ticketCookie)
    expect(again.scan).toBe(first.scan)
    // Another destination is another code.
    expect((await showQrCode('?redirectTo=%2Fshop', first.ticketCookie)).scan).not.toBe(first.scan)
    expect(await countRows(wechatQrLogins)).toBe(rowsBefore)
  })

  it('signs the desktop in once the signed-in phone confirms — by itself, once — and takes it to where it was going', async () => {
    const { user: reader } = await createTestUser({ displayName: '扫码的读者' })
    const phone = await signedInCookie(reader.id)
    const { scan, ticketCookie } = await showQrCode()

    // Before the phone confirms, the desktop is told to wait.
    const waiting = readData<{ status: string; message: string }>(await askDesktop(ticketCookie))
    expect(waiting).toMatchObject({ status: 200, data: { status: 'waiting', message: q.notYet } })

    const page = readData<{ name: string; approved: boolean }>(await openScan(scan, { cookie: phone.cookie }))
    expect(page.data).toEqual({ name: '扫码的读者', approved: false })
    expect(readData<{ done: string }>(await confirmScan(scan, phone.cookie)).data.done).toBe('approved')

    const signedIn = readRedirect(await askDesktop(ticketCookie))
    expect(signedIn.location).toBe('/account')
    const session = sessionCookieOf(signedIn.cookies)!
    expect((await getAuth(requestFor('/account', { cookie: session.pair })))?.user.id).toBe(reader.id)
    expect(signedIn.cookies.some((c) => c.startsWith('zhiyin_wx_qr=;') || /^zhiyin_wx_qr=[^;]*;.*Max-Age=0/i.test(c))).toBe(true)

    // The confirmation is taken: the same ticket again gets nothing.
    const replay = readData<{ status: string; message: string }>(await askDesktop(ticketCookie))
    expect(replay).toMatchObject({ status: 410, data: { status: 'expired', message: q.used } })
  })

  it('lets only the desktop that holds the ticket take the confirmation: another browser’s ticket gets nothing', async () => {
    const { user: reader } = await createTestUser()
    const phone = await signedInCookie(reader.id)
    const victim = await showQrCode()
    const attacker = await showQrCode('?redirectTo=%2F')
    await confirmScan(victim.scan, phone.cookie)
    expect(readData<{ status: string }>(await askDesktop(attacker.ticketCookie)).data.status).toBe('waiting')
    expect(readData<{ status: string }>(await askDesktop('')).status).toBe(410)
    expect(sessionCookieOf(readRedirect(await askDesktop(victim.ticketCookie)).cookies)).not.toBeNull()
  })

  it('confirms a code once: a second phone, or the same one again, is told it was confirmed already (409)', async () => {
    const [{ user: one }, { user: two }] = [await createTestUser(), await createTestUser()]
    const { scan } = await showQrCode()
    await confirmScan(scan, (await signedInCookie(one.id)).cookie)
    const second = readData<{ error: string }>(await confirmScan(scan, (await signedInCookie(two.id)).cookie))
    expect(second).toMatchObject({ status: 409, data: { error: q.alreadyApproved } })
    expect(await countRows(wechatQrLogins)).toBeGreaterThanOrEqual(1)
    const page = readData<{ approved: boolean }>(await openScan(scan, { cookie: (await signedInCookie(two.id)).cookie }))
    expect(page.data.approved).toBe(true)
  })

  it('sends a phone that is not signed in to WeChat sign-in (in WeChat) or to the login page (elsewhere), and back to the code', async () => {
    const { scan } = await showQrCode()
    const inWechat = readRedirect(await thrownResponse(openScan(scan)))
    expect(inWechat.location).toBe(`/auth/wechat?${new URLSearchParams({ redirectTo: scan })}`)
    const elsewhere = readRedirect(await thrownResponse(openScan(scan, { ua: SAFARI_UA })))
    expect(elsewhere.location).toBe(`/login?${new URLSearchParams({ redirectTo: scan })}`)
    // WeChat's sign-in keeps the way back through its state cookie.
    const wechatStart = readRedirect(await start.loader(routeArgs(requestFor(inWechat.location!, { headers: { 'User-Agent': WECHAT_UA } }))))
    expect(new URL(wechatStart.location!).searchParams.get('appid')).toBe(WECHAT_APPID)
  })

  it('refuses a forged, altered or old code with a zh-CN page and stores nothing; 取消 stores nothing either', async () => {
    const { user: reader } = await createTestUser()
    const phone = await signedInCookie(reader.id)
    const { scan, ticket } = await showQrCode()
    const rowsBefore = await countRows(wechatQrLogins)
    const url = new URL(scan, 'http://x')
    const altered = new URLSearchParams(url.search)
    altered.set('t', ticket.id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))
    const later = new URLSearchParams(url.search)
    later.set('e', String(ticket.expiresAt + 60 * 60_000))
    for (const forged of [`/auth/wechat/scan?${altered}`, `/auth/wechat/scan?${later}`, '/auth/wechat/scan?t=00&e=1&s=x', '/auth/wechat/scan']) {
      const page = await thrownResponse(openScan(forged, { cookie: phone.cookie }))
      expect(page.status, forged).toBe(400)
      expect(await page.text()).toBe(q.invalid)
      expect((await thrownResponse(confirmScan(forged, phone.cookie))).status, forged).toBe(400)
    }
    expect(readData<{ done: string }>(await confirmScan(scan, phone.cookie, 'cancel')).data.done).toBe('cancelled')
    expect(readData<{ error: string }>(await confirmScan(scan, phone.cookie, 'other')).status).toBe(400)
    expect(await countRows(wechatQrLogins)).toBe(rowsBefore)

    // Five minutes on, the code is old: 410, and a desktop's ticket has lapsed too.
    vi.useFakeTimers({ now: ticket.expiresAt + 1000, toFake: ['Date'] })
    const old = await thrownResponse(openScan(scan, { cookie: phone.cookie }))
    expect(old.status).toBe(410)
    expect(await old.text()).toBe(q.expiredScan)
    expect((await thrownResponse(confirmScan(scan, phone.cookie))).status).toBe(410)
    expect(await countRows(wechatQrLogins)).toBe(rowsBefore)
  })

  it('lets a confirmation lapse when the desktop does not take it within two minutes', async () => {
    const { user: reader } = await createTestUser()
    const { scan, ticketCookie } = await showQrCode()
    await confirmScan(scan, (await signedInCookie(reader.id)).cookie)
    vi.useFakeTimers({ now: Date.now() + 2 * 60_000 + 1000, toFake: ['Date'] })
    expect(readData<{ status: string; message: string }>(await askDesktop(ticketCookie))).toMatchObject({ status: 410, data: { message: q.expired } })
  })
})
