// Buying a course once (issue 17, docs/decisions/044-course-purchases-and-the-feed.md): courses as
// an order kind of the commerce core. A purchase is an order of kind `course` with one line on
// the course's unlimited stock and the exclusive key course:<courseId>:<userId>, so the live-order
// index allows one per reader. A course is bought while such an order is paid and not refunded:
// that query is the `purchased` input of checkLessonAccess, so a refund revokes access by itself.
// Loading this module plugs the kind into the core (app/models/commerce.server.ts imports it).
import { and, eq, inArray, sql } from 'drizzle-orm'
import { courses, orderLines, orders, stock, tiers, users, type Order, type OrderLine } from '../../db/schema'
import { courseExclusiveKey, purchaseProblem, type PurchaseProblem } from '~/domain/course'
import { PAID_ORDER_STATES } from '~/domain/order'
import { coursePurchaseEmail } from '~/emails/course'
import { db, transaction, type Executor } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { defineOrderKind, holdOrder, orderRefusal, type PaidOrder } from './commerce/index.server'
import { getMembershipPeriods } from './membership.server'

/**
 * The courses this reader has bought: a paid (not refunded) order of kind `course` whose line is
 * the course's stock. The one statement of "bought"; `courseId` narrows it to one course.
 */
export async function listBoughtCourseIds(userId: number, { courseId, executor = db }: { courseId?: number; executor?: Executor } = {}) {
  const rows = await executor
    .selectDistinct({ courseId: courses.id })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(courses, eq(courses.stockId, orderLines.stockId))
    .where(
      and(
        eq(orders.userId, userId),
        eq(orders.kind, 'course'),
        inArray(orders.state, [...PAID_ORDER_STATES]),
        courseId === undefined ? undefined : eq(courses.id, courseId),
      ),
    )
  return new Set(rows.map((row) => row.courseId))
}

export async function isCourseBought({ userId, courseId }: { userId: number; courseId: number }, executor: Executor = db) {
  return (await listBoughtCourseIds(userId, { courseId, executor })).has(courseId)
}

/** What buying reads of a course, by id or by its stock (a line of an order). */
async function courseForSale(executor: Executor, where: { id: number } | { stockId: number }) {
  const [row] = await executor
    .select({
      id: courses.id,
      slug: courses.slug,
      title: courses.title,
      priceFen: courses.priceFen,
      published: courses.published,
      stockId: courses.stockId,
      includedRank: tiers.rank,
    })
    .from(courses)
    .leftJoin(tiers, eq(tiers.id, courses.includedTierId))
    .where('id' in where ? eq(courses.id, where.id) : eq(courses.stockId, where.stockId))
  return row
}

/** Why this reader may not buy this course now (the pure rule, with what it reads), or null. */
async function problemOf(executor: Executor, course: NonNullable<Awaited<ReturnType<typeof courseForSale>>>, userId: number, now: Date) {
  const memberships = await getMembershipPeriods(userId, executor)
  const purchased = await isCourseBought({ userId, courseId: course.id }, executor)
  return purchaseProblem({ priceFen: course.priceFen, includedRank: course.includedRank ?? null, published: course.published }, memberships, { purchased, now })
}

/**
 * The course's stock: made by its first purchase, unlimited. `coalesce` keeps the first one made
 * if two first purchases met (the other's row is left unused).
 */
async function stockOfCourse(tx: Executor, course: { id: number; stockId: number | null }) {
  if (course.stockId !== null) return course.stockId
  const [made] = await tx.insert(stock).values({ capacity: null }).returning({ id: stock.id })
  const [kept] = await tx
    .update(courses)
    .set({ stockId: sql`coalesce(${courses.stockId}, ${made!.id})` })
    .where(eq(courses.id, course.id))
    .returning({ stockId: courses.stockId })
  return kept!.stockId!
}

export type CourseOrderRefusal = PurchaseProblem | { reason: 'not_found' } | { reason: 'pending'; orderId: number }
export type CourseOrderResult = { ok: true; order: Order } | ({ ok: false } & CourseOrderRefusal)

