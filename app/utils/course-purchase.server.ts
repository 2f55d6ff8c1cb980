// 购买 on a course page (decision 044): sign-in first (back to the course's 购买), then one order of
// kind `course` placed by the rule in its transaction (placeCourseOrder), and on to /pay. The
// route's action calls this; its zh-CN words stay out of the page's script (decision 028).
import type { AppLoadContext } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { signInPath } from '~/domain/sign-in-return'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { paymentsZhCN } from '~/i18n/payments.zh-CN'
import { placeCourseOrder, type CourseOrderRefusal } from '~/models/course-orders.server'
import { coursePaths, getCourseReader, PURCHASE_ANCHOR, requireVisibleCourse } from './course-view.server'
import { redirectWithFlash } from './flash.server'
import { paymentsAvailable } from './payments.server'

const t = { courses: coursesZhCN, payments: paymentsZhCN }

type Refused = Exclude<CourseOrderRefusal, { reason: 'pending' }>

const REFUSAL_STATUS: Record<Refused['reason'], number> = {
  not_found: 404,
  unpublished: 409,
  free: 409,
  not_on_sale: 409,
  already_bought: 409,
  included: 409,
}

function refusalMessage(refusal: Refused) {
  const words = t.courses.purchase.refused
  return refusal.reason === 'included' ? words.included(refusal.tierName) : words[refusal.reason]
}

/** The course page's action: /pay/:id for an order placed (or waiting), else the reason, 4xx, nothing stored. */
export async function buyCourse({ request, context, courseSlug }: { request: Request; context?: AppLoadContext; courseSlug: string }) {
  const now = new Date()
  const reader = await getCourseReader(request, context)
  const course = await requireVisibleCourse(courseSlug, reader.viewer)
  if (reader.userId === null) throw redirect(signInPath({ redirectTo: `${coursePaths.course(course.course.slug)}#${PURCHASE_ANCHOR}`, purchase: true }), 303)
  const form = await request.formData()
  const fail = (message: string, status: number) => data({ errors: { purchase: message } }, { status })
  if (form.get('intent') !== 'buy') return fail(t.courses.purchase.intent, 400)
  if (!paymentsAvailable()) return fail(t.payments.notSetUp, 503)

  const result = await placeCourseOrder({ userId: reader.userId, courseId: course.course.id, now })
  if (result.ok) return redirectWithFlash(`/pay/${result.order.id}`, { kind: 'success', message: t.courses.purchase.placed })
  if (result.reason === 'pending') return redirectWithFlash(`/pay/${result.orderId}`, { kind: 'info', message: t.courses.purchase.pending })
  return fail(refusalMessage(result), REFUSAL_STATUS[result.reason])
}
