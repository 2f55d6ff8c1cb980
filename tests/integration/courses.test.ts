import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { lessonProgress } from '../../db/schema'
import { t } from '~/i18n/zh-CN'
import { loader as coursesLoader } from '~/routes/courses._index'
import { loader as courseLoader } from '~/routes/courses.$slug'
import { loader as lessonLoader } from '~/routes/courses.$slug_.$lesson'
import { loader as mediaLoader } from '~/routes/courses.$slug_.$lesson_.media'
import { loader as posterLoader } from '~/routes/courses.$slug_.$lesson_.poster'
import { loader as coverLoader } from '~/routes/courses.$slug_.cover'
import { action as progressAction } from '~/routes/courses.$slug_.$lesson_.progress'
import { db } from '~/utils/db.server'
import { insertCourse, LESSON_BYTES } from '../factories/courses'
import { countRows } from '../factories/db'
import { expiredMembership, signedIn } from '../factories/dailies'
import { flashOf, readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'

type ViewerName = 'visitor' | 'user' | 'qinqing' | 'tiegan' | 'expired' | 'editor'
const cookies = {} as Record<ViewerName, string | undefined>
const userIds = {} as Record<Exclude<ViewerName, 'visitor'>, number>

let tiegan: Awaited<ReturnType<typeof insertCourse>>
let priced: Awaited<ReturnType<typeof insertCourse>>
let free: Awaited<ReturnType<typeof insertCourse>>
let draft: Awaited<ReturnType<typeof insertCourse>>
let weekly: Awaited<ReturnType<typeof insertCourse>>

beforeAll(async () => {
  cookies.visitor = undefined
  for (const [name, options] of [
    ['user', {}],
    ['qinqing', { tier: 'qinqing' }],
    ['tiegan', { tier: 'tiegan' }],
    ['expired', { tier: expiredMembership() }],
    ['editor', { role: 'editor' }],
  ] as const) {
    const { user, cookie } = await signedIn(options)
    cookies[name] = cookie
    userIds[name] = user.id
  }
  tiegan = await insertCourse({ included: 'tiegan', field: 'business', title: '铁杆课' })
  priced = await insertCourse({ priceFen: 9900, field: 'history', title: '付费课' })
  free = await insertCourse({ priceFen: 0, field: 'science', title: '免费课', lessons: [{ slug: 'intro' }, { slug: 'second', kind: 'video' }] })
  draft = await insertCourse({ included: 'qinqing', published: false, title: '草稿课' })
  weekly = await insertCourse({
    priceFen: 0,
    field: 'science',
    title: '周更课',
    lessons: [{ slug: 'intro' }, { slug: 'later', publishAt: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000) }],
  })
})

const lessonPath = (course: { slug: string }, lesson: string) => `/courses/${course.slug}/${lesson}`

function openLesson(course: { slug: string }, lesson: string, viewer: ViewerName) {
  return lessonLoader(routeArgs(requestFor(lessonPath(course, lesson), { cookie: cookies[viewer] }), { slug: course.slug, lesson }))
}

function fetchLessonMedia(course: { slug: string }, lesson: string, viewer: ViewerName, headers?: Record<string, string>) {
  return mediaLoader(routeArgs(requestFor(`${lessonPath(course, lesson)}/media`, { cookie: cookies[viewer], headers }), { slug: course.slug, lesson }))
}

function postProgress(course: { slug: string }, lesson: string, viewer: ViewerName, form: Record<string, string>) {
  return progressAction(routeArgs(requestFor(`${lessonPath(course, lesson)}/progress`, { cookie: cookies[viewer], form }), { slug: course.slug, lesson }))
}

/** The page's status for this viewer: 200, 403 (with its zh-CN reason) or 404 (thrown). */
async function pageOutcome(course: { slug: string }, lesson: string, viewer: ViewerName) {
  try {
    const { status, data } = readData<{ refusal: { reason: string } | null; player: { transcriptHtml: string; mediaUrl: string } | null }>(await openLesson(course, lesson, viewer))
    return { status, reason: data.refusal?.reason ?? null, player: data.player }
  } catch (error) {
    if (error instanceof Response) return { status: error.status, reason: null, player: null }
    throw error
  }
}

