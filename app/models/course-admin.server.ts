// The course editor's writes and reads (/admin/courses, issue 17). Every change is one
// transaction with its audit entry, so an edit and its record land together or not at all.
import { and, asc, count, countDistinct, desc, eq, inArray, lte, max, sql } from 'drizzle-orm'
import { courseChapters, courseFields, courseLessons, courses, lessonProgress, orderLines, orders, tiers, users, type Media } from '../../db/schema'
import { isCourseFinished, lessonSeconds } from '~/domain/course'
import type { CourseFormData, LessonEditData, LessonFormData } from '~/domain/course-forms.server'
import { PAID_ORDER_STATES } from '~/domain/order'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { recordAudit } from '~/models/audit.server'
import { deleteMedia } from '~/models/media.server'
import type { FieldErrors } from '~/utils/forms'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'

const e = courseAdminZhCN.errors

export type Direction = 'up' | 'down'
export type EditResult = { ok: true } | { ok: false; errors: FieldErrors; status: 400 | 404 | 409 }

/** Raised inside a transaction to roll it back with field errors. */
class Refused extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super('refused')
  }
}

async function refusedOr<T>(work: () => Promise<T>): Promise<T | { ok: false; errors: FieldErrors; status: 400 | 404 | 409 }> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors, status: error.status }
    const constraint = uniqueViolation(error)
    if (constraint?.includes('courses.slug')) return { ok: false, errors: { slug: e.slugTaken }, status: 409 }
    if (constraint?.includes('course_lessons.slug')) return { ok: false, errors: { slug: e.lessonSlugTaken }, status: 409 }
    throw error
  }
}

/**
 * Every course with what the list shows: lessons (all, released or not), learners (readers with
 * any progress) and how many of them finished every lesson released by `now`.
 */
export async function listCoursesForStaff(now: Date) {
  const [rows, lessonCounts, released, learners] = await Promise.all([
    db
      .select({ id: courses.id, slug: courses.slug, title: courses.title, published: courses.published, fieldName: courseFields.name, updatedAt: courses.updatedAt })
      .from(courses)
      .innerJoin(courseFields, eq(courseFields.id, courses.fieldId))
      .orderBy(desc(courses.updatedAt), desc(courses.id)),
    db.select({ courseId: courseLessons.courseId, lessons: count() }).from(courseLessons).groupBy(courseLessons.courseId),
    db.select({ courseId: courseLessons.courseId, lessons: count() }).from(courseLessons).where(lte(courseLessons.publishAt, now)).groupBy(courseLessons.courseId),
    learnerCompletion(now),
  ])
  return rows.map((row) => {
    const releasedCount = released.find((r) => r.courseId === row.id)?.lessons ?? 0
    const mine = learners.filter((l) => l.courseId === row.id)
    return {
      ...row,
      lessonCount: lessonCounts.find((r) => r.courseId === row.id)?.lessons ?? 0,
      learners: mine.length,
      completed: mine.filter((l) => isFinished(l.done, releasedCount)).length,
    }
  })
}

function isFinished(done: number, released: number) {
  return isCourseFinished({ learned: done, released })
}

/** Per course and reader: how many released lessons they learned (readers with any progress). */
function learnerCompletion(now: Date, courseId?: number) {
  return db
    .select({
      courseId: lessonProgress.courseId,
      userId: lessonProgress.userId,
      done: sql<number>`count(case when ${lessonProgress.completedAt} is not null and ${courseLessons.publishAt} <= ${now.getTime()} then 1 end)`.mapWith(Number),
      lastLearnedAt: max(lessonProgress.updatedAt),
    })
    .from(lessonProgress)
    .innerJoin(courseLessons, eq(courseLessons.id, lessonProgress.lessonId))
    .where(courseId === undefined ? undefined : eq(lessonProgress.courseId, courseId))
    .groupBy(lessonProgress.courseId, lessonProgress.userId)
}

