// The course editor's course form, shared by /admin/courses/new and /admin/courses/:id: what it
// shows, what was sent back, and the save with its audit entry.
import { data } from '@remix-run/node'
import type { Course } from '../../db/schema'
import type { CourseFormValues } from '~/components/course-admin'
import { courseForm } from '~/domain/course-forms.server'
import { fenToYuan } from '~/domain/drop'
import { listCourseFields } from '~/models/course.server'
import { createCourse, updateCourse } from '~/models/course-admin.server'
import { listTiers } from '~/models/membership.server'
import { parseForm, type FieldErrors } from './forms'

/** The form's errors, and what was typed so a refused form keeps it. */
export type CourseFormActionData = { scope: string; errors: FieldErrors; values?: CourseFormValues }

export const failWith = (scope: string, errors: FieldErrors, status: number, values?: CourseFormValues) =>
  data<CourseFormActionData>({ scope, errors, values }, { status })

export function courseFormValues(course: Course | null, defaultFieldId: number | null): CourseFormValues {
  return {
    title: course?.title ?? '',
    slug: course?.slug ?? '',
    subtitle: course?.subtitle ?? '',
    fieldId: String(course?.fieldId ?? defaultFieldId ?? ''),
    lecturerName: course?.lecturerName ?? '',
    lecturerBio: course?.lecturerBio ?? '',
    introduction: course?.introduction ?? '',
    price: course?.priceFen === null || course?.priceFen === undefined ? '' : fenToYuan(course.priceFen),
    includedTierId: course?.includedTierId ? String(course.includedTierId) : '',
    published: course?.published ?? false,
  }
}

function submittedValues(formData: FormData): CourseFormValues {
  const get = (name: string) => String(formData.get(name) ?? '')
  return {
    title: get('title'),
    slug: get('slug'),
    subtitle: get('subtitle'),
    fieldId: get('fieldId'),
    lecturerName: get('lecturerName'),
    lecturerBio: get('lecturerBio'),
    introduction: get('introduction'),
    price: get('price'),
    includedTierId: get('includedTierId'),
    published: formData.get('published') === 'on',
  }
}

/** The choices of the form: the 领域 and the tiers that can include a course (paid ranks). */
export async function courseFormChoices() {
  const [fields, tiers] = await Promise.all([listCourseFields(), listTiers()])
  return {
    fields: fields.map(({ id, name }) => ({ id, name })),
    tiers: tiers.filter((tier) => tier.rank > 0).map(({ id, name }) => ({ id, name })),
  }
}

/** Validates and saves the course form: a new course (courseId null) or an edit. */
export async function saveCourseForm({ formData, courseId, actorId }: { formData: FormData; courseId: number | null; actorId: number }) {
  const values = submittedValues(formData)
  const form = parseForm(courseForm, formData)
  if (!form.ok) return { ok: false as const, response: failWith('course', form.errors, 400, values) }
  const now = new Date()
  if (courseId === null) {
    const created = await createCourse({ input: form.data, actorId, now })
    if (!created.ok) return { ok: false as const, response: failWith('course', created.errors, created.status, values) }
    return { ok: true as const, courseId: created.course.id }
  }
  const saved = await updateCourse({ id: courseId, input: form.data, actorId, now })
  if (!saved.ok) return { ok: false as const, response: failWith('course', saved.errors, saved.status, values) }
  return { ok: true as const, courseId }
}
