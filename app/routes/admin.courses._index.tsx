import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Badge, buttonClass, EmptyState, PageTitle } from '~/components/ui'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { listCoursesForStaff } from '~/models/course-admin.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courseAdmin: courseAdminZhCN }
const a = t.courseAdmin

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const courses = await listCoursesForStaff(new Date())
  return {
    courses: courses.map((course) => ({
      id: course.id,
      title: course.title,
      fieldName: course.fieldName,
      published: course.published,
      lessonCount: course.lessonCount,
      learners: course.learners,
      // The share of learners who finished every released lesson; none without learners.
      completionPercent: course.learners > 0 ? Math.round((course.completed / course.learners) * 100) : null,
    })),
  }
}

export default function AdminCourses() {
  const { courses } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-3">
        <PageTitle>{a.listTitle}</PageTitle>
        <Link to="/admin/courses/new" className={buttonClass('primary', 'shrink-0')}>
          {a.create}
        </Link>
      </div>
      {courses.length === 0 ? (
        <EmptyState>{a.empty}</EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm">
          {courses.map((course) => (
            <li key={course.id}>
              <Link to={`/admin/courses/${course.id}`} className="block px-4 py-3 hover:bg-stone-50">
                <span className="flex flex-wrap items-center gap-2 text-sm text-stone-500">
                  <Badge tone={course.published ? 'green' : 'stone'}>{course.published ? a.states.published : a.states.draft}</Badge>
                  <span>{course.fieldName}</span>
                </span>
                <span className="mt-1 block font-medium text-stone-900">{course.title}</span>
                <span className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-stone-600">
                  <span>{a.lessonCount(course.lessonCount)}</span>
                  <span>{a.learnerCount(course.learners)}</span>
                  <span>{a.completionRate(course.completionPercent)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
