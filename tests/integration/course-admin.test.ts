import { readFile } from 'node:fs/promises'
import sharp from 'sharp'
import { join } from 'node:path'
import { and, asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, courseChapters, courseLessons, courses, lessonProgress, media, tiers } from '../../db/schema'
import { DEMO_COURSE_MEDIA_DIR, seedCourseFields } from '../../db/seed-courses'
import { t } from '~/i18n/zh-CN'
import { loader as listLoader } from '~/routes/admin.courses._index'
import { action as newAction, loader as newLoader } from '~/routes/admin.courses.new'
import { action as editAction, loader as editLoader } from '~/routes/admin.courses.$id'
import { action as learnersAction, loader as learnersLoader } from '~/routes/admin.courses.$id.learners'
import { databaseHandle, db } from '~/utils/db.server'
import { insertCourse } from '../factories/courses'
import { countRows } from '../factories/db'
import { signedIn } from '../factories/dailies'
import { flashOf, readData, readRedirect, requestFor, routeArgs, SITE_ORIGIN, thrownResponse } from '../factories/requests'

const a = t.courseAdmin
const e = a.errors

let admin: { id: number; cookie: string }
let editor: { id: number; cookie: string }
let member: { id: number; cookie: string }
let fieldId: number
let tieganId: number
let slugSequence = 0

beforeAll(async () => {
  await seedCourseFields(databaseHandle)
  for (const [target, options] of [
    ['admin', { role: 'admin' }],
    ['editor', { role: 'editor' }],
    ['member', { tier: 'tiegan' }],
  ] as const) {
    const { user, cookie } = await signedIn(options)
    const who = { id: user.id, cookie }
    if (target === 'admin') admin = who
    else if (target === 'editor') editor = who
    else member = who
  }
  fieldId = (await db.query.courseFields.findFirst())!.id
  tieganId = (await db.query.tiers.findFirst({ where: eq(tiers.slug, 'tiegan') }))!.id
})

function courseForm(overrides: Record<string, string> = {}) {
  slugSequence += 1
  return {
    intent: 'course.save',
    title: '商业的底层逻辑',
    slug: `admin-course-${slugSequence}`,
    subtitle: '十讲读懂商业',
    fieldId: String(fieldId),
    lecturerName: '王老师',
    lecturerBio: '十年投资人',
    introduction: '## 你将学到\n\n**价值**',
    price: '99',
    includedTierId: String(tieganId),
    published: 'on',
    ...overrides,
  }
}

/** The form as a browser sends it with a checkbox left unticked: the field is absent. */
function without(form: Record<string, string>, name: string) {
  const { [name]: _absent, ...rest } = form
  return rest
}

const createCourse = (cookie: string, form: Record<string, string>) => newAction(routeArgs(requestFor('/admin/courses/new', { cookie, form })))
const postEdit = (id: number, cookie: string, form: Record<string, string>) =>
  editAction(routeArgs(requestFor(`/admin/courses/${id}`, { cookie, form }), { id: String(id) }))

function uploadLesson(id: number, cookie: string, fields: Record<string, string>, file?: { bytes: Buffer; type: string; name: string }) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  const request = new Request(`${SITE_ORIGIN}/admin/courses/${id}`, { method: 'POST', body: form, headers: { Cookie: cookie, Origin: SITE_ORIGIN } })
  return editAction(routeArgs(request, { id: String(id) }))
}

const demoFile = async (name: string) => readFile(join(DEMO_COURSE_MEDIA_DIR, name))

function auditOf(courseId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'course'), eq(auditLog.targetId, String(courseId))))
    .orderBy(asc(auditLog.id))
}

async function newCourse(overrides: Record<string, string> = {}) {
  const { location } = readRedirect(await createCourse(editor.cookie, courseForm(overrides)))
  return Number(location!.split('/').at(-1))
}

async function addChapter(courseId: number, title: string) {
  readRedirect(await postEdit(courseId, editor.cookie, { intent: 'chapter.add', title }))
  const chapters = await db.select().from(courseChapters).where(eq(courseChapters.courseId, courseId)).orderBy(asc(courseChapters.position))
  return chapters.at(-1)!
}

function lessonsOf(chapterId: number) {
  return db.select().from(courseLessons).where(eq(courseLessons.chapterId, chapterId)).orderBy(asc(courseLessons.position), asc(courseLessons.id))
}

