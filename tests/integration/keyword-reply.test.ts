// The keyword ritual on the web (docs/decisions/017): a reply in the box under the voice, or as a
// link (/keyword?q=…), opens the daily it names for this reader — remembered in their account, or
// a visitor's signed cookie — and a first reply on the daily's own date is that day's 打卡.
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { dailies, keywordUnlocks, type Daily } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { checkinDays, recordKeywordUnlock } from '~/models/keyword.server'
import { action as homeAction, loader as homeLoader } from '~/routes/_index'
import { loader as accountLoader } from '~/routes/account'
import { action as dailyAction, loader as dailyLoader } from '~/routes/daily.$date'
import { loader as keywordLoader } from '~/routes/keyword'
import { action as loginAction } from '~/routes/login'
import { db } from '~/utils/db.server'
import { getKeywordReader, replyWithKeyword } from '~/utils/keyword-reply.server'
import { countRows } from '../factories/db'
import { dateFromToday, insertDaily, signedIn } from '../factories/dailies'
import { cookiePairOf, flashOf, readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, DAY_MS } from '../factories/users'

let todays: Daily
let feiman: Daily
let yesterdays: Daily
let tiegan: Daily

beforeAll(async () => {
  const minuteAgo = new Date(Date.now() - 60_000)
  todays = await insertDaily({ date: dateFromToday(0), keyword: '费曼', publishAt: minuteAgo, body: '今天的正文：讲给外行听。' })
  yesterdays = await insertDaily({ date: dateFromToday(-1), keyword: '写作', body: '昨天的正文。' })
  tiegan = await insertDaily({ date: dateFromToday(-2), keyword: '追问', minRank: 2, body: '铁杆会员才读得到的正文。' })
  feiman = await insertDaily({ date: '2024-03-10', keyword: 'FeiMan' })
  // The same keyword on a later daily that readers cannot see yet: never the answer.
  await insertDaily({ date: '2024-05-01', keyword: 'feiman', state: 'scheduled' })
  await insertDaily({ date: '2024-05-02', keyword: 'Feiman ', state: 'draft' })
  await insertDaily({ date: dateFromToday(2), keyword: '明天的词', publishAt: new Date(Date.now() + 2 * 24 * 3600_000) })
  await insertDaily({ date: '2024-04-01', keyword: '草稿词', state: 'draft' })
})

const unlocksOf = (userId: number) => db.select().from(keywordUnlocks).where(eq(keywordUnlocks.userId, userId))

/** A reply in the box on a daily's page (without script: a form POST), as this reader. */
function replyOnPage(daily: Pick<Daily, 'date'>, q: string, cookie?: string) {
  return dailyAction(routeArgs(requestFor(`/daily/${daily.date}`, { form: { q }, cookie }), { date: daily.date }))
}

function replyAsLink(q: string | null, cookie?: string) {
  const path = q === null ? '/keyword' : `/keyword?${new URLSearchParams({ q })}`
  return keywordLoader(routeArgs(requestFor(path, { cookie })))
}

async function checkinsOf(cookie: string) {
  return (await accountLoader(routeArgs(requestFor('/account', { cookie })))).checkins
}

