// Publishing a daily and its morning email: the scheduler and the editor's "publish now" change a
// daily once, and each opted-in reader gets exactly one email, written for what they may read.
import { and, eq } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { dailies, emailOutbox, users, type OutboxEmail, type User } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { publishDailyNow, publishDueDailies, unpublishDaily } from '~/models/daily.server'
import { action as unsubscribeAction, loader as unsubscribeLoader } from '~/routes/email.unsubscribe.$token'
import { db } from '~/utils/db.server'
import { expiredMembership, insertDaily, nextSequence, signedIn } from '../factories/dailies'
import { requestFor, routeArgs, thrownResponse } from '../factories/requests'

const HOUR_MS = 60 * 60 * 1000

type ReaderName = 'tiegan' | 'qinqing' | 'free' | 'expired' | 'editor' | 'notOptedIn'
const readers = {} as Record<ReaderName, User>
/** Readers who asked for the daily email (emailDaily = true). */
const OPTED_IN: ReaderName[] = ['tiegan', 'qinqing', 'free', 'expired', 'editor']

async function optIn(userId: number, emailDaily = true) {
  await db.update(users).set({ emailDaily }).where(eq(users.id, userId))
}

beforeAll(async () => {
  readers.tiegan = (await signedIn({ tier: 'tiegan' })).user
  readers.qinqing = (await signedIn({ tier: 'qinqing' })).user
  readers.free = (await signedIn()).user
  readers.expired = (await signedIn({ tier: expiredMembership() })).user
  readers.editor = (await signedIn({ role: 'editor' })).user
  // A 铁杆会员 who never asked for the email.
  readers.notOptedIn = (await signedIn({ tier: 'tiegan' })).user
})

beforeEach(async () => {
  await db.delete(emailOutbox)
  for (const name of OPTED_IN) await optIn(readers[name].id)
  await optIn(readers.notOptedIn.id, false)
})

/** A daily with a body sentence found nowhere else. */
async function dailyWithSentence(values: Partial<typeof dailies.$inferInsert>) {
  const sentence = `只在全文里出现的第${nextSequence()}句话`
  const daily = await insertDaily({ body: `## 今天\n\n${sentence}`, ...values })
  return { daily, sentence }
}

function scheduled(publishAt: Date, values: Partial<typeof dailies.$inferInsert> = {}) {
  return dailyWithSentence({ state: 'scheduled', publishAt, publishedAt: null, ...values })
}

const dailyEmails = () => db.select().from(emailOutbox).where(eq(emailOutbox.template, 'daily'))
const stateOf = async (id: number) => (await db.query.dailies.findFirst({ where: eq(dailies.id, id) }))!

/** How many daily emails each address got for a daily (by its date in the subject). */
function emailCounts(emails: OutboxEmail[], date: string) {
  const counts: Record<string, number> = {}
  for (const email of emails.filter((e) => e.subject.includes(date))) counts[email.toAddress] = (counts[email.toAddress] ?? 0) + 1
  return counts
}

const oneEachForOptedIn = () => Object.fromEntries(OPTED_IN.map((name) => [readers[name].email, 1]))

async function emailTo(reader: User, date: string) {
  const [email] = await db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, reader.email), eq(emailOutbox.template, 'daily')))
  expect(email, `an email to ${reader.email}`).toBeDefined()
  expect(email!.subject).toContain(date)
  return email!
}