const lessonFields = (chapterId: number, overrides: Record<string, string> = {}) => ({
  chapterId: String(chapterId),
  title: '什么是价值',
  slug: 'value',
  transcript: '## 文稿\n\n价值是……',
  preview: 'on',
  publishAt: '2026-12-01T08:00',
  ...overrides,
})

describe('who may use the course editor', () => {
  it('a member gets 403 from the list, the new-course form, the editor and the CSV, and nothing is written', async () => {
    const id = await newCourse()
    const [coursesBefore, auditBefore, chaptersBefore] = await Promise.all([countRows(courses), countRows(auditLog), countRows(courseChapters)])
    const forbidden = [
      listLoader(routeArgs(requestFor('/admin/courses', { cookie: member.cookie }))),
      newLoader(routeArgs(requestFor('/admin/courses/new', { cookie: member.cookie }))),
      createCourse(member.cookie, courseForm()),
      editLoader(routeArgs(requestFor(`/admin/courses/${id}`, { cookie: member.cookie }), { id: String(id) })),
      postEdit(id, member.cookie, courseForm({ title: '被改了' })),
      postEdit(id, member.cookie, { intent: 'chapter.add', title: '偷加的章' }),
      learnersAction(routeArgs(requestFor(`/admin/courses/${id}/learners`, { cookie: member.cookie, form: {} }), { id: String(id) })),
    ]
    for (const call of forbidden) expect((await thrownResponse(call)).status).toBe(403)
    expect([await countRows(courses), await countRows(auditLog), await countRows(courseChapters)]).toEqual([coursesBefore, auditBefore, chaptersBefore])
    expect((await db.query.courses.findFirst({ where: eq(courses.id, id) }))!.title).toBe('商业的底层逻辑')
  })

  it('an editor opens the list and the editor (as for /admin/posts); only an admin exports learners', async () => {
    const id = await newCourse()
    await expect(listLoader(routeArgs(requestFor('/admin/courses', { cookie: editor.cookie })))).resolves.toBeTruthy()
    const page = await editLoader(routeArgs(requestFor(`/admin/courses/${id}`, { cookie: editor.cookie }), { id: String(id) }))
    expect(page.canExport).toBe(false)
    const response = await thrownResponse(learnersAction(routeArgs(requestFor(`/admin/courses/${id}/learners`, { cookie: editor.cookie, form: {} }), { id: String(id) })))
    expect(response.status).toBe(403)
  })
})

