// The course editor's forms (/admin/courses): what each submitted field must be, with the zh-CN
// message shown beside it. Whether a slug is free or a chapter exists is the model's to answer.
import { z } from 'zod'
import { parseLocalDateTime, yuanToFen } from './drop'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { errorsZhCN } from '~/i18n/core.zh-CN'

const e = courseAdminZhCN.errors
const f = courseAdminZhCN.fields

export const COURSE_LIMITS = {
  titleMax: 80,
  slugMax: 60,
  subtitleMax: 120,
  lecturerNameMax: 40,
  lecturerBioMax: 2_000,
  introductionMax: 50_000,
  chapterTitleMax: 80,
  lessonTitleMax: 80,
  transcriptMax: 200_000,
  /** ¥1,000,000: a price beyond it is a typo. */
  priceFenMax: 100_000_000,
}

/**
 * Lesson slugs that a route under /courses/:slug/ already answers: a lesson so named could
 * never be opened (decisions 039, 046).
 */
export const RESERVED_LESSON_SLUGS = ['cover', 'certificate'] as const

const slug = z
  .string({ error: e.slugRequired })
  .trim()
  .toLowerCase()
  .min(1, e.slugRequired)
  .max(COURSE_LIMITS.slugMax, e.slugTooLong(COURSE_LIMITS.slugMax))
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, e.slugInvalid)

// Browsers send a textarea's line breaks as CRLF: stored as LF, so that a 文稿's character
// ranges (highlights, decision 039) do not depend on the form that last saved it.
const optionalText = (max: number, label: string) =>
  z
    .string()
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, e.tooLong(label, max)))
    .optional()
    .transform((v) => v ?? '')

const checkbox = z
  .literal('on', { error: errorsZhCN.invalidChoice })
  .optional()
  .transform((v) => v === 'on')

const id = (message: string) => z.coerce.number({ error: message }).int(message).positive(message)

/** Yuan as typed → fen; empty = not sold on its own (null); 0 = free. */
const price = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const typed = (value ?? '').trim()
    if (typed === '') return null
    const fen = yuanToFen(typed)
    if (fen === null || fen > COURSE_LIMITS.priceFenMax) {
      ctx.addIssue({ code: 'custom', message: e.priceInvalid })
      return z.NEVER
    }
    return fen
  })

export const courseForm = z.object({
  title: z.string({ error: e.titleRequired }).trim().min(1, e.titleRequired).max(COURSE_LIMITS.titleMax, e.titleTooLong(COURSE_LIMITS.titleMax)),
  slug,
  subtitle: optionalText(COURSE_LIMITS.subtitleMax, f.subtitle),
  fieldId: id(e.fieldInvalid),
  lecturerName: z
    .string({ error: e.lecturerRequired })
    .trim()
    .min(1, e.lecturerRequired)
    .max(COURSE_LIMITS.lecturerNameMax, e.tooLong(f.lecturerName, COURSE_LIMITS.lecturerNameMax)),
  lecturerBio: optionalText(COURSE_LIMITS.lecturerBioMax, f.lecturerBio),
  introduction: optionalText(COURSE_LIMITS.introductionMax, f.introduction),
  price,
  // '' = included in no tier.
  includedTierId: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null
      const tierId = Number(value)
      if (!Number.isInteger(tierId) || tierId <= 0) {
        ctx.addIssue({ code: 'custom', message: e.tierInvalid })
        return z.NEVER
      }
      return tierId
    }),
  published: checkbox,
})

export type CourseFormData = z.output<typeof courseForm>

const chapterTitle = z
  .string({ error: e.chapterTitleRequired })
  .trim()
  .min(1, e.chapterTitleRequired)
  .max(COURSE_LIMITS.chapterTitleMax, e.tooLong(courseAdminZhCN.chapters.newTitle, COURSE_LIMITS.chapterTitleMax))

const direction = z.enum(['up', 'down'], { error: e.directionInvalid })

/** A new order as drag-and-drop sends it: ids, comma-separated, each once (the model checks the set). */
const order = z
  .string({ error: e.orderInvalid })
  .trim()
  .regex(/^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,499}$/, e.orderInvalid)
  .transform((value) => value.split(',').map(Number))
  .refine((ids) => new Set(ids).size === ids.length, { error: e.orderInvalid })

/** The syllabus forms of the editor page, told apart by their `intent`. */
export const syllabusForm = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('chapter.add'), title: chapterTitle }),
    z.object({ intent: z.literal('chapter.rename'), chapterId: id(e.chapterNotFound), title: chapterTitle }),
    z.object({ intent: z.literal('chapter.move'), chapterId: id(e.chapterNotFound), direction }),
    z.object({ intent: z.literal('chapter.delete'), chapterId: id(e.chapterNotFound) }),
    z.object({ intent: z.literal('lesson.move'), lessonId: id(e.lessonNotFound), direction }),
    z.object({ intent: z.literal('lesson.delete'), lessonId: id(e.lessonNotFound) }),
    z.object({ intent: z.literal('chapter.reorder'), order }),
    z.object({ intent: z.literal('lesson.reorder'), chapterId: id(e.chapterNotFound), order }),
  ],
  { error: errorsZhCN.invalidChoice },
)

export type SyllabusFormData = z.output<typeof syllabusForm>

/** What a lesson's editor may change after adding it: all but its slug and chapter (its file beside them). */
function lessonFields(timeZone: string) {
  return {
    title: z
      .string({ error: e.lessonTitleRequired })
      .trim()
      .min(1, e.lessonTitleRequired)
      .max(COURSE_LIMITS.lessonTitleMax, e.tooLong(courseAdminZhCN.lessons.title, COURSE_LIMITS.lessonTitleMax)),
    transcript: optionalText(COURSE_LIMITS.transcriptMax, courseAdminZhCN.lessons.transcript),
    preview: checkbox,
    publishAt: z.string({ error: e.publishAtInvalid }).transform((value, ctx) => {
      const instant = parseLocalDateTime(value.trim(), timeZone)
      if (!instant) {
        ctx.addIssue({ code: 'custom', message: e.publishAtInvalid })
        return z.NEVER
      }
      return instant
    }),
  }
}

/** A new lesson's fields (its file arrives beside them and is checked by the ingest functions). */
export function lessonForm(timeZone: string) {
  return z.object({
    chapterId: id(e.chapterNotFound),
    slug: slug.refine((value) => !(RESERVED_LESSON_SLUGS as readonly string[]).includes(value), { error: (issue) => e.lessonSlugReserved(String(issue.input)) }),
    ...lessonFields(timeZone),
  })
}

export type LessonFormData = z.output<ReturnType<typeof lessonForm>>

/**
 * An added lesson's edit: title, 文稿, 试听, publish time, and optionally a new file. The slug
 * stays: it is the lesson's address, shared and bookmarked.
 */
export function lessonEditForm(timeZone: string) {
  return z.object({ lessonId: id(e.lessonNotFound), ...lessonFields(timeZone) })
}

export type LessonEditData = z.output<ReturnType<typeof lessonEditForm>>
