// /admin/legal/:slug: an admin rewrites 《用户协议》 or 《隐私政策》 (markdown, shown through the
// site's sanitiser); each save is audit-logged (decision 040).
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Field, FormError, TextAreaField } from '~/components/field'
import { Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { isLegalDocumentSlug, legalPath, type LegalDocumentSlug } from '~/domain/legal'
import { LEGAL_LIMITS, legalDocumentForm } from '~/domain/legal-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { pagesZhCN } from '~/i18n/core.zh-CN'
import { getLegalDocument, updateLegalDocument } from '~/models/legal.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, pages: pagesZhCN }
const l = t.admin.legal

function slugOf(params: LoaderFunctionArgs['params']): LegalDocumentSlug {
  if (!isLegalDocumentSlug(params.slug)) throw new Response(t.pages.notFound.body, { status: 404 })
  return params.slug
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const document = await getLegalDocument(slugOf(params))
  if (!document) throw new Response(t.pages.notFound.body, { status: 404 })
  return { slug: document.slug, title: document.title, body: document.body, limits: LEGAL_LIMITS }
}

type ActionData = { errors: FieldErrors; values: { title: string; body: string } }

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const slug = slugOf(params)
  const formData = await request.formData()
  const values = { title: String(formData.get('title') ?? ''), body: String(formData.get('body') ?? '') }
  const form = parseForm(legalDocumentForm, formData)
  if (!form.ok) return data<ActionData>({ errors: form.errors, values }, { status: 400 })
  if (!(await updateLegalDocument({ slug, ...form.data, actorId: admin.id }))) throw new Response(t.pages.notFound.body, { status: 404 })
  return redirectWithFlash('/admin/legal', { kind: 'success', message: l.saved(form.data.title) })
}

export default function EditLegalDocument() {
  const { slug, title, body, limits } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors = actionData?.errors ?? {}
  return (
    <div className="max-w-3xl">
      <p className="mb-2 text-sm">
        <Link to="/admin/legal" className="text-stone-600 underline">
          {l.back}
        </Link>
      </p>
      <PageTitle>{l.editTitle(title)}</PageTitle>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormError error={errors.form} />
          <Field label={l.titleLabel} name="title" defaultValue={actionData?.values.title ?? title} required maxLength={limits.titleMax} error={errors.title} />
          <TextAreaField
            label={l.bodyLabel}
            name="body"
            defaultValue={actionData?.values.body ?? body}
            rows={20}
            required
            maxLength={limits.bodyMax}
            hint={l.bodyHint}
            error={errors.body}
            controlClassName="font-mono text-sm"
          />
          <div className="flex flex-wrap gap-3">
            <Button disabled={busy}>{l.save}</Button>
            <Link to={legalPath(slug)} className={buttonClass('ghost')}>
              {l.view}
            </Link>
          </div>
        </Form>
      </Card>
    </div>
  )
}
