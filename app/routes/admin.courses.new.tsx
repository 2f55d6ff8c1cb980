import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CourseForm } from '~/components/course-admin'
import { PageTitle } from '~/components/ui'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { courseFormChoices, courseFormValues, saveCourseForm } from '~/utils/course-editor.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { requireRole } from '~/utils/permissions.server'
import { skipReadOnlyActions } from '~/utils/revalidation'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courseAdmin: courseAdminZhCN }
const a = t.courseAdmin

// The introduction's preview posts as the editor types: no reload of this loader each time.
export const shouldRevalidate = skipReadOnlyActions

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const choices = await courseFormChoices()
  return { ...choices, values: courseFormValues(null, choices.fields[0]?.id ?? null) }
}

export async function action({ request }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  const saved = await saveCourseForm({ formData: await request.formData(), courseId: null, actorId: editor.id })
  if (!saved.ok) return saved.response
  return redirectWithFlash(`/admin/courses/${saved.courseId}`, { kind: 'success', message: a.created })
}

export default function NewCourse() {
  const { fields, tiers, values } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-4xl">
      <p className="mb-2 text-sm">
        <Link to="/admin/courses" className="text-stone-600 hover:text-brand-700 hover:underline">
          ← {a.back}
        </Link>
      </p>
      <PageTitle>{a.newTitle}</PageTitle>
      <CourseForm values={actionData?.values ?? values} errors={actionData?.errors ?? {}} fields={fields} tiers={tiers} submitLabel={a.create} />
    </div>
  )
}
