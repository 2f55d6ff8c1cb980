// What a viewer of a course or a lesson receives (the presentDaily habit): the routes of
// /courses call these and never decide access themselves. The rule is checkLessonAccess.
import type { AppLoadContext } from '@remix-run/node'
import { checkLessonAccess, isCourseVisible, isLessonVisible, priceTag, type LessonAccess, type WayIn } from '~/domain/course'
import type { Viewer } from '~/domain/access'
import { signInPath } from '~/domain/sign-in-return'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { pagesZhCN } from '~/i18n/core.zh-CN'
import { getCourseBySlug, getSyllabus, type CourseWithGate, type Syllabus } from '~/models/course.server'
import { isCourseBought } from '~/models/course-orders.server'
import { getPodcastViewer } from '~/models/feed.server'
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

/** The subscriber behind a private feed's ?token= (a podcast app has no session), or null. */
export async function getTokenReader(request: Request): Promise<CourseReader | null> {
  const token = new URL(request.url).searchParams.get('token')
  const found = token ? await getPodcastViewer(token) : null
  return found ? { viewer: found.viewer, userId: found.user.id } : null
}

/** What the access rule needs of a reader for one course: who they are, and whether they bought it. */
export interface CourseGateReader {
  viewer: Viewer
  purchased: boolean
}

/** The reader as the rule sees them for this course: a paid, unrefunded purchase of it (decision 044). */
export async function readerOfCourse(reader: CourseReader, courseId: number): Promise<CourseGateReader> {
  return { viewer: reader.viewer, purchased: reader.userId !== null && (await isCourseBought({ userId: reader.userId, courseId })) }
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

export function lessonAccess(course: CourseWithGate, lesson: { preview: boolean }, { viewer, purchased }: CourseGateReader, now: Date): LessonAccess {
  return checkLessonAccess({ priceFen: course.course.priceFen, includedRank: course.includedRank }, lesson, viewer, { purchased, now })
}

/**
 * A lesson of a course as this viewer may reach it: the course, its visible syllabus (in order),
 * the lesson and whether it opens. Unpublished courses and lessons not yet released are a thrown
 * 404 for readers, exactly as for a slug that does not exist.
 */
export async function readLesson({ courseSlug, lessonSlug }: { courseSlug: string; lessonSlug: string }, reader: CourseReader, now: Date) {
  const { viewer } = reader
  const course = await requireVisibleCourse(courseSlug, viewer)
  const [syllabus, gate] = await Promise.all([getSyllabus(course.course.id), readerOfCourse(reader, course.course.id)])
  const visible = visibleSyllabus(syllabus, viewer, now)
  const lessons = visible.flatMap((chapter) => chapter.lessons)
  const index = lessons.findIndex((lesson) => lesson.slug === lessonSlug)
  if (index < 0) notFound()
  const lesson = lessons[index]!
  return {
    course,
    syllabus: visible,
    lesson,
    previous: lessons[index - 1] ?? null,
    next: lessons[index + 1] ?? null,
    purchased: gate.purchased,
    access: lessonAccess(course, lesson, gate, now),
  }
}

export const coursePaths = {
  course: (slug: string) => `/courses/${slug}`,
  lesson: (courseSlug: string, lessonSlug: string) => `/courses/${courseSlug}/${lessonSlug}`,
  media: (courseSlug: string, lessonSlug: string) => `/courses/${courseSlug}/${lessonSlug}/media`,
  poster: (courseSlug: string, lessonSlug: string) => `/courses/${courseSlug}/${lessonSlug}/poster`,
  // The cover's id in the URL: a new cover is a new URL, so the old one may be cached for a year.
  cover: (slug: string, coverId: string) => `/courses/${slug}/cover?v=${coverId}`,
}

/** The text under a price or a lock: 「已购买」, 「免费」, 「铁杆会员免费」, ¥99. */
export function priceLabel(course: CourseWithGate, { purchased = false }: { purchased?: boolean } = {}) {
  const tag = priceTag({ priceFen: course.course.priceFen, includedTierName: course.includedTierName }, { purchased })
  if (tag.kind === 'bought') return t.courses.price.bought
  if (tag.kind === 'free') return t.courses.price.free
  if (tag.kind === 'included') return t.courses.price.included(tag.tierName)
  if (tag.kind === 'price') return formatFen(tag.priceFen)
  return t.courses.price.notOnSale
}

export interface WayInLink {
  way: WayIn
  label: string
  href: string
  /** 购买 for a signed-in reader: a form posted to the course page (placing an order is a write). */
  post?: true
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
  const coursePath = coursePaths.course(course.course.slug)
  // A visitor who wants to buy signs in first and comes back to the course's 购买 (decision 040).
  const visitor = access.reason === 'sign_in_required'
  const links: Record<WayIn, Omit<WayInLink, 'way' | 'label'>> = {
    sign_in: { href: `/login?${new URLSearchParams({ redirectTo: returnTo })}` },
    join: { href: '/membership' },
    buy: visitor ? { href: signInPath({ redirectTo: `${coursePath}#${PURCHASE_ANCHOR}`, purchase: true }) } : { href: coursePath, post: true },
  }
  return {
    reason: scope === 'course' ? t.courses.refusal.course[access.reason] : t.courses.refusal[access.reason],
    notes,
    ways: access.ways.map((way): WayInLink => ({ way, label: t.courses.ways[way], ...links[way] })),
  }
}

export type Refusal = ReturnType<typeof presentRefusal>

/** The id of the course page's way-in panel, where a reader back from signing in to buy lands. */
export const PURCHASE_ANCHOR = 'purchase'

/** The lesson's 文稿 as HTML, through the site's one sanitiser. */
export function transcriptHtml(markdown: string) {
  return markdown.trim() ? renderMarkdown(markdown, 'staff') : ''
}