describe('a reply in the box under the voice', () => {
  it('opens today’s article in place and answers 「打卡成功 · 连续 1 天」', async () => {
    const { user, cookie } = await signedIn()
    const before = await dailyLoader(routeArgs(requestFor(`/daily/${todays.date}`, { cookie }), { date: todays.date }))
    expect(before.daily).toMatchObject({ unlocked: false, bodyHtml: null })
    expect(before.reading.checkins).toMatchObject({ current: 0, checkedInToday: false })

    const { location, cookies } = readRedirect(await replyOnPage(todays, '费曼', cookie))
    expect(location).toBe(`/daily/${todays.date}`)
    expect(await flashOf(cookies)).toEqual({ kind: 'success', message: '打卡成功 · 连续 1 天' })
    expect(await unlocksOf(user.id)).toMatchObject([{ dailyId: todays.id, day: dateFromToday(0) }])

    const after = await dailyLoader(routeArgs(requestFor(`/daily/${todays.date}`, { cookie }), { date: todays.date }))
    expect(after.daily.unlocked).toBe(true)
    expect(after.daily.bodyHtml).toContain('今天的正文：讲给外行听。')
    expect(after.reading.checkins).toEqual({ current: 1, longest: 1, total: 1, checkedInToday: true })
  })

  it.each(['「费曼」', '费曼！', ' 费曼。', '“费曼”'])('%j is the keyword: punctuation and spaces around it do not matter', async (q) => {
    const { cookie } = await signedIn()
    expect(readRedirect(await replyOnPage(todays, q, cookie)).location).toBe(`/daily/${todays.date}`)
  })

  it('the same keyword again on the same day says the 打卡 is already done and stores nothing more', async () => {
    const { user, cookie } = await signedIn()
    readRedirect(await replyOnPage(todays, '费曼', cookie))
    const again = readRedirect(await replyOnPage(todays, '「费曼」', cookie))
    expect(await flashOf(again.cookies)).toEqual({ kind: 'info', message: '今天已打卡 · 连续 1 天' })
    expect(await unlocksOf(user.id)).toHaveLength(1)
  })

  it('on the home page it answers on the home page', async () => {
    const { cookie } = await signedIn()
    const answer = await homeAction(routeArgs(requestFor('/?index', { form: { q: '费曼' }, cookie })))
    const { location, cookies } = readRedirect(answer)
    expect(location).toBe('/')
    expect((await flashOf(cookies))?.message).toBe('打卡成功 · 连续 1 天')
    const home = await homeLoader(routeArgs(requestFor('/', { cookie })))
    expect(home.daily?.daily.bodyHtml).toContain('今天的正文')
  })

  it('the keyword of another day opens that day, says whose keyword it was, and is not today’s 打卡', async () => {
    const { user, cookie } = await signedIn()
    const { location, cookies } = readRedirect(await replyOnPage(todays, '写作', cookie))
    expect(location).toBe(`/daily/${yesterdays.date}`)
    const [, month, day] = yesterdays.date.split('-').map(Number)
    expect(await flashOf(cookies)).toEqual({ kind: 'info', message: `这是 ${month} 月 ${day} 日的关键词` })
    expect(await unlocksOf(user.id)).toMatchObject([{ dailyId: yesterdays.id, day: dateFromToday(0) }])
    expect(await checkinsOf(cookie)).toEqual({ current: 0, longest: 0, total: 0, checkedInToday: false })
    const page = await dailyLoader(routeArgs(requestFor(`/daily/${yesterdays.date}`, { cookie }), { date: yesterdays.date }))
    expect(page.daily.bodyHtml).toContain('昨天的正文。')
  })

  it('on an old daily’s own page, its keyword opens it there, saying old keywords do not count', async () => {
    const { cookie } = await signedIn()
    const { location, cookies } = readRedirect(await replyOnPage(yesterdays, '写作', cookie))
    expect(location).toBe(`/daily/${yesterdays.date}`)
    expect((await flashOf(cookies))?.message).toBe(t.daily.checkin.oldDaily)
  })

  it('on a 铁杆 day, the right keyword without the tier gives the reason and the way to /membership, and the 打卡 counts', async () => {
    const { user, cookie } = await signedIn({ tier: 'qinqing' })
    const todayTiegan = await insertDaily({ date: dateFromToday(-30), keyword: '铁杆词', minRank: 2, body: '只给铁杆的一段。' })
    readRedirect(await replyOnPage(todayTiegan, '铁杆词', cookie))
    const page = await dailyLoader(routeArgs(requestFor(`/daily/${todayTiegan.date}`, { cookie }), { date: todayTiegan.date }))
    expect(page.daily).toMatchObject({ unlocked: true, bodyHtml: null, access: { granted: false, reason: 'higher_tier_required' } })
    expect(JSON.stringify(page)).not.toContain('只给铁杆的一段。')
    expect(await unlocksOf(user.id)).toMatchObject([{ dailyId: todayTiegan.id }])
  })
})

describe('a reply that opens nothing says so in place, keeps the attempt, and stores nothing', () => {
  type Failed = { keyword: { q: string; error: string } }

  it.each([
    ['an unknown word', '没有这个词', 404, '「没有这个词」不是关键词。关键词在语音的结尾，再听一遍试试？'],
    ['the keyword of a daily still in draft', '草稿词', 404, '「草稿词」不是关键词。关键词在语音的结尾，再听一遍试试？'],
    ['the keyword of a daily published for a later time', '明天的词', 404, '「明天的词」不是关键词。关键词在语音的结尾，再听一遍试试？'],
    ['nothing', '', 400, '请输入关键词'],
    ['punctuation only', '！！', 400, '请输入关键词'],
    ['200 characters', '费'.repeat(200), 400, '关键词不超过 40 个字，请只输入语音结尾说的那个词'],
  ])('%s → %i', async (_name, q, status, message) => {
    const { cookie } = await signedIn()
    const before = await countRows(keywordUnlocks)
    const answer = readData<Failed>(await replyOnPage(todays, q, cookie))
    expect(answer.status).toBe(status)
    expect(answer.data.keyword).toEqual({ q, error: message })
    expect(await countRows(keywordUnlocks)).toBe(before)
  })

  it('a POST without the field is a 400 too', async () => {
    const answer = readData<Failed>(await dailyAction(routeArgs(requestFor(`/daily/${todays.date}`, { form: {} }), { date: todays.date })))
    expect(answer.status).toBe(400)
  })
})

