// Completion of a course and its certificate (issue 17, docs/decisions/046-course-certificate.md).
// Nothing is stored for a certificate: it follows from lesson_progress (every released lesson
// learned, isCourseFinished), so it can never disagree with the progress readers see.
import { and, desc, eq, isNotNull, lte, sql } from 'drizzle-orm'
import { courseLessons, courses, lessonProgress, users } from '../../db/schema'
import { isCourseFinished, isLessonReleased } from '~/domain/course'
import { db } from '~/utils/db.server'
import { getCourseProgress, getSyllabus } from './course.server'

/**
 * Where a reader stands in a course: its released lessons in syllabus order, each learned or
 * not, and — once every one is learned — when the last of them was (the certificate's date).
 */
export async function getCourseCompletion({ userId, courseId, now }: { userId: number; courseId: number; now: Date }) {
  const [syllabus, progress] = await Promise.all([getSyllabus(courseId), getCourseProgress(userId, courseId)])
  const lessons = syllabus
    .flatMap((chapter) => chapter.lessons)
    .filter((lesson) => isLessonReleased(lesson, now))
    .map((lesson) => ({ slug: lesson.slug, title: lesson.title, completedAt: progress.get(lesson.id)?.completedAt ?? null }))
  const learned = lessons.filter((lesson) => lesson.completedAt !== null)
  const finished = isCourseFinished({ learned: learned.length, released: lessons.length })
  const finishedAt = finished ? new Date(Math.max(...learned.map((lesson) => lesson.completedAt!.getTime()))) : null
  return { lessons, learned: learned.length, released: lessons.length, finishedAt }
}

export type CourseCompletion = Awaited<ReturnType<typeof getCourseCompletion>>

/** The name a certificate carries: the reader's display name as it is now. */
export async function getCertificateHolder(userId: number) {
  const [row] = await db.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, userId))
  return row
}

/**
 * The published courses a reader has finished (every lesson released by `now` learned), the
 * most recently finished first: the 「已完成的课程」 of /account. One grouped read.
 */
export async function listFinishedCourses({ userId, now }: { userId: number; now: Date }) {
  const released = sql<number>`(select count(*) from ${courseLessons} as released where released.course_id = ${courses.id} and released.publish_at <= ${now.getTime()})`
  const rows = await db
    .select({
      slug: courses.slug,
      title: courses.title,
      lecturerName: courses.lecturerName,
      learned: sql<number>`count(*)`.mapWith(Number),
      released: released.mapWith(Number),
      finishedAt: sql<number>`max(${lessonProgress.completedAt})`.mapWith(Number),
    })
    .from(lessonProgress)
    .innerJoin(courseLessons, eq(courseLessons.id, lessonProgress.lessonId))
    .innerJoin(courses, eq(courses.id, lessonProgress.courseId))
    .where(and(eq(lessonProgress.userId, userId), isNotNull(lessonProgress.completedAt), lte(courseLessons.publishAt, now), eq(courses.published, true)))
    .groupBy(courses.id)
    .orderBy(desc(sql`max(${lessonProgress.completedAt})`))
  return rows
    .filter((row) => isCourseFinished(row))
    .map(({ slug, title, lecturerName, finishedAt }) => ({ slug, title, lecturerName, finishedAt: new Date(finishedAt) }))
}
