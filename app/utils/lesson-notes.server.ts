// Notes and highlights in a lesson's 文稿 (decision 045): what the lesson page shows a reader of
// their own notes, the page's note actions, and the markdown export of /account/notes. Every
// write goes through readLesson first (the lesson's one access rule, decision 039), then checks
// its input against the stored 文稿; anything refused changes nothing.
import type { AppLoadContext } from '@remix-run/node'
import { data } from '@remix-run/node'
import type { CourseLesson } from '../../db/schema'
import { characterCount, checkHighlightRange, htmlPlainText, locateHighlight, markHighlights, NOTE_LIMITS, noteAnchorId } from '~/domain/lesson-notes'
import { todayIn } from '~/domain/daily'
import { t } from '~/i18n/zh-CN'
import { createThread, listBoards } from '~/models/community.server'
import { createLessonNote, deleteLessonNote, getLessonNote, listLessonNotes, listReaderNotes, updateLessonNote, type ReaderNote } from '~/models/lesson-note.server'
import { getCommunityViewer, postingGate } from './community.server'
import { coursePaths, getCourseReader, presentRefusal, readLesson, transcriptHtml } from './course-view.server'
import { getEnv } from './env.server'
import { redirectWithFlash } from './flash.server'
import { formatDate } from './format'

const n = { ...t.lessonNoteActions, export: t.myNotes.export }

/** Where a note's highlight is: the lesson page, at the highlight. */
export const notePath = (courseSlug: string, lessonSlug: string, noteId: number) => `${coursePaths.lesson(courseSlug, lessonSlug)}#${noteAnchorId(noteId)}`

async function sharingBoard() {
  return (await listBoards()).find((board) => board.kind === 'sharing') ?? null
}

/**
 * The 文稿 as this reader sees it: the HTML with their highlights drawn in, and their notes with
 * what the page offers on each (for a signed-in reader; a visitor gets the plain 文稿 and null).
 * Sharing is offered only with the 分享 board's posting rule already applied (decision 040):
 * a reader who may not post there is told why beside the notes, before trying.
 */
export async function presentLessonNotes({ request, userId, lesson, now }: { request: Request; userId: number | null; lesson: CourseLesson; now: Date }) {
  const html = transcriptHtml(lesson.transcript)
  if (userId === null) return { transcriptHtml: html, notes: null }
  const rows = await listLessonNotes({ userId, lessonId: lesson.id })
  const plainText = htmlPlainText(html)
  const items = rows.map((row) => ({ row, at: locateHighlight(plainText, row) }))
  const drawn = items.flatMap(({ row, at }) => (at ? [{ id: row.id, ...at }] : []))
  let share: { boardName: string; gate: Awaited<ReturnType<typeof postingGate>> } | null = null
  if (rows.length > 0) {
    const board = await sharingBoard()
    if (board) share = { boardName: board.name, gate: await postingGate(board, (await getCommunityViewer(request, now)).viewer, now) }
  }
  return {
    transcriptHtml: markHighlights(html, drawn),
    notes: {
      items: items.map(({ row, at }) => ({ id: row.id, quote: row.quote, note: row.note, placed: at !== null, updatedAt: row.updatedAt.toISOString() })),
      share,
    },
  }
}

type NoteErrors = Partial<Record<'form' | 'range' | 'note', string>>

function refuse(status: number, errors: NoteErrors, intent: string, noteId: number | null = null) {
  return data({ intent, noteId, errors }, { status })
}

const WHOLE = /^\d{1,9}$/

function wholeNumber(value: FormDataEntryValue | null) {
  return typeof value === 'string' && WHOLE.test(value) ? Number(value) : null
}

// A form's textarea sends CRLF line breaks; the 文稿's text and the browser's selection use LF.
const text = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '')

function noteTooLong(note: string): NoteErrors | null {
  const length = characterCount(note)
  return length > NOTE_LIMITS.noteMax ? { note: n.errors.noteTooLong(NOTE_LIMITS.noteMax, length) } : null
}

/**
 * The lesson page's note actions (`intent`): `highlight` (划线, with an optional note), `note`
 * (write or edit a highlight's note), `delete`, `share` (to the 分享 board). Order of refusals:
 * the lesson (404, or 403 with checkLessonAccess's reason), sign-in (401), the input (400), the
 * note's owner (404).
 */
