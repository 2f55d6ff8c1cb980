import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { MaxPartSizeExceededError, unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, type UploadHandler } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DragGrip, SortableList } from '~/components/sortable'
import { CourseForm, CoverCard, EditLesson, ReleaseScheduleCard } from '~/components/course-admin'
import { Checkbox } from '~/components/shop'
import { Field, FormError, TextAreaField } from '~/components/field'
import { Badge, Button, Card, PageTitle } from '~/components/ui'
import { releaseSchedule } from '~/domain/course'
import { lessonEditForm, lessonForm, syllabusForm } from '~/domain/course-forms.server'
import { toLocalDateTimeValue } from '~/domain/drop'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { getSyllabus } from '~/models/course.server'
import {
  addChapter,
  addLesson,
  deleteChapter,
  deleteLesson,
  getCourseForEditor,
  moveChapter,
  moveLesson,
  renameChapter,
  reorderChapters,
  reorderLessons,
  setCourseCover,
  updateLesson,
  type EditResult,
} from '~/models/course-admin.server'
import { deleteMedia, ingestImage, ingestLessonAudio, ingestVideo, type IngestResult } from '~/models/media.server'
import { coursePaths } from '~/utils/course-view.server'
import { courseFormChoices, courseFormValues, failWith, saveCourseForm } from '~/utils/course-editor.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { parseMultipartForm } from '~/utils/multipart.server'
import { hasRole, requireRole } from '~/utils/permissions.server'
import { skipReadOnlyActions } from '~/utils/revalidation'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courseAdmin: courseAdminZhCN, errors: errorsZhCN, site: siteZhCN }
const a = t.courseAdmin

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.course.title} · ${a.listTitle} · ${t.site.name}` }] : [])

// The introduction's preview posts as the editor types: no reload of this loader each time.
export const shouldRevalidate = skipReadOnlyActions

const notFound = () => new Response(a.errors.notFound, { status: 404 })

function courseId(param: string | undefined) {
  const id = Number(param)
  if (!Number.isInteger(id) || id <= 0) throw notFound()
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  const now = new Date()
  const found = await getCourseForEditor(courseId(params.id), now)
  if (!found) throw notFound()
  const { course } = found
  const [syllabus, choices] = await Promise.all([getSyllabus(course.id), courseFormChoices()])
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    course: {
      id: course.id,
      slug: course.slug,
      title: course.title,
      published: course.published,
      coverUrl: course.coverId ? coursePaths.cover(course.slug, course.coverId) : null,
    },
    sales: found.sales,
    learners: found.learners,
    completed: found.completed,
    // The share of learners who finished every released lesson (decision 042); none without learners.
    completionPercent: found.learners > 0 ? Math.round((found.completed / found.learners) * 100) : null,
    schedule: releaseSchedule(syllabus, now).map(({ chapterTitle, lesson }) => ({
      id: lesson.id,
      title: lesson.title,
      chapterTitle,
      publishAt: formatDateTime(lesson.publishAt, timeZone),
    })),
    canExport: hasRole(editor.role, 'admin'),
    ...choices,
    values: courseFormValues(course, null),
    chapters: syllabus.map((chapter) => ({
      id: chapter.id,
      title: chapter.title,
      lessons: chapter.lessons.map((lesson) => ({
        id: lesson.id,
        title: lesson.title,
        slug: lesson.slug,
        kind: lesson.kind,
        preview: lesson.preview,
        durationSeconds: lesson.durationSeconds,
        // Only a lesson still to come says when it comes.
        scheduledFor: lesson.publishAt > now ? formatDateTime(lesson.publishAt, timeZone) : null,
        // What its edit form starts from.
        transcript: lesson.transcript,
        publishAt: toLocalDateTimeValue(lesson.publishAt, timeZone),
      })),
    })),
    defaultPublishAt: toLocalDateTimeValue(now, timeZone),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  const id = courseId(params.id)
  const back = `/admin/courses/${id}`
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) return saveUpload(request, id, editor.id, back)

  const formData = await request.formData()
  if (formData.get('intent') === 'course.save') {
    const saved = await saveCourseForm({ formData, courseId: id, actorId: editor.id })
    if (!saved.ok) return saved.response
    return redirectWithFlash(back, { kind: 'success', message: a.saved })
  }
  const form = parseForm(syllabusForm, formData)
  if (!form.ok) return failWith('syllabus', form.errors, 400)
  const edit = { courseId: id, actorId: editor.id, now: new Date() }
  const input = form.data
  let result: EditResult | { ok: true; title: string }
  let scope = 'syllabus'
  let message: string
  switch (input.intent) {
    case 'chapter.add':
      scope = 'chapter.add'
      result = await addChapter({ ...edit, title: input.title })
      message = a.chapters.added
      break
    case 'chapter.rename':
      scope = `chapter:${input.chapterId}`
      result = await renameChapter({ ...edit, chapterId: input.chapterId, title: input.title })
      message = a.chapters.renamed
      break
    case 'chapter.move':
      result = await moveChapter({ ...edit, chapterId: input.chapterId, direction: input.direction })
      message = a.chapters.moved
      break
    case 'chapter.delete':
      result = await deleteChapter({ ...edit, chapterId: input.chapterId })
      message = a.chapters.deleted
      break
    case 'lesson.move':
      result = await moveLesson({ ...edit, lessonId: input.lessonId, direction: input.direction })
      message = a.lessons.moved
      break
    case 'lesson.delete': {
      result = await deleteLesson({ ...edit, lessonId: input.lessonId })
      message = result.ok && 'title' in result ? a.lessons.deleted(result.title) : ''
      break
    }
    case 'chapter.reorder':
      result = await reorderChapters({ ...edit, order: input.order })
      message = a.chapters.reordered
      break
    case 'lesson.reorder':
      result = await reorderLessons({ ...edit, chapterId: input.chapterId, order: input.order })
      message = a.lessons.reordered
      break
  }
  if (!result.ok) return failWith(scope, result.errors, result.status)
  return redirectWithFlash(back, { kind: 'success', message })
}

/**
 * The editor's upload forms, each one multipart form with at most one file, checked by content
 * as it streams to disk: a new lesson (its fields and its audio or video), an added lesson's
 * edit (its fields, and a new file or none) and the course's cover (an image, re-encoded). The
 * part's name picks the check — `file` → ingestLessonAudio / ingestVideo (the browser's type only
 * picks which), `cover` → ingestImage — and a stored file is kept only if the change is saved.
 */
async function saveUpload(request: Request, courseId: number, actorId: number, back: string) {
  const upload: { part: 'file' | 'cover' | null; result: IngestResult | null } = { part: null, result: null }
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    if ((name !== 'file' && name !== 'cover') || !filename) return undefined
    if (upload.result) {
      // One file per form: a second part is drained, not kept.
      for await (const _ of data) void _
      return undefined
    }
    const source = { data, originalName: filename, uploadedBy: actorId }
    upload.part = name
    upload.result = name === 'cover' ? await ingestImage(source) : contentType.startsWith('video/') ? await ingestVideo(source) : await ingestLessonAudio(source)
    return filename
  }
  const discard = async () => {
    if (upload.result?.ok) await deleteMedia(upload.result.media.id)
  }
  const refuse = async (scope: string, errors: FieldErrors, status: number) => {
    await discard()
    return failWith(scope, errors, status)
  }
  let parsed
  try {
    // Text parts: a 文稿 of 200,000 characters is at most 800 KB of UTF-8.
    parsed = await parseMultipartForm(request, unstable_composeUploadHandlers(handler, unstable_createMemoryUploadHandler({ maxPartSize: 1024 * 1024 })))
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refuse('upload', { file: t.errors.malformedUpload }, 400)
    throw error
  }
  if (!parsed.ok) return refuse('upload', { file: t.errors.malformedUpload }, 400)
  const formData = parsed.formData
  const intent = formData.get('intent')
  const stored = upload.result
  const now = new Date()

  if (intent === 'course.cover') {
    if (!stored || upload.part !== 'cover') return refuse('cover', { cover: a.errors.coverRequired }, 400)
    if (!stored.ok) return failWith('cover', { cover: stored.error }, stored.status)
    const saved = await setCourseCover({ courseId, cover: stored.media, actorId, now })
    if (!saved.ok) return refuse('cover', saved.errors, saved.status)
    return redirectWithFlash(back, { kind: 'success', message: a.cover.saved })
  }

  if (upload.part === 'cover') return refuse('upload', { file: a.errors.fileRequired }, 400)
  if (stored && !stored.ok) {
    const scope = intent === 'lesson.edit' ? `lesson.edit:${String(formData.get('lessonId') ?? '')}` : `lesson:${String(formData.get('chapterId') ?? '')}`
    return failWith(scope, { file: stored.error }, stored.status)
  }
  const file = stored?.ok ? stored.media : null
  const timeZone = getEnv().SITE_TIMEZONE

  if (intent === 'lesson.edit') {
    const scope = `lesson.edit:${String(formData.get('lessonId') ?? '')}`
    const form = parseForm(lessonEditForm(timeZone), formData)
    if (!form.ok) return refuse(scope, form.errors, 400)
    const saved = await updateLesson({ courseId, input: form.data, file, actorId, now })
    if (!saved.ok) return refuse(scope, saved.errors, saved.status)
    return redirectWithFlash(back, { kind: 'success', message: a.lessons.edited(form.data.title) })
  }

  const scope = `lesson:${String(formData.get('chapterId') ?? '')}`
  const form = parseForm(lessonForm(timeZone), formData)
  if (!form.ok) return refuse(scope, form.errors, 400)
  if (!file) return failWith(scope, { file: a.errors.fileRequired }, 400)
  const added = await addLesson({ courseId, input: form.data, file, actorId, now })
  if (!added.ok) return refuse(scope, added.errors, added.status)
  return redirectWithFlash(back, { kind: 'success', message: a.lessons.added(form.data.title) })
}

export default function EditCourse() {
  const { course, sales, learners, completed, completionPercent, schedule, canExport, fields, tiers, values, chapters, defaultPublishAt } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errorsFor = (scope: string) => (actionData?.scope === scope ? actionData.errors : {})
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <div>
        <p className="mb-2 text-sm">
          <Link to="/admin/courses" className="text-stone-600 hover:text-brand-700 hover:underline">
            ← {a.back}
          </Link>
        </p>
        <PageTitle
          subtitle={
            <span className="flex flex-wrap items-center gap-2">
              <Badge tone={course.published ? 'green' : 'stone'}>{course.published ? a.states.published : a.states.draft}</Badge>
              <Link to={`/courses/${course.slug}`} className="text-sm text-brand-700 underline">
                {a.view}
              </Link>
            </span>
          }
        >
          {course.title}
        </PageTitle>
      </div>

      <div className="grid gap-5 md:grid-cols-2 md:items-start">
        <Card>
          <h2 className="mb-3 text-base font-semibold text-stone-900">{a.stats.title}</h2>
          <dl className="grid grid-cols-2 gap-2 text-center sm:grid-cols-4">
            {[
              [a.stats.sales, String(sales)],
              [a.stats.learners, String(learners)],
              [a.stats.finished, String(completed)],
              [a.stats.completion, completionPercent === null ? '—' : `${completionPercent}%`],
            ].map(([label, value]) => (
              <div key={label} className="rounded-lg bg-stone-50 px-2 py-3">
                <dt className="text-xs text-stone-500">{label}</dt>
                <dd className="mt-1 text-xl font-bold tabular-nums text-stone-900">{value}</dd>
              </div>
            ))}
          </dl>
          {canExport ? (
            <Form method="post" action={`/admin/courses/${course.id}/learners`} reloadDocument className="mt-3">
              <Button type="submit" variant="secondary">
                {a.learners.export}
              </Button>
            </Form>
          ) : null}
        </Card>
        <CoverCard title={course.title} coverUrl={course.coverUrl} error={errorsFor('cover').cover} />
      </div>

      <ReleaseScheduleCard schedule={schedule} />

      <CourseForm values={actionData?.scope === 'course' && actionData.values ? actionData.values : values} errors={errorsFor('course')} fields={fields} tiers={tiers} submitLabel={a.save} />

      <Card>
        <h2 className="mb-1 text-base font-semibold text-stone-900">{a.chapters.title}</h2>
        <p className="mb-3 hidden text-xs text-stone-500 sm:block">{a.lessons.dragHint}</p>
        <FormError error={errorsFor('syllabus').form ?? errorsFor('upload').file ?? Object.values(errorsFor('syllabus'))[0]} />
        {chapters.length === 0 ? <p className="text-sm text-stone-500">{a.chapters.none}</p> : null}
        <SortableList
          items={chapters}
          fields={{ intent: 'chapter.reorder' }}
          handleLabel={(chapter) => a.chapters.dragHandle(chapter.title)}
          className="space-y-4"
          itemClassName="rounded-xl border border-stone-200 bg-white p-3 sm:p-4"
        >
          {(chapter, index, chapterHandle) => (
            <>
              <div className="flex flex-wrap items-end gap-2">
                <span className="self-center">
                  <DragGrip handle={chapterHandle} />
                </span>
                <Form method="post" className="flex w-full min-w-0 items-end gap-2 sm:w-auto sm:flex-1" noValidate>
                  <input type="hidden" name="chapterId" value={chapter.id} />
                  <Field
                    label={`${index + 1}. ${a.chapters.newTitle}`}
                    name="title"
                    defaultValue={chapter.title}
                    error={errorsFor(`chapter:${chapter.id}`).title ?? errorsFor(`chapter:${chapter.id}`).form}
                    className="min-w-0 flex-1"
                    maxLength={80}
                  />
                  <Button type="submit" name="intent" value="chapter.rename" variant="secondary" className="shrink-0">
                    {a.chapters.rename}
                  </Button>
                </Form>
                <Form method="post" className="flex gap-1">
                  <input type="hidden" name="chapterId" value={chapter.id} />
                  <input type="hidden" name="direction" value="up" />
                  <Button type="submit" name="intent" value="chapter.move" variant="ghost" disabled={index === 0} aria-label={`${a.chapters.moveUp}：${chapter.title}`}>
                    ↑
                  </Button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="chapterId" value={chapter.id} />
                  <input type="hidden" name="direction" value="down" />
                  <Button type="submit" name="intent" value="chapter.move" variant="ghost" disabled={index === chapters.length - 1} aria-label={`${a.chapters.moveDown}：${chapter.title}`}>
                    ↓
                  </Button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="chapterId" value={chapter.id} />
                  <Button
                    type="submit"
                    name="intent"
                    value="chapter.delete"
                    variant="danger"
                    disabled={chapter.lessons.length > 0}
                    title={chapter.lessons.length > 0 ? a.chapters.deleteHint : undefined}
                  >
                    {a.chapters.delete}
                  </Button>
                </Form>
              </div>

              <SortableList
                items={chapter.lessons}
                fields={{ intent: 'lesson.reorder', chapterId: String(chapter.id) }}
                handleLabel={(lesson) => a.lessons.dragHandle(lesson.title)}
                className="mt-3 divide-y divide-stone-100 rounded-lg border border-stone-100"
                itemClassName="bg-white px-3 py-2"
              >
                {(lesson, position, lessonHandle) => (
                  <>
                    <div className="flex flex-wrap items-center gap-2">
                      <DragGrip handle={lessonHandle} />
                      <span className="min-w-48 flex-1">
                        <span className="block text-sm font-medium text-stone-900">{lesson.title}</span>
                        <span className="flex flex-wrap items-center gap-x-2 text-xs text-stone-500">
                          <span>{a.lessons.kinds[lesson.kind]}</span>
                          <span>{a.lessons.duration(lesson.durationSeconds)}</span>
                          <span className="break-all">/{lesson.slug}</span>
                          {lesson.preview ? <Badge tone="brand">{a.lessons.previewBadge}</Badge> : null}
                          {lesson.scheduledFor ? <Badge tone="amber">{a.lessons.scheduled(lesson.scheduledFor)}</Badge> : null}
                        </span>
                      </span>
                      <Form method="post" className="flex gap-1">
                        <input type="hidden" name="intent" value="lesson.move" />
                        <input type="hidden" name="lessonId" value={lesson.id} />
                        <Button type="submit" name="direction" value="up" variant="ghost" className="px-3" disabled={position === 0} aria-label={`${a.lessons.moveUp}：${lesson.title}`}>
                          ↑
                        </Button>
                        <Button
                          type="submit"
                          name="direction"
                          value="down"
                          variant="ghost"
                          className="px-3"
                          disabled={position === chapter.lessons.length - 1}
                          aria-label={`${a.lessons.moveDown}：${lesson.title}`}
                        >
                          ↓
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="lessonId" value={lesson.id} />
                        <Button type="submit" name="intent" value="lesson.delete" variant="danger" className="px-3" aria-label={`${a.lessons.delete}：${lesson.title}`}>
                          {a.lessons.delete}
                        </Button>
                      </Form>
                    </div>
                    <EditLesson lesson={lesson} errors={errorsFor(`lesson.edit:${lesson.id}`)} />
                  </>
                )}
              </SortableList>
              <AddLesson chapter={chapter} errors={errorsFor(`lesson:${chapter.id}`)} defaultPublishAt={defaultPublishAt} />
            </>
          )}
        </SortableList>

        <Form method="post" className="mt-4 flex items-end gap-2" noValidate>
          <Field label={a.chapters.newTitle} name="title" error={errorsFor('chapter.add').title} className="min-w-0 flex-1" maxLength={80} />
          <Button type="submit" name="intent" value="chapter.add" variant="secondary" className="shrink-0">
            {a.chapters.add}
          </Button>
        </Form>
      </Card>
    </div>
  )
}

/** Adding a lesson to a chapter: its fields and its file in one upload form, folded away until opened. */
function AddLesson({ chapter, errors, defaultPublishAt }: { chapter: { id: number; title: string }; errors: Partial<Record<string, string>>; defaultPublishAt: string }) {
  const l = a.lessons
  const hasErrors = Object.keys(errors).length > 0
  return (
    <details className="mt-3 rounded-lg bg-stone-50 p-3" open={hasErrors}>
      <summary className="cursor-pointer text-sm font-medium text-brand-700">{l.addTo(chapter.title)}</summary>
      <Form method="post" encType="multipart/form-data" className="mt-3 space-y-3" noValidate>
        <input type="hidden" name="chapterId" value={chapter.id} />
        <FormError error={errors.form ?? errors.chapterId} />
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={l.title} name="title" error={errors.title} required maxLength={80} />
          <Field label={l.slug} name="slug" error={errors.slug} hint={l.slugHint} required maxLength={60} autoCapitalize="none" spellCheck={false} />
        </div>
        <TextAreaField label={l.transcript} name="transcript" error={errors.transcript} rows={5} controlClassName="font-mono text-sm" />
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={l.publishAt} name="publishAt" type="datetime-local" defaultValue={defaultPublishAt} error={errors.publishAt} hint={l.publishAtHint} className="min-w-0 [&_input]:w-full [&_input]:min-w-0" />
          <div className="sm:pt-7">
            <Checkbox name="preview" value="on" label={l.preview} error={errors.preview} />
          </div>
        </div>
        <Field
          label={l.file}
          name="file"
          type="file"
          accept="audio/*,video/mp4"
          error={errors.file}
          hint={l.fileHint}
          className="[&_input]:py-2 [&_input]:text-sm [&_input]:file:mr-3 [&_input]:file:rounded-md [&_input]:file:border-0 [&_input]:file:bg-brand-50 [&_input]:file:px-3 [&_input]:file:py-1.5 [&_input]:file:font-medium [&_input]:file:text-brand-800"
        />
        <Button type="submit" variant="secondary">
          {l.submit}
        </Button>
      </Form>
    </details>
  )
}
