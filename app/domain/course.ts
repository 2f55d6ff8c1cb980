// Pure rules of 又一课 (issue 17, docs/decisions/039-courses.md): who may open a lesson, what is
// live, and when a lesson counts as learned. No I/O: callers pass `now` and what they read.
import { checkAccess, isStaff, type Viewer } from './access'
import { highestActiveMembership, type MembershipPeriod } from './membership'

/** What the access rule needs of a course. */
export interface CourseGate {
  /** null = not sold on its own; 0 = free for everyone; otherwise the price of buying it. */
  priceFen: number | null
  /** The rank of the lowest tier that includes the course (higher ranks too); null = no tier. */
  includedRank: number | null
}

/** What the access rule needs of a lesson. */
export interface LessonGate {
  /** 试听: open to everyone, visitors included. */
  preview: boolean
}

/** How a refused reader can get in: 登录, 开通会员, 购买. */
export type WayIn = 'sign_in' | 'join' | 'buy'

export type LessonAccess =
  | { granted: true; via: 'preview' | 'free' | 'membership' | 'purchase' | 'staff' }
  | {
      granted: false
      reason: 'sign_in_required' | 'membership_required' | 'membership_expired' | 'higher_tier_required' | 'purchase_required' | 'not_on_sale'
      ways: WayIn[]
    }

/**
 * The one rule of who opens a lesson: a 试听 lesson or a free course → everyone; staff → always;
 * a reader who bought the course → yes; a member whose tier includes it → yes (checkAccess, the
 * site's tier rule); otherwise refused, with the ways in that exist for this course.
 * `purchased` is whether the viewer holds a paid purchase of the course (decision 029's orders).
 */
export function checkLessonAccess(
  course: CourseGate,
  lesson: LessonGate,
  viewer: Viewer,
  { purchased = false, now }: { purchased?: boolean; now: Date },
): LessonAccess {
  if (lesson.preview) return { granted: true, via: 'preview' }
  if (course.priceFen === 0) return { granted: true, via: 'free' }
  const sellable = course.priceFen !== null
  const included = course.includedRank !== null
  const ways: WayIn[] = [...(included ? (['join'] as const) : []), ...(sellable ? (['buy'] as const) : [])]
  if (viewer === null) {
    return { granted: false, reason: ways.length > 0 ? 'sign_in_required' : 'not_on_sale', ways: ways.length > 0 ? ['sign_in', ...ways] : [] }
  }
  if (isStaff(viewer.role)) return { granted: true, via: 'staff' }
  if (purchased) return { granted: true, via: 'purchase' }
  if (course.includedRank !== null) {
    const tier = checkAccess({ minRank: course.includedRank }, viewer, now)
    if (tier.granted) return { granted: true, via: 'membership' }
    // A signed-in viewer: checkAccess's reasons are about membership only.
    const reason = tier.reason === 'sign_in_required' ? 'membership_required' : tier.reason
    return { granted: false, reason, ways }
  }
  if (sellable) return { granted: false, reason: 'purchase_required', ways }
  return { granted: false, reason: 'not_on_sale', ways }
}

/** Whether readers see a course at all: published. Staff see drafts too (previews). */
export function isCourseVisible(course: { published: boolean }, viewer: Viewer) {
  return course.published || (viewer !== null && isStaff(viewer.role))
}

/** A lesson is released once its publish time has come (a course may release one a week). */
export function isLessonReleased(lesson: { publishAt: Date }, now: Date) {
  return lesson.publishAt.getTime() <= now.getTime()
}

/** Whether a viewer sees a lesson of a visible course: released, or staff previewing. */
export function isLessonVisible(lesson: { publishAt: Date }, viewer: Viewer, now: Date) {
  return isLessonReleased(lesson, now) || (viewer !== null && isStaff(viewer.role))
}

/**
 * A reader has finished a course once they learned every lesson released by now — the rule of
 * the certificate (decision 046) and of the editor's completion rate (042). A course with nothing
 * released has no finishers; a lesson released later makes a finisher unfinished until learned.
 */
export function isCourseFinished({ learned, released }: { learned: number; released: number }) {
  return released > 0 && learned >= released
}

/** The certificate's picture: the size link previews use (the page and its og:image agree). */
export const CERTIFICATE_IMAGE_SIZE = { width: 1200, height: 630 } as const

/** The share of a lesson heard that counts as learned. */
export const LEARNED_SHARE = 0.9

/** Whether a position this far into a lesson of this length marks it learned (≥ 90 % heard). */
export function isHeardEnough(positionSeconds: number, durationSeconds: number) {
  return durationSeconds > 0 && positionSeconds >= durationSeconds * LEARNED_SHARE
}

/**
 * A lesson's stored length in whole seconds, from its media's measured length: cut to the second,
 * as the player cuts the media's own length (`formatClock`), so that the course page's list and the
 * player read the same (28.6 s is 0:28 in both). At least 1.
 */
export function lessonSeconds(durationMs: number | null) {
  return Math.max(1, Math.floor((durationMs ?? 0) / 1000))
}

