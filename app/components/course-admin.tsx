// The course editor's form (/admin/courses/new and /admin/courses/:id): the course's own fields,
// with the introduction previewed as the daily editor previews its body.
import { Form } from '@remix-run/react'
import { Checkbox } from './shop'
import { Field, FormError, SelectField, TextAreaField } from './field'
import { MarkdownPreviewField } from './markdown-preview-field'
import { Button, Card } from './ui'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'

const f = courseAdminZhCN.fields

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
