// The certificate of completion (issue 17, docs/decisions/046-course-certificate.md): who gets
// one, what it says, who may see it, its picture, the 「恭喜完成本课」 moment and /account's list.
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { lessonProgress, users } from '../../db/schema'
import { courseCertificateZhCN } from '~/i18n/courseCertificate.zh-CN'
import { loader as accountLoader } from '~/routes/account'
import { loader as lessonLoader } from '~/routes/courses.$slug_.$lesson'
import { action as progressAction } from '~/routes/courses.$slug_.$lesson_.progress'
import { loader as certificateLoader } from '~/routes/courses.$slug_.certificate'
import { loader as imageLoader } from '~/routes/courses.$slug_.certificate_.$file'
import { db } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { eq } from 'drizzle-orm'
import { insertCourse } from '../factories/courses'
import { countRows } from '../factories/db'
import { signedIn } from '../factories/dailies'
import { flashOf, readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'

const c = courseCertificateZhCN
const WEEK_MS = 7 * 24 * 60 * 60 * 1000

type Course = Awaited<ReturnType<typeof insertCourse>>
type Reader = { id: number; cookie: string }

let free: Course
let weekly: Course
let priced: Course
let finisher: Reader
let halfway: Reader
let stranger: Reader

async function reader(name: string): Promise<Reader> {
  const { user, cookie } = await signedIn()
  await db.update(users).set({ displayName: name }).where(eq(users.id, user.id))
  return { id: user.id, cookie }
}

/** A lesson learned at a given moment, written as the progress endpoint writes it. */
async function learned(who: Reader, course: Course, index: number, at: Date) {
  const lesson = course.lessons[index]!
  await db.insert(lessonProgress).values({ userId: who.id, lessonId: lesson.id, courseId: course.course.id, completedAt: at, updatedAt: at })
}

beforeAll(async () => {
  free = await insertCourse({ priceFen: 0, field: 'science', title: '好奇心的科学', lessons: [{ slug: 'one' }, { slug: 'two' }, { slug: 'three' }] })
  weekly = await insertCourse({
    priceFen: 0,
    title: '周更课',
    lessons: [{ slug: 'first' }, { slug: 'next-week', publishAt: new Date(Date.now() + WEEK_MS) }],
  })
  priced = await insertCourse({ priceFen: 9900, title: '付费课', lessons: [{ slug: 'taste', preview: true }, { slug: 'paid' }] })
  finisher = await reader('林小满')
  halfway = await reader('半程读者')
  stranger = await reader('路人')
  // 2026-12-05 17:30 UTC is 12-06 01:30 in Beijing: the date is the site's, not UTC's.
  await learned(finisher, free, 0, new Date('2026-12-01T02:00:00Z'))
  await learned(finisher, free, 1, new Date('2026-12-03T02:00:00Z'))
  await learned(finisher, free, 2, new Date('2026-12-05T17:30:00Z'))
  await learned(halfway, free, 0, new Date('2026-12-02T02:00:00Z'))
})

const certificatePath = (course: Course) => `/courses/${course.course.slug}/certificate`

function openCertificate(course: Course, cookie?: string, query = '') {
  return certificateLoader(routeArgs(requestFor(`${certificatePath(course)}${query}`, { cookie }), { slug: course.course.slug }))
}

/** The loader's answer whether it came as a plain object (200) or through data() (403). */
function pageOf<T>(result: unknown): { status: number; data: T } {
  if (result && typeof result === 'object' && 'type' in result && result.type === 'DataWithResponseInit') return readData<T>(result)
  return { status: 200, data: result as T }
}

type Page = {
  finished: boolean
  shared?: boolean
  face?: { name: string; courseTitle: string; lecturerName: string; lessonCount: number; finishedOn: string; number: string }
  share?: { pagePath: string; imagePath: string }
  remaining?: { slug: string; title: string }[]
  learned?: number
  released?: number
}

async function ownCertificate(course: Course, who: Reader) {
  return pageOf<Page>(await openCertificate(course, who.cookie))
}

function fetchImage(course: Course, file: string, headers?: Record<string, string>) {
  return imageLoader(routeArgs(requestFor(`${certificatePath(course)}/${file}`, { headers }), { slug: course.course.slug, file }))
}

describe('who gets a certificate', () => {
  it('a reader who learned every lesson gets one: name, course, lecturer, the day finished in site time, a number', async () => {
    const page = await ownCertificate(free, finisher)
    expect(page.status).toBe(200)
    expect(page.data.face).toEqual({
      name: '林小满',
      courseTitle: '好奇心的科学',
      lecturerName: '测试讲师',
      lessonCount: 3,
      finishedOn: '2026年12月6日',
      number: expect.stringMatching(/^ZY-\d{3,}-[0-9A-F]{8}$/),
    })
  })

  it('the number is the same every time for a reader and a course, and differs for another reader', async () => {
    const first = (await ownCertificate(free, finisher)).data.face!.number
    expect((await ownCertificate(free, finisher)).data.face!.number).toBe(first)
    const other = await reader('另一位')
    for (const index of [0, 1, 2]) await learned(other, free, index, new Date('2026-12-04T02:00:00Z'))
    expect((await ownCertificate(free, other)).data.face!.number).not.toBe(first)
  })

  it('a reader still learning gets 403 with what is left, in syllabus order, and nothing is written', async () => {
    const before = await countRows(lessonProgress)
    const page = await ownCertificate(free, halfway)
    expect(page.status).toBe(403)
    expect(page.data).toMatchObject({ finished: false, learned: 1, released: 3, remaining: [{ slug: 'two' }, { slug: 'three' }] })
    expect(page.data.face).toBeUndefined()
    expect(await countRows(lessonProgress)).toBe(before)
  })

  it('counts only released lessons: a course releasing weekly certifies what is out, then asks for the new lesson', async () => {
    const learner = await reader('周更读者')
    await learned(learner, weekly, 0, new Date())
    expect((await ownCertificate(weekly, learner)).status).toBe(200)
    // A week on, the next lesson is out: the certificate waits for it.
    const nextWeek = new Date(Date.now() + WEEK_MS + 60_000)
    const { getCourseCompletion } = await import('~/models/course-certificate.server')
    const later = await getCourseCompletion({ userId: learner.id, courseId: weekly.course.id, now: nextWeek })
    expect(later).toMatchObject({ learned: 1, released: 2, finishedAt: null })
  })

  it('a visitor is sent to sign in; an unknown or unpublished course is 404', async () => {
    const { location } = readRedirect(await thrownResponse(openCertificate(free)))
    expect(location).toContain('/login?redirectTo=')
    const draft = await insertCourse({ priceFen: 0, published: false })
    expect((await thrownResponse(openCertificate(draft, finisher.cookie))).status).toBe(404)
    const nothing = certificateLoader(routeArgs(requestFor('/courses/no-such-course/certificate', { cookie: finisher.cookie }), { slug: 'no-such-course' }))
    expect((await thrownResponse(nothing)).status).toBe(404)
  })
})

describe('sharing a certificate', () => {
  it('the signed share link shows the certificate to anyone, visitors included, and nothing of the account', async () => {
    const own = (await ownCertificate(free, finisher)).data
    const query = own.share!.pagePath.slice(own.share!.pagePath.indexOf('?'))
    for (const cookie of [undefined, stranger.cookie]) {
      const shared = pageOf<Page>(await openCertificate(free, cookie, query))
      expect(shared.status).toBe(200)
      expect(shared.data).toMatchObject({ shared: true, face: own.face })
      expect(JSON.stringify(shared.data)).not.toContain('@')
    }
  })

  it('someone else’s certificate has no URL but its share link: a forged, altered or other-course token is 404', async () => {
    const own = (await ownCertificate(free, finisher)).data
    const token = own.share!.pagePath.split('?s=')[1]!
    const signature = token.split('-').slice(1).join('-')
    for (const forged of [`${finisher.id}-${'A'.repeat(22)}`, `${halfway.id}-${signature}`, 'abc', `${finisher.id}`]) {
      expect((await thrownResponse(openCertificate(free, stranger.cookie, `?s=${forged}`))).status).toBe(404)
    }
    // The same reader's token, on a course they have not finished.
    expect((await thrownResponse(openCertificate(priced, undefined, `?s=${token}`))).status).toBe(404)
    // A stranger's own page is their own progress, never the finisher's certificate.
    expect((await ownCertificate(free, stranger)).data).toMatchObject({ finished: false, learned: 0 })
  })

  it('a share link of a reader who has not finished opens nothing', async () => {
    const { certificateShareToken } = await import('~/utils/course-certificate.server')
    const token = certificateShareToken({ courseId: free.course.id, userId: halfway.id })
    expect((await thrownResponse(openCertificate(free, undefined, `?s=${token}`))).status).toBe(404)
    expect((await thrownResponse(fetchImage(free, `${token}.png`))).status).toBe(404)
  })

  it('the picture is a 1200×630 PNG, public for an hour, and a repeat with its ETag is 304', async () => {
    const own = (await ownCertificate(free, finisher)).data
    const file = own.share!.imagePath.split('/').at(-1)!
    const response = await fetchImage(free, file)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('image/png')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=3600')
    const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 1200, 630])
    const again = await fetchImage(free, file, { 'If-None-Match': response.headers.get('ETag')! })
    expect(again.status).toBe(304)
    expect((await thrownResponse(fetchImage(free, file.replace('.png', '.jpg')))).status).toBe(404)
  })

  it('a name with markup is drawn as text, not as SVG', async () => {
    const { certificateSvg } = await import('~/utils/course-certificate.server')
    const svg = certificateSvg({ name: '<b>&"', courseTitle: 'x</text>', lecturerName: 'y', lessonCount: 1, finishedOn: 'z', number: 'ZY-001-00000000' })
    expect(svg).toContain('&lt;b&gt;&amp;&quot;')
    expect(svg).not.toContain('x</text>')
  })
})