describe('creating and editing a course', () => {
  it('creates a course with its price in fen, the including tier and its state, audited as course.create', async () => {
    const form = courseForm()
    const { location, cookies } = readRedirect(await createCourse(editor.cookie, form))
    const id = Number(location!.split('/').at(-1))
    expect(location).toBe(`/admin/courses/${id}`)
    expect((await flashOf(cookies))?.message).toBe(a.created)
    const course = await db.query.courses.findFirst({ where: eq(courses.id, id) })
    expect(course).toMatchObject({ slug: form.slug, title: '商业的底层逻辑', priceFen: 9900, includedTierId: tieganId, published: true, lecturerName: '王老师' })
    expect(course!.publishedAt).toBeInstanceOf(Date)
    expect((await auditOf(id)).map((entry) => [entry.action, entry.actorId])).toEqual([['course.create', editor.id]])
  })

  it('an empty price means not for sale, 0 means free; unpublishing is audited as course.unpublish', async () => {
    const id = await newCourse()
    const slug = (await db.query.courses.findFirst({ where: eq(courses.id, id) }))!.slug
    readRedirect(await postEdit(id, editor.cookie, without(courseForm({ slug, price: '', includedTierId: '' }), 'published')))
    expect(await db.query.courses.findFirst({ where: eq(courses.id, id) })).toMatchObject({ priceFen: null, includedTierId: null, published: false })
    readRedirect(await postEdit(id, editor.cookie, without(courseForm({ slug, price: '0' }), 'published')))
    expect((await db.query.courses.findFirst({ where: eq(courses.id, id) }))!.priceFen).toBe(0)
    readRedirect(await postEdit(id, editor.cookie, without(courseForm({ slug, price: '9.9' }), 'published')))
    expect((await db.query.courses.findFirst({ where: eq(courses.id, id) }))!.priceFen).toBe(990)
    expect((await auditOf(id)).map((entry) => entry.action)).toEqual(['course.create', 'course.unpublish', 'course.update', 'course.update'])
  })

  it('refuses a taken slug, a slug that is not URL-safe, a bad price and an unknown field with zh-CN errors; nothing changes', async () => {
    const taken = await newCourse()
    const takenSlug = (await db.query.courses.findFirst({ where: eq(courses.id, taken) }))!.slug
    const [coursesBefore, auditBefore] = [await countRows(courses), await countRows(auditLog)]
    const cases: [Record<string, string>, number, Record<string, string>][] = [
      [{ slug: takenSlug }, 409, { slug: e.slugTaken }],
      [{ slug: '商业 课' }, 400, { slug: e.slugInvalid }],
      [{ slug: '../cover' }, 400, { slug: e.slugInvalid }],
      [{ price: '-5' }, 400, { price: e.priceInvalid }],
      [{ price: '9.999' }, 400, { price: e.priceInvalid }],
      [{ title: '   ' }, 400, { title: e.titleRequired }],
      [{ fieldId: '99999' }, 400, { fieldId: e.fieldInvalid }],
      [{ includedTierId: '99999' }, 400, { includedTierId: e.tierInvalid }],
    ]
    for (const [overrides, status, errors] of cases) {
      const refused = readData(await createCourse(editor.cookie, courseForm(overrides)))
      expect([refused.status, refused.data.errors]).toEqual([status, errors])
    }
    expect([await countRows(courses), await countRows(auditLog)]).toEqual([coursesBefore, auditBefore])

    // Editing another course onto the taken slug is refused the same way, and keeps its fields.
    const other = await newCourse()
    const before = await db.query.courses.findFirst({ where: eq(courses.id, other) })
    const refused = readData(await postEdit(other, editor.cookie, courseForm({ slug: takenSlug, title: '新名字' })))
    expect([refused.status, refused.data.errors]).toEqual([409, { slug: e.slugTaken }])
    expect(await db.query.courses.findFirst({ where: eq(courses.id, other) })).toEqual(before)
  })
})

describe('chapters', () => {
  it('adds, renames and reorders chapters, refuses to delete one that holds lessons, deletes an empty one — each audited', async () => {
    const id = await newCourse()
    const first = await addChapter(id, '第一章')
    const second = await addChapter(id, '第二章')
    readRedirect(await postEdit(id, editor.cookie, { intent: 'chapter.rename', chapterId: String(first.id), title: '开篇' }))
    readRedirect(await postEdit(id, editor.cookie, { intent: 'chapter.move', chapterId: String(second.id), direction: 'up' }))
    const order = await db.select().from(courseChapters).where(eq(courseChapters.courseId, id)).orderBy(asc(courseChapters.position))
    expect(order.map((c) => c.title)).toEqual(['第二章', '开篇'])

    readRedirect(await uploadLesson(id, editor.cookie, lessonFields(first.id), { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'value.mp3' }))
    const refused = readData(await postEdit(id, editor.cookie, { intent: 'chapter.delete', chapterId: String(first.id) }))
    expect([refused.status, refused.data.errors]).toEqual([409, { form: e.chapterNotEmpty }])
    expect(await countRows(courseChapters)).toBeGreaterThan(0)
    readRedirect(await postEdit(id, editor.cookie, { intent: 'chapter.delete', chapterId: String(second.id) }))
    expect((await db.select().from(courseChapters).where(eq(courseChapters.courseId, id))).map((c) => c.title)).toEqual(['开篇'])
    expect((await auditOf(id)).map((entry) => entry.action)).toEqual([
      'course.create',
      'course.chapter.add',
      'course.chapter.add',
      'course.chapter.rename',
      'course.chapter.move',
      'course.lesson.add',
      'course.chapter.delete',
    ])
  })

  it('refuses an empty chapter title, an unknown intent and a chapter of another course with 4xx; nothing changes', async () => {
    const id = await newCourse()
    const elsewhere = await addChapter(await newCourse(), '别的课的章')
    const auditBefore = await countRows(auditLog)
    const empty = readData(await postEdit(id, editor.cookie, { intent: 'chapter.add', title: ' ' }))
    expect([empty.status, empty.data.errors]).toEqual([400, { title: e.chapterTitleRequired }])
    expect(readData(await postEdit(id, editor.cookie, { intent: 'chapter.explode' })).status).toBe(400)
    const foreign = readData(await postEdit(id, editor.cookie, { intent: 'chapter.rename', chapterId: String(elsewhere.id), title: '改掉' }))
    expect([foreign.status, foreign.data.errors]).toEqual([404, { form: e.chapterNotFound }])
    expect(readData(await postEdit(id, editor.cookie, { intent: 'chapter.move', chapterId: String(elsewhere.id), direction: 'sideways' })).status).toBe(400)
    expect((await db.query.courseChapters.findFirst({ where: eq(courseChapters.id, elsewhere.id) }))!.title).toBe('别的课的章')
    expect(await countRows(auditLog)).toBe(auditBefore)
  })
})

