import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { courseLessons, courses, dailies, media, memberships, users } from '../../db/schema'
import { confirmPayment, requestRefund } from '~/models/commerce.server'
import { placeCourseOrder } from '~/models/course-orders.server'
import { resetPodcastToken } from '~/models/user.server'
import { action as accountAction, loader as accountLoader } from '~/routes/account'
import { loader as lessonMediaLoader } from '~/routes/courses.$slug_.$lesson_.media'
import { loader as publicFeedLoader } from '~/routes/feed[.]xml'
import { loader as podcastLoader } from '~/routes/podcast.$file'
import { db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { insertCourse } from '../factories/courses'
import { insertDaily } from '../factories/dailies'
import { paidNotice } from '../factories/orders'
import { readData, readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie, type TierSlug } from '../factories/users'

const SITE = 'http://localhost:3000'
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'item',
})

interface RssItem {
  title: string
  link: string
  guid: { '#text': string; '@_isPermaLink': string }
  pubDate: string
  description: string
  enclosure?: { '@_url': string; '@_length': string; '@_type': string }
  'itunes:duration'?: string
}

function parseFeed(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true)
  const doc = parser.parse(xml) as { rss: { '@_version': string; channel: Record<string, unknown> & { item?: RssItem[] } } }
  return { rss: doc.rss, channel: doc.rss.channel, items: doc.rss.channel.item ?? [] }
}

// ---- rows written straight to the database --------------------------------------------------



async function insertAudio({ bytes = 4321, durationMs = 59_500 }: { bytes?: number; durationMs?: number | null } = {}) {
  const id = randomBytes(12).toString('base64url')
  const dir = getEnv().UPLOAD_DIR
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `${id}.mp3`), randomBytes(bytes))
  const [row] = await db.insert(media).values({ id, kind: 'audio', mimeType: 'audio/mpeg', bytes, durationMs, path: `${id}.mp3` }).returning()
  return row!
}

beforeEach(async () => {
  await db.delete(dailies)
})

// ---- the public feed ---------------------------------------------------------------------------

async function fetchPublicFeed(headers: Record<string, string> = {}) {
  return publicFeedLoader(routeArgs(requestFor('/feed.xml', { headers })))
}