/**
 * A position as the player reports it, checked: a finite number of seconds within the lesson
 * (a second of slack past the stored length, which is cut to the second). Returns whole seconds or null.
 */
export function parseLessonPosition(raw: unknown, durationSeconds: number) {
  if (typeof raw !== 'string' || !/^\d{1,6}(\.\d{1,3})?$/.test(raw.trim())) return null
  const seconds = Number(raw)
  if (!Number.isFinite(seconds) || seconds > durationSeconds + 1) return null
  return Math.min(Math.floor(seconds), durationSeconds)
}

/** Where a lesson resumes: the saved position, unless the lesson was heard (nearly) to its end. */
export function resumeAt(positionSeconds: number | null, durationSeconds: number) {
  if (positionSeconds === null || positionSeconds <= 0) return 0
  return positionSeconds >= durationSeconds - 1 ? 0 : positionSeconds
}

/** The price to show: 「已购买」, 「免费」, 「铁杆会员免费」, ¥99 — the reader's purchase, the inclusion, then the price. */
export type PriceTag = { kind: 'bought' } | { kind: 'free' } | { kind: 'included'; tierName: string } | { kind: 'price'; priceFen: number } | { kind: 'none' }

export function priceTag(course: { priceFen: number | null; includedTierName: string | null }, { purchased = false }: { purchased?: boolean } = {}): PriceTag {
  if (purchased) return { kind: 'bought' }
  if (course.priceFen === 0) return { kind: 'free' }
  if (course.includedTierName) return { kind: 'included', tierName: course.includedTierName }
  if (course.priceFen !== null) return { kind: 'price', priceFen: course.priceFen }
  return { kind: 'none' }
}

export const COURSE_SORTS = ['newest', 'popular'] as const
export type CourseSort = (typeof COURSE_SORTS)[number]

export function parseCourseSort(raw: string | null): CourseSort {
  return raw === 'popular' ? 'popular' : 'newest'
}

/**
 * The lessons still to come, soonest first, with their chapter: the editor's release schedule
 * (a course may release one lesson a week).
 */
export function releaseSchedule<L extends { publishAt: Date }>(syllabus: { title: string; lessons: L[] }[], now: Date) {
  return syllabus
    .flatMap((chapter) => chapter.lessons.filter((lesson) => !isLessonReleased(lesson, now)).map((lesson) => ({ chapterTitle: chapter.title, lesson })))
    .sort((a, b) => a.lesson.publishAt.getTime() - b.lesson.publishAt.getTime())
}

// ---- buying a course once (decision 044) ----------------------------------------------------------

/** What buying needs of a course, read in the buying transaction. */
export interface CourseForSale extends CourseGate {
  published: boolean
}

/** Why a reader may not buy a course; the zh-CN words are the catalogue's (courses.purchase.refused). */
export type PurchaseProblem =
  | { reason: 'unpublished' | 'free' | 'not_on_sale' | 'already_bought' }
  | { reason: 'included'; tierName: string }

/**
 * Whether this reader may buy this course now: it is published and has a price; they have not
 * bought it; and their membership does not already include it (by the tier rule — staff see
 * every course by their role, which is no reason to refuse them). Null when they may.
 */
export function purchaseProblem(
  course: CourseForSale,
  memberships: readonly (MembershipPeriod & { tierName: string })[],
  { purchased, now }: { purchased: boolean; now: Date },
): PurchaseProblem | null {
  if (!course.published) return { reason: 'unpublished' }
  if (course.priceFen === 0) return { reason: 'free' }
  if (course.priceFen === null) return { reason: 'not_on_sale' }
  if (purchased) return { reason: 'already_bought' }
  const membership = highestActiveMembership(memberships, now)
  if (course.includedRank !== null && membership && membership.tierRank >= course.includedRank) return { reason: 'included', tierName: membership.tierName }
  return null
}

/** The one exclusive key of a reader's purchase of a course: the live-order index allows one. */
export function courseExclusiveKey(courseId: number, userId: number) {
  return `course:${courseId}:${userId}`
}

// ---- the private podcast feed (decision 044) -----------------------------------------------------

/**
 * Whether a course is the subscriber's, for their private feed: bought, or included in their tier
 * (checkAccess, so staff too). Free courses and 试听 lessons are not: the feed carries what the
 * reader has, not every lesson they may open.
 */
export function isCourseTheirs(course: Pick<CourseGate, 'includedRank'>, viewer: Viewer, { purchased, now }: { purchased: boolean; now: Date }) {
  if (purchased) return true
  return course.includedRank !== null && checkAccess({ minRank: course.includedRank }, viewer, now).granted
}

/**
 * The dates a feed gives a course's lessons, in syllabus order: each its release, moved a second
 * past the one before when it is not later. A podcast app sorts by date, so lessons released
 * together still play in the syllabus's order.
 */
export function syllabusDates(releases: readonly Date[]) {
  const dates: Date[] = []
  for (const release of releases) {
    const previous = dates.at(-1)
    dates.push(previous && release.getTime() <= previous.getTime() ? new Date(previous.getTime() + 1000) : release)
  }
  return dates
}
