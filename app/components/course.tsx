// 又一课's pieces: the course card of /courses, the syllabus of a course page, the panel that
// tells a refused reader why and how to get in, and the lesson's video player.
import { Form, Link, useRevalidator } from '@remix-run/react'
import { useCallback, useEffect, useRef } from 'react'
import { formatClock } from '~/domain/player'
import { coursesZhCN } from '~/i18n/courses.zh-CN'
import { Button, buttonClass } from './ui'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courses: coursesZhCN }

export interface CourseCardData {
  slug: string
  title: string
  subtitle: string
  lecturerName: string
  coverUrl: string | null
  lessonCount: number
  totalSeconds: number
  learners: number
  priceLabel: string
  priceKind: 'bought' | 'free' | 'included' | 'price' | 'none'
  /** Lessons the signed-in reader finished; null for a visitor. */
  finishedLessons: number | null
}

const PRICE_TONES: Record<CourseCardData['priceKind'], string> = {
  bought: 'bg-green-100 text-green-800',
  free: 'bg-green-100 text-green-800',
  included: 'bg-amber-100 text-amber-900',
  price: 'bg-brand-100 text-brand-800',
  none: 'bg-stone-100 text-stone-600',
}

export function PriceBadge({ label, kind }: { label: string; kind: CourseCardData['priceKind'] }) {
  return <span className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${PRICE_TONES[kind]}`}>{label}</span>
}

/** A course's 16:9 cover; `rounded` off where a card's own corners clip it. */
export function CourseCover({ url, title, rounded = true }: { url: string | null; title: string; rounded?: boolean }) {
  const corners = rounded ? 'rounded-xl' : ''
  return url ? (
    <img src={url} alt={t.courses.coverAlt(title)} width={1280} height={720} className={`aspect-video w-full bg-stone-200 object-cover ${corners}`} />
  ) : (
    <div aria-hidden className={`aspect-video w-full bg-gradient-to-br from-brand-700 to-stone-800 ${corners}`} />
  )
}

export function CourseCard({ course }: { course: CourseCardData }) {
  const progress = course.finishedLessons !== null && course.finishedLessons > 0 && course.lessonCount > 0 ? course.finishedLessons / course.lessonCount : null
  return (
    <Link
      to={`/courses/${course.slug}`}
      className="flex h-full flex-col overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm transition hover:border-brand-600"
    >
      <CourseCover url={course.coverUrl} title={course.title} rounded={false} />
      <div className="flex flex-1 flex-col gap-1.5 p-4">
        <div className="flex items-start justify-between gap-2">
          <h3 className="font-semibold leading-snug text-stone-900">{course.title}</h3>
          <PriceBadge label={course.priceLabel} kind={course.priceKind} />
        </div>
        {course.subtitle ? <p className="text-sm leading-relaxed text-stone-600">{course.subtitle}</p> : null}
        <p className="text-sm text-stone-700">
          {t.courses.lecturer} · {course.lecturerName}
        </p>
        <p className="mt-auto pt-1 text-xs text-stone-500">
          {t.courses.lessons(course.lessonCount)} · {t.courses.totalLength(course.totalSeconds)} · {t.courses.learners(course.learners)}
        </p>
        {course.finishedLessons !== null && course.finishedLessons > 0 ? (
          <div className="pt-1">
            <p className="text-xs font-medium text-brand-700">{t.courses.progress(course.finishedLessons, course.lessonCount)}</p>
            <div aria-hidden className="mt-1 h-1.5 rounded-full bg-brand-100">
              <div className="h-full rounded-full bg-brand-700" style={{ width: `${Math.round((progress ?? 0) * 100)}%` }} />
            </div>
          </div>
        ) : null}
      </div>
    </Link>
  )
}

export interface SyllabusLesson {
  slug: string
  title: string
  kind: 'audio' | 'video'
  durationSeconds: number
  preview: boolean
  open: boolean
  learned: boolean
  released: boolean
}

export function SyllabusList({ courseSlug, chapters }: { courseSlug: string; chapters: { id: number; title: string; lessons: SyllabusLesson[] }[] }) {
  let number = 0
  return (
    <ol className="space-y-5">
      {chapters.map((chapter) => (
        <li key={chapter.id}>
          <h3 className="mb-2 text-sm font-semibold text-stone-500">{chapter.title}</h3>
          <ol className="divide-y divide-stone-100 overflow-hidden rounded-xl border border-stone-200 bg-white">
            {chapter.lessons.map((lesson) => {
              number += 1
              return (
                <li key={lesson.slug}>
                  <Link to={`/courses/${courseSlug}/${lesson.slug}`} className="flex items-center gap-3 px-4 py-3 hover:bg-stone-50">
                    <span className="w-6 shrink-0 text-right text-sm tabular-nums text-stone-400">{number}</span>
                    <span className="min-w-0 flex-1">
                      <span className="block font-medium text-stone-900">{lesson.title}</span>
                      <span className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-stone-500">
                        <span>{lesson.kind === 'video' ? t.courses.course.video : t.courses.course.audio}</span>
                        <span className="tabular-nums">{formatClock(lesson.durationSeconds)}</span>
                        {lesson.preview ? <span className="rounded-full bg-green-100 px-2 py-0.5 font-medium text-green-800">{t.courses.course.preview}</span> : null}
                        {lesson.learned ? <span className="rounded-full bg-brand-100 px-2 py-0.5 font-medium text-brand-800">{t.courses.course.learned}</span> : null}
                        {lesson.released ? null : <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900">{t.courses.scheduledLesson}</span>}
                      </span>
                    </span>
                    {lesson.open ? null : (
                      <span className="flex shrink-0 items-center gap-1 text-xs text-stone-500">
                        <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={2}>
                          <rect x="5" y="11" width="14" height="10" rx="2" />
                          <path d="M8 11V8a4 4 0 0 1 8 0v3" />
                        </svg>
                        {t.courses.course.locked}
                      </span>
                    )}
                  </Link>
                </li>
              )
            })}
          </ol>
        </li>
      ))}
    </ol>
  )
}

export interface RefusalView {
  reason: string
  notes: string[]
  ways: { way: string; label: string; href: string; post?: true }[]
}

/**
 * Why the reader cannot open this (yet) and the ways in: 登录, 开通会员, 购买 — the last a form
 * posted to the course page for a signed-in reader; `error` is its refusal, shown where they pressed.
 */
export function WayInPanel({ refusal, id, error }: { refusal: RefusalView; id?: string; error?: string }) {
  return (
    <section id={id} role="status" className="rounded-2xl border border-amber-200 bg-amber-50 p-4 sm:p-5">
      <p className="font-semibold text-amber-950">{refusal.reason}</p>
      {refusal.notes.map((note) => (
        <p key={note} className="mt-1 text-sm text-amber-900">
          {note}
        </p>
      ))}
      {refusal.ways.length > 0 ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {refusal.ways.map((way, index) =>
            way.post ? (
              <Form key={way.way} method="post" action={way.href}>
                <Button name="intent" value="buy" variant={index === 0 ? 'primary' : 'secondary'}>
                  {way.label}
                </Button>
              </Form>
            ) : (
              <Link key={way.way} to={way.href} className={buttonClass(index === 0 ? 'primary' : 'secondary')}>
                {way.label}
              </Link>
            ),
          )}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  )
}

/**
 * A video lesson: the browser's own player (fullscreen, picture-in-picture and captions come
 * with it), started where the reader left it, reporting its position as it goes.
 */
export function LessonVideo({
  src,
  poster,
  title,
  resumeAt,
  onProgress,
}: {
  src: string
  poster: string | null
  title: string
  resumeAt: number
  onProgress: (report: { position: number; playing: boolean; ended: boolean }) => void
}) {
  const ref = useRef<HTMLVideoElement | null>(null)
  const report = useRef(onProgress)
  report.current = onProgress
  useEffect(() => {
    const video = ref.current
    if (!video) return
    const resume = () => {
      if (resumeAt > 0 && video.currentTime === 0) video.currentTime = resumeAt
    }
    if (video.readyState > 0) resume()
    else video.addEventListener('loadedmetadata', resume, { once: true })
    const send = () => report.current({ position: video.currentTime, playing: !video.paused && !video.ended, ended: video.ended })
    const events = ['timeupdate', 'pause', 'ended', 'seeked'] as const
    for (const event of events) video.addEventListener(event, send)
    return () => {
      video.removeEventListener('loadedmetadata', resume)
      for (const event of events) video.removeEventListener(event, send)
    }
  }, [resumeAt])
  return (
    <figure className="overflow-hidden rounded-xl bg-black">
      <video ref={ref} controls playsInline preload="metadata" poster={poster ?? undefined} src={src} aria-label={title} className="aspect-video w-full">
        <a href={src}>{t.courses.lesson.videoFallback}</a>
      </video>
    </figure>
  )
}

/** How often, in seconds of listening, a playing lesson reports where the reader is. */
const REPORT_EVERY_SECONDS = 10

/**
 * Keeps the server told where the reader is in a lesson: every 10 s of playing, on pause, at the
 * end and when the page goes away. When the server answers that the lesson became learned
 * (≥ 90 % heard), the page's data is reloaded so it shows 「已学完」.
 */
export function useProgressReport(url: string, learned: boolean) {
  const sent = useRef<number | null>(null)
  const started = useRef(false)
  const latest = useRef<number | null>(null)
  const learnedRef = useRef(learned)
  learnedRef.current = learned
  const { revalidate } = useRevalidator()

  const send = useCallback(
    (position: number) => {
      const seconds = Math.floor(position)
      if (sent.current === seconds) return
      sent.current = seconds
      const body = new URLSearchParams({ intent: 'position', position: String(seconds) })
      fetch(url, { method: 'POST', body, headers: { Accept: 'application/json' } })
        .then((response) => (response.ok ? (response.json() as Promise<{ learned: boolean }>) : null))
        .then((result) => {
          if (result?.learned && !learnedRef.current) {
            learnedRef.current = true
            revalidate()
          }
        })
        .catch(() => {
          // offline: the next report carries the position
          sent.current = null
        })
    },
    [url, revalidate],
  )

  useEffect(() => {
    const leave = () => {
      const position = latest.current
      if (position === null || Math.floor(position) === sent.current) return
      navigator.sendBeacon?.(url, new URLSearchParams({ intent: 'position', position: String(Math.floor(position)) }))
    }
    window.addEventListener('pagehide', leave)
    return () => window.removeEventListener('pagehide', leave)
  }, [url])

  return useCallback(
    ({ position, playing, ended }: { position: number; playing: boolean; ended: boolean }) => {
      // Nothing is reported before the reader plays: a page merely opened changes nothing.
      if (playing) started.current = true
      if (!started.current || !Number.isFinite(position)) return
      latest.current = position
      const due = sent.current === null || Math.abs(position - sent.current) >= REPORT_EVERY_SECONDS
      if (ended || !playing || due) send(position)
    },
    [send],
  )
}