describe('lessons', () => {
  it('uploads an audio lesson and a video lesson through the ingest checks: kind, length, 文稿, 试听 and publish time stored', async () => {
    const id = await newCourse()
    const chapter = await addChapter(id, '第一章')
    const { cookies } = readRedirect(
      await uploadLesson(id, editor.cookie, lessonFields(chapter.id), { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'value.mp3' }),
    )
    expect((await flashOf(cookies))?.message).toBe(a.lessons.added('什么是价值'))
    readRedirect(
      await uploadLesson(id, editor.cookie, without(lessonFields(chapter.id, { title: '护城河', slug: 'moat', publishAt: '2027-01-04T20:00' }), 'preview'), {
        bytes: await demoFile('business-03-moat.mp4'),
        type: 'video/mp4',
        name: 'moat.mp4',
      }),
    )
    const [audio, video] = await lessonsOf(chapter.id)
    expect(audio).toMatchObject({ slug: 'value', kind: 'audio', preview: true, transcript: '## 文稿\n\n价值是……', position: 1 })
    expect(audio!.durationSeconds).toBeGreaterThan(0)
    // 20:00 in Shanghai is 12:00 UTC.
    expect(video).toMatchObject({ slug: 'moat', kind: 'video', preview: false, position: 2, publishAt: new Date('2027-01-04T12:00:00Z') })
    expect((await db.query.media.findFirst({ where: eq(media.id, video!.mediaId) }))!.uploadedBy).toBe(editor.id)
  })

  it('refuses a file that is not what it claims, a missing file, a reserved or taken slug — and keeps no file', async () => {
    const id = await newCourse()
    const chapter = await addChapter(id, '第一章')
    const mp3 = { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'value.mp3' }
    readRedirect(await uploadLesson(id, editor.cookie, lessonFields(chapter.id), mp3))
    const [mediaBefore, lessonsBefore, auditBefore] = [await countRows(media), await countRows(courseLessons), await countRows(auditLog)]

    const fake = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id, { slug: 'fake' }), { ...mp3, type: 'video/mp4', name: 'fake.mp4' }))
    expect([fake.status, fake.data.errors]).toEqual([415, { file: t.media.videoType }])
    const text = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id, { slug: 'text' }), { bytes: Buffer.from('不是音频'), type: 'audio/mpeg', name: 'a.mp3' }))
    expect([text.status, text.data.errors]).toEqual([415, { file: t.media.audioType }])
    const missing = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id, { slug: 'missing' })))
    expect([missing.status, missing.data.errors]).toEqual([400, { file: e.fileRequired }])
    const reserved = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id, { slug: 'cover' }), mp3))
    expect([reserved.status, reserved.data.errors]).toEqual([400, { slug: e.lessonSlugReserved('cover') }])
    const taken = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id), mp3))
    expect([taken.status, taken.data.errors]).toEqual([409, { slug: e.lessonSlugTaken }])
    const badTime = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id, { slug: 'later', publishAt: '下周' }), mp3))
    expect([badTime.status, badTime.data.errors]).toEqual([400, { publishAt: e.publishAtInvalid }])

    expect([await countRows(media), await countRows(courseLessons), await countRows(auditLog)]).toEqual([mediaBefore, lessonsBefore, auditBefore])
  })

  it('reorders lessons within their chapter and deletes one with its file and its readers’ progress', async () => {
    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'one' }, { slug: 'two' }, { slug: 'three' }] })
    await db.insert(lessonProgress).values({ userId: member.id, lessonId: lessons[1]!.id, courseId: course.id, positionSeconds: 10, updatedAt: new Date() })
    readRedirect(await postEdit(course.id, editor.cookie, { intent: 'lesson.move', lessonId: String(lessons[2]!.id), direction: 'up' }))
    expect((await lessonsOf(lessons[0]!.chapterId)).map((l) => l.slug)).toEqual(['one', 'three', 'two'])
    // The first cannot move further up: the order stays.
    readRedirect(await postEdit(course.id, editor.cookie, { intent: 'lesson.move', lessonId: String(lessons[0]!.id), direction: 'up' }))
    expect((await lessonsOf(lessons[0]!.chapterId)).map((l) => l.slug)).toEqual(['one', 'three', 'two'])

    const { cookies } = readRedirect(await postEdit(course.id, editor.cookie, { intent: 'lesson.delete', lessonId: String(lessons[1]!.id) }))
    expect((await flashOf(cookies))?.message).toBe(a.lessons.deleted('第 2 讲'))
    expect((await lessonsOf(lessons[0]!.chapterId)).map((l) => l.slug)).toEqual(['one', 'three'])
    expect(await db.query.media.findFirst({ where: eq(media.id, lessons[1]!.mediaId) })).toBeUndefined()
    expect(await db.select().from(lessonProgress).where(eq(lessonProgress.lessonId, lessons[1]!.id))).toEqual([])
    expect((await auditOf(course.id)).map((entry) => entry.action)).toEqual(['course.lesson.move', 'course.lesson.move', 'course.lesson.delete'])

    const foreign = readData(await postEdit((await insertCourse()).course.id, editor.cookie, { intent: 'lesson.delete', lessonId: String(lessons[0]!.id) }))
    expect(foreign.status).toBe(404)
    expect(await db.query.courseLessons.findFirst({ where: eq(courseLessons.id, lessons[0]!.id) })).toBeTruthy()
  })
})

