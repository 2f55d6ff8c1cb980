import type { LoaderFunctionArgs } from '@remix-run/node'
import { serveCourseCover } from '~/utils/course-media.server'

// A course's cover: public once the course is published (staff see drafts').
export function loader({ request, params, context }: LoaderFunctionArgs) {
  return serveCourseCover({ request, context, courseSlug: params.slug ?? '' })
}
