import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { PasswordField } from '~/components/password-field'
import { Button } from '~/components/ui'
import { newPasswordForm } from '~/domain/account-forms.server'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { errorsZhCN, fieldsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { assertAuthTokenUsable, consumeAuthToken, deleteUserAuthTokens } from '~/models/auth-token.server'
import { invalidateUserSessions } from '~/models/session.server'
import { confirmEmailOwnership, setPasswordHash } from '~/models/user.server'
import { sessionContext, signIn } from '~/utils/auth.server'
import { transaction } from '~/utils/db.server'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { hashPassword } from '~/utils/password.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, errors: errorsZhCN, fields: fieldsZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.resetTitle} · ${t.site.name}` }]

export async function loader({ params }: LoaderFunctionArgs) {
  await assertAuthTokenUsable({ token: params.token ?? '', purpose: 'password_reset' })
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? ''
  // A dead link is refused before argon2 runs, so made-up tokens cost the server nothing.
  await assertAuthTokenUsable({ token, purpose: 'password_reset' })
  const form = parseForm(newPasswordForm, await request.formData())
  if (!form.ok) return data<{ errors: FieldErrors }>({ errors: form.errors }, { status: 400 })
  const hash = await hashPassword(form.data.password)
  // Use the token, set the password and end every session together, or not at all.
  const userId = await transaction(async (tx) => {
    const id = await consumeAuthToken({ token, purpose: 'password_reset' }, tx)
    if (id === null) return null
    // The link proves the address (an unverified account becomes verified).
    await confirmEmailOwnership({ userId: id, via: 'password_reset' }, tx)
    await setPasswordHash({ userId: id, hash }, tx)
    await invalidateUserSessions(id, tx)
    await deleteUserAuthTokens(id, tx)
    return id
  })
  if (userId === null) throw new Response(t.errors.tokenUsed, { status: 410 })
  return signIn({
    request,
    userId,
    context: sessionContext(request, context.clientIp),
    redirectTo: '/account',
    flash: { kind: 'success', message: t.auth.resetDone },
  })
}

export default function ResetPassword() {
  const errors = useActionData<typeof action>()?.errors ?? {}
  const busy = useNavigation().state !== 'idle'
  return (
    <AuthCard title={t.auth.resetTitle}>
      <Form method="post" className="space-y-4" noValidate>
        <PasswordField
          label={t.fields.newPassword}
          name="password"
         
          autoComplete="new-password"
          required
          minLength={8}
          hint={t.auth.passwordHint}
          error={errors.password}
        />
        <PasswordField
          label={t.fields.confirmPassword}
          name="confirmPassword"
         
          autoComplete="new-password"
          required
          error={errors.confirmPassword}
        />
        <Button className="w-full" disabled={busy}>
          {t.auth.resetSubmit}
        </Button>
      </Form>
    </AuthCard>
  )
}
