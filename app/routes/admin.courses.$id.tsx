import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { MaxPartSizeExceededError, unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, type UploadHandler } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CourseForm } from '~/components/course-admin'
import { Checkbox } from '~/components/shop'
import { Field, FormError, TextAreaField } from '~/components/field'
import { Badge, Button, Card, PageTitle } from '~/components/ui'
import { lessonForm, syllabusForm } from '~/domain/course-forms.server'
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
  type EditResult,
} from '~/models/course-admin.server'
import { deleteMedia, ingestLessonAudio, ingestVideo, type IngestResult } from '~/models/media.server'
import { courseFormChoices, courseFormValues, failWith, saveCourseForm } from '~/utils/course-editor.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'
import { parseForm } from '~/utils/forms'
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
    course: { id: course.id, slug: course.slug, title: course.title, published: course.published },
    learners: found.learners,
    completed: found.completed,
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
      })),
    })),
    defaultPublishAt: toLocalDateTimeValue(now, timeZone),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  const id = courseId(params.id)
  const back = `/admin/courses/${id}`
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) return addLessonFromUpload(request, id, editor.id, back)

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
  }
  if (!result.ok) return failWith(scope, result.errors, result.status)
  return redirectWithFlash(back, { kind: 'success', message })
}

/**
 * A new lesson arrives as one multipart form: its fields and one audio or video file, checked
 * by content as it streams to disk (ingestLessonAudio / ingestVideo). The file is kept only if
 * the lesson is added; any refusal removes it again.
 */
async function addLessonFromUpload(request: Request, courseId: number, actorId: number, back: string) {
  const upload: { result: IngestResult | null } = { result: null }
  const file: UploadHandler = async ({ name, filename, contentType, data }) => {
    if (name !== 'file' || !filename) return undefined
    if (upload.result) {
      // One file per lesson: a second part is drained, not kept.
      for await (const _ of data) void _
      return undefined
    }
    const source = { data, originalName: filename, uploadedBy: actorId }
    // The browser's type only picks which check runs; each check reads the content itself.
    upload.result = contentType.startsWith('video/') ? await ingestVideo(source) : await ingestLessonAudio(source)
    return filename
  }
  const discard = async () => {
    if (upload.result?.ok) await deleteMedia(upload.result.media.id)
  }
  let parsed
  try {
    // Text parts: a 文稿 of 200,000 characters is at most 800 KB of UTF-8.
    parsed = await parseMultipartForm(request, unstable_composeUploadHandlers(file, unstable_createMemoryUploadHandler({ maxPartSize: 1024 * 1024 })))
  } catch (error) {
    await discard()
    if (error instanceof MaxPartSizeExceededError) return failWith('lesson', { file: t.errors.malformedUpload }, 400)
    throw error
  }
  if (!parsed.ok) {
    await discard()
    return failWith('lesson', { file: t.errors.malformedUpload }, 400)
  }
  const scope = `lesson:${String(parsed.formData.get('chapterId') ?? '')}`
  const form = parseForm(lessonForm(getEnv().SITE_TIMEZONE), parsed.formData)
  if (!form.ok) {
    await discard()
    return failWith(scope, form.errors, 400)
  }
  const stored = upload.result
  if (!stored) return failWith(scope, { file: a.errors.fileRequired }, 400)
  if (!stored.ok) return failWith(scope, { file: stored.error }, stored.status)
  const added = await addLesson({ courseId, input: form.data, file: stored.media, actorId, now: new Date() })
  if (!added.ok) {
    await discard()
    return failWith(scope, added.errors, added.status)
  }
  return redirectWithFlash(back, { kind: 'success', message: a.lessons.added(form.data.title) })
}

export default function EditCourse() {
  const { course, learners, completed, canExport, fields, tiers, values, chapters, defaultPublishAt } = useLoaderData<typeof loader>()
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

      <Card>
        <h2 className="mb-2 text-base font-semibold text-stone-900">{a.learners.title}</h2>
        <p className="text-sm text-stone-700">{a.learners.summary(learners, completed)}</p>
        {canExport ? (
          <Form method="post" action={`/admin/courses/${course.id}/learners`} reloadDocument className="mt-3">
            <Button type="submit" variant="secondary">
              {a.learners.export}
            </Button>
          </Form>
        ) : null}
      </Card>

      <CourseForm values={actionData?.scope === 'course' && actionData.values ? actionData.values : values} errors={errorsFor('course')} fields={fields} tiers={tiers} submitLabel={a.save} />

      <Card>
        <h2 className="mb-3 text-base font-semibold text-stone-900">{a.chapters.title}</h2>
        <FormError error={errorsFor('syllabus').form ?? Object.values(errorsFor('syllabus'))[0]} />
        {chapters.length === 0 ? <p className="text-sm text-stone-500">{a.chapters.none}</p> : null}
        <ol className="space-y-4">
          {chapters.map((chapter, index) => (
            <li key={chapter.id} className="rounded-xl border border-stone-200 p-3 sm:p-4">
              <div className="flex flex-wrap items-end gap-2">
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

              <ol className="mt-3 divide-y divide-stone-100 rounded-lg border border-stone-100">
                {chapter.lessons.map((lesson, position) => (
                  <li key={lesson.id} className="flex flex-wrap items-center gap-2 px-3 py-2">
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
                      <Button type="submit" name="direction" value="down" variant="ghost" className="px-3" disabled={position === chapter.lessons.length - 1} aria-label={`${a.lessons.moveDown}：${lesson.title}`}>
                        ↓
                      </Button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="lessonId" value={lesson.id} />
                      <Button type="submit" name="intent" value="lesson.delete" variant="danger" className="px-3" aria-label={`${a.lessons.delete}：${lesson.title}`}>
                        {a.lessons.delete}
                      </Button>
                    </Form>
                  </li>
                ))}
              </ol>
              <AddLesson chapter={chapter} errors={errorsFor(`lesson:${chapter.id}`)} defaultPublishAt={defaultPublishAt} />
            </li>
          ))}
        </ol>

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
          <Field label={l.publishAt} name="publishAt" type="datetime-local" defaultValue={defaultPublishAt} error={errors.publishAt} hint={l.publishAtHint} />
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
