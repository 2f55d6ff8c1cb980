// 「已完成的课程」 on /account: every course the reader finished, with its certificate (decision
// 046). Lean on purpose: /account is at its script budget (decision 028), so a reader with no
// finished course sees no card at all.
import { Link } from '@remix-run/react'
import { Card } from '~/components/ui'
import { finishedCoursesZhCN } from '~/i18n/finishedCourses.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { finishedCourses: finishedCoursesZhCN }

export interface FinishedCourse {
  title: string
  coursePath: string
  certificatePath: string
  finishedOn: string
}

export function FinishedCourses({ courses }: { courses: FinishedCourse[] }) {
  const a = t.finishedCourses
  if (courses.length === 0) return null
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{a.title}</h2>
      <ul className="space-y-2">
        {courses.map((course) => (
          <li key={course.certificatePath} className="flex flex-wrap items-baseline gap-x-3">
            <Link to={course.coursePath} className="font-medium hover:underline">
              《{course.title}》
            </Link>
            <span className="text-sm text-stone-500">{a.finishedOn(course.finishedOn)}</span>
            <Link to={course.certificatePath} className="text-sm font-medium text-brand-700 underline">
              🎓 {a.certificate}
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  )
}