async function progressRows(userId: number) {
  return db.select().from(lessonProgress).where(eq(lessonProgress.userId, userId))
}

describe('who opens a lesson: the page and its media URL answer alike', () => {
  const R = t.courses.refusal
  const cases: [string, () => { slug: string }, string, ViewerName, number, string | null][] = [
    // 试听 opens to everyone, visitors included.
    ['a 试听 lesson of a 铁杆 course, for a visitor', () => tiegan.course, 'intro', 'visitor', 200, null],
    ['a 试听 lesson of a ¥99 course, for a plain user', () => priced.course, 'intro', 'user', 200, null],
    // The tier rule (checkAccess): 铁杆 and higher; lower tiers, lapsed members and visitors are told why.
    ['an included lesson, for a 铁杆 member', () => tiegan.course, 'second', 'tiegan', 200, null],
    ['an included lesson, for a visitor', () => tiegan.course, 'second', 'visitor', 403, R.sign_in_required],
    ['an included lesson, for a plain user', () => tiegan.course, 'second', 'user', 403, R.membership_required],
    ['an included lesson, for a 亲情 member', () => tiegan.course, 'second', 'qinqing', 403, R.higher_tier_required],
    ['an included lesson, for a lapsed member', () => tiegan.course, 'second', 'expired', 403, R.membership_expired],
    ['an included lesson, for an editor', () => tiegan.course, 'second', 'editor', 200, null],
    // A course sold once: tiers do not open it (buying arrives with the purchase piece).
    ['a ¥99 lesson, for a visitor', () => priced.course, 'second', 'visitor', 403, R.sign_in_required],
    ['a ¥99 lesson, for a plain user', () => priced.course, 'second', 'user', 403, R.purchase_required],
    ['a ¥99 lesson, for a 铁杆 member', () => priced.course, 'second', 'tiegan', 403, R.purchase_required],
    // Free courses open to everyone.
    ['a free course lesson, for a visitor', () => free.course, 'intro', 'visitor', 200, null],
    ['a free course video, for a plain user', () => free.course, 'second', 'user', 200, null],
    // Unpublished courses and lessons not yet released do not exist for readers.
    ['an unpublished course, for a 铁杆 member', () => draft.course, 'intro', 'tiegan', 404, null],
    ['an unpublished course, for a visitor', () => draft.course, 'second', 'visitor', 404, null],
    ['an unpublished course, for an editor (preview)', () => draft.course, 'second', 'editor', 200, null],
    ['a lesson released next week, for a reader', () => weekly.course, 'later', 'tiegan', 404, null],
    ['a lesson released next week, for an editor (preview)', () => weekly.course, 'later', 'editor', 200, null],
    ['a lesson that does not exist', () => free.course, 'nope', 'tiegan', 404, null],
  ]

  it.each(cases)('%s: the page and the media URL answer the same', async (_name, course, lesson, viewer, status, reason) => {
    const page = await pageOutcome(course(), lesson, viewer)
    expect(page.status).toBe(status)
    expect(page.reason).toBe(reason)
    // A refused page carries neither the media URL nor the 文稿.
    expect(page.player !== null).toBe(status === 200)

    const media = await fetchLessonMedia(course(), lesson, viewer)
    expect(media.status).toBe(status)
    const body = Buffer.from(await media.arrayBuffer())
    if (status === 403) expect(body.toString('utf8')).toContain(reason)
    if (status === 404) expect(body.toString('utf8')).toBe(t.media.notFound)
    if (status === 200) expect(body.length).toBe(LESSON_BYTES)
  })

  it('a refusal names the ways in: 登录 for a visitor, with 开通会员 for an included course', async () => {
    const { data } = readData<{ refusal: { ways: { way: string; href: string | null }[]; notes: string[] } }>(await openLesson(tiegan.course, 'second', 'visitor'))
    expect(data.refusal.ways.map((way) => way.way)).toEqual(['sign_in', 'join'])
    expect(data.refusal.ways[0]!.href).toBe(`/login?redirectTo=${encodeURIComponent(lessonPath(tiegan.course, 'second'))}`)
    expect(data.refusal.notes).toEqual([t.courses.refusal.includedFor('铁杆会员')])
  })

  it('a ¥99 course shows its price to a refused reader, and 购买: a form posted to the course page (decision 044)', async () => {
    const { data } = readData<{ refusal: { ways: { way: string }[]; notes: string[] } }>(await openLesson(priced.course, 'second', 'user'))
    expect(data.refusal.notes).toEqual([t.courses.refusal.priceIs('¥99')])
    expect(data.refusal.ways).toEqual([{ way: 'buy', label: '购买', href: `/courses/${priced.course.slug}`, post: true }])
  })

  it('an opened lesson sends its 文稿 through the sanitiser and its media URL', async () => {
    const page = await pageOutcome(tiegan.course, 'second', 'tiegan')
    expect(page.player?.transcriptHtml).toContain('第 2 讲的文稿')
    expect(page.player?.mediaUrl).toBe(`${lessonPath(tiegan.course, 'second')}/media`)
  })

  it('lesson media answer byte ranges (206) and are never publicly cached', async () => {
    const response = await fetchLessonMedia(tiegan.course, 'second', 'tiegan', { Range: 'bytes=0-99' })
    expect(response.status).toBe(206)
    expect(response.headers.get('Content-Range')).toBe(`bytes 0-99/${LESSON_BYTES}`)
    expect(response.headers.get('Cache-Control')).toBe('private, max-age=86400')
    expect(Buffer.from(await response.arrayBuffer()).equals(tiegan.lessons[1]!.content.subarray(0, 100))).toBe(true)
  })

  it("a video's poster is refused with the video, and sent with it", async () => {
    const args = (viewer: ViewerName) => routeArgs(requestFor(`${lessonPath(free.course, 'second')}/poster`, { cookie: cookies[viewer] }), { slug: free.course.slug, lesson: 'second' })
    expect((await posterLoader(args('visitor'))).status).toBe(200)
    const noPoster = await posterLoader(routeArgs(requestFor(`${lessonPath(free.course, 'intro')}/poster`), { slug: free.course.slug, lesson: 'intro' }))
    expect(noPoster.status).toBe(404)
  })

  it('a cover is public for a published course and 404 for a draft, except to staff', async () => {
    const cover = (course: { slug: string }, viewer: ViewerName) => coverLoader(routeArgs(requestFor(`/courses/${course.slug}/cover`, { cookie: cookies[viewer] }), { slug: course.slug }))
    const published = await cover(tiegan.course, 'visitor')
    expect(published.status).toBe(200)
    expect(published.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect((await cover(draft.course, 'tiegan')).status).toBe(404)
    expect((await cover(draft.course, 'editor')).status).toBe(200)
  })
})

describe('/courses/:slug: the syllabus, the marks and the way in', () => {
  async function coursePage(course: { slug: string }, viewer: ViewerName) {
    return courseLoader(routeArgs(requestFor(`/courses/${course.slug}`, { cookie: cookies[viewer] }), { slug: course.slug }))
  }

  it('marks the 试听 lesson open and the rest locked for a plain user, with the reason', async () => {
    const page = await coursePage(tiegan.course, 'user')
    const lessons = page.chapters.flatMap((chapter) => chapter.lessons)
    expect(lessons.map((lesson) => [lesson.slug, lesson.preview, lesson.open])).toEqual([
      ['intro', true, true],
      ['second', false, false],
    ])
    expect(page.refusal?.reason).toBe(t.courses.refusal.course.membership_required)
    expect(page.course.priceLabel).toBe('铁杆会员免费')
  })

  it('tells a 铁杆 member the course is theirs, and renders the introduction through the sanitiser', async () => {
    const page = await coursePage(tiegan.course, 'tiegan')
    expect(page.refusal).toBeNull()
    expect(page.chapters[0]!.lessons.every((lesson) => lesson.open)).toBe(true)
    expect(page.course.introductionHtml).toContain('<strong>重点</strong>')
    expect(page.course.introductionHtml).not.toContain('<script')
  })

  it('hides a lesson not yet released from readers and shows it to staff', async () => {
    const reader = await coursePage(weekly.course, 'tiegan')
    expect(reader.chapters.flatMap((chapter) => chapter.lessons).map((lesson) => lesson.slug)).toEqual(['intro'])
    const editor = await coursePage(weekly.course, 'editor')
    expect(editor.chapters.flatMap((chapter) => chapter.lessons).map((lesson) => [lesson.slug, lesson.released])).toEqual([
      ['intro', true],
      ['later', false],
    ])
  })

  it('is 404 for an unpublished course', async () => {
    expect((await thrownResponse(coursePage(draft.course, 'tiegan'))).status).toBe(404)
  })
})

describe('lesson progress', () => {
  it('keeps the position a 铁杆 member reached, and the page resumes there', async () => {
    const response = await postProgress(tiegan.course, 'second', 'tiegan', { intent: 'position', position: '42.6' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ positionSeconds: 42, learned: false, courseFinished: false })
    const page = readData<{ player: { resumeAt: number; learned: boolean } }>(await openLesson(tiegan.course, 'second', 'tiegan'))
    expect(page.data.player).toMatchObject({ resumeAt: 42, learned: false })
  })

  it('marks a lesson learned once ≥ 90 % is heard, and a later position keeps the completion', async () => {
    await postProgress(free.course, 'intro', 'qinqing', { intent: 'position', position: '89' })
    const [before] = await progressRows(userIds.qinqing)
    expect(before!.completedAt).toBeNull()
    const heard = await postProgress(free.course, 'intro', 'qinqing', { intent: 'position', position: '90' })
    expect(await heard.json()).toEqual({ positionSeconds: 90, learned: true, courseFinished: false })
    await postProgress(free.course, 'intro', 'qinqing', { intent: 'position', position: '3' })
    const [after] = await progressRows(userIds.qinqing)
    expect(after).toMatchObject({ positionSeconds: 3, courseId: free.course.id })
    expect(after!.completedAt).not.toBeNull()
  })

  it('「标记为已学」 records the completion and goes back to the lesson with a confirmation', async () => {
    const { location, cookies: setCookies } = readRedirect(await postProgress(tiegan.course, 'intro', 'tiegan', { intent: 'learned' }))
    expect(location).toBe(lessonPath(tiegan.course, 'intro'))
    expect((await flashOf(setCookies))?.message).toBe(t.courses.flash.learned('第 1 讲'))
    const [row] = await db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, userIds.tiegan), eq(lessonProgress.lessonId, tiegan.lessons[0]!.id)))
    expect(row!.completedAt).not.toBeNull()
  })

  it('the card of /courses shows the signed-in reader how far they are', async () => {
    const { groups } = await coursesLoader(routeArgs(requestFor('/courses', { cookie: cookies.tiegan })))
    const card = groups.flatMap((group) => group.courses).find((course) => course.slug === tiegan.course.slug)
    expect(card).toMatchObject({ lessonCount: 2, totalSeconds: 200, finishedLessons: 1, priceLabel: '铁杆会员免费' })
  })

  it('is refused for a lesson the reader cannot open: 403 with the reason, nothing stored', async () => {
    const before = await countRows(lessonProgress)
    for (const [course, viewer] of [
      [tiegan.course, 'user'],
      [tiegan.course, 'qinqing'],
      [priced.course, 'tiegan'],
    ] as const) {
      for (const form of [{ intent: 'position', position: '10' }, { intent: 'learned' }] as Record<string, string>[]) {
        const response = await postProgress(course, 'second', viewer, form)
        expect(response.status).toBe(403)
        expect((await response.json()).errors.lesson).toMatch(/[\u4e00-\u9fff]/)
      }
    }
    expect(await countRows(lessonProgress)).toBe(before)
  })

  it('is refused to a visitor even on a 试听 lesson (401, 登录), and for lessons readers cannot see (404)', async () => {
    const before = await countRows(lessonProgress)
    const visitor = await postProgress(tiegan.course, 'intro', 'visitor', { intent: 'position', position: '10' })
    expect(visitor.status).toBe(401)
    expect(await visitor.json()).toEqual({ errors: { lesson: t.courses.progressErrors.signInRequired } })
    expect((await thrownResponse(postProgress(draft.course, 'intro', 'tiegan', { intent: 'learned' }))).status).toBe(404)
    expect((await thrownResponse(postProgress(weekly.course, 'later', 'tiegan', { intent: 'learned' }))).status).toBe(404)
    expect(await countRows(lessonProgress)).toBe(before)
  })

  it.each([
    ['not a number', { intent: 'position', position: 'abc' }, 'position'],
    ['negative', { intent: 'position', position: '-5' }, 'position'],
    ['past the end of the lesson', { intent: 'position', position: '102' }, 'position'],
    ['missing', { intent: 'position' }, 'position'],
    ['an unknown intent', { intent: 'delete' }, 'intent'],
  ] as [string, Record<string, string>, string][])('bad input (%s) is a 400 with a zh-CN field error, nothing stored', async (_name, form, field) => {
    const before = await countRows(lessonProgress)
    const response = await postProgress(weekly.course, 'intro', 'user', form)
    expect(response.status).toBe(400)
    const { errors } = (await response.json()) as { errors: Record<string, string> }
    expect(Object.keys(errors)).toEqual([field])
    expect(errors[field]).toMatch(/[\u4e00-\u9fff]/)
    expect(await countRows(lessonProgress)).toBe(before)
  })
})

