// /admin/settings: the site's settings (decision 052) — when the daily goes out, and the footer's
// 联系客服 and ICP 备案号. An empty field clears a setting; the site then uses its default, which the
// field shows as its placeholder.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormError } from '~/components/field'
import { Button, Card, PageTitle } from '~/components/ui'
import { parseSiteSettingsForm, SITE_SETTING_FIELDS } from '~/domain/site-settings-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { siteSettingsZhCN } from '~/i18n/siteSettings.zh-CN'
import { readSavedSiteSettings, saveSiteSettings, siteSettingDefaults } from '~/models/site-settings.server'
import { redirectWithFlash } from '~/utils/flash.server'
import type { FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, site: siteZhCN, siteSettings: siteSettingsZhCN }
const s = t.siteSettings

export const meta: MetaFunction = () => [{ title: `${s.title} · ${t.admin.title} · ${t.site.name}` }]

type Values = Record<(typeof SITE_SETTING_FIELDS)[number], string>

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const saved = await readSavedSiteSettings()
  const values: Values = { publishTime: saved.publishTime ?? '', supportContact: saved.supportContact ?? '', icpNumber: saved.icpNumber ?? '' }
  return { values, defaults: siteSettingDefaults() }
}

type ActionData = { errors: FieldErrors; values: Values }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const formData = await request.formData()
  const form = parseSiteSettingsForm(formData)
  if (!form.ok) {
    const values = Object.fromEntries(SITE_SETTING_FIELDS.map((field) => [field, String(formData.get(field) ?? '')])) as Values
    return data<ActionData>({ errors: form.errors, values }, { status: 400 })
  }
  await saveSiteSettings({ values: form.data, actorId: admin.id, now: new Date() })
  return redirectWithFlash('/admin/settings', { kind: 'success', message: s.saved })
}

export default function AdminSettings() {
  const saved = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const values = answer?.values ?? saved.values
  const errors = answer?.errors ?? {}
  const { defaults } = saved
  return (
    <div className="max-w-xl">
      <PageTitle subtitle={s.subtitle}>{s.title}</PageTitle>
      <Card>
        <Form method="post" noValidate className="grid gap-4">
          <FormError error={errors.form} />
          <Field
            label={s.publishTime}
            name="publishTime"
            defaultValue={values.publishTime}
            placeholder={defaults.publishTime}
            autoComplete="off"
            error={errors.publishTime}
            hint={s.publishTimeHint(defaults.publishTime)}
          />
          <Field
            label={s.supportContact}
            name="supportContact"
            defaultValue={values.supportContact}
            placeholder={defaults.supportContact ?? undefined}
            error={errors.supportContact}
            hint={s.supportContactHint(defaults.supportContact)}
            autoComplete="off"
          />
          <Field
            label={s.icpNumber}
            name="icpNumber"
            defaultValue={values.icpNumber}
            placeholder={defaults.icpNumber ?? undefined}
            error={errors.icpNumber}
            hint={s.icpNumberHint(defaults.icpNumber)}
            autoComplete="off"
          />
          <div>
            <Button>{s.save}</Button>
          </div>
        </Form>
      </Card>
    </div>
  )
}
