import type { LoaderFunctionArgs } from '@remix-run/node'
import { serveLessonFile } from '~/utils/course-media.server'

// A lesson's audio or video, with Range: refused (403, with the reason) exactly as its page is.
export function loader({ request, params, context }: LoaderFunctionArgs) {
  return serveLessonFile({ request, context, courseSlug: params.slug ?? '', lessonSlug: params.lesson ?? '', part: 'media' })
}