/** A course's readers with their progress, for the learners CSV (most recent learner first). */
export async function listCourseLearners(courseId: number, now: Date) {
  const [[released], rows] = await Promise.all([
    db
      .select({ lessons: count() })
      .from(courseLessons)
      .where(and(eq(courseLessons.courseId, courseId), lte(courseLessons.publishAt, now))),
    learnerCompletion(now, courseId),
  ])
  const releasedCount = released?.lessons ?? 0
  if (rows.length === 0) return []
  const people = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(users)
    .innerJoin(lessonProgress, and(eq(lessonProgress.userId, users.id), eq(lessonProgress.courseId, courseId)))
    .groupBy(users.id)
  return rows
    .map((row) => {
      const person = people.find((p) => p.id === row.userId)
      return {
        name: person?.displayName ?? '',
        email: person?.email ?? '',
        done: row.done,
        released: releasedCount,
        lastLearnedAt: row.lastLearnedAt,
        finished: isFinished(row.done, releasedCount),
      }
    })
    .sort((a, b) => (b.lastLearnedAt?.getTime() ?? 0) - (a.lastLearnedAt?.getTime() ?? 0))
}

/**
 * Sales of a course: its orders of kind `course` (decision 044) that are paid and not refunded —
 * the same orders that make a reader's purchase, counted for the editor.
 */
async function countCourseSales(courseId: number) {
  const [row] = await db
    .select({ sales: countDistinct(orders.id) })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(courses, eq(courses.stockId, orderLines.stockId))
    .where(and(eq(courses.id, courseId), eq(orders.kind, 'course'), inArray(orders.state, [...PAID_ORDER_STATES])))
  return row?.sales ?? 0
}

/** A course as the editor shows it, with its sales and the counts of its learners. */
export async function getCourseForEditor(id: number, now: Date) {
  const course = await db.query.courses.findFirst({ where: eq(courses.id, id) })
  if (!course) return undefined
  const [learners, [released], sales] = await Promise.all([
    learnerCompletion(now, id),
    db
      .select({ lessons: count() })
      .from(courseLessons)
      .where(and(eq(courseLessons.courseId, id), lte(courseLessons.publishAt, now))),
    countCourseSales(id),
  ])
  return { course, sales, learners: learners.length, completed: learners.filter((l) => isFinished(l.done, released?.lessons ?? 0)).length }
}

async function checkReferences(input: CourseFormData, tx: Executor) {
  const [field, tier] = await Promise.all([
    tx.query.courseFields.findFirst({ where: eq(courseFields.id, input.fieldId) }),
    input.includedTierId === null ? Promise.resolve(null) : tx.query.tiers.findFirst({ where: eq(tiers.id, input.includedTierId) }),
  ])
  if (!field) throw new Refused({ fieldId: e.fieldInvalid })
  if (tier === undefined) throw new Refused({ includedTierId: e.tierInvalid })
}

export async function createCourse({ input, actorId, now }: { input: CourseFormData; actorId: number; now: Date }) {
  return refusedOr(() =>
    transaction(async (tx) => {
      await checkReferences(input, tx)
      const { price, ...values } = input
      const [course] = await tx
        .insert(courses)
        .values({ ...values, priceFen: price, publishedAt: input.published ? now : null, createdAt: now, updatedAt: now })
        .returning()
      await recordAudit(
        { actorId, action: 'course.create', targetType: 'course', targetId: course!.id, detail: { title: input.title, slug: input.slug, priceFen: price, published: input.published } },
        tx,
      )
      return { ok: true as const, course: course! }
    }),
  )
}

/** Saves the course's fields; publishing stamps publishedAt the first time only. */
export async function updateCourse({ id, input, actorId, now }: { id: number; input: CourseFormData; actorId: number; now: Date }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const current = await tx.query.courses.findFirst({ where: eq(courses.id, id) })
      if (!current) throw new Refused({ form: e.notFound }, 404)
      await checkReferences(input, tx)
      const { price, ...values } = input
      await tx
        .update(courses)
        .set({ ...values, priceFen: price, publishedAt: input.published ? sql`coalesce(${courses.publishedAt}, ${now.getTime()})` : courses.publishedAt, updatedAt: now })
        .where(eq(courses.id, id))
      const action = input.published === current.published ? 'course.update' : input.published ? 'course.publish' : 'course.unpublish'
      await recordAudit({ actorId, action, targetType: 'course', targetId: id, detail: { title: input.title, slug: input.slug, priceFen: price } }, tx)
      return { ok: true as const }
    }),
  )
}

