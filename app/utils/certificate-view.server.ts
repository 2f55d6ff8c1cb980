// What a viewer of a certificate receives (the presentDaily habit): its reader's own, a shared
// one through its signed link, or — for a reader still learning — what is left. The routes of
// /courses/:slug/certificate call these and decide nothing themselves (decision 046).
import type { AppLoadContext } from '@remix-run/node'
import { isCourseFinished, isLessonReleased } from '~/domain/course'
import { courseCertificateZhCN } from '~/i18n/courseCertificate.zh-CN'
import type { CourseWithGate } from '~/models/course.server'
import { getCertificateHolder, getCourseCompletion, listFinishedCourses, type CourseCompletion } from '~/models/course-certificate.server'
import { requireAuth } from './auth.server'
import { certificateNumber, certificatePaths, certificateShareToken, readCertificateShareToken, type CertificateFace } from './course-certificate.server'
import { coursePaths, requireVisibleCourse } from './course-view.server'
import { getEnv } from './env.server'
import { formatDate, formatFullDate } from './format'

const c = courseCertificateZhCN

function notFound(): never {
  throw new Response(c.notFound, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

function certificateOf(course: CourseWithGate, holder: { id: number; name: string }, completion: CourseCompletion & { finishedAt: Date }) {
  const { SITE_URL, SITE_TIMEZONE } = getEnv()
  const ids = { courseId: course.course.id, userId: holder.id }
  const token = certificateShareToken(ids)
  const slug = course.course.slug
  const face: CertificateFace = {
    name: holder.name,
    courseTitle: course.course.title,
    lecturerName: course.course.lecturerName,
    lessonCount: completion.released,
    finishedOn: formatFullDate(completion.finishedAt, SITE_TIMEZONE),
    number: certificateNumber(ids),
  }
  return {
    face,
    course: { slug, title: course.course.title, url: `${SITE_URL}${coursePaths.course(slug)}` },
    share: {
      pagePath: certificatePaths.shared(slug, token),
      pageUrl: `${SITE_URL}${certificatePaths.shared(slug, token)}`,
      imagePath: certificatePaths.image(slug, token),
      imageUrl: `${SITE_URL}${certificatePaths.image(slug, token)}`,
      alt: c.share.alt(face.name, face.courseTitle),
    },
  }
}

export type Certificate = ReturnType<typeof certificateOf>

/**
 * The signed-in reader's certificate of a course, or what they have left to learn (a visitor is
 * sent to sign in; a course they cannot see is 404, as its page is).
 */
export async function readOwnCertificate({ request, context, slug, now }: { request: Request; context?: AppLoadContext; slug: string; now: Date }) {
  const auth = await requireAuth(request, context)
  const course = await requireVisibleCourse(slug, { role: auth.user.role, memberships: auth.memberships })
  const completion = await getCourseCompletion({ userId: auth.user.id, courseId: course.course.id, now })
  if (completion.finishedAt === null) {
    return {
      finished: false as const,
      course: { slug: course.course.slug, title: course.course.title },
      learned: completion.learned,
      released: completion.released,
      remaining: completion.lessons.filter((lesson) => lesson.completedAt === null).map(({ slug: lessonSlug, title }) => ({ slug: lessonSlug, title })),
    }
  }
  return { finished: true as const, ...certificateOf(course, { id: auth.user.id, name: auth.user.displayName }, { ...completion, finishedAt: completion.finishedAt }) }
}

/**
 * A certificate through its share link, for anyone (crawlers too): the token's signature must be
 * this course's and its reader's, the course published and still finished by them; else 404.
 */
export async function readSharedCertificate({ slug, token, now }: { slug: string; token: string; now: Date }) {
  // As a visitor sees it: a draft course has no shared certificates.
  const course = await requireVisibleCourse(slug, null)
  const userId = readCertificateShareToken(token, course.course.id)
  if (userId === null) notFound()
  const [holder, completion] = await Promise.all([getCertificateHolder(userId), getCourseCompletion({ userId, courseId: course.course.id, now })])
  if (!holder || completion.finishedAt === null) notFound()
  return certificateOf(course, holder, { ...completion, finishedAt: completion.finishedAt })
}

/**
 * The certificate's address for a reader whose progress (as getCourseProgress reads it) covers
 * every released lesson of this syllabus; null while something is left. For the lesson page's
 * 「恭喜完成本课」, from what it has already read.
 */
export function finishedCertificatePath(
  courseSlug: string,
  syllabus: { lessons: { id: number; publishAt: Date }[] }[],
  progress: ReadonlyMap<number, { completedAt: Date | null }>,
  now: Date,
) {
  const released = syllabus.flatMap((chapter) => chapter.lessons).filter((lesson) => isLessonReleased(lesson, now))
  const learned = released.filter((lesson) => progress.get(lesson.id)?.completedAt).length
  return isCourseFinished({ learned, released: released.length }) ? certificatePaths.page(courseSlug) : null
}

/** 「已完成的课程」 of /account: each finished course, the day it was finished and its certificate. */
export async function presentFinishedCourses({ userId, now }: { userId: number; now: Date }) {
  const timeZone = getEnv().SITE_TIMEZONE
  const finished = await listFinishedCourses({ userId, now })
  return finished.map((course) => ({
    title: course.title,
    coursePath: coursePaths.course(course.slug),
    certificatePath: certificatePaths.page(course.slug),
    finishedOn: formatDate(course.finishedAt, timeZone),
  }))
}
