import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect } from 'react'
import { LessonVideo, useProgressReport, WayInPanel } from '~/components/course'
import { TranscriptWithNotes } from '~/components/lesson-notes'
import { DailyPlayer, useTrackPlayback } from '~/components/player'
import { Button, buttonClass } from '~/components/ui'
import { isLessonReleased, resumeAt } from '~/domain/course'
import { formatClock } from '~/domain/player'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { getCourseProgress } from '~/models/course.server'
import { coursePaths, getCourseReader, presentRefusal, readLesson } from '~/utils/course-view.server'
import { handleLessonNoteAction, presentLessonNotes } from '~/utils/lesson-notes.server'
import { CourseFinished } from '~/components/course-finished'
import { finishedCertificatePath } from '~/utils/certificate-view.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courses: coursesZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.lesson.title} · ${data.course.title} · ${t.site.name}` }] : []

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const now = new Date()
  const reader = await getCourseReader(request, context)
  const { course, syllabus, lesson, previous, next, access } = await readLesson({ courseSlug: params.slug ?? '', lessonSlug: params.lesson ?? '' }, reader, now)
  const courseSlug = course.course.slug
  const page = {
    course: { slug: courseSlug, title: course.course.title },
    lesson: { slug: lesson.slug, title: lesson.title, kind: lesson.kind, durationSeconds: lesson.durationSeconds, preview: lesson.preview, released: isLessonReleased(lesson, now) },
    previous: previous ? { slug: previous.slug, title: previous.title } : null,
    next: next ? { slug: next.slug, title: next.title } : null,
  }
  // A refused reader gets the lesson's title, why, and the way in: 403, as its media URL answers.
  if (!access.granted) {
    return data({ ...page, refusal: presentRefusal(access, course, coursePaths.lesson(courseSlug, lesson.slug)), certificatePath: null, player: null }, { status: 403 })
  }
  const courseProgress = reader.userId === null ? null : await getCourseProgress(reader.userId, course.course.id)
  const progress = courseProgress?.get(lesson.id)
  const { transcriptHtml, notes } = await presentLessonNotes({ request, userId: reader.userId, lesson, now })
  return data({
    ...page,
    refusal: null,
    // 「恭喜完成本课」 once every released lesson is learned (decision 046).
    certificatePath: courseProgress ? finishedCertificatePath(courseSlug, syllabus, courseProgress, now) : null,
    player: {
      mediaUrl: coursePaths.media(courseSlug, lesson.slug),
      posterUrl: lesson.posterId ? coursePaths.poster(courseSlug, lesson.slug) : null,
      coverUrl: course.course.coverId ? coursePaths.cover(courseSlug, course.course.coverId) : null,
      progressUrl: `${coursePaths.lesson(courseSlug, lesson.slug)}/progress`,
      // The reader's own highlights are drawn into it; their notes come beside it (decision 045).
      transcriptHtml,
      notes,
      // Progress is kept for signed-in readers only; a visitor hears the 试听 without it.
      signedIn: reader.userId !== null,
      resumeAt: resumeAt(progress?.positionSeconds ?? null, lesson.durationSeconds),
      learned: Boolean(progress?.completedAt),
    },
  })
}

