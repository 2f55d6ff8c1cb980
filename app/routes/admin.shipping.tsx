// /admin/shipping: the shop's shipping fee rule (decision 048) — a flat fee per order of goods and
// an amount over which it is waived. Products may override it on their own page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormError } from '~/components/field'
import { Button, Card, PageTitle } from '~/components/ui'
import { fenToYuan } from '~/domain/drop'
import { parseShippingRuleForm } from '~/domain/shipping-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shippingAdminZhCN } from '~/i18n/shippingAdmin.zh-CN'
import { getShippingRule, saveShippingRule } from '~/models/shipping.server'
import { redirectWithFlash } from '~/utils/flash.server'
import type { FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, shippingAdmin: shippingAdminZhCN, site: siteZhCN }
const s = t.shippingAdmin

export const meta: MetaFunction = () => [{ title: `${s.title} · ${t.admin.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const rule = await getShippingRule()
  return { flatFee: fenToYuan(rule.flatFeeFen), freeOver: rule.freeOverFen === null ? '' : fenToYuan(rule.freeOverFen) }
}

type ActionData = { errors: FieldErrors; values: { flatFee: string; freeOver: string } }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const formData = await request.formData()
  const form = parseShippingRuleForm(formData)
  if (!form.ok) {
    const values = { flatFee: String(formData.get('flatFee') ?? ''), freeOver: String(formData.get('freeOver') ?? '') }
    return data<ActionData>({ errors: form.errors, values }, { status: 400 })
  }
  await saveShippingRule({ rule: form.data, actorId: admin.id, now: new Date() })
  return redirectWithFlash('/admin/shipping', { kind: 'success', message: s.saved })
}

export default function AdminShipping() {
  const saved = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const values = answer?.values ?? saved
  const errors = answer?.errors ?? {}
  return (
    <div className="max-w-xl">
      <PageTitle subtitle={s.subtitle}>{s.title}</PageTitle>
      <Card>
        <Form method="post" noValidate className="grid gap-4">
          <FormError error={errors.form} />
          <Field label={s.flatFee} name="flatFee" inputMode="decimal" defaultValue={values.flatFee} error={errors.flatFee} hint={s.flatFeeHint} required />
          <Field label={s.freeOver} name="freeOver" inputMode="decimal" defaultValue={values.freeOver} error={errors.freeOver} hint={s.freeOverHint} />
          <div>
            <Button>{s.save}</Button>
          </div>
        </Form>
      </Card>
    </div>
  )
}
