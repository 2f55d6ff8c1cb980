import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { Field } from '~/components/field'
import { Button } from '~/components/ui'
import { emailOnlyForm } from '~/domain/account-forms.server'
import { passwordResetEmail } from '~/emails/auth'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { fieldsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { createAuthToken, mayEmailAnotherLink, TOKEN_MINUTES } from '~/models/auth-token.server'
import { getUserByEmail } from '~/models/user.server'
import { transaction } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseForm, type FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, fields: fieldsZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.forgotTitle} · ${t.site.name}` }]

export async function action({ request }: ActionFunctionArgs) {
  const form = parseForm(emailOnlyForm, await request.formData())
  if (!form.ok) return data<{ errors: FieldErrors }>({ errors: form.errors }, { status: 400 })
  const user = await getUserByEmail(form.data.email)
  // The same answer for unknown emails and for accounts that had enough links this hour.
  if (user && (await mayEmailAnotherLink({ userId: user.id, purpose: 'password_reset' }))) {
    await transaction(async (tx) => {
      const token = await createAuthToken({ userId: user.id, purpose: 'password_reset' }, tx)
      const url = `${getEnv().SITE_URL}/reset-password/${token}`
      const email = passwordResetEmail({ name: user.displayName, url, minutes: TOKEN_MINUTES.password_reset })
      await sendEmail({ ...email, to: user.email, template: 'password_reset' }, tx)
    })
  }
  return redirectWithFlash('/login', { kind: 'info', message: t.auth.forgotSent })
}

export default function ForgotPassword() {
  const errors = useActionData<typeof action>()?.errors ?? {}
  const busy = useNavigation().state !== 'idle'
  return (
    <AuthCard title={t.auth.forgotTitle}>
      <p className="mb-5 text-sm text-stone-600">{t.auth.forgotHelp}</p>
      <Form method="post" className="space-y-4" noValidate>
        <Field label={t.fields.email} name="email" type="email" autoComplete="email" required error={errors.email} />
        <Button className="w-full" disabled={busy}>
          {t.auth.forgotSubmit}
        </Button>
      </Form>
    </AuthCard>
  )
}
