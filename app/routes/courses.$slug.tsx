import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CourseCover, PriceBadge, SyllabusList, WayInPanel } from '~/components/course'
import { buttonClass } from '~/components/ui'
import { isLessonReleased, priceTag } from '~/domain/course'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { getCourseProgress, getSyllabus } from '~/models/course.server'
import { buyCourse } from '~/utils/course-purchase.server'
import { coursePaths, getCourseReader, lessonAccess, presentRefusal, priceLabel, readerOfCourse, requireVisibleCourse, visibleSyllabus } from '~/utils/course-view.server'
import { renderMarkdown } from '~/utils/markdown.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courses: coursesZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.course.title} · ${t.courses.title} · ${t.site.name}` }, { name: 'description', content: data.course.subtitle }] : []

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const now = new Date()
  const reader = await getCourseReader(request, context)
  const course = await requireVisibleCourse(params.slug ?? '', reader.viewer)
  const [syllabus, gate, progress] = await Promise.all([
    getSyllabus(course.course.id),
    readerOfCourse(reader, course.course.id),
    reader.userId === null ? Promise.resolve(new Map<number, { positionSeconds: number; completedAt: Date | null }>()) : getCourseProgress(reader.userId, course.course.id),
  ])
  const chapters = visibleSyllabus(syllabus, reader.viewer, now).map((chapter) => ({
    id: chapter.id,
    title: chapter.title,
    lessons: chapter.lessons.map((lesson) => ({
      slug: lesson.slug,
      title: lesson.title,
      kind: lesson.kind,
      durationSeconds: lesson.durationSeconds,
      preview: lesson.preview,
      open: lessonAccess(course, lesson, gate, now).granted,
      learned: Boolean(progress.get(lesson.id)?.completedAt),
      released: isLessonReleased(lesson, now),
    })),
  }))
  const lessons = chapters.flatMap((chapter) => chapter.lessons)
  // The way in is about the whole course: what a lesson that is not 试听 asks of this reader.
  const access = lessonAccess(course, { preview: false }, gate, now)
  const path = coursePaths.course(course.course.slug)
  // Where 开始学习 / 继续学习 leads: the first open lesson not yet learned, else the first open one.
  const open = lessons.filter((lesson) => lesson.open)
  const nextLesson = open.find((lesson) => !lesson.learned) ?? open[0] ?? null
  return {
    course: {
      slug: course.course.slug,
      title: course.course.title,
      subtitle: course.course.subtitle,
      fieldName: course.fieldName,
      fieldSlug: course.fieldSlug,
      lecturerName: course.course.lecturerName,
      lecturerBio: course.course.lecturerBio,
      coverUrl: course.course.coverId ? coursePaths.cover(course.course.slug, course.course.coverId) : null,
      introductionHtml: course.course.introduction.trim() ? renderMarkdown(course.course.introduction, 'staff') : '',
      published: course.course.published,
      priceLabel: priceLabel(course, gate),
      priceKind: priceTag({ priceFen: course.course.priceFen, includedTierName: course.includedTierName }, gate).kind,
    },
    purchased: gate.purchased,
    chapters,
    totalSeconds: lessons.reduce((sum, lesson) => sum + lesson.durationSeconds, 0),
    learnedCount: lessons.filter((lesson) => lesson.learned).length,
    signedIn: reader.userId !== null,
    refusal: access.granted ? null : presentRefusal(access, course, path, { scope: 'course' }),
    nextLesson: nextLesson ? { slug: nextLesson.slug, started: lessons.some((lesson) => lesson.learned), preview: !access.granted } : null,
  }
}

/** 购买 (decision 044): sign-in first, then one order of kind `course`, and on to /pay. */
export function action({ request, params, context }: ActionFunctionArgs) {
  return buyCourse({ request, context, courseSlug: params.slug ?? '' })
}

export default function CoursePage() {
  const { course, chapters, totalSeconds, learnedCount, signedIn, refusal, nextLesson, purchased } = useLoaderData<typeof loader>()
  const purchaseError = useActionData<typeof action>()?.errors.purchase
  const lessonCount = chapters.reduce((sum, chapter) => sum + chapter.lessons.length, 0)
  return (
    <article className="mx-auto max-w-3xl space-y-8">
      {course.published ? null : (
        <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t.courses.draft}
        </p>
      )}
      <header className="grid gap-5 sm:grid-cols-[minmax(0,5fr)_minmax(0,6fr)] sm:items-center">
        <CourseCover url={course.coverUrl} title={course.title} />
        <div className="space-y-2">
          <p className="text-sm">
            <Link to={`/courses?field=${course.fieldSlug}`} className="font-medium text-brand-700 hover:underline">
              {course.fieldName}
            </Link>
          </p>
          <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">{course.title}</h1>
          {course.subtitle ? <p className="text-stone-600">{course.subtitle}</p> : null}
          <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
            <PriceBadge label={course.priceLabel} kind={course.priceKind} />
            <span>
              {t.courses.lecturer} · {course.lecturerName}
            </span>
            <span>
              {t.courses.lessons(lessonCount)} · {t.courses.totalLength(totalSeconds)}
            </span>
          </p>
          {signedIn && learnedCount > 0 ? <p className="text-sm font-medium text-brand-700">{t.courses.progress(learnedCount, lessonCount)}</p> : null}
        </div>
      </header>

      <section aria-labelledby="way-in" className="space-y-3">
        <h2 id="way-in" className="sr-only">
          {t.courses.course.wayInTitle}
        </h2>
        {refusal ? (
          <WayInPanel refusal={refusal} id="purchase" error={purchaseError} />
        ) : (
          <p className="rounded-2xl border border-green-200 bg-green-50 p-4 text-green-900">{purchased ? t.courses.course.bought : t.courses.course.yours}</p>
        )}
        {!refusal && purchaseError ? (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {purchaseError}
          </p>
        ) : null}
        {nextLesson ? (
          <Link to={`/courses/${course.slug}/${nextLesson.slug}`} className={buttonClass(nextLesson.preview ? 'secondary' : 'primary')}>
            {nextLesson.preview ? t.courses.course.tryPreview : nextLesson.started ? t.courses.course.continue : t.courses.course.start}
          </Link>
        ) : null}
      </section>

      {course.introductionHtml ? (
        <section aria-labelledby="introduction" className="space-y-2">
          <h2 id="introduction" className="text-xl font-bold text-stone-900">
            {t.courses.course.introduction}
          </h2>
          <div className="prose-zhiyin" dangerouslySetInnerHTML={{ __html: course.introductionHtml }} />
        </section>
      ) : null}

      <section aria-labelledby="lecturer" className="space-y-2">
        <h2 id="lecturer" className="text-xl font-bold text-stone-900">
          {t.courses.course.aboutLecturer}
        </h2>
        <p className="font-medium text-stone-900">{course.lecturerName}</p>
        {course.lecturerBio ? <p className="leading-relaxed text-stone-700">{course.lecturerBio}</p> : null}
      </section>

      <section aria-labelledby="syllabus" className="space-y-3">
        <h2 id="syllabus" className="text-xl font-bold text-stone-900">
          {t.courses.course.syllabus}
        </h2>
        <SyllabusList courseSlug={course.slug} chapters={chapters} />
      </section>

      <p className="text-center">
        <Link to="/courses" className="text-sm text-stone-600 underline">
          {t.courses.course.backToCourses}
        </Link>
      </p>
    </article>
  )
}
