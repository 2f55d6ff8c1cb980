// Recording a reader's progress in a lesson: authenticate → the lesson as the reader may reach it
// (checkLessonAccess, as its page) → validate → one upsert. Anything refused changes nothing.
import type { AppLoadContext } from '@remix-run/node'
import { parseLessonPosition } from '~/domain/course'
import { courseCertificateZhCN } from '~/i18n/courseCertificate.zh-CN'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { getCourseCompletion } from '~/models/course-certificate.server'
import { markLessonLearned, saveLessonPosition } from '~/models/course.server'
import { coursePaths, getCourseReader, presentRefusal, readLesson } from './course-view.server'
import { redirectWithFlash } from './flash.server'

const t = { certificate: courseCertificateZhCN, courses: coursesZhCN }

function json(body: unknown, status = 200) {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } })
}

export async function recordLessonProgress({
  request,
  context,
  courseSlug,
  lessonSlug,
}: {
  request: Request
  context?: AppLoadContext
  courseSlug: string
  lessonSlug: string
}) {
  const now = new Date()
  const reader = await getCourseReader(request, context)
  const { course, lesson, access } = await readLesson({ courseSlug, lessonSlug }, reader, now)
  const lessonPath = coursePaths.lesson(course.course.slug, lesson.slug)
  if (!access.granted) {
    const refusal = presentRefusal(access, course, lessonPath)
    return json({ errors: { lesson: refusal.reason } }, 403)
  }
  if (reader.userId === null) return json({ errors: { lesson: t.courses.progressErrors.signInRequired } }, 401)

  const form = await request.formData().catch(() => null)
  const intent = form?.get('intent')
  const target = { userId: reader.userId, lesson, now }
  if (intent === 'learned') {
    const saved = await markLessonLearned(target)
    const message = (await finishedCourseNow(saved, target)) ? t.certificate.flash(course.course.title) : t.courses.flash.learned(lesson.title)
    return redirectWithFlash(lessonPath, { kind: 'success', message })
  }
  if (intent === 'position') {
    const positionSeconds = parseLessonPosition(form?.get('position'), lesson.durationSeconds)
    if (positionSeconds === null) return json({ errors: { position: t.courses.progressErrors.position } }, 400)
    const saved = await saveLessonPosition({ ...target, positionSeconds })
    return json({ positionSeconds: saved.positionSeconds, learned: saved.completedAt !== null, courseFinished: await finishedCourseNow(saved, target) })
  }
  return json({ errors: { intent: t.courses.progressErrors.intent } }, 400)
}

/**
 * Whether this very report learned the lesson that finished the course (decision 046): only a
 * completion stamped now is looked into, so the player's reports every 10 s cost no extra read.
 */
async function finishedCourseNow(saved: { completedAt: Date | null }, { userId, lesson, now }: { userId: number; lesson: { courseId: number }; now: Date }) {
  if (saved.completedAt?.getTime() !== now.getTime()) return false
  const completion = await getCourseCompletion({ userId, courseId: lesson.courseId, now })
  return completion.finishedAt !== null
}