// 划线, notes, deleting and sharing them: forms of this page, refused with the lesson's reason
// for a reader who cannot open it (decision 045).
export function action({ request, params, context }: ActionFunctionArgs) {
  return handleLessonNoteAction({ request, context, courseSlug: params.slug ?? '', lessonSlug: params.lesson ?? '' })
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>
type Player = NonNullable<LoaderData['player']>

export default function LessonPage() {
  const loaded = useLoaderData<typeof loader>()
  const { course, lesson, previous, next, refusal, player } = loaded
  return (
    <article className="mx-auto max-w-2xl space-y-6">
      <nav aria-label={t.courses.lesson.backToCourse} className="text-sm">
        <Link to={`/courses/${course.slug}`} className="font-medium text-brand-700 hover:underline">
          ← {course.title}
        </Link>
      </nav>
      {lesson.released ? null : (
        <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t.courses.scheduledLesson}
        </p>
      )}
      <header className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">{lesson.title}</h1>
        <p className="flex items-center gap-2 text-sm text-stone-500">
          <span>{lesson.kind === 'video' ? t.courses.course.video : t.courses.course.audio}</span>
          <span className="tabular-nums">{formatClock(lesson.durationSeconds)}</span>
          {lesson.preview ? <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">{t.courses.course.preview}</span> : null}
        </p>
      </header>

      {refusal ? <WayInPanel refusal={refusal} /> : null}
      {loaded.certificatePath ? <CourseFinished course={course} certificatePath={loaded.certificatePath} /> : null}
      {player ? <LessonBody course={course} lesson={lesson} next={next} player={player} /> : null}

      <nav aria-label={t.courses.course.syllabus} className="grid grid-cols-2 gap-3 border-t border-stone-200 pt-6 text-sm">
        <div>
          {previous ? (
            <Link to={`/courses/${course.slug}/${previous.slug}`} className="block rounded-lg p-2 hover:bg-white">
              <span className="block text-stone-500">← {t.courses.lesson.previous}</span>
              <span className="font-medium text-stone-900">{previous.title}</span>
            </Link>
          ) : null}
        </div>
        <div className="text-right">
          {next ? (
            <Link to={`/courses/${course.slug}/${next.slug}`} className="block rounded-lg p-2 hover:bg-white">
              <span className="block text-stone-500">{t.courses.lesson.next} →</span>
              <span className="font-medium text-stone-900">{next.title}</span>
            </Link>
          ) : null}
        </div>
      </nav>
    </article>
  )
}

function LessonBody({ course, lesson, next, player }: { course: LoaderData['course']; lesson: LoaderData['lesson']; next: LoaderData['next']; player: Player }) {
  const key = `course:${course.slug}/${lesson.slug}`
  const report = useProgressReport(player.progressUrl, player.learned)
  const playback = useTrackPlayback(key)
  const { position, playing, ended } = playback
  const signedIn = player.signedIn
  useEffect(() => {
    if (signedIn && lesson.kind === 'audio') report({ position, playing, ended })
  }, [signedIn, lesson.kind, report, position, playing, ended])

  return (
    <>
      {lesson.kind === 'video' ? (
        <LessonVideo
          src={player.mediaUrl}
          poster={player.posterUrl}
          title={lesson.title}
          resumeAt={player.resumeAt}
          onProgress={(state) => (signedIn ? report(state) : undefined)}
        />
      ) : (
        <DailyPlayer
          date={key}
          title={lesson.title}
          url={player.mediaUrl}
          durationMs={lesson.durationSeconds * 1000}
          artworkUrl={player.coverUrl}
          href={`/courses/${course.slug}/${lesson.slug}`}
          resumeAt={player.resumeAt}
        />
      )}
      <div className="flex flex-wrap items-center gap-3">
        {!signedIn ? null : player.learned ? (
          <p role="status" className="rounded-full bg-brand-100 px-3 py-1.5 text-sm font-semibold text-brand-800">
            ✓ {t.courses.lesson.learned}
          </p>
        ) : (
          // A document POST: the progress endpoint is a resource route, it answers with a redirect.
          <form method="post" action={player.progressUrl}>
            <input type="hidden" name="intent" value="learned" />
            <Button variant="secondary">{t.courses.lesson.markLearned}</Button>
          </form>
        )}
        {next ? (
          <Link to={`/courses/${course.slug}/${next.slug}`} className={buttonClass('primary')}>
            {t.courses.lesson.next}：{next.title}
          </Link>
        ) : null}
        {player.resumeAt > 0 ? <p className="text-sm text-stone-500">{t.courses.lesson.resumeFrom(formatClock(player.resumeAt))}</p> : null}
      </div>
      <section aria-labelledby="transcript" className="space-y-2">
        <h2 id="transcript" className="text-xl font-bold text-stone-900">
          {t.courses.lesson.transcript}
        </h2>
        {player.transcriptHtml ? (
          <TranscriptWithNotes html={player.transcriptHtml} notes={player.notes} signInHref={`/login?${new URLSearchParams({ redirectTo: `/courses/${course.slug}/${lesson.slug}` })}`} />
        ) : (
          <p className="text-stone-500">{t.courses.lesson.noTranscript}</p>
        )}
      </section>
    </>
  )
}
