import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CourseCard, type CourseCardData } from '~/components/course'
import { EmptyState, PageTitle } from '~/components/ui'
import { parseCourseSort, priceTag, type CourseSort } from '~/domain/course'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { listCourseFields, listPublishedCourses } from '~/models/course.server'
import { listBoughtCourseIds } from '~/models/course-orders.server'
import { coursePaths, getCourseReader, priceLabel } from '~/utils/course-view.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courses: coursesZhCN, pages: pagesZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.courses.title} · ${t.site.name}` }, { name: 'description', content: t.courses.subtitle }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const sort = parseCourseSort(url.searchParams.get('sort'))
  const fieldSlug = url.searchParams.get('field')
  const now = new Date()
  const reader = await getCourseReader(request, context)
  const [fields, rows, bought] = await Promise.all([
    listCourseFields(),
    listPublishedCourses({ now, userId: reader.userId }),
    reader.userId === null ? Promise.resolve(new Set<number>()) : listBoughtCourseIds(reader.userId),
  ])
  if (fieldSlug !== null && !fields.some((field) => field.slug === fieldSlug)) throw new Response(t.pages.notFound.body, { status: 404 })

  const sorted = sort === 'popular' ? [...rows].sort((a, b) => b.learners - a.learners) : rows
  const card = (row: (typeof rows)[number]): CourseCardData => {
    // 「已购买」 in place of the price on a course the reader bought (decision 044).
    const purchased = bought.has(row.course.id)
    return {
      slug: row.course.slug,
      title: row.course.title,
      subtitle: row.course.subtitle,
      lecturerName: row.course.lecturerName,
      coverUrl: row.course.coverId ? coursePaths.cover(row.course.slug, row.course.coverId) : null,
      lessonCount: row.lessonCount,
      totalSeconds: row.totalSeconds,
      learners: row.learners,
      priceLabel: priceLabel(row, { purchased }),
      priceKind: priceTag({ priceFen: row.course.priceFen, includedTierName: row.includedTierName }, { purchased }).kind,
      finishedLessons: row.finishedLessons,
    }
  }
  const shown = fields.filter((field) => fieldSlug === null || field.slug === fieldSlug)
  return {
    sort,
    activeField: fieldSlug,
    // Only the fields that have courses make chips and sections (a filter keeps its own, empty or not).
    fields: fields.filter((field) => rows.some((row) => row.course.fieldId === field.id)).map(({ slug, name }) => ({ slug, name })),
    groups: shown
      .map((field) => ({ slug: field.slug, name: field.name, courses: sorted.filter((row) => row.course.fieldId === field.id).map(card) }))
      .filter((group) => group.courses.length > 0 || fieldSlug !== null),
  }
}

function listHref(field: string | null, sort: CourseSort) {
  const params = new URLSearchParams()
  if (field) params.set('field', field)
  if (sort !== 'newest') params.set('sort', sort)
  const query = params.toString()
  return query ? `/courses?${query}` : '/courses'
}

const chip = (active: boolean) =>
  `block whitespace-nowrap rounded-full border px-3.5 py-1.5 text-sm font-medium transition ${
    active ? 'border-brand-700 bg-brand-700 text-white' : 'border-stone-300 bg-white text-stone-700 hover:border-brand-600 hover:text-brand-700'
  }`

export default function CoursesIndex() {
  const { sort, activeField, fields, groups } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-8">
      <div className="space-y-4">
        <PageTitle subtitle={t.courses.subtitle}>{t.courses.title}</PageTitle>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <nav aria-label={t.courses.fieldsLabel} className="-mx-4 overflow-x-auto px-4 pb-1">
            <ul className="flex gap-2">
              <li>
                <Link to={listHref(null, sort)} aria-current={activeField === null ? 'page' : undefined} className={chip(activeField === null)}>
                  {t.courses.allFields}
                </Link>
              </li>
              {fields.map((field) => (
                <li key={field.slug}>
                  <Link to={listHref(field.slug, sort)} aria-current={activeField === field.slug ? 'page' : undefined} className={chip(activeField === field.slug)}>
                    {field.name}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <nav aria-label={t.courses.sortLabel} className="flex shrink-0 items-center gap-1 text-sm">
            <span className="mr-1 text-stone-500">{t.courses.sortLabel}</span>
            {(['newest', 'popular'] as const).map((option) => (
              <Link
                key={option}
                to={listHref(activeField, option)}
                aria-current={sort === option ? 'page' : undefined}
                className={`rounded-lg px-2.5 py-1.5 font-medium ${sort === option ? 'bg-stone-900 text-white' : 'text-stone-700 hover:bg-stone-100'}`}
              >
                {t.courses.sorts[option]}
              </Link>
            ))}
          </nav>
        </div>
      </div>
      {groups.length === 0 ? <EmptyState>{t.courses.empty}</EmptyState> : null}
      {groups.map((group) => (
        <section key={group.slug} aria-labelledby={`field-${group.slug}`} className="space-y-3">
          <h2 id={`field-${group.slug}`} className="text-xl font-bold text-stone-900">
            {group.name}
          </h2>
          {group.courses.length === 0 ? (
            <EmptyState>{t.courses.fieldEmpty}</EmptyState>
          ) : (
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {group.courses.map((course) => (
                <li key={course.slug}>
                  <CourseCard course={course} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  )
}