describe('/keyword?q= (a link, from WeChat or a bookmark)', () => {
  it.each(['ＦＥＩＭＡＮ', 'feiman', ' FeiMan ', 'FEIMAN', 'feiman!'])('%j goes (302) to the most recent live daily with that keyword', async (q) => {
    const { location, response } = readRedirect(await replyAsLink(q))
    expect(response.status).toBe(302)
    expect(location).toBe(`/daily/${feiman.date}`)
  })

  it('a match opens the daily for a signed-in reader and counts today’s 打卡', async () => {
    const { user, cookie } = await signedIn()
    const { cookies } = readRedirect(await replyAsLink('费曼', cookie))
    expect((await flashOf(cookies))?.message).toBe('打卡成功 · 连续 1 天')
    expect(await unlocksOf(user.id)).toHaveLength(1)
  })

  type Failed = { q: string; error: string; todayDate: string | null }
  it.each([
    ['an unknown word', '没有这个词', 404],
    ['an empty q', '', 400],
    ['no q at all', null, 400],
    ['a 200-character q', 'x'.repeat(200), 400],
  ])('%s is answered on the page with the box and a link to today (%i)', async (_name, q, status) => {
    const { status: got, data } = readData<Failed>(await replyAsLink(q))
    expect(got).toBe(status)
    expect(data.todayDate).toBe(todays.date)
    expect(data.q).toBe(q ?? '')
    expect(data.error).toBeTruthy()
  })
})