/** Marks the course edited (the list shows the most recently edited first). */
function touch(courseId: number, now: Date, tx: Executor) {
  return tx.update(courses).set({ updatedAt: now }).where(eq(courses.id, courseId))
}

function chapterOf(courseId: number, chapterId: number, tx: Executor) {
  return tx.query.courseChapters.findFirst({ where: and(eq(courseChapters.id, chapterId), eq(courseChapters.courseId, courseId)) })
}

interface CourseEdit {
  courseId: number
  actorId: number
  now: Date
}

export async function addChapter({ courseId, title, actorId, now }: CourseEdit & { title: string }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const [last] = await tx
        .select({ position: max(courseChapters.position) })
        .from(courseChapters)
        .where(eq(courseChapters.courseId, courseId))
      const [chapter] = await tx
        .insert(courseChapters)
        .values({ courseId, title, position: (last?.position ?? 0) + 1, createdAt: now })
        .returning()
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.chapter.add', targetType: 'course', targetId: courseId, detail: { title, chapterId: chapter!.id } }, tx)
      return { ok: true as const }
    }),
  )
}

export async function renameChapter({ courseId, chapterId, title, actorId, now }: CourseEdit & { chapterId: number; title: string }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const renamed = await tx
        .update(courseChapters)
        .set({ title })
        .where(and(eq(courseChapters.id, chapterId), eq(courseChapters.courseId, courseId)))
        .returning({ id: courseChapters.id })
      if (renamed.length === 0) throw new Refused({ form: e.chapterNotFound }, 404)
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.chapter.rename', targetType: 'course', targetId: courseId, detail: { title, chapterId } }, tx)
      return { ok: true as const }
    }),
  )
}

/**
 * Moves one item of an ordered list a place up or down and writes every position afresh (1…n):
 * positions are not unique, so this also mends ties left by older data.
 */
function reordered<T extends { id: number }>(items: T[], id: number, direction: Direction) {
  const from = items.findIndex((item) => item.id === id)
  const to = direction === 'up' ? from - 1 : from + 1
  if (from < 0) return null
  if (to < 0 || to >= items.length) return items
  const next = [...items]
  ;[next[from], next[to]] = [next[to]!, next[from]!]
  return next
}

export async function moveChapter({ courseId, chapterId, direction, actorId, now }: CourseEdit & { chapterId: number; direction: Direction }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const chapters = await tx
        .select({ id: courseChapters.id })
        .from(courseChapters)
        .where(eq(courseChapters.courseId, courseId))
        .orderBy(asc(courseChapters.position), asc(courseChapters.id))
      const order = reordered(chapters, chapterId, direction)
      if (!order) throw new Refused({ form: e.chapterNotFound }, 404)
      for (const [index, chapter] of order.entries()) {
        await tx.update(courseChapters).set({ position: index + 1 }).where(eq(courseChapters.id, chapter.id))
      }
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.chapter.move', targetType: 'course', targetId: courseId, detail: { chapterId, direction } }, tx)
      return { ok: true as const }
    }),
  )
}

/** Deletes a chapter only while it holds no lesson (a lesson's progress is never lost by accident). */
export async function deleteChapter({ courseId, chapterId, actorId, now }: CourseEdit & { chapterId: number }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const chapter = await chapterOf(courseId, chapterId, tx)
      if (!chapter) throw new Refused({ form: e.chapterNotFound }, 404)
      const deleted = await tx
        .delete(courseChapters)
        .where(and(eq(courseChapters.id, chapterId), sql`not exists (select 1 from ${courseLessons} where ${courseLessons.chapterId} = ${chapterId})`))
        .returning({ id: courseChapters.id })
      if (deleted.length === 0) throw new Refused({ form: e.chapterNotEmpty }, 409)
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.chapter.delete', targetType: 'course', targetId: courseId, detail: { title: chapter.title, chapterId } }, tx)
      return { ok: true as const }
    }),
  )
}