describe('/feed.xml', () => {
  it('is RSS 2.0 of the latest 30 live dailies, newest first, with teasers', async () => {
    for (let n = 0; n < 35; n++) await insertDaily()
    const draft = await insertDaily({ state: 'draft', title: '草稿不应出现' })
    const scheduled = await insertDaily({ state: 'scheduled', title: '排期不应出现' })
    const future = await insertDaily({ title: '未到发布时间', publishAt: new Date(Date.now() + DAY_MS) })

    const response = await fetchPublicFeed()
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300')
    const xml = await response.text()
    const { rss, channel, items } = parseFeed(xml)

    expect(rss['@_version']).toBe('2.0')
    expect(channel.title).toBe('知音每日')
    expect(channel.link).toBe(SITE)
    expect(channel.language).toBe('zh-cn')
    expect(channel.description).toEqual(expect.any(String))
    expect(Date.parse(channel.lastBuildDate as string)).not.toBeNaN()

    expect(items).toHaveLength(30)
    const live = await db.query.dailies.findMany({ where: eq(dailies.state, 'published') })
    const expected = live
      .filter((d) => d.publishAt <= new Date())
      .sort((a, b) => b.date.localeCompare(a.date))
      .slice(0, 30)
    expect(items.map((i) => i.link)).toEqual(expected.map((d) => `${SITE}/daily/${d.date}`))
    expect(items.map((i) => i.title)).toEqual(expected.map((d) => d.title))
    expect(items.map((i) => i.description)).toEqual(expected.map((d) => d.teaser))
    const first = items[0]!
    expect(first.guid).toEqual({ '#text': `zhiyin-daily-${expected[0]!.date}`, '@_isPermaLink': 'false' })
    expect(new Date(first.pubDate).getTime()).toBe(Math.floor(expected[0]!.publishAt.getTime() / 1000) * 1000)
    expect(first.pubDate).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)

    for (const hidden of [draft, scheduled, future]) expect(xml).not.toContain(hidden.title)
  })

  it('escapes markup characters and drops characters XML cannot carry', async () => {
    const title = `<b>"引号" & 'apostrophe'</b> ]]> 标题`
    await insertDaily({ title, teaser: `导语\u0001含控制字符\u{FFFE} & <script>alert(1)</script>` })

    const xml = await (await fetchPublicFeed()).text()
    expect(xml).toContain('&lt;b&gt;&quot;引号&quot; &amp; &apos;apostrophe&apos;&lt;/b&gt; ]]&gt; 标题')
    expect(xml).not.toContain('<script>')
    expect(xml).not.toContain('\u0001')
    const { items } = parseFeed(xml)
    expect(items[0]!.title).toBe(title)
    expect(items[0]!.description).toBe('导语含控制字符 & <script>alert(1)</script>')
  })

  it('never carries a body, gated or public: only the teaser', async () => {
    await insertDaily({ minRank: 2, teaser: '铁杆会员专享的导语', body: '这是一句只有铁杆会员才能读到的秘密正文。' })
    await insertDaily({ minRank: 1, teaser: '亲情会员专享的导语', body: '亲情会员正文里独一无二的一句话。' })
    await insertDaily({ minRank: 0, teaser: '公开的导语', body: '公开正文也不进订阅源。' })

    const xml = await (await fetchPublicFeed()).text()
    expect(xml).toContain('铁杆会员专享的导语')
    expect(xml).toContain('亲情会员专享的导语')
    expect(xml).toContain('公开的导语')
    expect(xml).not.toContain('只有铁杆会员才能读到的秘密正文')
    expect(xml).not.toContain('亲情会员正文里独一无二的一句话')
    expect(xml).not.toContain('公开正文也不进订阅源')
  })

  it('has an ETag that holds while nothing changes, and answers 304 to If-None-Match', async () => {
    await insertDaily()
    const first = await fetchPublicFeed()
    const etag = first.headers.get('ETag')
    expect(etag).toMatch(/^"[\w-]+"$/)
    const again = await fetchPublicFeed()
    expect(again.headers.get('ETag')).toBe(etag)

    const notModified = await fetchPublicFeed({ 'If-None-Match': etag! })
    expect(notModified.status).toBe(304)
    expect(await notModified.text()).toBe('')
    expect(notModified.headers.get('ETag')).toBe(etag)
    expect(notModified.headers.get('Cache-Control')).toBe('public, max-age=300')

    expect((await fetchPublicFeed({ 'If-None-Match': '"stale"' })).status).toBe(200)

    // A new daily is a new feed: the old tag no longer matches.
    await insertDaily({ title: '新的一期' })
    const changed = await fetchPublicFeed({ 'If-None-Match': etag! })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('ETag')).not.toBe(etag)
  })

  it('is valid with no dailies at all', async () => {
    const { items, channel } = parseFeed(await (await fetchPublicFeed()).text())
    expect(items).toEqual([])
    expect(channel.title).toBe('知音每日')
  })
})

// ---- the private podcast feed ------------------------------------------------------------------

async function fetchPodcast(file: string) {
  return podcastLoader(routeArgs(requestFor(`/podcast/${file}`), { file }))
}

async function subscriber(tier?: TierSlug, role: 'user' | 'editor' = 'user') {
  const { user } = await createTestUser({ tier, role })
  return { user, token: await resetPodcastToken(user.id) }
}

/** A small catalogue: public, 亲情 and 铁杆 episodes, plus dailies that must never be listed. */
async function catalogue() {
  const audio = {
    public: await insertAudio({ bytes: 1111, durationMs: 42_400 }),
    rank1: await insertAudio({ bytes: 2222 }),
    rank2: await insertAudio({ bytes: 3333 }),
    draft: await insertAudio(),
    future: await insertAudio(),
  }
  await insertDaily({ minRank: 0, audioId: audio.public.id, title: '公开一期' })
  // Voices the editor gated with their articles (a voice is public unless gated).
  await insertDaily({ minRank: 1, voicePublic: false, audioId: audio.rank1.id, title: '亲情一期' })
  await insertDaily({ minRank: 2, voicePublic: false, audioId: audio.rank2.id, title: '铁杆一期' })
  await insertDaily({ minRank: 0, audioId: null, title: '没有语音的一期' })
  await insertDaily({ minRank: 0, audioId: audio.draft.id, state: 'draft', title: '草稿一期' })
  await insertDaily({ minRank: 0, audioId: audio.future.id, publishAt: new Date(Date.now() + DAY_MS), title: '明天一期' })
  return audio
}

