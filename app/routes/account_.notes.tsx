// /account/notes: the reader's highlights and notes from every course, by course → lesson, each
// linking back to its place in the 文稿; 「导出 Markdown」 for one course or all (decision 045).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmptyState, PageTitle, buttonClass } from '~/components/ui'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { myNotesZhCN } from '~/i18n/myNotes.zh-CN'
import { listReaderNotes } from '~/models/lesson-note.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { formatDate } from '~/utils/format'
import { groupReaderNotes, notePath } from '~/utils/lesson-notes.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { myNotes: myNotesZhCN, site: siteZhCN }
const p = t.myNotes.page

export const meta: MetaFunction = () => [{ title: `${p.title} · ${t.site.name}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const timeZone = getEnv().SITE_TIMEZONE
  const courses = groupReaderNotes(await listReaderNotes(user.id)).map(({ course, lessons }) => ({
    title: course.title,
    slug: course.slug,
    count: lessons.reduce((sum, lesson) => sum + lesson.notes.length, 0),
    lessons: lessons.map(({ lesson, notes }) => ({
      key: lesson.id,
      title: lesson.title,
      href: `/courses/${course.slug}/${lesson.slug}`,
      notes: notes.map((note) => ({ id: note.id, quote: note.quote, note: note.note, href: notePath(course.slug, lesson.slug, note.id), date: formatDate(note.createdAt, timeZone) })),
    })),
  }))
  return { courses }
}

const exportHref = (courseSlug?: string) => `/account/notes/export${courseSlug ? `?${new URLSearchParams({ course: courseSlug })}` : ''}`

export default function AccountNotes() {
  const { courses } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav className="text-sm">
        <Link to="/account" className="font-medium text-brand-700 hover:underline">
          ← {p.backToAccount}
        </Link>
      </nav>
      <PageTitle subtitle={p.subtitle}>{p.title}</PageTitle>
      {courses.length === 0 ? (
        <>
          <EmptyState>{p.empty}</EmptyState>
          <p className="text-center">
            <Link to="/courses" className={buttonClass('primary')}>
              {p.browseCourses}
            </Link>
          </p>
        </>
      ) : (
        <>
          <p>
            {/* A file download, not a page: a plain link, so the browser saves it. */}
            <a href={exportHref()} download className={buttonClass('secondary')}>
              {p.exportAll}
            </a>
          </p>
          {courses.map((course) => (
            <section key={course.slug} aria-labelledby={`course-${course.slug}`} className="space-y-4 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-6">
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id={`course-${course.slug}`} className="text-xl font-bold text-stone-900">
                  <Link to={`/courses/${course.slug}`} className="hover:underline">
                    《{course.title}》
                  </Link>
                  <span className="ml-2 text-sm font-normal text-stone-500">{p.count(course.count)}</span>
                </h2>
                <a href={exportHref(course.slug)} download className="text-sm font-medium text-brand-700 hover:underline">
                  {p.exportCourse}
                </a>
              </header>
              {course.lessons.map((lesson) => (
                <div key={lesson.key} className="space-y-2">
                  <h3 className="font-semibold text-stone-800">
                    <Link to={lesson.href} className="hover:underline">
                      {lesson.title}
                    </Link>
                  </h3>
                  <ul className="space-y-3">
                    {lesson.notes.map((note) => (
                      <li key={note.id} className="space-y-1.5 rounded-xl bg-stone-50 p-3">
                        <blockquote className="border-l-4 border-amber-400 pl-3 whitespace-pre-line text-stone-700">{note.quote}</blockquote>
                        {note.note ? <p className="whitespace-pre-wrap text-stone-900">{note.note}</p> : null}
                        <p className="flex flex-wrap gap-x-3 text-sm text-stone-500">
                          <span>{note.date}</span>
                          <Link to={note.href} className="font-medium text-brand-700 hover:underline">
                            {t.myNotes.viewInText}
                          </Link>
                        </p>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </section>
          ))}
        </>
      )}
    </div>
  )
}
