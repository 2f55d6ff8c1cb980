// All SQL of notes and highlights in lessons' 文稿 (decision 045). Ownership is in every query
// (`where id and userId and lessonId`), so an id changed in a form never reaches another
// reader's note: it is simply not found.
import { and, asc, eq } from 'drizzle-orm'
import { courseChapters, courseLessons, courses, lessonNotes } from '../../db/schema'
import { db } from '~/utils/db.server'

export interface NoteOwner {
  userId: number
  lessonId: number
}

/** The reader's highlights in one lesson, in the order of the text. */
export function listLessonNotes({ userId, lessonId }: NoteOwner) {
  return db
    .select()
    .from(lessonNotes)
    .where(and(eq(lessonNotes.userId, userId), eq(lessonNotes.lessonId, lessonId)))
    .orderBy(asc(lessonNotes.startOffset), asc(lessonNotes.id))
}

export async function createLessonNote({
  userId,
  lesson,
  startOffset,
  endOffset,
  quote,
  note,
  now,
}: {
  userId: number
  lesson: { id: number; courseId: number }
  startOffset: number
  endOffset: number
  quote: string
  note: string
  now: Date
}) {
  const [row] = await db
    .insert(lessonNotes)
    .values({ userId, lessonId: lesson.id, courseId: lesson.courseId, startOffset, endOffset, quote, note, createdAt: now, updatedAt: now })
    .returning()
  return row!
}

/** One of the reader's notes in this lesson; undefined when it is not theirs or not there. */
export async function getLessonNote({ id, userId, lessonId }: NoteOwner & { id: number }) {
  const [row] = await db
    .select()
    .from(lessonNotes)
    .where(and(eq(lessonNotes.id, id), eq(lessonNotes.userId, userId), eq(lessonNotes.lessonId, lessonId)))
    .limit(1)
  return row
}

/** Writes the note of one of the reader's highlights ('' leaves the bare highlight). */
export async function updateLessonNote({ id, userId, lessonId, note, now }: NoteOwner & { id: number; note: string; now: Date }) {
  const [row] = await db
    .update(lessonNotes)
    .set({ note, updatedAt: now })
    .where(and(eq(lessonNotes.id, id), eq(lessonNotes.userId, userId), eq(lessonNotes.lessonId, lessonId)))
    .returning()
  return row
}

export async function deleteLessonNote({ id, userId, lessonId }: NoteOwner & { id: number }) {
  const rows = await db
    .delete(lessonNotes)
    .where(and(eq(lessonNotes.id, id), eq(lessonNotes.userId, userId), eq(lessonNotes.lessonId, lessonId)))
    .returning({ id: lessonNotes.id })
  return rows.length > 0
}

/**
 * All of a reader's notes with their course and lesson, in reading order: courses by title, then
 * the syllabus (chapter, lesson), then the text. `courseSlug` narrows it to one course.
 */
export function listReaderNotes(userId: number, { courseSlug }: { courseSlug?: string } = {}) {
  const conditions = [eq(lessonNotes.userId, userId)]
  if (courseSlug !== undefined) conditions.push(eq(courses.slug, courseSlug))
  return db
    .select({
      id: lessonNotes.id,
      startOffset: lessonNotes.startOffset,
      endOffset: lessonNotes.endOffset,
      quote: lessonNotes.quote,
      note: lessonNotes.note,
      createdAt: lessonNotes.createdAt,
      updatedAt: lessonNotes.updatedAt,
      course: { id: courses.id, slug: courses.slug, title: courses.title },
      lesson: { id: courseLessons.id, slug: courseLessons.slug, title: courseLessons.title },
    })
    .from(lessonNotes)
    .innerJoin(courses, eq(courses.id, lessonNotes.courseId))
    .innerJoin(courseLessons, eq(courseLessons.id, lessonNotes.lessonId))
    .innerJoin(courseChapters, eq(courseChapters.id, courseLessons.chapterId))
    .where(and(...conditions))
    .orderBy(asc(courses.title), asc(courses.id), asc(courseChapters.position), asc(courseLessons.position), asc(lessonNotes.startOffset), asc(lessonNotes.id))
}

export type ReaderNote = Awaited<ReturnType<typeof listReaderNotes>>[number]