function enclosureIds(items: RssItem[], token: string) {
  return items.map((item) => {
    const url = new URL(item.enclosure!['@_url'])
    expect(url.origin).toBe(SITE)
    expect(url.searchParams.get('token')).toBe(token)
    return url.pathname.replace('/media/', '')
  })
}

describe('/podcast/:token.xml', () => {
  it('a 铁杆会员 gets every episode up to rank 2, newest first, with enclosures and durations', async () => {
    const audio = await catalogue()
    const { token } = await subscriber('tiegan')

    const response = await fetchPodcast(`${token}.xml`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    const xml = await response.text()
    expect(xml).toContain('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"')
    const { channel, items } = parseFeed(xml)
    expect(channel['itunes:author']).toBe('知音')
    expect(channel['itunes:explicit']).toBe('false')
    expect(channel['itunes:block']).toBe('Yes')

    expect(enclosureIds(items, token)).toEqual([audio.rank2.id, audio.rank1.id, audio.public.id])
    expect(items.map((i) => i.title)).toEqual(['铁杆一期', '亲情一期', '公开一期'])
    const publicItem = items[2]!
    expect(publicItem.enclosure).toMatchObject({ '@_length': '1111', '@_type': 'audio/mpeg' })
    expect(publicItem['itunes:duration']).toBe('42')
    expect(publicItem.guid['#text']).toMatch(/^zhiyin-daily-\d{4}-\d{2}-\d{2}$/)
    expect(publicItem.description).toBe((await db.query.dailies.findFirst({ where: eq(dailies.title, '公开一期') }))!.teaser)
    for (const hidden of ['没有语音的一期', '草稿一期', '明天一期']) expect(xml).not.toContain(hidden)
  })

  it('a 亲情会员 does not get rank-2 audio', async () => {
    const audio = await catalogue()
    const { token } = await subscriber('qinqing')
    const xml = await (await fetchPodcast(`${token}.xml`)).text()
    expect(enclosureIds(parseFeed(xml).items, token)).toEqual([audio.rank1.id, audio.public.id])
    expect(xml).not.toContain(audio.rank2.id)
    expect(xml).not.toContain('铁杆一期')
  })

  it('the public voice of a 铁杆 daily is in a 亲情会员’s feed: everyone may hear it', async () => {
    const audio = await insertAudio({ bytes: 4444 })
    await insertDaily({ minRank: 2, audioId: audio.id, title: '公开语音的铁杆一期' })
    const { token } = await subscriber('qinqing')
    const { items } = parseFeed(await (await fetchPodcast(`${token}.xml`)).text())
    expect(enclosureIds(items, token)).toContain(audio.id)
  })

  it('a lower tier still gets the latest 30 episodes it may hear when many higher-tier ones are newer', async () => {
    const rank1: string[] = []
    for (let n = 0; n < 35; n++) {
      const audio = await insertAudio({ bytes: 10 })
      await insertDaily({ minRank: 1, voicePublic: false, audioId: audio.id })
      rank1.unshift(audio.id)
    }
    for (let n = 0; n < 65; n++) await insertDaily({ minRank: 2, voicePublic: false, audioId: (await insertAudio({ bytes: 10 })).id })
    const { token } = await subscriber('qinqing')
    const { items } = parseFeed(await (await fetchPodcast(`${token}.xml`)).text())
    expect(enclosureIds(items, token)).toEqual(rank1.slice(0, 30))
  })

  it('staff get a feed of every live episode', async () => {
    const audio = await catalogue()
    const { token } = await subscriber(undefined, 'editor')
    const { items } = parseFeed(await (await fetchPodcast(`${token}.xml`)).text())
    expect(enclosureIds(items, token)).toEqual([audio.rank2.id, audio.rank1.id, audio.public.id])
  })

  it('an unknown or malformed token answers 404', async () => {
    await catalogue()
    await subscriber('tiegan')
    for (const file of ['abcdefghijklmnopqrstuvwxyz234567.xml', 'not-a-token.xml', '.xml', '<script>.xml']) {
      const response = await fetchPodcast(file)
      expect(response.status, file).toBe(404)
      expect(response.headers.get('Cache-Control')).toBe('private, no-store')
    }
  })

  it('answers 404 to anything but .xml', async () => {
    const { token } = await subscriber('tiegan')
    expect((await fetchPodcast(`${token}.xml`)).status).toBe(200)
    for (const file of [`${token}.txt`, token, `${token}.xml.txt`, `${token}.XML`]) {
      expect((await fetchPodcast(file)).status, file).toBe(404)
    }
  })

  it('answers 404 to a user without a membership, and once the membership has ended', async () => {
    await catalogue()
    const { token: freeToken } = await subscriber()
    expect((await fetchPodcast(`${freeToken}.xml`)).status).toBe(404)

    const { user, token } = await subscriber('tiegan')
    expect((await fetchPodcast(`${token}.xml`)).status).toBe(200)
    await db
      .update(memberships)
      .set({ validUntil: new Date(Date.now() - 60_000) })
      .where(eq(memberships.userId, user.id))
    const ended = await fetchPodcast(`${token}.xml`)
    expect(ended.status).toBe(404)
    expect(await ended.text()).not.toContain('<rss')
  })

  it('answers 404 to a revoked membership', async () => {
    const { user, token } = await subscriber('qinqing')
    await db.update(memberships).set({ revokedAt: new Date(Date.now() - 1000) }).where(eq(memberships.userId, user.id))
    expect((await fetchPodcast(`${token}.xml`)).status).toBe(404)
  })

  it('answers 404 to the old token after a reset, and 200 to the new one', async () => {
    await catalogue()
    const { user, token: oldToken } = await subscriber('tiegan')
    expect((await fetchPodcast(`${oldToken}.xml`)).status).toBe(200)
    const newToken = await resetPodcastToken(user.id)
    expect(newToken).not.toBe(oldToken)
    expect((await fetchPodcast(`${oldToken}.xml`)).status).toBe(404)
    const fresh = await fetchPodcast(`${newToken}.xml`)
    expect(fresh.status).toBe(200)
    const xml = await fresh.text()
    expect(xml).toContain(`?token=${newToken}`)
    expect(xml).not.toContain(oldToken)
  })
})

// ---- course lessons in the private feed (decision 044) -------------------------------------------

describe('/podcast/:token.xml: course lessons, only of the courses that are the subscriber’s', () => {
  const HOUR_MS = 60 * 60 * 1000

  beforeEach(async () => {
    await db.delete(courses)
  })
  afterAll(async () => {
    await db.delete(courses)
  })

  /** A ¥99 course, a 铁杆 course (its lessons out of id order, a video, one not yet released) and a free one. */
  async function courseCatalogue() {
    const released = new Date(Date.now() - HOUR_MS)
    const priced = await insertCourse({ priceFen: 9900, title: '付费课' })
    const included = await insertCourse({
      included: 'tiegan',
      title: '铁杆课',
      lessons: [
        { slug: 'one', publishAt: released },
        { slug: 'two', publishAt: released },
        { slug: 'film', kind: 'video' },
        { slug: 'later', publishAt: new Date(Date.now() + DAY_MS) },
      ],
    })
    // The syllabus, not the ids, decides the order: `two` is moved before `one`.
    const [one, two] = included.lessons
    await db.update(courseLessons).set({ position: 0 }).where(eq(courseLessons.id, two!.id))
    const free = await insertCourse({ priceFen: 0, title: '免费课' })
    return { priced, included, free, one: one!, two: two! }
  }

  async function feedItems(token: string) {
    const response = await fetchPodcast(`${token}.xml`)
    expect(response.status).toBe(200)
    return parseFeed(await response.text()).items.filter((item) => item.guid['#text'].startsWith('zhiyin-lesson-'))
  }

  function fetchLessonMedia(url: string, cookie?: string) {
    const { pathname, search } = new URL(url)
    const [, , slug, lesson] = pathname.split('/')
    return lessonMediaLoader(routeArgs(requestFor(`${pathname}${search}`, { cookie }), { slug: slug!, lesson: lesson! }))
  }

  it('a 铁杆会员 gets the released audio lessons of the course their tier includes, in syllabus order; no other course', async () => {
    const { included, one, two } = await courseCatalogue()
    const { token } = await subscriber('tiegan')
    const items = await feedItems(token)
    expect(items.map((item) => item.guid['#text'])).toEqual([`zhiyin-lesson-${two.id}`, `zhiyin-lesson-${one.id}`])
    expect(items.map((item) => item.title)).toEqual(['《铁杆课》第 2 讲', '《铁杆课》第 1 讲'])
    const [first, second] = items
    expect(first!.link).toBe(`${SITE}/courses/${included.course.slug}/two`)
    expect(first!.enclosure).toMatchObject({ '@_url': `${SITE}/courses/${included.course.slug}/two/media?token=${token}`, '@_length': '1000', '@_type': 'audio/mpeg' })
    expect(first!['itunes:duration']).toBe('100')
    // Released together: the feed's dates keep the syllabus order for apps that sort by date.
    expect(new Date(second!.pubDate).getTime()).toBeGreaterThan(new Date(first!.pubDate).getTime())
  })

  it('a 亲情会员 gets no lesson of a 铁杆 course, nor of a course they have not bought (试听 included), nor of a free one', async () => {
    await courseCatalogue()
    const { token } = await subscriber('qinqing')
    expect(await feedItems(token)).toEqual([])
  })

  it('a bought course’s lessons arrive with the payment, play with the token, and leave with the refund', async () => {
    const { priced } = await courseCatalogue()
    const { user, token } = await subscriber('qinqing')
    const placed = await placeCourseOrder({ userId: user.id, courseId: priced.course.id, now: new Date() })
    if (!placed.ok) throw new Error(placed.reason)
    // Placed, not paid: nothing yet.
    expect(await feedItems(token)).toEqual([])

    await confirmPayment({ provider: 'test', eventId: `evt_course_${placed.order.id}`, orderId: placed.order.id, type: 'test.payment_succeeded', amountFen: 9900, currency: 'CNY', providerPaymentId: `pay_course_${placed.order.id}` })
    const items = await feedItems(token)
    expect(items.map((item) => item.title)).toEqual(['《付费课》第 1 讲', '《付费课》第 2 讲'])
    // A podcast app has no session: the token opens the bought lesson's media, and only its subscriber's.
    const paidLesson = items[1]!.enclosure!['@_url']
    expect((await fetchLessonMedia(paidLesson)).status).toBe(200)
    const other = await subscriber('tiegan')
    expect((await fetchLessonMedia(paidLesson.replace(token, other.token))).status).toBe(403)
    expect((await fetchLessonMedia(paidLesson.replace(`?token=${token}`, ''))).status).toBe(403)

    await requestRefund({ orderId: placed.order.id, actorId: null })
    expect(await feedItems(token)).toEqual([])
    expect((await fetchLessonMedia(paidLesson)).status).toBe(403)
  })
  // ---- a buyer without a membership (decision 051) ----

  /** A ¥99 course of three lessons whose syllabus puts the third first. */
  async function boughtByNonMember() {
    const course = await insertCourse({ priceFen: 9900, title: '单买课', lessons: [{ slug: 'a' }, { slug: 'b' }, { slug: 'c' }] })
    await db.update(courseLessons).set({ position: 0 }).where(eq(courseLessons.id, course.lessons[2]!.id))
    const { user, token } = await subscriber()
    const placed = await placeCourseOrder({ userId: user.id, courseId: course.course.id, now: new Date() })
    if (!placed.ok) throw new Error(placed.reason)
    return { course, user, token, order: placed.order }
  }

  async function payFor(order: { id: number; totalFen: number }) {
    expect((await confirmPayment(paidNotice(order))).outcome).toBe('paid')
  }

  async function accountPodcast(userId: number) {
    const { cookie } = await signedInCookie(userId)
    const page = (await accountLoader(routeArgs(requestFor('/account', { cookie })))) as { podcast: { url: string | null; coursesOnly: boolean } | null }
    return { cookie, podcast: page.podcast }
  }

  it('a reader who bought a course without a membership gets a feed of its lessons in syllabus order, and no daily', async () => {
    await catalogue()
    const { course, token, order } = await boughtByNonMember()
    // Placed, not paid: no feed yet, as for anyone who has bought nothing.
    expect((await fetchPodcast(`${token}.xml`)).status).toBe(404)
    await payFor(order)

    const response = await fetchPodcast(`${token}.xml`)
    expect(response.status).toBe(200)
    const { channel, items } = parseFeed(await response.text())
    expect(channel.title).toBe('知音 · 我的课程')
    expect(items.map((item) => item.title)).toEqual(['《单买课》第 3 讲', '《单买课》第 1 讲', '《单买课》第 2 讲'])
    expect(items.every((item) => item.guid['#text'].startsWith('zhiyin-lesson-'))).toBe(true)
    // Not even the dailies whose voice is public: the dailies are a member's feed.
    for (const daily of ['公开一期', '亲情一期', '铁杆一期']) expect(items.map((item) => item.title)).not.toContain(daily)
    const lesson = course.lessons[2]!
    const media = await fetchLessonMedia(items[0]!.enclosure!['@_url'])
    expect(media.status).toBe(200)
    expect(Buffer.from(await media.arrayBuffer())).toEqual(lesson.content)
  })

  it('refunding the only course bought ends the buyer’s feed (404, as for a reader who bought nothing) and its media URLs refuse the token', async () => {
    const { token, order } = await boughtByNonMember()
    await payFor(order)
    const items = await feedItems(token)
    expect(items).toHaveLength(3)
    await requestRefund({ orderId: order.id, actorId: null })
    const ended = await fetchPodcast(`${token}.xml`)
    expect(ended.status).toBe(404)
    expect(await ended.text()).not.toContain('<rss')
    for (const item of items) expect((await fetchLessonMedia(item.enclosure!['@_url'])).status).toBe(403)
  })

  it('a member whose membership ended keeps the feed of the course they bought, without the dailies', async () => {
    await catalogue()
    const course = await insertCourse({ priceFen: 9900, title: '会员单买课' })
    const { user, token } = await subscriber('qinqing')
    const placed = await placeCourseOrder({ userId: user.id, courseId: course.course.id, now: new Date() })
    if (!placed.ok) throw new Error(placed.reason)
    await payFor(placed.order)
    await db.update(memberships).set({ validUntil: new Date(Date.now() - 60_000) }).where(eq(memberships.userId, user.id))
    const { items } = parseFeed(await (await fetchPodcast(`${token}.xml`)).text())
    expect(items.map((item) => item.title)).toEqual(['《会员单买课》第 1 讲', '《会员单买课》第 2 讲'])
  })

  it('/account gives a buyer without a membership the feed block, in the courses’ words, and 生成订阅地址 makes the address', async () => {
    const { user, order } = await boughtByNonMember()
    await db.update(users).set({ podcastToken: null }).where(eq(users.id, user.id))
    // Before the payment: no block, and the button's action is refused.
    const before = await accountPodcast(user.id)
    expect(before.podcast).toBeNull()
    const refused = readData(await accountAction(routeArgs(requestFor('/account', { cookie: before.cookie, form: { intent: 'podcast-reset' } }))))
    expect(refused.status).toBe(403)
    expect(refused.data.errors).toEqual({ form: '私人播客订阅仅对会员和已购买课程的读者开放。' })
    expect((await db.query.users.findFirst({ where: eq(users.id, user.id) }))!.podcastToken).toBeNull()

    await payFor(order)
    const bought = await accountPodcast(user.id)
    expect(bought.podcast).toEqual({ url: null, coursesOnly: true })
    readRedirect(await accountAction(routeArgs(requestFor('/account', { cookie: bought.cookie, form: { intent: 'podcast-reset' } }))))
    const token = (await db.query.users.findFirst({ where: eq(users.id, user.id) }))!.podcastToken
    expect(token).toBeTruthy()
    expect((await accountPodcast(user.id)).podcast).toEqual({ url: `${SITE}/podcast/${token}.xml`, coursesOnly: true })
    expect(await feedItems(token!)).toHaveLength(3)
  })

  it('a reader who bought nothing has no feed block on /account, and a member’s block keeps the dailies’ words', async () => {
    const { user } = await createTestUser()
    expect((await accountPodcast(user.id)).podcast).toBeNull()
    const member = await createTestUser({ tier: 'qinqing' })
    expect((await accountPodcast(member.user.id)).podcast).toMatchObject({ coursesOnly: false })
  })
})
