// Courses, their syllabus and readers' progress (issue 17, docs/decisions/039-courses.md). Who
// may open what is decided by checkLessonAccess in app/domain/course.ts, never here.
import { and, asc, count, countDistinct, desc, eq, inArray, isNotNull, lte, sql, sum } from 'drizzle-orm'
import { courseChapters, courseFields, courseLessons, courses, lessonProgress, tiers } from '../../db/schema'
import { isHeardEnough } from '~/domain/course'
import { db } from '~/utils/db.server'

export function listCourseFields() {
  return db.select().from(courseFields).orderBy(asc(courseFields.sortOrder), asc(courseFields.id))
}

const courseWithGate = {
  course: courses,
  fieldSlug: courseFields.slug,
  fieldName: courseFields.name,
  fieldOrder: courseFields.sortOrder,
  includedTierName: tiers.name,
  includedRank: tiers.rank,
}

/** A course with its field and the tier that includes it (name and rank), by slug. */
export async function getCourseBySlug(slug: string) {
  const [row] = await db
    .select(courseWithGate)
    .from(courses)
    .innerJoin(courseFields, eq(courseFields.id, courses.fieldId))
    .leftJoin(tiers, eq(tiers.id, courses.includedTierId))
    .where(eq(courses.slug, slug))
  return row
}

export type CourseWithGate = NonNullable<Awaited<ReturnType<typeof getCourseBySlug>>>

/** A course's chapters in order, each with its lessons in order (released or not: callers filter). */
export async function getSyllabus(courseId: number) {
  const [chapters, lessons] = await Promise.all([
    db.select().from(courseChapters).where(eq(courseChapters.courseId, courseId)).orderBy(asc(courseChapters.position), asc(courseChapters.id)),
    db.select().from(courseLessons).where(eq(courseLessons.courseId, courseId)).orderBy(asc(courseLessons.position), asc(courseLessons.id)),
  ])
  return chapters.map((chapter) => ({ ...chapter, lessons: lessons.filter((lesson) => lesson.chapterId === chapter.id) }))
}

export type Syllabus = Awaited<ReturnType<typeof getSyllabus>>

/**
 * The published courses with what a card shows: lessons released by `now` and their total
 * length, how many readers have started each, and — for a signed-in reader — how many lessons
 * they finished.
 */
export async function listPublishedCourses({ now, userId }: { now: Date; userId: number | null }) {
  const rows = await db
    .select(courseWithGate)
    .from(courses)
    .innerJoin(courseFields, eq(courseFields.id, courses.fieldId))
    .leftJoin(tiers, eq(tiers.id, courses.includedTierId))
    .where(eq(courses.published, true))
    .orderBy(desc(courses.publishedAt), desc(courses.id))
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.course.id)
  const released = and(inArray(courseLessons.courseId, ids), lte(courseLessons.publishAt, now))
  const [lessonStats, learnerStats, finished] = await Promise.all([
    db
      .select({ courseId: courseLessons.courseId, lessons: count(), seconds: sum(courseLessons.durationSeconds).mapWith(Number) })
      .from(courseLessons)
      .where(released)
      .groupBy(courseLessons.courseId),
    db
      .select({ courseId: lessonProgress.courseId, learners: countDistinct(lessonProgress.userId) })
      .from(lessonProgress)
      .where(inArray(lessonProgress.courseId, ids))
      .groupBy(lessonProgress.courseId),
    userId === null
      ? Promise.resolve([])
      : db
          .select({ courseId: lessonProgress.courseId, done: count() })
          .from(lessonProgress)
          .innerJoin(courseLessons, eq(courseLessons.id, lessonProgress.lessonId))
          .where(and(eq(lessonProgress.userId, userId), isNotNull(lessonProgress.completedAt), released))
          .groupBy(lessonProgress.courseId),
  ])
  return rows.map((row) => {
    const id = row.course.id
    const stats = lessonStats.find((s) => s.courseId === id)
    return {
      ...row,
      lessonCount: stats?.lessons ?? 0,
      totalSeconds: stats?.seconds ?? 0,
      learners: learnerStats.find((s) => s.courseId === id)?.learners ?? 0,
      finishedLessons: userId === null ? null : (finished.find((s) => s.courseId === id)?.done ?? 0),
    }
  })
}

/** A reader's progress in every lesson of a course, keyed by lesson id. */
export async function getCourseProgress(userId: number, courseId: number) {
  const rows = await db
    .select({ lessonId: lessonProgress.lessonId, positionSeconds: lessonProgress.positionSeconds, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.courseId, courseId)))
  return new Map(rows.map((row) => [row.lessonId, row]))
}

interface ProgressTarget {
  userId: number
  lesson: { id: number; courseId: number; durationSeconds: number }
  now: Date
}

/**
 * Keeps where a reader is in a lesson; a position ≥ 90 % of the lesson marks it learned (once:
 * the first time stays). One upsert, so two tabs reporting at once cannot lose the completion.
 */
export async function saveLessonPosition({ userId, lesson, positionSeconds, now }: ProgressTarget & { positionSeconds: number }) {
  const completedAt = isHeardEnough(positionSeconds, lesson.durationSeconds) ? now : null
  const [row] = await db
    .insert(lessonProgress)
    .values({ userId, lessonId: lesson.id, courseId: lesson.courseId, positionSeconds, completedAt, updatedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: {
        positionSeconds,
        completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)`,
        updatedAt: now,
      },
    })
    .returning()
  return row!
}

/** 「标记为已学」: the lesson counts as learned from now on (an earlier completion stays). */
export async function markLessonLearned({ userId, lesson, now }: ProgressTarget) {
  const [row] = await db
    .insert(lessonProgress)
    .values({ userId, lessonId: lesson.id, courseId: lesson.courseId, completedAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)`, updatedAt: now },
    })
    .returning()
  return row!
}
