// The files of a course: a lesson's media and poster, answered only to a viewer the lesson's
// page would open for (the same checkLessonAccess, the same zh-CN reason on a 403), and the
// cover of a visible course. The bytes go out through serveFile, with Range.
import type { AppLoadContext } from '@remix-run/node'
import { getCourseBySlug } from '~/models/course.server'
import { getMedia } from '~/models/media.server'
import { getCourseReader, getTokenReader, presentRefusal, coursePaths, readLesson, requireVisibleCourse } from './course-view.server'
import { plainText, serveFile } from './media-file.server'
import { mediaZhCN } from '~/i18n/media.zh-CN'

const t = { media: mediaZhCN }

interface FileRequest {
  request: Request
  context?: AppLoadContext
  courseSlug: string
}

/** A thrown 404 of the course helpers, as the plain-text answer a media URL gives. */
async function orNotFound(work: () => Promise<Response>) {
  try {
    return await work()
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 404) return plainText(t.media.notFound, 404)
    throw thrown
  }
}

export function serveLessonFile({ request, context, courseSlug, lessonSlug, part }: FileRequest & { lessonSlug: string; part: 'media' | 'poster' }) {
  return orNotFound(async () => {
    const now = new Date()
    const slugs = { courseSlug, lessonSlug }
    let { course, lesson, access } = await readLesson(slugs, await getCourseReader(request, context), now)
    // A podcast app brings the private feed's ?token= instead of a session (decision 044).
    const tokenReader = access.granted ? null : await getTokenReader(request)
    if (tokenReader) ({ course, lesson, access } = await readLesson(slugs, tokenReader, now))
    if (!access.granted) {
      const refusal = presentRefusal(access, course, coursePaths.lesson(course.course.slug, lesson.slug))
      return plainText([refusal.reason, ...refusal.notes].join('\n'), 403)
    }
    const id = part === 'media' ? lesson.mediaId : lesson.posterId
    const file = id ? await getMedia(id) : undefined
    if (!file) return plainText(t.media.notFound, 404)
    // Private even for a 试听: whether a lesson is open may change, a shared cache would not know.
    return serveFile(request, file, 'private')
  })
}

export function serveCourseCover({ request, context, courseSlug }: FileRequest) {
  return orNotFound(async () => {
    const found = await getCourseBySlug(courseSlug)
    // A published course's cover is answered without reading the session (no cookie work for a
    // public file); a draft's only to staff.
    const course = found?.course.published ? found : await requireVisibleCourse(courseSlug, (await getCourseReader(request, context)).viewer)
    const file = course.course.coverId ? await getMedia(course.course.coverId) : undefined
    if (!file) return plainText(t.media.notFound, 404)
    // The URL carries the cover's id (coursePaths.cover): a new cover is a new URL.
    return serveFile(request, file, course.course.published ? 'public' : 'private')
  })
}
