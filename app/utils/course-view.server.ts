// What a viewer of a course or a lesson receives (the presentDaily habit): the routes of
// /courses call these and never decide access themselves. The rule is checkLessonAccess.
import type { AppLoadContext } from '@remix-run/node'
import { checkLessonAccess, isCourseVisible, isLessonVisible, priceTag, type LessonAccess, type WayIn } from '~/domain/course'
import type { Viewer } from '~/domain/access'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { pagesZhCN } from '~/i18n/core.zh-CN'
import { getCourseBySlug, getSyllabus, type CourseWithGate, type Syllabus } from '~/models/course.server'
import { getAuth } from './auth.server'
import { formatFen } from './format'
import { renderMarkdown } from './markdown.server'

const t = { courses: coursesZhCN, pages: pagesZhCN }

export interface CourseReader {
  viewer: Viewer
  userId: number | null
}

export async function getCourseReader(request: Request, context?: AppLoadContext): Promise<CourseReader> {
  const auth = await getAuth(request, context)
  return auth ? { viewer: { role: auth.user.role, memberships: auth.memberships }, userId: auth.user.id } : { viewer: null, userId: null }
}

function notFound(): never {
  throw new Response(t.pages.notFound.body, { status: 404 })
}

/** The course of a slug if this viewer may see it (published, or staff previewing); else a thrown 404. */
export async function requireVisibleCourse(slug: string, viewer: Viewer) {
  const course = await getCourseBySlug(slug)
  if (!course || !isCourseVisible(course.course, viewer)) notFound()
  return course
}

/** The syllabus as this viewer sees it: lessons not yet released exist only for staff. */
export function visibleSyllabus(syllabus: Syllabus, viewer: Viewer, now: Date) {
  return syllabus
    .map((chapter) => ({ ...chapter, lessons: chapter.lessons.filter((lesson) => isLessonVisible(lesson, viewer, now)) }))
    .filter((chapter) => chapter.lessons.length > 0)
}

export function lessonAccess(course: CourseWithGate, lesson: { preview: boolean }, viewer: Viewer, now: Date): LessonAccess {
  return checkLessonAccess({ priceFen: course.course.priceFen, includedRank: course.includedRank }, lesson, viewer, { now })
}

/**
 * A lesson of a course as this viewer may reach it: the course, its visible syllabus (in order),
 * the lesson and whether it opens. Unpublished courses and lessons not yet released are a thrown
 * 404 for readers, exactly as for a slug that does not exist.
 */
export async function readLesson({ courseSlug, lessonSlug }: { courseSlug: string; lessonSlug: string }, viewer: Viewer, now: Date) {
  const course = await requireVisibleCourse(courseSlug, viewer)
  const syllabus = visibleSyllabus(await getSyllabus(course.course.id), viewer, now)
  const lessons = syllabus.flatMap((chapter) => chapter.lessons)
  const index = lessons.findIndex((lesson) => lesson.slug === lessonSlug)
  if (index < 0) notFound()
  const lesson = lessons[index]!
  return { course, syllabus, lesson, previous: lessons[index - 1] ?? null, next: lessons[index + 1] ?? null, access: lessonAccess(course, lesson, viewer, now) }
}

export const coursePaths = {
  course: (slug: string) => `/courses/${slug}`,
  lesson: (courseSlug: string, lessonSlug: string) => `/courses/${courseSlug}/${lessonSlug}`,
  media: (courseSlug: string, lessonSlug: string) => `/courses/${courseSlug}/${lessonSlug}/media`,
  poster: (courseSlug: string, lessonSlug: string) => `/courses/${courseSlug}/${lessonSlug}/poster`,
  // The cover's id in the URL: a new cover is a new URL, so the old one may be cached for a year.
  cover: (slug: string, coverId: string) => `/courses/${slug}/cover?v=${coverId}`,
}

/** The text under a price or a lock: 「免费」, 「铁杆会员免费」, ¥99. */
export function priceLabel(course: CourseWithGate) {
  const tag = priceTag({ priceFen: course.course.priceFen, includedTierName: course.includedTierName })
  if (tag.kind === 'free') return t.courses.price.free
  if (tag.kind === 'included') return t.courses.price.included(tag.tierName)
  if (tag.kind === 'price') return formatFen(tag.priceFen)
  return t.courses.price.notOnSale
}

export interface WayInLink {
  way: WayIn
  label: string
  /** null: no page yet takes the reader there (buying a course arrives with the purchase piece). */
  href: string | null
}

/** Why a lesson is refused and the ways in, in zh-CN: for the page and the media URL alike. */
export function presentRefusal(
  access: Extract<LessonAccess, { granted: false }>,
  course: CourseWithGate,
  returnTo: string,
  { scope = 'lesson' }: { scope?: 'lesson' | 'course' } = {},
) {
  const notes: string[] = []
  if (access.ways.includes('join') && course.includedTierName) notes.push(t.courses.refusal.includedFor(course.includedTierName))
  if (access.ways.includes('buy') && course.course.priceFen) notes.push(t.courses.refusal.priceIs(formatFen(course.course.priceFen)))
  const hrefs: Record<WayIn, string | null> = {
    sign_in: `/login?${new URLSearchParams({ redirectTo: returnTo })}`,
    join: '/membership',
    buy: null,
  }
  return {
    reason: scope === 'course' ? t.courses.refusal.course[access.reason] : t.courses.refusal[access.reason],
    notes,
    ways: access.ways.filter((way) => hrefs[way] !== null).map((way): WayInLink => ({ way, label: t.courses.ways[way], href: hrefs[way] })),
  }
}

export type Refusal = ReturnType<typeof presentRefusal>

/** The lesson's 文稿 as HTML, through the site's one sanitiser. */
export function transcriptHtml(markdown: string) {
  return markdown.trim() ? renderMarkdown(markdown, 'staff') : ''
}
