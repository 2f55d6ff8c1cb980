// The course editor's forms (/admin/courses/new and /admin/courses/:id): the course's own fields,
// with the introduction previewed as the daily editor previews its body; its cover; an added
// lesson's edit; and the release schedule of lessons still to come.
import { Form } from '@remix-run/react'
import { Checkbox } from './shop'
import { Field, FormError, SelectField, TextAreaField } from './field'
import { MarkdownPreviewField } from './markdown-preview-field'
import { Button, Card } from './ui'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'

const f = courseAdminZhCN.fields
const a = courseAdminZhCN

// A file input that looks like the site's buttons.
const FILE_INPUT =
  '[&_input]:py-2 [&_input]:text-sm [&_input]:file:mr-3 [&_input]:file:rounded-md [&_input]:file:border-0 [&_input]:file:bg-brand-50 [&_input]:file:px-3 [&_input]:file:py-1.5 [&_input]:file:font-medium [&_input]:file:text-brand-800'

/** What the form shows: the stored course, or what was just sent back with errors. */
export interface CourseFormValues {
  title: string
  slug: string
  subtitle: string
  fieldId: string
  lecturerName: string
  lecturerBio: string
  introduction: string
  price: string
  includedTierId: string
  published: boolean
}

export function CourseForm({
  values,
  errors,
  fields,
  tiers,
  submitLabel,
}: {
  values: CourseFormValues
  errors: Partial<Record<string, string>>
  fields: { id: number; name: string }[]
  tiers: { id: number; name: string }[]
  submitLabel: string
}) {
  return (
    <Card>
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="intent" value="course.save" />
        <FormError error={errors.form} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={f.title} name="title" defaultValue={values.title} error={errors.title} required maxLength={80} />
          <Field label={f.slug} name="slug" defaultValue={values.slug} error={errors.slug} hint={f.slugHint} required maxLength={60} autoCapitalize="none" spellCheck={false} />
        </div>
        <Field label={f.subtitle} name="subtitle" defaultValue={values.subtitle} error={errors.subtitle} maxLength={120} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={f.field} name="fieldId" defaultValue={values.fieldId} error={errors.fieldId}>
            {fields.map((field) => (
              <option key={field.id} value={field.id}>
                {field.name}
              </option>
            ))}
          </SelectField>
          <Field label={f.lecturerName} name="lecturerName" defaultValue={values.lecturerName} error={errors.lecturerName} required maxLength={40} />
        </div>
        <TextAreaField label={f.lecturerBio} name="lecturerBio" defaultValue={values.lecturerBio} error={errors.lecturerBio} rows={3} maxLength={2000} />
        <MarkdownPreviewField label={f.introduction} previewLabel={f.preview} name="introduction" defaultValue={values.introduction} error={errors.introduction} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={f.price} name="price" defaultValue={values.price} error={errors.price} hint={f.priceHint} inputMode="decimal" />
          <div>
            <SelectField label={f.tier} name="includedTierId" defaultValue={values.includedTierId} error={errors.includedTierId}>
              <option value="">{f.tierNone}</option>
              {tiers.map((tier) => (
                <option key={tier.id} value={tier.id}>
                  {tier.name}
                </option>
              ))}
            </SelectField>
            <p className="mt-1 text-xs text-stone-500">{f.tierHint}</p>
          </div>
        </div>
        <Checkbox name="published" value="on" label={f.published} defaultChecked={values.published} error={errors.published} />
        <Button type="submit">{submitLabel}</Button>
      </Form>
    </Card>
  )
}