export async function handleLessonNoteAction({ request, context, courseSlug, lessonSlug }: { request: Request; context?: AppLoadContext; courseSlug: string; lessonSlug: string }) {
  const now = new Date()
  const reader = await getCourseReader(request, context)
  const { course, lesson, access } = await readLesson({ courseSlug, lessonSlug }, reader, now)
  const lessonPath = coursePaths.lesson(course.course.slug, lesson.slug)
  const form = await request.formData().catch(() => null)
  const intent = typeof form?.get('intent') === 'string' ? String(form?.get('intent')) : ''
  if (!access.granted) return refuse(403, { form: presentRefusal(access, course, lessonPath).reason }, intent)
  if (reader.userId === null) return refuse(401, { form: n.errors.signInRequired }, intent)
  if (!form) return refuse(400, { form: n.errors.intent }, intent)
  const userId = reader.userId
  const owner = { userId, lessonId: lesson.id }

  if (intent === 'highlight') {
    const startOffset = wholeNumber(form.get('startOffset'))
    const endOffset = wholeNumber(form.get('endOffset'))
    const quote = text(form.get('quote'))
    const note = text(form.get('note')).trim()
    const range = checkHighlightRange(htmlPlainText(transcriptHtml(lesson.transcript)), { startOffset: startOffset ?? -1, endOffset: endOffset ?? -1, quote })
    const errors: NoteErrors = { ...(range.ok ? {} : { range: n.errors.range[range.reason] }), ...noteTooLong(note) }
    if (Object.keys(errors).length > 0) return refuse(400, errors, intent)
    await createLessonNote({ userId, lesson, startOffset: startOffset!, endOffset: endOffset!, quote, note, now })
    return redirectWithFlash(lessonPath, { kind: 'success', message: note ? n.flash.noted : n.flash.highlighted })
  }

  const id = wholeNumber(form.get('noteId'))
  if (intent === 'note') {
    const note = text(form.get('note')).trim()
    const tooLong = noteTooLong(note)
    if (tooLong) return refuse(400, tooLong, intent, id)
    const row = id === null ? undefined : await updateLessonNote({ ...owner, id, note, now })
    if (!row) return refuse(404, { form: n.errors.notFound }, intent, id)
    return redirectWithFlash(lessonPath, { kind: 'success', message: n.flash.noted })
  }
  if (intent === 'delete') {
    if (id === null || !(await deleteLessonNote({ ...owner, id }))) return refuse(404, { form: n.errors.notFound }, intent, id)
    return redirectWithFlash(lessonPath, { kind: 'success', message: n.flash.deleted })
  }
  if (intent === 'share') {
    const row = id === null ? undefined : await getLessonNote({ ...owner, id })
    if (!row) return refuse(404, { form: n.errors.notFound }, intent, id)
    const board = await sharingBoard()
    if (!board) return refuse(409, { form: n.errors.noBoard }, intent, id)
    const { viewer, user } = await getCommunityViewer(request, now)
    const gate = await postingGate(board, viewer, now)
    if (!gate.allowed || !user) return refuse(403, { form: gate.allowed ? n.errors.signInRequired : gate.message }, intent, id)
    const post = sharedPost({ courseTitle: course.course.title, lessonTitle: lesson.title, lessonPath, quote: row.quote, note: row.note })
    const result = await createThread({ board, authorId: user.id, accountCreatedAt: user.createdAt, input: post, now })
    if (!result.ok) return refuse(429, { form: n.errors.rateLimited(result.waitSeconds) }, intent, id)
    return redirectWithFlash(`/community/t/${result.thread.id}`, { kind: 'success', message: n.flash.shared })
  }
  return refuse(400, { form: n.errors.intent }, intent, id)
}

const quoted = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`.trimEnd())
    .join('\n')

/**
 * A note as a post on the 分享 board: the passage quoted, the note, and a link to the lesson (not
 * to the highlight: other readers do not see this reader's highlights, and the course's gate
 * decides what the link shows them).
 */
export function sharedPost({ courseTitle, lessonTitle, lessonPath, quote, note }: { courseTitle: string; lessonTitle: string; lessonPath: string; quote: string; note: string }) {
  const title = [...n.shareText.title(lessonTitle)].slice(0, 80).join('')
  const body = [quoted(quote), note, `${n.shareText.from(courseTitle, lessonTitle)}：[${lessonPath}](${lessonPath})`].filter(Boolean).join('\n\n')
  return { title, body }
}

/** A reader's notes grouped by course, then lesson, in reading order (the list is already sorted). */
export function groupReaderNotes(rows: ReaderNote[]) {
  const courses: { course: ReaderNote['course']; lessons: { lesson: ReaderNote['lesson']; notes: ReaderNote[] }[] }[] = []
  for (const row of rows) {
    let course = courses.at(-1)
    if (!course || course.course.id !== row.course.id) courses.push((course = { course: row.course, lessons: [] }))
    let lesson = course.lessons.at(-1)
    if (!lesson || lesson.lesson.id !== row.lesson.id) course.lessons.push((lesson = { lesson: row.lesson, notes: [] }))
    lesson.notes.push(row)
  }
  return courses
}

/**
 * The reader's notes as a markdown file (all courses, or one): headings by course and lesson, each
 * passage quoted, its note, and an absolute link back to the highlight. null when there is nothing
 * to export (an unknown course, or one without notes).
 */
export async function exportNotesMarkdown({ userId, courseSlug, now }: { userId: number; courseSlug?: string; now: Date }) {
  const rows = await listReaderNotes(userId, { courseSlug })
  if (rows.length === 0 && courseSlug !== undefined) return null
  const { SITE_URL, SITE_TIMEZONE } = getEnv()
  const lines = [`# ${n.export.title}`, '', n.export.exportedAt(formatDate(now, SITE_TIMEZONE)), '']
  for (const { course, lessons } of groupReaderNotes(rows)) {
    lines.push(`## ${n.export.course(course.title)}`, '')
    for (const { lesson, notes } of lessons) {
      lines.push(`### ${lesson.title}`, '')
      for (const note of notes) {
        lines.push(quoted(note.quote), '')
        if (note.note) lines.push(note.note, '')
        lines.push(`[${n.export.backToText}](${SITE_URL}${notePath(course.slug, lesson.slug, note.id)}) · ${formatDate(note.createdAt, SITE_TIMEZONE)}`, '')
      }
    }
  }
  const scope = courseSlug !== undefined ? (rows[0]?.course.title ?? courseSlug) : n.export.allCourses
  return { markdown: lines.join('\n'), fileName: n.export.fileName(scope, todayIn(SITE_TIMEZONE, now)) }
}
