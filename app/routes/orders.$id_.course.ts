import type { LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { pagesZhCN } from '~/i18n/core.zh-CN'
import { courseOfOrder } from '~/models/course-orders.server'
import { requireUser } from '~/utils/auth.server'
import { coursePaths } from '~/utils/course-view.server'

const t = { pages: pagesZhCN }

// /orders/:id/course: where a paid course order lands (paidOrderPath; a provider's success URL
// too): the course it bought, which now opens. Someone else's order is a 404, like a missing one.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const orderId = Number(params.id)
  const course = /^[1-9]\d{0,9}$/.test(params.id ?? '') ? await courseOfOrder({ orderId, userId: user.id }) : null
  if (!course) throw new Response(t.pages.notFound.body, { status: 404 })
  return redirect(coursePaths.course(course.slug))
}