/** The course's cover: the current one, and an upload that replaces it (checked and re-encoded). */
export function CoverCard({ title, coverUrl, error }: { title: string; coverUrl: string | null; error: string | undefined }) {
  const c = a.cover
  return (
    <Card>
      <h2 className="mb-3 text-base font-semibold text-stone-900">{c.title}</h2>
      {coverUrl ? (
        <img src={coverUrl} alt={c.alt(title)} className="aspect-video w-full rounded-lg border border-stone-200 object-cover" />
      ) : (
        <p className="text-sm text-stone-500">{c.none}</p>
      )}
      <Form method="post" encType="multipart/form-data" className="mt-3 space-y-2" noValidate>
        <input type="hidden" name="intent" value="course.cover" />
        <Field label={c.file} name="cover" type="file" accept="image/jpeg,image/png,image/webp" error={error} hint={c.hint} className={FILE_INPUT} />
        <Button type="submit" variant="secondary">
          {c.submit}
        </Button>
      </Form>
    </Card>
  )
}

export interface EditableLesson {
  id: number
  title: string
  transcript: string
  preview: boolean
  /** datetime-local value in the site time zone. */
  publishAt: string
}

/** An added lesson's edit, folded under its row: its fields, and a new file or none. */
export function EditLesson({ lesson, errors }: { lesson: EditableLesson; errors: Partial<Record<string, string>> }) {
  const l = a.lessons
  const hasErrors = Object.keys(errors).length > 0
  return (
    <details className="mt-1" open={hasErrors}>
      <summary className="cursor-pointer text-xs font-medium text-brand-700">{l.edit}</summary>
      <Form method="post" encType="multipart/form-data" className="mt-2 space-y-3 rounded-lg bg-stone-50 p-2 sm:p-3" noValidate aria-label={l.editTitle(lesson.title)}>
        <input type="hidden" name="intent" value="lesson.edit" />
        <input type="hidden" name="lessonId" value={lesson.id} />
        <FormError error={errors.form} />
        <Field label={l.title} name="title" defaultValue={lesson.title} error={errors.title} required maxLength={80} />
        <TextAreaField label={l.transcript} name="transcript" defaultValue={lesson.transcript} error={errors.transcript} rows={6} controlClassName="font-mono text-sm" />
        <div className="grid gap-3 sm:grid-cols-2">
          {/* A datetime input has a wide intrinsic size: let it shrink to a phone's column. */}
          <Field label={l.publishAt} name="publishAt" type="datetime-local" defaultValue={lesson.publishAt} error={errors.publishAt} hint={l.publishAtHint} className="min-w-0 [&_input]:w-full [&_input]:min-w-0" />
          <div className="sm:pt-7">
            <Checkbox name="preview" value="on" label={l.preview} defaultChecked={lesson.preview} error={errors.preview} />
          </div>
        </div>
        <Field label={l.replaceFile} name="file" type="file" accept="audio/*,video/mp4" error={errors.file} hint={l.replaceFileHint} className={FILE_INPUT} />
        <Button type="submit" variant="secondary">
          {l.saveEdit}
        </Button>
      </Form>
    </details>
  )
}

/** Lessons still to come, soonest first: what the course releases and when (one a week, say). */
export function ReleaseScheduleCard({ schedule }: { schedule: { id: number; title: string; chapterTitle: string; publishAt: string }[] }) {
  const s = a.schedule
  return (
    <Card>
      <h2 className="mb-1 text-base font-semibold text-stone-900">{s.title}</h2>
      {schedule.length === 0 ? (
        <p className="text-sm text-stone-500">{s.none}</p>
      ) : (
        <>
          <p className="mb-3 text-xs text-stone-500">{s.intro}</p>
          <ol className="relative space-y-3 border-l-2 border-amber-200 pl-4">
            {schedule.map((item) => (
              <li key={item.id} className="relative">
                <span aria-hidden className="absolute -left-[1.4rem] top-1.5 h-2.5 w-2.5 rounded-full bg-amber-400 ring-2 ring-white" />
                <p className="text-sm font-medium tabular-nums text-amber-900">{s.item(item.publishAt)}</p>
                <p className="text-sm text-stone-800">
                  <span className="text-stone-500">{item.chapterTitle} · </span>
                  {item.title}
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </Card>
  )
}
