import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { courseLessons, courses, media } from '../../db/schema'
import { seedCourseFields, seedDemoCourses } from '../../db/seed-courses'
import { databaseHandle, db } from '~/utils/db.server'
import { countRows } from '../factories/db'

describe('the demo courses', () => {
  it('seeds three courses in three fields (铁杆, ¥99, free) with their media, once', async () => {
    await seedCourseFields(databaseHandle)
    expect(await seedDemoCourses(databaseHandle)).toBe(3)
    const rows = await db.select().from(courses).orderBy(courses.id)
    expect(rows.map((course) => [course.slug, course.priceFen, course.includedTierId !== null, course.published])).toEqual([
      ['business-models', null, true, true],
      ['song-daily-life', 9900, false, true],
      ['science-of-curiosity', 0, false, true],
    ])
    expect(new Set(rows.map((course) => course.fieldId)).size).toBe(3)

    const lessons = await db.select().from(courseLessons)
    expect(lessons.length).toBeGreaterThanOrEqual(6)
    for (const course of rows) {
      const own = lessons.filter((lesson) => lesson.courseId === course.id)
      expect(own.length).toBeGreaterThanOrEqual(2)
      expect(own.length).toBeLessThanOrEqual(4)
    }
    // The ¥99 course opens one 试听 lesson; the video lesson has its poster and an mp4 measured.
    const priced = rows.find((course) => course.priceFen === 9900)!
    expect(lessons.filter((lesson) => lesson.courseId === priced.id && lesson.preview)).toHaveLength(1)
    const [video] = lessons.filter((lesson) => lesson.kind === 'video')
    expect(video!.posterId).not.toBeNull()
    const file = await db.query.media.findFirst({ where: eq(media.id, video!.mediaId) })
    expect(file).toMatchObject({ kind: 'video', mimeType: 'video/mp4' })
    expect(video!.durationSeconds).toBeGreaterThan(2)
    // Every lesson has its 文稿 (what the voice says).
    expect(lessons.every((lesson) => lesson.transcript.length > 20)).toBe(true)

    const mediaBefore = await countRows(media)
    expect(await seedDemoCourses(databaseHandle)).toBe(0)
    expect(await countRows(courses)).toBe(3)
    expect(await countRows(media)).toBe(mediaBefore)
  })
})