describe('a visitor’s replies', () => {
  it('are remembered in a signed cookie: the public article opens and the 打卡 is counted', async () => {
    const { cookies } = readRedirect(await replyOnPage(todays, '费曼'))
    expect((await flashOf(cookies))?.message).toBe('打卡成功 · 连续 1 天')
    const keys = cookiePairOf(cookies, 'zhiyin_keys')
    expect(keys).toBeDefined()
    const page = await dailyLoader(routeArgs(requestFor(`/daily/${todays.date}`, { cookie: keys }), { date: todays.date }))
    expect(page.daily.bodyHtml).toContain('今天的正文')
    expect(page.reading).toMatchObject({ signedIn: false, checkins: { current: 1, checkedInToday: true } })
  })

  it('a visitor’s reply records nothing in the database', async () => {
    const before = await countRows(keywordUnlocks)
    readRedirect(await replyOnPage(todays, '费曼'))
    expect(await countRows(keywordUnlocks)).toBe(before)
  })

  it('a gated daily stays closed to a visitor with the keyword: sign in, or become a member', async () => {
    const { cookies } = readRedirect(await replyOnPage(tiegan, '追问'))
    const page = await dailyLoader(routeArgs(requestFor(`/daily/${tiegan.date}`, { cookie: cookiePairOf(cookies, 'zhiyin_keys') }), { date: tiegan.date }))
    expect(page.daily).toMatchObject({ unlocked: true, bodyHtml: null, access: { granted: false, reason: 'sign_in_required' } })
  })

  it('move into the account on signing in, with the days they were 打卡', async () => {
    const password = 'keyword-carry-password'
    const { user } = await createTestUser({ password })
    const first = readRedirect(await replyOnPage(todays, '费曼'))
    const second = readRedirect(await replyOnPage(todays, '写作', cookiePairOf(first.cookies, 'zhiyin_keys')))
    const keys = cookiePairOf(second.cookies, 'zhiyin_keys')!
    const login = readRedirect(
      await loginAction(routeArgs(requestFor('/login', { form: { intent: 'password', email: user.email, password }, cookie: keys }))),
    )
    expect((await unlocksOf(user.id)).map((u) => [u.dailyId, u.day]).sort()).toEqual(
      [
        [todays.id, dateFromToday(0)],
        [yesterdays.id, dateFromToday(0)],
      ].sort(),
    )
    // The visitor cookie is cleared once the account holds the replies.
    expect(login.cookies.find((c) => c.startsWith('zhiyin_keys='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
    const session = cookiePairOf(login.cookies, 'zhiyin_session')!
    expect(await checkinsOf(session)).toEqual({ current: 1, longest: 1, total: 1, checkedInToday: true })
  })
})

describe('the 打卡 streak of a signed-in reader, on /account', () => {
  it('starts at nothing', async () => {
    const { cookie } = await signedIn()
    expect(await checkinsOf(cookie)).toEqual({ current: 0, longest: 0, total: 0, checkedInToday: false })
    expect(t.daily.streak(0)).toBe('还没有开始')
  })

  it('each day’s own keyword on its day makes 连续 N 天; an old daily read later does not count; a missed day starts over', async () => {
    const { user, cookie } = await signedIn({ tier: 'qinqing' })
    // 打卡 on days -6, -4 and -3: each daily answered on its own date.
    for (const n of [-6, -4, -3]) {
      const daily = await insertDaily({ date: dateFromToday(n) })
      await recordKeywordUnlock({ userId: user.id, daily, day: daily.date })
    }
    // On day -5 an old daily was read: not that day's 打卡, so -6 and -4 stay apart.
    await recordKeywordUnlock({ userId: user.id, daily: feiman, day: dateFromToday(-5) })
    // -2 and -1 missing: the run of two (-4, -3) is over.
    expect(await checkinsOf(cookie)).toEqual({ current: 0, longest: 2, total: 3, checkedInToday: false })

    // The 铁杆 daily of day -2 counts although this 亲情会员 cannot read it; then yesterday's.
    await recordKeywordUnlock({ userId: user.id, daily: tiegan, day: tiegan.date })
    await recordKeywordUnlock({ userId: user.id, daily: yesterdays, day: yesterdays.date })
    // Before today's reply the streak still stands (today is not over).
    expect(await checkinsOf(cookie)).toEqual({ current: 4, longest: 4, total: 5, checkedInToday: false })

    const { cookies } = readRedirect(await replyOnPage(todays, '费曼', cookie))
    expect((await flashOf(cookies))?.message).toBe('打卡成功 · 连续 5 天')
    expect(await checkinsOf(cookie)).toEqual({ current: 5, longest: 5, total: 6, checkedInToday: true })
  })

  it('one reader’s replies do not count for another', async () => {
    const a = await signedIn()
    const b = await signedIn()
    readRedirect(await replyOnPage(todays, '费曼', a.cookie))
    expect(await checkinsOf(b.cookie)).toMatchObject({ current: 0 })
    const [row] = await db
      .select()
      .from(keywordUnlocks)
      .where(and(eq(keywordUnlocks.userId, b.user.id), eq(keywordUnlocks.dailyId, todays.id)))
    expect(row).toBeUndefined()
  })
})

describe('a daily out before its date (立即发布 the evening before)', () => {
  it('a reply before its date opens it; the reply on its date is still that day’s 打卡, for a member and a visitor', async () => {
    const early = await insertDaily({ date: dateFromToday(1), keyword: '早到', publishAt: new Date(Date.now() - 60_000) })
    const onItsDate = new Date(Date.now() + DAY_MS)

    const { user, cookie } = await signedIn()
    const member = await getKeywordReader(requestFor('/', { cookie }))
    expect(await replyWithKeyword(member, '早到')).toMatchObject({ ok: true, checkin: 'none' })
    // Not 「今天已打卡」 over a 打卡 that was never counted.
    expect(await replyWithKeyword(member, '早到', onItsDate)).toMatchObject({ ok: true, checkin: 'new', stats: { current: 1, checkedInToday: true } })
    expect(await checkinDays(user.id)).toEqual([early.date])
    expect(await unlocksOf(user.id)).toHaveLength(1)
    expect(await replyWithKeyword(member, '早到', onItsDate)).toMatchObject({ ok: true, checkin: 'repeat' })

    const before = await replyWithKeyword(await getKeywordReader(requestFor('/')), '早到')
    expect(before).toMatchObject({ ok: true, checkin: 'none' })
    const keys = cookiePairOf([(before as { setCookie: string }).setCookie], 'zhiyin_keys')
    const visitor = await getKeywordReader(requestFor('/', { cookie: keys }))
    const onDate = await replyWithKeyword(visitor, '早到', onItsDate)
    expect(onDate).toMatchObject({ ok: true, checkin: 'new', stats: { current: 1, checkedInToday: true } })
    const after = await getKeywordReader(requestFor('/', { cookie: cookiePairOf([(onDate as { setCookie: string }).setCookie], 'zhiyin_keys') }))
    expect(after.remembered).toEqual([{ dailyId: early.id, day: early.date, checkin: true }])
  })
})

describe('invisible characters, pasted with a keyword or a reply, do not matter', () => {
  it.each(['顿悟', '\u200F顿\u200B悟\uFEFF', '顿悟\u2060', '\u202E顿悟\u202C'])('%j opens the daily whose keyword was pasted as 「顿悟」 plus a zero-width space', async (q) => {
    const daily = await insertDaily({ keyword: '顿悟\u200B' })
    const { cookie } = await signedIn()
    expect(readRedirect(await replyOnPage(daily, q, cookie)).location).toBe(`/daily/${daily.date}`)
    await db.delete(keywordUnlocks).where(eq(keywordUnlocks.dailyId, daily.id))
    await db.delete(dailies).where(eq(dailies.id, daily.id))
  })
})
