// Courses, chapters and lessons written straight to the test database, each lesson with a real
// file in the upload directory so that its media URL can be fetched.
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { courseChapters, courseFields, courseLessons, courses, media, tiers, type CourseLesson } from '../../db/schema'
import { seedCourseFields } from '../../db/seed-courses'
import { databaseHandle, db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import type { TierSlug } from './users'

export const LESSON_BYTES = 1000
const HOUR_MS = 60 * 60 * 1000

let sequence = 0

/** A stored upload of `bytes` random bytes (what the media URL must send back). */
export async function insertMediaFile({ kind = 'audio' }: { kind?: 'audio' | 'video' | 'image' } = {}) {
  const id = randomBytes(12).toString('base64url')
  const extension = { audio: 'mp3', video: 'mp4', image: 'jpg' }[kind]
  const mimeType = { audio: 'audio/mpeg', video: 'video/mp4', image: 'image/jpeg' }[kind]
  const content = randomBytes(LESSON_BYTES)
  const dir = getEnv().UPLOAD_DIR
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `${id}.${extension}`), content)
  const [row] = await db.insert(media).values({ id, kind, mimeType, bytes: LESSON_BYTES, durationMs: kind === 'image' ? null : 100_000, path: `${id}.${extension}` }).returning()
  return { ...row!, content }
}

export interface TestLesson {
  slug?: string
  preview?: boolean
  kind?: 'audio' | 'video'
  durationSeconds?: number
  /** Default: released an hour ago. */
  publishAt?: Date
  transcript?: string
}

/**
 * A course with one chapter of lessons (by default: a 试听 lesson `intro`, then `second`).
 * Published unless told otherwise; `included` is the tier that includes it.
 */
export async function insertCourse({
  field = 'business',
  priceFen = null,
  included = null,
  published = true,
  publishedAt = new Date(Date.now() - 24 * HOUR_MS),
  lessons = [{ slug: 'intro', preview: true }, { slug: 'second' }],
  title,
}: {
  field?: string
  priceFen?: number | null
  included?: TierSlug | null
  published?: boolean
  publishedAt?: Date
  lessons?: TestLesson[]
  title?: string
} = {}) {
  await seedCourseFields(databaseHandle)
  sequence += 1
  const fieldRow = await db.query.courseFields.findFirst({ where: eq(courseFields.slug, field) })
  const tier = included ? await db.query.tiers.findFirst({ where: eq(tiers.slug, included) }) : undefined
  const cover = await insertMediaFile({ kind: 'image' })
  const [course] = await db
    .insert(courses)
    .values({
      slug: `course-${sequence}`,
      title: title ?? `测试课程 ${sequence}`,
      subtitle: '一句话介绍',
      fieldId: fieldRow!.id,
      lecturerName: '测试讲师',
      lecturerBio: '讲师简介',
      coverId: cover.id,
      introduction: '## 介绍\n\n**重点**\n\n<script>alert(1)</script>',
      priceFen,
      includedTierId: tier?.id ?? null,
      published,
      publishedAt: published ? publishedAt : null,
      updatedAt: publishedAt,
    })
    .returning()
  const [chapter] = await db.insert(courseChapters).values({ courseId: course!.id, title: '第一章', position: 1 }).returning()
  const rows: (CourseLesson & { content: Buffer })[] = []
  for (const [index, lesson] of lessons.entries()) {
    const file = await insertMediaFile({ kind: lesson.kind ?? 'audio' })
    const poster = lesson.kind === 'video' ? await insertMediaFile({ kind: 'image' }) : null
    const [row] = await db
      .insert(courseLessons)
      .values({
        courseId: course!.id,
        chapterId: chapter!.id,
        slug: lesson.slug ?? `lesson-${index + 1}`,
        title: `第 ${index + 1} 讲`,
        kind: lesson.kind ?? 'audio',
        mediaId: file.id,
        posterId: poster?.id ?? null,
        durationSeconds: lesson.durationSeconds ?? 100,
        transcript: lesson.transcript ?? `第 ${index + 1} 讲的文稿`,
        preview: lesson.preview ?? false,
        position: index + 1,
        publishAt: lesson.publishAt ?? new Date(Date.now() - HOUR_MS),
        updatedAt: new Date(),
      })
      .returning()
    rows.push({ ...row!, content: file.content })
  }
  return { course: course!, lessons: rows, cover }
}