describe('learners', () => {
  async function withLearners() {
    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'one' }, { slug: 'two' }, { slug: 'later', publishAt: new Date(Date.now() + 86_400_000) }] })
    const finisher = await signedIn({ tier: 'tiegan' })
    const starter = await signedIn({ tier: 'tiegan' })
    const now = new Date()
    await db.insert(lessonProgress).values([
      // Finished every released lesson (the unreleased third does not count).
      { userId: finisher.user.id, lessonId: lessons[0]!.id, courseId: course.id, positionSeconds: 100, completedAt: now, updatedAt: new Date(now.getTime() - 60_000) },
      { userId: finisher.user.id, lessonId: lessons[1]!.id, courseId: course.id, positionSeconds: 100, completedAt: now, updatedAt: now },
      { userId: starter.user.id, lessonId: lessons[0]!.id, courseId: course.id, positionSeconds: 30, updatedAt: new Date(now.getTime() - 3_600_000) },
    ])
    return { course, finisher: finisher.user, starter: starter.user }
  }

  it('the list shows each course’s field, state, lesson count, learners and completion rate', async () => {
    const { course } = await withLearners()
    const list = await listLoader(routeArgs(requestFor('/admin/courses', { cookie: editor.cookie })))
    expect(list.courses.find((c) => c.id === course.id)).toMatchObject({ title: course.title, published: true, lessonCount: 3, learners: 2, completionPercent: 50 })
    expect(list.courses.find((c) => c.id === course.id)!.fieldName).toBeTruthy()
  })

  it('exports the learners as CSV by POST only (name, email, progress, last learned, finished), audited as course.export', async () => {
    const { course, finisher, starter } = await withLearners()
    const get = await learnersLoader()
    expect(get.status).toBe(405)
    const response = await learnersAction(routeArgs(requestFor(`/admin/courses/${course.id}/learners`, { cookie: admin.cookie, form: {} }), { id: String(course.id) }))
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const lines = (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    expect(lines[0]).toBe(a.learners.csvHeader.join(','))
    expect(lines.slice(1).map((line) => line.split(',').filter((_, i) => i !== 4))).toEqual([
      [finisher.displayName, finisher.email, '2', '2', a.learners.yes],
      [starter.displayName, starter.email, '0', '2', a.learners.no],
    ])
    expect((await auditOf(course.id)).map((entry) => [entry.action, entry.actorId, entry.detail])).toEqual([['course.export', admin.id, { count: 2 }]])
  })
})