describe('/courses lists published courses by field', () => {
  const list = (query = '', viewer: ViewerName = 'visitor') => coursesLoader(routeArgs(requestFor(`/courses${query}`, { cookie: cookies[viewer] })))

  it('groups by field in the fields’ order, without unpublished courses, with prices and no progress for a visitor', async () => {
    const { groups } = await list()
    expect(groups.map((group) => group.name)).toEqual(['商业', '历史', '科学'])
    const titles = groups.flatMap((group) => group.courses.map((course) => [course.title, course.priceLabel, course.finishedLessons]))
    expect(titles).toEqual(
      expect.arrayContaining([
        ['铁杆课', '铁杆会员免费', null],
        ['付费课', '¥99', null],
        ['免费课', '免费', null],
      ]),
    )
    expect(titles.map(([title]) => title)).not.toContain('草稿课')
    // A lesson released next week is neither counted nor timed.
    expect(groups.flatMap((group) => group.courses).find((course) => course.title === '周更课')).toMatchObject({ lessonCount: 1, totalSeconds: 100 })
  })

  it('filters by field, and an unknown field is 404', async () => {
    const { groups } = await list('?field=history')
    expect(groups.map((group) => [group.slug, group.courses.map((course) => course.title)])).toEqual([['history', ['付费课']]])
    expect((await thrownResponse(list('?field=astrology'))).status).toBe(404)
  })

  it('sorts by the number of readers who started a course (最多人学)', async () => {
    const { groups } = await list('?sort=popular&field=science')
    // 免费课 has a learner (the 亲情 reader above); 周更课 none.
    expect(groups[0]!.courses.map((course) => course.title)).toEqual(['免费课', '周更课'])
    const newest = await list('?field=science')
    expect(newest.groups[0]!.courses.map((course) => course.title)).toEqual(['周更课', '免费课'])
  })
})