describe('「恭喜完成本课」', () => {
  const progress = (course: Course, lesson: string, who: Reader, form: Record<string, string>) =>
    progressAction(routeArgs(requestFor(`/courses/${course.course.slug}/${lesson}/progress`, { cookie: who.cookie, form }), { slug: course.course.slug, lesson }))
  const lessonPage = (course: Course, lesson: string, who: Reader) =>
    lessonLoader(routeArgs(requestFor(`/courses/${course.course.slug}/${lesson}`, { cookie: who.cookie }), { slug: course.course.slug, lesson }))

  it('「标记为已学」 on the last lesson says so, and every lesson of the course then links the certificate', async () => {
    const learner = await reader('标记读者')
    const first = readRedirect(await progress(free, 'one', learner, { intent: 'learned' }))
    expect((await flashOf(first.cookies))?.message).toBe('已将「第 1 讲」标记为已学')
    expect(readData<{ certificatePath: string | null }>(await lessonPage(free, 'one', learner)).data.certificatePath).toBeNull()
    await progress(free, 'two', learner, { intent: 'learned' })
    const last = readRedirect(await progress(free, 'three', learner, { intent: 'learned' }))
    expect(last.location).toBe(`/courses/${free.course.slug}/three`)
    expect((await flashOf(last.cookies))?.message).toBe(c.flash('好奇心的科学'))
    expect((await flashOf(last.cookies))?.message).toContain('恭喜完成本课')
    for (const lesson of ['one', 'three']) {
      expect(readData<{ certificatePath: string | null }>(await lessonPage(free, lesson, learner)).data.certificatePath).toBe(certificatePath(free))
    }
  })

  it('the player’s report that learns the last lesson answers courseFinished, once; the reports after it do not', async () => {
    const learner = await reader('收听读者')
    await learned(learner, free, 0, new Date())
    await learned(learner, free, 1, new Date())
    const body = async (position: string) => (await progress(free, 'three', learner, { intent: 'position', position })).json()
    expect(await body('50')).toMatchObject({ learned: false, courseFinished: false })
    expect(await body('95')).toMatchObject({ learned: true, courseFinished: true })
    expect(await body('99')).toMatchObject({ learned: true, courseFinished: false })
  })
})

describe('/account: 已完成的课程', () => {
  it('lists the courses the reader finished with their day and certificate, and none they are still learning', async () => {
    const account = await accountLoader(routeArgs(requestFor('/account', { cookie: finisher.cookie })))
    expect(account.finishedCourses).toEqual([
      { title: '好奇心的科学', coursePath: `/courses/${free.course.slug}`, certificatePath: certificatePath(free), finishedOn: formatDate('2026-12-05T17:30:00Z', 'Asia/Shanghai') },
    ])
    // On the page, the day is the site's other dates' (no year within this year); the certificate itself always has its year.
    expect(account.finishedCourses.map((c) => c.finishedOn)).toEqual([expect.stringMatching(/^(2026年)?12月6日$/)])
    const other = await accountLoader(routeArgs(requestFor('/account', { cookie: halfway.cookie })))
    expect(other.finishedCourses).toEqual([])
  })
})