describe('editing a lesson after adding it', () => {
  function editLesson(courseId: number, fields: Record<string, string>, file?: { bytes: Buffer; type: string; name: string }) {
    return uploadLesson(courseId, editor.cookie, { intent: 'lesson.edit', ...fields }, file)
  }
  const editFields = (lessonId: number, overrides: Record<string, string> = {}) => ({
    lessonId: String(lessonId),
    title: '改过的标题',
    transcript: '第一行\r\n第二行',
    publishAt: '2027-02-01T08:00',
    ...overrides,
  })

  it('saves title, 文稿 (as LF), 试听 and publish time; the slug stays; audited with what changed', async () => {
    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'one', preview: true }] })
    const { cookies } = readRedirect(await editLesson(course.id, editFields(lessons[0]!.id)))
    expect((await flashOf(cookies))?.message).toBe(a.lessons.edited('改过的标题'))
    const [lesson] = await lessonsOf(lessons[0]!.chapterId)
    // 08:00 in Shanghai is 00:00 UTC; the 试听 box left unticked turns it off.
    expect(lesson).toMatchObject({ slug: 'one', title: '改过的标题', transcript: '第一行\n第二行', preview: false, publishAt: new Date('2027-02-01T00:00:00Z'), mediaId: lessons[0]!.mediaId })
    const [entry] = await auditOf(course.id)
    expect([entry!.action, entry!.detail]).toEqual(['course.lesson.edit', { title: '改过的标题', lessonId: lessons[0]!.id, changed: ['title', 'transcript', 'preview', 'publishAt'], replacedFile: false }])
  })

  it('replaces the file: the new one is checked by content, its kind and length kept, the old file and poster removed', async () => {
    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'clip', kind: 'video' }] })
    const old = lessons[0]!
    readRedirect(await editLesson(course.id, editFields(old.id, { preview: 'on' }), { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'value.mp3' }))
    const [lesson] = await lessonsOf(old.chapterId)
    expect(lesson).toMatchObject({ kind: 'audio', posterId: null, preview: true })
    expect(lesson!.mediaId).not.toBe(old.mediaId)
    expect(lesson!.durationSeconds).not.toBe(old.durationSeconds)
    expect(await db.query.media.findFirst({ where: eq(media.id, old.mediaId) })).toBeUndefined()
    expect(await db.query.media.findFirst({ where: eq(media.id, old.posterId!) })).toBeUndefined()
  })

  it('refuses an empty title, a bad time, a file that is not audio or video, and another course’s lesson — nothing changes, no file kept', async () => {
    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'one' }] })
    const other = await insertCourse()
    const target = lessons[0]!
    const [before, mediaBefore, auditBefore] = [await lessonsOf(target.chapterId), await countRows(media), await countRows(auditLog)]
    const cases: [Record<string, string>, { bytes: Buffer; type: string; name: string } | undefined, number, Record<string, string>][] = [
      [editFields(target.id, { title: '  ' }), undefined, 400, { title: e.lessonTitleRequired }],
      [editFields(target.id, { publishAt: '下周一' }), undefined, 400, { publishAt: e.publishAtInvalid }],
      [editFields(target.id), { bytes: Buffer.from('不是音频'), type: 'audio/mpeg', name: 'a.mp3' }, 415, { file: t.media.audioType }],
      [editFields(other.lessons[0]!.id), undefined, 404, { form: e.lessonNotFound }],
      // A valid file with a refused field is not kept either.
      [editFields(target.id, { title: '' }), { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'value.mp3' }, 400, { title: e.lessonTitleRequired }],
    ]
    for (const [fields, file, status, errors] of cases) {
      const refused = readData(await editLesson(course.id, fields, file))
      expect([refused.status, refused.data.errors]).toEqual([status, errors])
    }
    expect([await lessonsOf(target.chapterId), await countRows(media), await countRows(auditLog)]).toEqual([before, mediaBefore, auditBefore])
    expect((await lessonsOf(other.lessons[0]!.chapterId))[0]!.title).toBe('第 1 讲')
  })

  it('a lesson may not be called 「certificate」: the certificate page answers that address', async () => {
    const id = await newCourse()
    const chapter = await addChapter(id, '第一章')
    const refused = readData(await uploadLesson(id, editor.cookie, lessonFields(chapter.id, { slug: 'certificate' }), { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'v.mp3' }))
    expect([refused.status, refused.data.errors]).toEqual([400, { slug: e.lessonSlugReserved('certificate') }])
  })
})

