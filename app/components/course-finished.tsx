// 「恭喜完成本课」: shown on a lesson once the reader has learned every released lesson of its
// course, with the way to the certificate (decision 046).
import { Link } from '@remix-run/react'
import { buttonClass } from '~/components/ui'
import { courseFinishedZhCN } from '~/i18n/courseFinished.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courseFinished: courseFinishedZhCN }
const c = t.courseFinished

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
