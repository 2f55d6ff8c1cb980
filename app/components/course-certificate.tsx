// 「恭喜完成本课」: shown on a lesson once the reader has learned every released lesson of its
// course, with the way to the certificate (decision 046).
import { Link } from '@remix-run/react'
import { buttonClass, Card } from '~/components/ui'
import { courseCertificateZhCN } from '~/i18n/courseCertificate.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { certificate: courseCertificateZhCN }
const c = t.certificate

export function CourseFinished({ course, certificatePath }: { course: { title: string }; certificatePath: string }) {
  return (
    <section role="status" className="flex flex-wrap items-center gap-3 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3">
      <p className="min-w-0 flex-1 text-sm text-amber-900">
        <strong className="block text-base">🎓 {c.congratulations}</strong>
        {c.congratulationsBody(course.title)}
      </p>
      <Link to={certificatePath} className={buttonClass('primary', 'shrink-0')}>
        {c.view}
      </Link>
    </section>
  )
}

export interface FinishedCourse {
  title: string
  lecturerName: string
  coursePath: string
  certificatePath: string
  finishedOn: string
}

/** 「已完成的课程」 on /account: every course the reader finished, each with its certificate. */
export function FinishedCourses({ courses }: { courses: FinishedCourse[] }) {
  const a = c.account
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{a.title}</h2>
      {courses.length === 0 ? (
        <p className="text-sm text-stone-600">
          {a.empty}{' '}
          <Link to="/courses" className="font-medium text-brand-700 underline">
            {a.browse}
          </Link>
        </p>
      ) : (
        <ul className="divide-y divide-stone-100">
          {courses.map((course) => (
            <li key={course.certificatePath} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 first:pt-0 last:pb-0">
              <span className="min-w-0 flex-1">
                <Link to={course.coursePath} className="font-medium text-stone-900 hover:text-brand-700 hover:underline">
                  《{course.title}》
                </Link>
                <span className="block text-xs text-stone-500">
                  {course.lecturerName} · {a.finishedOn(course.finishedOn)}
                </span>
              </span>
              <Link to={course.certificatePath} className={buttonClass('secondary', 'shrink-0 px-3 py-1.5 text-sm')}>
                🎓 {a.certificate}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