/** Adds a lesson at the end of its chapter, with its already stored (and checked) file. */
export async function addLesson({ courseId, input, file, actorId, now }: CourseEdit & { input: LessonFormData; file: Media }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const chapter = await chapterOf(courseId, input.chapterId, tx)
      if (!chapter) throw new Refused({ chapterId: e.chapterNotFound }, 404)
      const [last] = await tx
        .select({ position: max(courseLessons.position) })
        .from(courseLessons)
        .where(eq(courseLessons.chapterId, chapter.id))
      const [lesson] = await tx
        .insert(courseLessons)
        .values({
          courseId,
          chapterId: chapter.id,
          slug: input.slug,
          title: input.title,
          kind: file.kind === 'video' ? 'video' : 'audio',
          mediaId: file.id,
          durationSeconds: lessonSeconds(file.durationMs),
          transcript: input.transcript,
          preview: input.preview,
          position: (last?.position ?? 0) + 1,
          publishAt: input.publishAt,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: courseLessons.id })
      await touch(courseId, now, tx)
      await recordAudit(
        { actorId, action: 'course.lesson.add', targetType: 'course', targetId: courseId, detail: { title: input.title, slug: input.slug, lessonId: lesson!.id } },
        tx,
      )
      return { ok: true as const }
    }),
  )
}

export async function moveLesson({ courseId, lessonId, direction, actorId, now }: CourseEdit & { lessonId: number; direction: Direction }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const lesson = await tx.query.courseLessons.findFirst({ where: and(eq(courseLessons.id, lessonId), eq(courseLessons.courseId, courseId)) })
      if (!lesson) throw new Refused({ form: e.lessonNotFound }, 404)
      const siblings = await tx
        .select({ id: courseLessons.id })
        .from(courseLessons)
        .where(eq(courseLessons.chapterId, lesson.chapterId))
        .orderBy(asc(courseLessons.position), asc(courseLessons.id))
      const order = reordered(siblings, lessonId, direction)!
      for (const [index, sibling] of order.entries()) {
        await tx.update(courseLessons).set({ position: index + 1 }).where(eq(courseLessons.id, sibling.id))
      }
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.lesson.move', targetType: 'course', targetId: courseId, detail: { title: lesson.title, lessonId, direction } }, tx)
      return { ok: true as const }
    }),
  )
}

/**
 * Rewrites the positions of a list to `order` (drag-and-drop's result) inside the transaction.
 * `order` must name exactly the list's current items: an editor who dragged a stale page (a
 * chapter added or a lesson deleted meanwhile) is told to reload rather than losing an item.
 */
function checkedOrder(current: { id: number }[], order: number[]) {
  const ids = new Set(current.map((item) => item.id))
  if (order.length !== ids.size || order.some((id) => !ids.has(id))) throw new Refused({ form: e.orderStale }, 409)
}

export async function reorderChapters({ courseId, order, actorId, now }: CourseEdit & { order: number[] }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const chapters = await tx.select({ id: courseChapters.id }).from(courseChapters).where(eq(courseChapters.courseId, courseId))
      checkedOrder(chapters, order)
      for (const [index, chapterId] of order.entries()) {
        await tx.update(courseChapters).set({ position: index + 1 }).where(eq(courseChapters.id, chapterId))
      }
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.chapter.reorder', targetType: 'course', targetId: courseId, detail: { order } }, tx)
      return { ok: true as const }
    }),
  )
}

/** A chapter's lessons in a new order (within the chapter: a lesson changes chapter by no drag). */
export async function reorderLessons({ courseId, chapterId, order, actorId, now }: CourseEdit & { chapterId: number; order: number[] }): Promise<EditResult> {
  return refusedOr(() =>
    transaction(async (tx) => {
      const chapter = await chapterOf(courseId, chapterId, tx)
      if (!chapter) throw new Refused({ form: e.chapterNotFound }, 404)
      const lessons = await tx.select({ id: courseLessons.id }).from(courseLessons).where(eq(courseLessons.chapterId, chapterId))
      checkedOrder(lessons, order)
      for (const [index, lessonId] of order.entries()) {
        await tx.update(courseLessons).set({ position: index + 1 }).where(eq(courseLessons.id, lessonId))
      }
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.lesson.reorder', targetType: 'course', targetId: courseId, detail: { chapterId, order } }, tx)
      return { ok: true as const }
    }),
  )
}

/**
 * Saves an added lesson's title, 文稿, 试听 flag and publish time, and — when a new (checked)
 * file comes with them — plays that file from now on: its kind and length replace the old ones,
 * and the old file and its poster (a frame of the old video) are removed after the commit.
 */