describe('the scheduler (publishDueDailies)', () => {
  it('publishes each due scheduled daily once and mails each opted-in reader once, however often it runs', async () => {
    const now = new Date()
    const first = await scheduled(new Date(now.getTime() - 2 * HOUR_MS))
    const second = await scheduled(new Date(now.getTime() - 1))

    const runs = [await publishDueDailies(now), await publishDueDailies(now)]
    expect(runs[0]!.map((d) => d.id).sort()).toEqual([first.daily.id, second.daily.id].sort())
    expect(runs[1]).toEqual([])

    for (const { daily } of [first, second]) {
      expect(await stateOf(daily.id)).toMatchObject({ state: 'published', publishedAt: now, emailedAt: now })
      expect(emailCounts(await dailyEmails(), daily.date)).toEqual(oneEachForOptedIn())
    }
    expect(await dailyEmails()).toHaveLength(2 * OPTED_IN.length)
  })

  it('three passes racing each other publish and mail each daily once', async () => {
    const now = new Date()
    const due = [await scheduled(new Date(now.getTime() - HOUR_MS)), await scheduled(new Date(now.getTime() - 2 * HOUR_MS))]

    const passes = await Promise.all([publishDueDailies(now), publishDueDailies(now), publishDueDailies(now)])
    const publishedIds = passes.flat().map((d) => d.id)
    expect(publishedIds.sort()).toEqual(due.map((d) => d.daily.id).sort())

    for (const { daily } of due) {
      expect((await stateOf(daily.id)).state).toBe('published')
      expect(emailCounts(await dailyEmails(), daily.date)).toEqual(oneEachForOptedIn())
    }
    expect(await dailyEmails()).toHaveLength(due.length * OPTED_IN.length)
  })

  it('leaves a scheduled daily whose time has not come, and drafts, alone', async () => {
    const now = new Date()
    const later = await scheduled(new Date(now.getTime() + 60_000))
    const draft = await dailyWithSentence({ state: 'draft', publishAt: new Date(now.getTime() - HOUR_MS) })

    expect(await publishDueDailies(now)).toEqual([])
    expect(await stateOf(later.daily.id)).toMatchObject({ state: 'scheduled', publishedAt: null, emailedAt: null })
    expect(await stateOf(draft.daily.id)).toMatchObject({ state: 'draft', publishedAt: null, emailedAt: null })
    expect(await dailyEmails()).toHaveLength(0)

    // Its time comes: the next pass publishes it.
    const atTime = new Date(now.getTime() + 60_000)
    expect((await publishDueDailies(atTime)).map((d) => d.id)).toEqual([later.daily.id])
    expect(await stateOf(later.daily.id)).toMatchObject({ state: 'published', publishedAt: atTime })
    expect(await stateOf(draft.daily.id)).toMatchObject({ state: 'draft' })
  })

  it('mails nobody who did not ask for the daily email', async () => {
    const { daily } = await scheduled(new Date(Date.now() - HOUR_MS))
    await publishDueDailies()
    const addresses = (await dailyEmails()).map((e) => e.toAddress)
    expect(addresses).toHaveLength(OPTED_IN.length)
    expect(addresses).not.toContain(readers.notOptedIn.email)
    expect(emailCounts(await dailyEmails(), daily.date)[readers.notOptedIn.email]).toBeUndefined()
  })
})

describe('the daily email leads to the voice, never to the article or its keyword', () => {
  let rank2: Awaited<ReturnType<typeof scheduled>>

  beforeEach(async () => {
    rank2 = await scheduled(new Date(Date.now() - HOUR_MS), { minRank: 2, keyword: `铁杆暗号${nextSequence()}`, teaser: '铁杆会员专享的导语' })
    await publishDueDailies()
  })

  // The keyword is the key to the article (docs/decisions/017): it is said in the voice, so an
  // email carrying it, or the article, would skip the ritual.
  it.each(['tiegan', 'editor', 'qinqing', 'free', 'expired'] as const)('%s gets the teaser and the link to the voice, not the article or the keyword', async (name) => {
    const email = await emailTo(readers[name], rank2.daily.date)
    for (const part of [email.html, email.text]) {
      expect(part).toContain('铁杆会员专享的导语')
      expect(part).toContain(`http://localhost:3000/daily/${rank2.daily.date}`)
      expect(part).toContain('回复语音里说出的关键词')
      expect(part).not.toContain(rank2.sentence)
      expect(part).not.toContain(rank2.daily.keyword)
    }
    expect(email.html).toContain('收听今天的语音')
  })

  it.each(['qinqing', 'free', 'expired'] as const)('a reader whose tier does not open the article (%s) is told so', async (name) => {
    const email = await emailTo(readers[name], rank2.daily.date)
    expect(email.html).toContain('本期全文仅对会员开放')
    expect(email.text).toContain('本期全文仅对会员开放')
  })

  it.each(['tiegan', 'editor'] as const)('a reader whose tier opens it (%s) is not', async (name) => {
    const email = await emailTo(readers[name], rank2.daily.date)
    expect(email.html).not.toContain('本期全文仅对会员开放')
  })
})