describe('the course cover', () => {
  function uploadCover(courseId: number, file?: { bytes: Buffer; type: string; name: string }) {
    const form = new FormData()
    form.append('intent', 'course.cover')
    if (file) form.append('cover', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
    const request = new Request(`${SITE_ORIGIN}/admin/courses/${courseId}`, { method: 'POST', body: form, headers: { Cookie: editor.cookie, Origin: SITE_ORIGIN } })
    return editAction(routeArgs(request, { id: String(courseId) }))
  }

  it('replaces the cover with a fresh encode of the image and removes the old file', async () => {
    const { course, cover } = await insertCourse()
    const png = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#336699' } }).png().toBuffer()
    const { cookies } = readRedirect(await uploadCover(course.id, { bytes: png, type: 'image/png', name: 'cover.png' }))
    expect((await flashOf(cookies))?.message).toBe(a.cover.saved)
    const saved = await db.query.courses.findFirst({ where: eq(courses.id, course.id) })
    expect(saved!.coverId).not.toBe(cover.id)
    expect((await db.query.media.findFirst({ where: eq(media.id, saved!.coverId!) }))!.mimeType).toBe('image/png')
    expect(await db.query.media.findFirst({ where: eq(media.id, cover.id) })).toBeUndefined()
    const page = await editLoader(routeArgs(requestFor(`/admin/courses/${course.id}`, { cookie: editor.cookie }), { id: String(course.id) }))
    expect(page.course.coverUrl).toBe(`/courses/${course.slug}/cover?v=${saved!.coverId}`)
  })

  it('refuses a file that is not an image by its content, or none at all; the cover and the media stay', async () => {
    const { course } = await insertCourse()
    const [mediaBefore, auditBefore] = [await countRows(media), await countRows(auditLog)]
    const fake = readData(await uploadCover(course.id, { bytes: Buffer.from('<html>not a picture</html>'), type: 'image/png', name: 'cover.png' }))
    expect([fake.status, fake.data.errors]).toEqual([415, { cover: t.media.imageType }])
    const none = readData(await uploadCover(course.id))
    expect([none.status, none.data.errors]).toEqual([400, { cover: e.coverRequired }])
    // An audio file sent as the lesson's `file` part of a cover form is not a cover.
    const wrongPart = readData(await uploadLesson(course.id, editor.cookie, { intent: 'course.cover' }, { bytes: await demoFile('business-01-value.mp3'), type: 'audio/mpeg', name: 'v.mp3' }))
    expect([wrongPart.status, wrongPart.data.errors]).toEqual([400, { cover: e.coverRequired }])
    expect([await countRows(media), await countRows(auditLog)]).toEqual([mediaBefore, auditBefore])
    expect((await db.query.courses.findFirst({ where: eq(courses.id, course.id) }))!.coverId).toBe(course.coverId)
  })
})

describe('drag-and-drop reordering', () => {
  it('writes the dragged order of chapters and of a chapter’s lessons, audited', async () => {
    const id = await newCourse()
    const [one, two, three] = [await addChapter(id, '一'), await addChapter(id, '二'), await addChapter(id, '三')]
    readRedirect(await postEdit(id, editor.cookie, { intent: 'chapter.reorder', order: [three!.id, one!.id, two!.id].join(',') }))
    const chapters = await db.select().from(courseChapters).where(eq(courseChapters.courseId, id)).orderBy(asc(courseChapters.position))
    expect(chapters.map((chapter) => chapter.title)).toEqual(['三', '一', '二'])

    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'a' }, { slug: 'b' }, { slug: 'c' }] })
    const order = [lessons[2]!.id, lessons[0]!.id, lessons[1]!.id].join(',')
    const { cookies } = readRedirect(await postEdit(course.id, editor.cookie, { intent: 'lesson.reorder', chapterId: String(lessons[0]!.chapterId), order }))
    expect((await flashOf(cookies))?.message).toBe(a.lessons.reordered)
    expect((await lessonsOf(lessons[0]!.chapterId)).map((lesson) => lesson.slug)).toEqual(['c', 'a', 'b'])
    expect((await auditOf(course.id)).map((entry) => entry.action)).toEqual(['course.lesson.reorder'])
  })

  it('refuses a malformed order (400) and one that is not exactly the list now — stale, foreign or partial (409); nothing moves', async () => {
    const { course, lessons } = await insertCourse({ lessons: [{ slug: 'a' }, { slug: 'b' }] })
    const other = await insertCourse()
    const chapterId = String(lessons[0]!.chapterId)
    const [a1, b1] = [lessons[0]!.id, lessons[1]!.id]
    const auditBefore = await countRows(auditLog)
    for (const [order, status, error] of [
      ['a,b', 400, e.orderInvalid],
      [`${a1},${a1}`, 400, e.orderInvalid],
      ['', 400, e.orderInvalid],
      [`${b1}`, 409, e.orderStale],
      [`${b1},${a1},${other.lessons[0]!.id}`, 409, e.orderStale],
      [`${b1},${other.lessons[0]!.id}`, 409, e.orderStale],
    ] as const) {
      const refused = readData(await postEdit(course.id, editor.cookie, { intent: 'lesson.reorder', chapterId, order }))
      expect([refused.status, Object.values(refused.data.errors)[0]]).toEqual([status, error])
    }
    const foreignChapter = readData(await postEdit(course.id, editor.cookie, { intent: 'lesson.reorder', chapterId: String(other.lessons[0]!.chapterId), order: String(other.lessons[0]!.id) }))
    expect(foreignChapter.status).toBe(404)
    const chapters = readData(await postEdit(course.id, editor.cookie, { intent: 'chapter.reorder', order: String(other.lessons[0]!.chapterId) }))
    expect([chapters.status, chapters.data.errors]).toEqual([409, { form: e.orderStale }])
    expect((await lessonsOf(lessons[0]!.chapterId)).map((lesson) => lesson.slug)).toEqual(['a', 'b'])
    expect(await countRows(auditLog)).toBe(auditBefore)
  })
})

