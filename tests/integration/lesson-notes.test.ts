// Notes and highlights in a lesson's 文稿 (decision 045) through the lesson page's loader and
// action, /account/notes and its export, against this file's real SQLite database: a range is
// checked against the stored 文稿, refusals store nothing, a reader reaches only their own notes,
// and the lesson's access rule applies to notes as to the page.
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { lessonNotes, threads, type User } from '../../db/schema'
import { htmlPlainText } from '~/domain/lesson-notes'
import { t } from '~/i18n/zh-CN'
import { loader as notesPageLoader } from '~/routes/account_.notes'
import { loader as exportLoader } from '~/routes/account_.notes_.export'
import { action as lessonAction, loader as lessonLoader } from '~/routes/courses.$slug_.$lesson'
import { db } from '~/utils/db.server'
import { renderMarkdown } from '~/utils/markdown.server'
import { ageAccount, seededBoards } from '../factories/community'
import { insertCourse } from '../factories/courses'
import { countRows } from '../factories/db'
import { signedIn } from '../factories/dailies'
import { flashOf, readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'

const TRANSCRIPT = '更低的价格带来更多的顾客，更多的顾客带来更大的规模。\n\n好的模式里，**每一步**都在推动下一步 & 时间站在你这一边。'
const PLAIN = htmlPlainText(renderMarkdown(TRANSCRIPT, 'staff'))

type Reader = { user: User; cookie: string }
let tiegan: Reader
let other: Reader
let plain: Reader
let included: Awaited<ReturnType<typeof insertCourse>>
let free: Awaited<ReturnType<typeof insertCourse>>

beforeAll(async () => {
  await seededBoards()
  tiegan = await signedIn({ tier: 'tiegan' })
  other = await signedIn({ tier: 'tiegan' })
  plain = await signedIn()
  // Past the new-account posting limits, so a share is refused only by the board's rule.
  for (const reader of [tiegan, other, plain]) await ageAccount(reader.user.id, 2)
  included = await insertCourse({ included: 'tiegan', title: '商业模式', lessons: [{ slug: 'intro', preview: true, transcript: TRANSCRIPT }, { slug: 'flywheel', transcript: TRANSCRIPT }] })
  free = await insertCourse({ priceFen: 0, title: '免费课', lessons: [{ slug: 'intro', transcript: TRANSCRIPT }] })
})

type Course = typeof included
const path = (course: Course, lesson: string) => `/courses/${course.course.slug}/${lesson}`

function post(course: Course, lesson: string, reader: Reader | null, form: Record<string, string>) {
  return lessonAction(routeArgs(requestFor(path(course, lesson), { cookie: reader?.cookie, form }), { slug: course.course.slug, lesson }))
}

function open(course: Course, lesson: string, reader: Reader | null) {
  return lessonLoader(routeArgs(requestFor(path(course, lesson), { cookie: reader?.cookie }), { slug: course.course.slug, lesson }))
}

/** A highlight of the first occurrence of `quote` in the 文稿, as the page's script sends it. */
function highlightOf(quote: string, note = '') {
  const start = PLAIN.indexOf(quote)
  expect(start).toBeGreaterThanOrEqual(0)
  return { intent: 'highlight', startOffset: String(start), endOffset: String(start + quote.length), quote, note }
}

const notesOf = (reader: Reader) => db.select().from(lessonNotes).where(eq(lessonNotes.userId, reader.user.id))

type LessonPage = {
  player: {
    transcriptHtml: string
    notes: { items: { id: number; quote: string; note: string; placed: boolean }[]; share: { boardName: string; gate: { allowed: boolean; message?: string } } | null } | null
  } | null
}

describe('highlights and notes on a lesson the reader can open', () => {
  it('a 铁杆 member highlights a passage with a note: stored, drawn into their 文稿 and listed under it', async () => {
    const { location, cookies } = readRedirect(await post(included, 'flywheel', tiegan, highlightOf('更多的顾客带来更大的规模', '规模效应的前提是顾客\r\n愿意留下')))
    expect(location).toBe(path(included, 'flywheel'))
    expect((await flashOf(cookies))?.message).toBe(t.lessonNoteActions.flash.noted)
    const [row] = await notesOf(tiegan)
    expect(row).toMatchObject({ lessonId: included.lessons[1]!.id, courseId: included.course.id, quote: '更多的顾客带来更大的规模', note: '规模效应的前提是顾客\n愿意留下' })

    const { data } = readData<LessonPage>(await open(included, 'flywheel', tiegan))
    expect(data.player?.transcriptHtml).toContain(`<span id="note-${row!.id}"`)
    expect(data.player?.transcriptHtml).toMatch(new RegExp(`<mark [^>]*data-note="${row!.id}">更多的顾客带来更大的规模</mark>`))
    expect(data.player?.notes?.items).toEqual([{ id: row!.id, quote: '更多的顾客带来更大的规模', note: '规模效应的前提是顾客\n愿意留下', placed: true, updatedAt: expect.any(String) }])
    expect(data.player?.notes?.share).toEqual({ boardName: '分享', gate: { allowed: true } })
  })

  it('a bare highlight (划线) across a bold word and an entity is stored with an empty note', async () => {
    const quote = '每一步都在推动下一步 & 时间'
    readRedirect(await post(included, 'flywheel', tiegan, highlightOf(quote)))
    expect((await notesOf(tiegan)).find((row) => row.quote === quote)).toMatchObject({ note: '' })
  })

  it('another reader sees none of them: their 文稿 has no marks and their list is empty', async () => {
    const { data } = readData<LessonPage>(await open(included, 'flywheel', other))
    expect(data.player?.transcriptHtml).not.toContain('<mark')
    expect(data.player?.notes).toEqual({ items: [], share: null })
  })

  it('a visitor on the 试听 lesson reads the plain 文稿 and may not take notes (401, nothing stored)', async () => {
    const { data } = readData<LessonPage>(await open(included, 'intro', null))
    expect(data.player?.notes).toBeNull()
    const before = await countRows(lessonNotes)
    const { status, data: refused } = readData(await post(included, 'intro', null, highlightOf('更低的价格')))
    expect(status).toBe(401)
    expect(refused.errors.form).toBe(t.lessonNoteActions.errors.signInRequired)
    expect(await countRows(lessonNotes)).toBe(before)
  })
})

describe('what is refused, with nothing stored', () => {
  async function expectRefused(result: unknown, status: number, field: 'form' | 'range' | 'note', message: string) {
    const { status: actual, data } = readData(result)
    expect(actual).toBe(status)
    expect(data.errors[field]).toBe(message)
  }

  it('a note on a lesson the reader cannot open: 403 with the reason the lesson gives', async () => {
    const before = await countRows(lessonNotes)
    await expectRefused(await post(included, 'flywheel', plain, highlightOf('更低的价格')), 403, 'form', t.courses.refusal.membership_required)
    expect(await countRows(lessonNotes)).toBe(before)
  })

  it('a note over 2,000 characters (counted as characters: an emoji is one)', async () => {
    const before = await countRows(lessonNotes)
    await expectRefused(await post(included, 'flywheel', tiegan, highlightOf('更低的价格', '想'.repeat(2001))), 400, 'note', t.lessonNoteActions.errors.noteTooLong(2000, 2001))
    expect(await countRows(lessonNotes)).toBe(before)
    readRedirect(await post(included, 'flywheel', tiegan, highlightOf('更低的价格', '🙂'.repeat(2000))))
    expect(await countRows(lessonNotes)).toBe(before + 1)
  })

  it('a range outside the 文稿, a quote that is not the text there, a range of nothing but space', async () => {
    const before = await countRows(lessonNotes)
    const outside = { intent: 'highlight', startOffset: String(PLAIN.length - 2), endOffset: String(PLAIN.length + 5), quote: PLAIN.slice(-2) }
    await expectRefused(await post(included, 'flywheel', tiegan, outside), 400, 'range', t.lessonNoteActions.errors.range.outside)
    await expectRefused(await post(included, 'flywheel', tiegan, { ...highlightOf('更低的价格'), quote: '更高的价格' }), 400, 'range', t.lessonNoteActions.errors.range.quote_mismatch)
    await expectRefused(await post(included, 'flywheel', tiegan, { ...highlightOf('更低的价格'), startOffset: '-1' }), 400, 'range', t.lessonNoteActions.errors.range.outside)
    const gap = PLAIN.indexOf('\n')
    await expectRefused(await post(included, 'flywheel', tiegan, { intent: 'highlight', startOffset: String(gap), endOffset: String(gap + 1), quote: '\n' }), 400, 'range', t.lessonNoteActions.errors.range.empty)
    expect(await countRows(lessonNotes)).toBe(before)
  })

  it("another reader's note cannot be edited, deleted or shared through its id (404, unchanged)", async () => {
    const [mine] = await notesOf(tiegan)
    const threadsBefore = await countRows(threads)
    for (const form of [
      { intent: 'note', noteId: String(mine!.id), note: '改掉' },
      { intent: 'delete', noteId: String(mine!.id) },
      { intent: 'share', noteId: String(mine!.id) },
    ] as Record<string, string>[]) {
      await expectRefused(await post(included, 'flywheel', other, form), 404, 'form', t.lessonNoteActions.errors.notFound)
    }
    expect((await notesOf(tiegan)).find((row) => row.id === mine!.id)).toEqual(mine)
    expect(await countRows(threads)).toBe(threadsBefore)
  })
})

describe('editing, deleting and sharing one’s own notes', () => {
  it('the reader edits a note, then deletes the highlight', async () => {
    readRedirect(await post(included, 'flywheel', tiegan, highlightOf('时间站在你这一边')))
    const row = (await notesOf(tiegan)).find((r) => r.quote === '时间站在你这一边')!
    readRedirect(await post(included, 'flywheel', tiegan, { intent: 'note', noteId: String(row.id), note: '长期主义' }))
    expect((await notesOf(tiegan)).find((r) => r.id === row.id)?.note).toBe('长期主义')
    const tooLong = readData(await post(included, 'flywheel', tiegan, { intent: 'note', noteId: String(row.id), note: '长'.repeat(2001) }))
    expect(tooLong.status).toBe(400)
    expect((await notesOf(tiegan)).find((r) => r.id === row.id)?.note).toBe('长期主义')
    const { cookies } = readRedirect(await post(included, 'flywheel', tiegan, { intent: 'delete', noteId: String(row.id) }))
    expect((await flashOf(cookies))?.message).toBe(t.lessonNoteActions.flash.deleted)
    expect((await notesOf(tiegan)).some((r) => r.id === row.id)).toBe(false)
  })

  it('「分享到社区」 posts the quote, the note and a link to the lesson on the 分享 board', async () => {
    const row = (await notesOf(tiegan)).find((r) => r.note.startsWith('规模效应'))!
    const { location } = readRedirect(await post(included, 'flywheel', tiegan, { intent: 'share', noteId: String(row.id) }))
    expect(location).toMatch(/^\/community\/t\/\d+$/)
    const thread = await db.query.threads.findFirst({ where: eq(threads.id, Number(location!.split('/').pop())) })
    const { sharing } = await seededBoards()
    expect(thread).toMatchObject({ boardId: sharing.id, authorId: tiegan.user.id, title: '笔记 · 第 2 讲' })
    expect(thread!.body).toBe(`> 更多的顾客带来更大的规模\n\n规模效应的前提是顾客\n愿意留下\n\n摘自《商业模式》·第 2 讲：[${path(included, 'flywheel')}](${path(included, 'flywheel')})`)
  })

  it('a reader who may not post on the 分享 board is told why beside their notes, and a share is refused (403)', async () => {
    readRedirect(await post(free, 'intro', plain, highlightOf('更低的价格')))
    const { data } = readData<LessonPage>(await open(free, 'intro', plain))
    const share = data.player?.notes?.share
    expect(share?.gate.allowed).toBe(false)
    expect(share?.gate.message).toBe(t.community.cannotPost.tierRequired('亲情会员'))
    const [row] = await notesOf(plain)
    const threadsBefore = await countRows(threads)
    const { status, data: refused } = readData(await post(free, 'intro', plain, { intent: 'share', noteId: String(row!.id) }))
    expect(status).toBe(403)
    expect(refused.errors.form).toBe(share?.gate.message)
    expect(await countRows(threads)).toBe(threadsBefore)
  })
})

describe('/account/notes and its export', () => {
  it('lists the reader’s notes by course → lesson with links to the highlight', async () => {
    const { courses } = await notesPageLoader(routeArgs(requestFor('/account/notes', { cookie: tiegan.cookie })))
    expect(courses.map((course) => course.title)).toEqual(['商业模式'])
    const [lesson] = courses[0]!.lessons
    expect(lesson!.title).toBe('第 2 讲')
    const ids = (await notesOf(tiegan)).map((row) => row.id)
    expect(lesson!.notes.map((note) => note.href).sort()).toEqual(ids.map((id) => `${path(included, 'flywheel')}#note-${id}`).sort())
    // In the order of the text.
    expect(lesson!.notes.map((note) => note.quote)).toEqual([...lesson!.notes.map((note) => note.quote)].sort((a, b) => PLAIN.indexOf(a) - PLAIN.indexOf(b)))
  })

  it('exports them as a markdown file, one course or all; a course without notes is 404; a visitor is sent to sign in', async () => {
    const response = (await exportLoader(routeArgs(requestFor('/account/notes/export', { cookie: tiegan.cookie })))) as Response
    expect(response.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".*\.md"; filename\*=UTF-8''/)
    const markdown = await response.text()
    expect(markdown).toContain('## 《商业模式》')
    expect(markdown).toContain('### 第 2 讲')
    expect(markdown).toContain('> 更多的顾客带来更大的规模\n\n规模效应的前提是顾客\n愿意留下\n')
    expect(markdown).toMatch(new RegExp(`\\[回到原文\\]\\(http[^)]*${path(included, 'flywheel')}#note-\\d+\\)`))

    const one = (await exportLoader(routeArgs(requestFor(`/account/notes/export?course=${included.course.slug}`, { cookie: tiegan.cookie })))) as Response
    expect(await one.text()).toContain('## 《商业模式》')
    const none = await thrownResponse(exportLoader(routeArgs(requestFor(`/account/notes/export?course=${free.course.slug}`, { cookie: tiegan.cookie }))))
    expect(none.status).toBe(404)
    const visitor = await thrownResponse(exportLoader(routeArgs(requestFor('/account/notes/export'))))
    expect(visitor.headers.get('Location')).toMatch(/^\/login/)
  })

  it("another reader's export holds none of them", async () => {
    const response = (await exportLoader(routeArgs(requestFor('/account/notes/export', { cookie: other.cookie })))) as Response
    expect(await response.text()).not.toContain('更多的顾客')
  })
})