describe('the daily email loads nothing from elsewhere', () => {
  it('the body’s images, like the rest of the body, are not in the email: no <img> reports the opening', async () => {
    const { daily } = await dailyWithSentence({
      state: 'scheduled',
      publishAt: new Date(Date.now() - HOUR_MS),
      publishedAt: null,
      body: '## 今天\n\n![封面](https://img.example/cover.png)\n\n<img src="https://track.example/open.gif" width="1" height="1">',
    })
    await publishDueDailies()
    const email = await emailTo(readers.free, daily.date)
    expect(email.html).not.toMatch(/<img/i)
    expect(email.html).not.toContain('img.example')
    expect(email.html).not.toContain('track.example')
  })
})

describe('one-click unsubscribe from the daily email', () => {
  let email: OutboxEmail
  let token: string

  beforeEach(async () => {
    const { daily } = await scheduled(new Date(Date.now() - HOUR_MS))
    await publishDueDailies()
    email = await emailTo(readers.qinqing, daily.date)
    const link = /^<(http:\/\/localhost:3000\/email\/unsubscribe\/([^>]+))>$/.exec(email.headers['List-Unsubscribe'] ?? '')
    expect(link, 'List-Unsubscribe header').not.toBeNull()
    token = link![2]!
  })

  const emailDailyOf = async (user: User) => (await db.query.users.findFirst({ where: eq(users.id, user.id) }))!.emailDaily

  it('every daily email carries List-Unsubscribe, List-Unsubscribe-Post and a visible link to the same address', async () => {
    const url = `http://localhost:3000/email/unsubscribe/${token}`
    expect(email.headers).toEqual({ 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' })
    expect(email.html).toContain(`href="${url}"`)
    expect(email.html).toContain('退订每日邮件')
    expect(email.text).toContain(url)
    for (const other of await dailyEmails()) {
      expect(other.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
      expect(other.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/email\/unsubscribe\/\d+\.[A-Za-z0-9_-]{43}>$/)
    }
  })

  it('opening the link only asks; the one-click POST turns the daily email off for that reader alone', async () => {
    const path = `/email/unsubscribe/${token}`
    expect(await unsubscribeLoader(routeArgs(requestFor(path), { token }))).toBeNull()
    expect(await emailDailyOf(readers.qinqing)).toBe(true)

    const result = await unsubscribeAction(routeArgs(requestFor(path, { method: 'POST', form: { 'List-Unsubscribe': 'One-Click' } }), { token }))
    expect(result).toEqual({ done: true })
    expect(await emailDailyOf(readers.qinqing)).toBe(false)
    expect(await emailDailyOf(readers.tiegan)).toBe(true)

    // The next daily goes to everyone else.
    const next = await scheduled(new Date(Date.now() - HOUR_MS))
    await db.delete(emailOutbox)
    await publishDueDailies()
    const counts = emailCounts(await dailyEmails(), next.daily.date)
    expect(counts[readers.qinqing.email]).toBeUndefined()
    expect(counts[readers.tiegan.email]).toBe(1)
  })

  it.each([
    ['a changed signature', () => token.replace(/\.(.)/, (_m, c: string) => `.${c === 'x' ? 'y' : 'x'}`)],
    ['another reader’s id with this signature', () => `${readers.tiegan.id}.${token.split('.')[1]}`],
    ['no signature', () => String(readers.qinqing.id)],
    ['garbage', () => 'not-a-token'],
  ])('a forged token (%s) is a 404 and changes nothing', async (_name, forge) => {
    const forged = forge()
    const path = `/email/unsubscribe/${encodeURIComponent(forged)}`
    const response = await thrownResponse(unsubscribeAction(routeArgs(requestFor(path, { method: 'POST' }), { token: forged })))
    expect(response.status).toBe(404)
    expect((await thrownResponse(unsubscribeLoader(routeArgs(requestFor(path), { token: forged })))).status).toBe(404)
    expect(await emailDailyOf(readers.qinqing)).toBe(true)
    expect(await emailDailyOf(readers.tiegan)).toBe(true)
  })
})

describe('publishing now (publishDailyNow)', () => {
  it('publishes once and mails once when clicked twice', async () => {
    const now = new Date()
    const { daily } = await dailyWithSentence({ state: 'draft', publishAt: new Date(now.getTime() + 5 * HOUR_MS) })

    const first = await publishDailyNow(daily.id, now)
    const second = await publishDailyNow(daily.id, new Date(now.getTime() + 1000))
    expect(first).toMatchObject({ ok: true, daily: { id: daily.id, state: 'published' } })
    expect(second).toEqual({ ok: true, daily: undefined })

    // Published now, so its publish time moves up to now and readers see it.
    expect(await stateOf(daily.id)).toMatchObject({ state: 'published', publishedAt: now, publishAt: now, emailedAt: now })
    expect(emailCounts(await dailyEmails(), daily.date)).toEqual(oneEachForOptedIn())
  })

  it('two clicks at once, racing the scheduler, still publish and mail once', async () => {
    const now = new Date()
    const { daily } = await scheduled(new Date(now.getTime() - 1000))
    await Promise.all([publishDailyNow(daily.id, now), publishDailyNow(daily.id, now), publishDueDailies(now)])
    expect((await stateOf(daily.id)).state).toBe('published')
    expect(emailCounts(await dailyEmails(), daily.date)).toEqual(oneEachForOptedIn())
  })

  it('unpublishing and publishing again sends no second email', async () => {
    const now = new Date()
    const { daily } = await dailyWithSentence({ state: 'draft', publishAt: new Date(now.getTime() - HOUR_MS) })
    await publishDailyNow(daily.id, now)
    expect(await dailyEmails()).toHaveLength(OPTED_IN.length)

    const unpublished = await unpublishDaily(daily.id, new Date(now.getTime() + 1000))
    expect(unpublished).toMatchObject({ state: 'draft', publishedAt: null })

    const again = await publishDailyNow(daily.id, new Date(now.getTime() + 2000))
    expect(again).toMatchObject({ ok: true, daily: { state: 'published' } })
    expect(await stateOf(daily.id)).toMatchObject({ state: 'published', emailedAt: now })
    expect(await dailyEmails()).toHaveLength(OPTED_IN.length)
    expect(emailCounts(await dailyEmails(), daily.date)).toEqual(oneEachForOptedIn())
  })

  it('a daily whose keyword a published daily already uses is not published and mails nobody', async () => {
    const keyword = `同一个词${nextSequence()}`
    await insertDaily({ keyword, state: 'published', emailedAt: new Date() })
    // Two drafts may share a keyword; the unique index on published keywords decides.
    const { daily } = await dailyWithSentence({ keyword: ` ${keyword.toUpperCase()} `, state: 'draft' })
    const result = await publishDailyNow(daily.id)
    expect(result).toEqual({ ok: false, errors: { keyword: t.daily.errors.keywordTaken } })
    expect(await stateOf(daily.id)).toMatchObject({ state: 'draft', publishedAt: null, emailedAt: null })
    expect(await dailyEmails()).toHaveLength(0)
  })

  it('unpublishing a scheduled daily keeps the scheduler from publishing it', async () => {
    const now = new Date()
    const { daily } = await scheduled(new Date(now.getTime() - HOUR_MS))
    await unpublishDaily(daily.id, now)
    expect(await publishDueDailies(now)).toEqual([])
    expect((await stateOf(daily.id)).state).toBe('draft')
    expect(await dailyEmails()).toHaveLength(0)
  })
})