export async function updateLesson({
  courseId,
  input,
  file,
  actorId,
  now,
}: CourseEdit & { input: LessonEditData; file: Media | null }): Promise<EditResult | { ok: true; title: string }> {
  const result = await refusedOr(() =>
    transaction(async (tx) => {
      const lesson = await tx.query.courseLessons.findFirst({ where: and(eq(courseLessons.id, input.lessonId), eq(courseLessons.courseId, courseId)) })
      if (!lesson) throw new Refused({ form: e.lessonNotFound }, 404)
      const { lessonId, ...fields } = input
      const media = file
        ? { kind: file.kind === 'video' ? ('video' as const) : ('audio' as const), mediaId: file.id, posterId: null, durationSeconds: lessonSeconds(file.durationMs) }
        : {}
      await tx
        .update(courseLessons)
        .set({ ...fields, ...media, updatedAt: now })
        .where(eq(courseLessons.id, lessonId))
      await touch(courseId, now, tx)
      const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((key) => String(fields[key]) !== String(lesson[key]))
      await recordAudit(
        { actorId, action: 'course.lesson.edit', targetType: 'course', targetId: courseId, detail: { title: input.title, lessonId, changed, replacedFile: file !== null } },
        tx,
      )
      return { ok: true as const, previous: lesson }
    }),
  )
  if (!result.ok) return result
  if (file) {
    await discardLessonMedia(result.previous.mediaId)
    if (result.previous.posterId) await discardLessonMedia(result.previous.posterId)
  }
  return { ok: true, title: input.title }
}

/** A new cover (already checked and re-encoded by ingestImage); the old one's file goes after the commit. */
export async function setCourseCover({ courseId, cover, actorId, now }: CourseEdit & { cover: Media }): Promise<EditResult> {
  const result = await refusedOr(() =>
    transaction(async (tx) => {
      const [previous] = await tx.select({ coverId: courses.coverId }).from(courses).where(eq(courses.id, courseId))
      if (!previous) throw new Refused({ cover: e.notFound }, 404)
      await tx.update(courses).set({ coverId: cover.id, updatedAt: now }).where(eq(courses.id, courseId))
      await recordAudit({ actorId, action: 'course.cover', targetType: 'course', targetId: courseId, detail: { coverId: cover.id } }, tx)
      return { ok: true as const, previousCoverId: previous.coverId }
    }),
  )
  if (!result.ok) return result
  if (result.previousCoverId) {
    const [used] = await db.select({ n: count() }).from(courses).where(eq(courses.coverId, result.previousCoverId))
    if ((used?.n ?? 0) === 0) await deleteMedia(result.previousCoverId)
  }
  return { ok: true }
}

/** Deletes a lesson (its readers' progress goes with it), then its media files. */
export async function deleteLesson({ courseId, lessonId, actorId, now }: CourseEdit & { lessonId: number }): Promise<EditResult | { ok: true; title: string }> {
  const result = await refusedOr(() =>
    transaction(async (tx) => {
      const [lesson] = await tx
        .delete(courseLessons)
        .where(and(eq(courseLessons.id, lessonId), eq(courseLessons.courseId, courseId)))
        .returning()
      if (!lesson) throw new Refused({ form: e.lessonNotFound }, 404)
      await touch(courseId, now, tx)
      await recordAudit({ actorId, action: 'course.lesson.delete', targetType: 'course', targetId: courseId, detail: { title: lesson.title, lessonId } }, tx)
      return { ok: true as const, lesson }
    }),
  )
  if (!result.ok) return result
  // The files go after the commit: a failed delete leaves the lesson and its files as they were.
  await discardLessonMedia(result.lesson.mediaId)
  if (result.lesson.posterId) await discardLessonMedia(result.lesson.posterId)
  return { ok: true, title: result.lesson.title }
}

/** Removes a lesson's file unless another lesson still plays it (the demo seed may share one). */
async function discardLessonMedia(mediaId: string) {
  const [used] = await db
    .select({ n: count() })
    .from(courseLessons)
    .where(sql`${courseLessons.mediaId} = ${mediaId} or ${courseLessons.posterId} = ${mediaId}`)
  if ((used?.n ?? 0) === 0) await deleteMedia(mediaId)
}