/** Thrown to roll the purchase back with its refusal. */
class PurchaseRefused extends Error {
  constructor(readonly refusal: CourseOrderRefusal) {
    super(refusal.reason)
  }
}

/**
 * Places this reader's order for a course: the rule (published, priced, not bought, not in their
 * tier) read in the transaction that holds the unit, so nothing changes between the check and the
 * hold. A second live order for the same course (another tab, a double click) meets the exclusive
 * key: the reader is sent to the one that is waiting to be paid, or told the course is theirs.
 */
export async function placeCourseOrder({ userId, courseId, now }: { userId: number; courseId: number; now: Date }): Promise<CourseOrderResult> {
  try {
    return await transaction(async (tx) => {
      const course = await courseForSale(tx, { id: courseId })
      if (!course) throw new PurchaseRefused({ reason: 'not_found' })
      const problem = await problemOf(tx, course, userId, now)
      if (problem) throw new PurchaseRefused(problem)
      const { order } = await holdOrder(tx, {
        userId,
        kind: 'course',
        lines: [{ stockId: await stockOfCourse(tx, course), qty: 1, unitPriceFen: course.priceFen!, title: course.title, takesNumbers: false }],
        exclusiveKey: courseExclusiveKey(course.id, userId),
        now,
      })
      return { ok: true as const, order }
    })
  } catch (error) {
    if (error instanceof PurchaseRefused) return { ok: false, ...error.refusal }
    if (orderRefusal(error)?.reason !== 'exclusive_taken') throw error
    const [live] = await db
      .select({ id: orders.id, state: orders.state })
      .from(orders)
      .where(and(eq(orders.exclusiveKey, courseExclusiveKey(courseId, userId)), inArray(orders.state, ['pending', ...PAID_ORDER_STATES])))
    return live?.state === 'pending' ? { ok: false, reason: 'pending', orderId: live.id } : { ok: false, reason: 'already_bought' }
  }
}

/** The course an order of this reader bought (its slug), for the way from a paid order to the course. */
export async function courseOfOrder({ orderId, userId }: { orderId: number; userId: number }) {
  const [row] = await db
    .select({ slug: courses.slug })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(courses, eq(courses.stockId, orderLines.stockId))
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId), eq(orders.kind, 'course')))
  return row ?? null
}

/** Paid after the order lapsed: accepted only if the reader could buy it now, at the price paid. */
async function courseOrderProblem(tx: Executor, order: Order, lines: readonly OrderLine[], now: Date): Promise<string | null> {
  const line = lines[0]
  const course = line ? await courseForSale(tx, { stockId: line.stockId }) : undefined
  if (!line || !course) return 'not_found'
  const problem = await problemOf(tx, course, order.userId, now)
  if (problem) return problem.reason
  return course.priceFen === line.unitPriceFen ? null : 'price_changed'
}

/** A paid course: the receipt with the way to it. Access itself needs no write: it is the paid order. */
async function sendCourseReceipt(tx: Executor, { order, lines }: PaidOrder, now: Date) {
  const [buyer] = await tx.select({ email: users.email, displayName: users.displayName }).from(users).where(eq(users.id, order.userId))
  const course = lines[0] ? await courseForSale(tx, { stockId: lines[0].stockId }) : undefined
  if (!buyer || !course) return
  const message = coursePurchaseEmail({ name: buyer.displayName, order, courseTitle: course.title, url: `${getEnv().SITE_URL}/courses/${course.slug}` })
  await sendEmail({ ...message, to: buyer.email, template: 'course-receipt' }, tx, now)
}

defineOrderKind('course', {
  fulfil: sendCourseReceipt,
  lateOrderProblem: courseOrderProblem,
  // The unit goes back to the stock in the core's requestRefund(); access ends with the order's
  // paid state (listBoughtCourseIds), so nothing else is undone.
  returnUnits: async () => {},
})
