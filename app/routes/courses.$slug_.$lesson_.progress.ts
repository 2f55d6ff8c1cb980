import type { ActionFunctionArgs } from '@remix-run/node'
import { recordLessonProgress } from '~/utils/course-progress.server'
import { postOnly } from '~/utils/post-only.server'

export const loader = () => postOnly()

// Where a reader is in a lesson (the player's reports, JSON) and 「标记为已学」 (a form: back to
// the lesson with a confirmation). Refused, with the zh-CN reason, for a lesson the reader cannot open.
export function action({ request, params, context }: ActionFunctionArgs) {
  return recordLessonProgress({ request, context, courseSlug: params.slug ?? '', lessonSlug: params.lesson ?? '' })
}
