// Course lessons in a member's private podcast feed (decision 044): the audio lessons, released,
// of the courses that are theirs (bought, or included in their tier), course by course in
// syllabus order. A refund ends the purchase and with it the lessons in the feed.
import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm'
import { courseChapters, courseLessons, courses, media, tiers } from '../../db/schema'
import type { Viewer } from '~/domain/access'
import { isCourseTheirs, syllabusDates } from '~/domain/course'
import { db } from '~/utils/db.server'
import { listBoughtCourseIds } from './course-orders.server'

/** The published courses that are this subscriber's, newest first. */
async function coursesOf({ userId, viewer }: { userId: number; viewer: Viewer }, now: Date) {
  const [published, bought] = await Promise.all([
    db
      .select({ id: courses.id, includedRank: tiers.rank })
      .from(courses)
      .leftJoin(tiers, eq(tiers.id, courses.includedTierId))
      .where(eq(courses.published, true))
      .orderBy(desc(courses.publishedAt), desc(courses.id)),
    listBoughtCourseIds(userId),
  ])
  return published.filter((course) => isCourseTheirs({ includedRank: course.includedRank ?? null }, viewer, { purchased: bought.has(course.id), now })).map((course) => course.id)
}

/** Released audio lessons of the subscriber's courses, with their file and the date the feed gives them. */
export async function listCourseEpisodes(subscriber: { userId: number; viewer: Viewer }, now: Date) {
  const ids = await coursesOf(subscriber, now)
  if (ids.length === 0) return []
  const rows = await db
    .select({
      id: courseLessons.id,
      courseId: courses.id,
      courseSlug: courses.slug,
      courseTitle: courses.title,
      chapterTitle: courseChapters.title,
      slug: courseLessons.slug,
      title: courseLessons.title,
      durationSeconds: courseLessons.durationSeconds,
      publishAt: courseLessons.publishAt,
      updatedAt: courseLessons.updatedAt,
      audio: { mimeType: media.mimeType, bytes: media.bytes },
    })
    .from(courseLessons)
    .innerJoin(courses, eq(courses.id, courseLessons.courseId))
    .innerJoin(courseChapters, eq(courseChapters.id, courseLessons.chapterId))
    .innerJoin(media, eq(media.id, courseLessons.mediaId))
    .where(and(inArray(courseLessons.courseId, ids), eq(courseLessons.kind, 'audio'), lte(courseLessons.publishAt, now)))
    .orderBy(asc(courseChapters.position), asc(courseChapters.id), asc(courseLessons.position), asc(courseLessons.id))
  return ids.flatMap((courseId) => {
    const lessons = rows.filter((row) => row.courseId === courseId)
    const dates = syllabusDates(lessons.map((lesson) => lesson.publishAt))
    return lessons.map((lesson, index) => ({ ...lesson, pubDate: dates[index]! }))
  })
}

export type CourseEpisode = Awaited<ReturnType<typeof listCourseEpisodes>>[number]
