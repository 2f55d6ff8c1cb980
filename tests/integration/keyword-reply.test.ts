// The keyword reply on the web (/keyword?q=…): a match goes to the daily, a signed-in reader's
// reply counts toward the streak shown on /account.
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { keywordUnlocks, type Daily } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { recordKeywordUnlock } from '~/models/daily.server'
import { loader as accountLoader } from '~/routes/account'
import { loader as keywordLoader } from '~/routes/keyword'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { dateFromToday, insertDaily, signedIn } from '../factories/dailies'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'

let todays: Daily
let feiman: Daily

beforeAll(async () => {
  todays = await insertDaily({ date: dateFromToday(0), keyword: '费曼', publishAt: new Date(Date.now() - 60_000) })
  feiman = await insertDaily({ date: '2024-03-10', keyword: 'FeiMan' })
  // The same keyword on a later daily that readers cannot see yet: never the answer.
  await insertDaily({ date: '2024-05-01', keyword: 'feiman', state: 'scheduled' })
  await insertDaily({ date: '2024-05-02', keyword: 'Feiman ', state: 'draft' })
  await insertDaily({ date: dateFromToday(2), keyword: '明天的词', publishAt: new Date(Date.now() + 2 * 24 * 3600_000) })
  await insertDaily({ date: '2024-04-01', keyword: '草稿词', state: 'draft' })
})

function reply(q: string | null, cookie?: string) {
  const path = q === null ? '/keyword' : `/keyword?${new URLSearchParams({ q })}`
  return keywordLoader(routeArgs(requestFor(path, { cookie })))
}

type NotFoundData = { q: string; empty: boolean; todayDate: string | null }

describe('a reply that matches', () => {
  it.each(['ＦＥＩＭＡＮ', 'feiman', ' FeiMan ', 'FEIMAN'])('%j goes (302) to the most recent live daily with that keyword', async (q) => {
    const { location, response } = readRedirect(await reply(q))
    expect(response.status).toBe(302)
    expect(location).toBe(`/daily/${feiman.date}`)
  })

  it('a Chinese keyword with spaces around it goes to today’s daily', async () => {
    expect(readRedirect(await reply('  费曼 ')).location).toBe(`/daily/${todays.date}`)
  })

  it('a visitor’s reply records nothing', async () => {
    const before = await countRows(keywordUnlocks)
    readRedirect(await reply('费曼'))
    expect(await countRows(keywordUnlocks)).toBe(before)
  })
})

describe('a reply that does not match', () => {
  it.each([
    ['an unknown word', '没有这个词'],
    ['the keyword of a daily still in draft', '草稿词'],
    ['the keyword of a daily published for a later time', '明天的词'],
  ])('%s is a 404 page that points to today’s daily', async (_name, q) => {
    const { status, data } = readData<NotFoundData>(await reply(q))
    expect(status).toBe(404)
    expect(data).toEqual({ q, empty: false, todayDate: todays.date })
  })

  it.each([
    ['an empty q', ''],
    ['a blank q', '  　 '],
    ['no q at all', null],
  ])('%s is a 400 asking for a keyword', async (_name, q) => {
    const { status, data } = readData<NotFoundData>(await reply(q))
    expect(status).toBe(400)
    expect(data).toMatchObject({ empty: true, todayDate: todays.date })
  })
})

describe('the keyword streak of a signed-in reader', () => {
  async function streakOf(cookie: string) {
    const data = await accountLoader(routeArgs(requestFor('/account', { cookie })))
    return data.streak
  }

  const unlocksOf = (userId: number) => db.select().from(keywordUnlocks).where(eq(keywordUnlocks.userId, userId))

  it('a reply is recorded once per daily, on today’s date, and /account shows a streak of 1', async () => {
    const { user, cookie } = await signedIn()
    expect(await streakOf(cookie)).toBe(0)
    expect(t.daily.streak(0)).toBe('还没有开始')

    for (const q of ['费曼', '费曼', ' 费曼']) readRedirect(await reply(q, cookie))
    const rows = await unlocksOf(user.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ dailyId: todays.id, day: dateFromToday(0) })

    const streak = await streakOf(cookie)
    expect(streak).toBe(1)
    expect(t.daily.streak(streak)).toBe('连续 1 天')
  })

  it('replies on consecutive days make 连续 N 天; a day missed starts over', async () => {
    const { user, cookie } = await signedIn({ tier: 'qinqing' })
    const older = [await insertDaily(), await insertDaily(), await insertDaily()]
    // Replies to earlier dailies on earlier days (as the reply route records them, with their local day).
    await recordKeywordUnlock({ userId: user.id, dailyId: older[0]!.id, day: dateFromToday(-1) })
    await recordKeywordUnlock({ userId: user.id, dailyId: older[1]!.id, day: dateFromToday(-2) })
    // Three days ago is missing: this one does not count.
    await recordKeywordUnlock({ userId: user.id, dailyId: older[2]!.id, day: dateFromToday(-4) })

    // Before today's reply the streak still stands (today is not over).
    expect(await streakOf(cookie)).toBe(2)

    readRedirect(await reply('费曼', cookie))
    const streak = await streakOf(cookie)
    expect(streak).toBe(3)
    expect(t.daily.streak(streak)).toBe('连续 3 天')
  })

  it('two replies on one day count as one day', async () => {
    const { user, cookie } = await signedIn()
    readRedirect(await reply('费曼', cookie))
    readRedirect(await reply('feiman', cookie))
    const rows = await unlocksOf(user.id)
    expect(rows.map((r) => r.dailyId).sort()).toEqual([todays.id, feiman.id].sort())
    expect(await streakOf(cookie)).toBe(1)
  })

  it('one reader’s replies do not count for another', async () => {
    const a = await signedIn()
    const b = await signedIn()
    readRedirect(await reply('费曼', a.cookie))
    expect(await streakOf(b.cookie)).toBe(0)
    const [row] = await db
      .select()
      .from(keywordUnlocks)
      .where(and(eq(keywordUnlocks.userId, b.user.id), eq(keywordUnlocks.dailyId, todays.id)))
    expect(row).toBeUndefined()
  })
})