describe('the editor’s figures and release schedule', () => {
  it('shows learners, finishers and the completion rate, and the lessons still to come soonest first', async () => {
    const day = 86_400_000
    const { course, lessons } = await insertCourse({
      lessons: [{ slug: 'out' }, { slug: 'in-two-weeks', publishAt: new Date(Date.now() + 14 * day) }, { slug: 'next-week', publishAt: new Date(Date.now() + 7 * day) }],
    })
    const now = new Date()
    await db.insert(lessonProgress).values([
      { userId: member.id, lessonId: lessons[0]!.id, courseId: course.id, completedAt: now, updatedAt: now },
      { userId: admin.id, lessonId: lessons[0]!.id, courseId: course.id, positionSeconds: 5, updatedAt: now },
      { userId: editor.id, lessonId: lessons[0]!.id, courseId: course.id, positionSeconds: 5, updatedAt: now },
    ])
    const page = await editLoader(routeArgs(requestFor(`/admin/courses/${course.id}`, { cookie: editor.cookie }), { id: String(course.id) }))
    expect([page.learners, page.completed, page.completionPercent]).toEqual([3, 1, 33])
    expect(page.schedule.map((item) => [item.title, item.chapterTitle])).toEqual([
      ['第 3 讲', '第一章'],
      ['第 2 讲', '第一章'],
    ])
    expect(page.schedule[0]!.publishAt).toMatch(/^(\d{4}年)?\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
  })
})

describe('sales per course', () => {
  it('counts the paid purchases of the course (orders of kind course), not an unpaid one nor another course’s', async () => {
    const { placeCourseOrder } = await import('~/models/course-orders.server')
    const { confirmPayment } = await import('~/models/commerce.server')
    const { paidNotice } = await import('../factories/orders')
    const { course } = await insertCourse({ priceFen: 9900 })
    const other = await insertCourse({ priceFen: 1900 })
    const now = new Date()
    for (const [target, pay] of [
      [course, true],
      [course, true],
      [course, false],
      [other.course, true],
    ] as const) {
      const { user } = await signedIn()
      const placed = await placeCourseOrder({ userId: user.id, courseId: target.id, now })
      if (!placed.ok) throw new Error('the order was refused')
      if (pay) await confirmPayment(paidNotice(placed.order), now)
    }
    const page = await editLoader(routeArgs(requestFor(`/admin/courses/${course.id}`, { cookie: editor.cookie }), { id: String(course.id) }))
    expect(page.sales).toBe(2)
  })
})
