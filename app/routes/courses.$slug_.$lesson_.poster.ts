import type { LoaderFunctionArgs } from '@remix-run/node'
import { serveLessonFile } from '~/utils/course-media.server'

// A video lesson's poster frame: gated as the video is.
export function loader({ request, params, context }: LoaderFunctionArgs) {
  return serveLessonFile({ request, context, courseSlug: params.slug ?? '', lessonSlug: params.lesson ?? '', part: 'poster' })
}
