import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { Field, FormError } from '~/components/field'
import { Button } from '~/components/ui'
import { signupForm } from '~/domain/account-forms'
import { t } from '~/i18n/zh-CN'
import { createUser, EmailTakenError, isDisplayNameReserved } from '~/models/user.server'
import { requireAnonymous, sessionContext, signIn } from '~/utils/auth.server'
import { parseForm, type FieldErrors } from '~/utils/forms'

export const meta: MetaFunction = () => [{ title: `${t.auth.signupTitle} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const form = parseForm(signupForm, await request.formData())
  if (!form.ok) return data<{ errors: FieldErrors }>({ errors: form.errors }, { status: 400 })
  const { email, displayName, password, redirectTo } = form.data
  if (await isDisplayNameReserved({ displayName })) {
    return data<{ errors: FieldErrors }>({ errors: { displayName: t.errors.nameReserved } }, { status: 400 })
  }
  try {
    const user = await createUser({ email, displayName, password })
    return signIn({
      userId: user.id,
      context: sessionContext(request, context.clientIp),
      redirectTo,
      flash: { kind: 'success', message: t.auth.welcome(user.displayName) },
    })
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return data<{ errors: FieldErrors }>({ errors: { email: t.errors.emailTaken } }, { status: 409 })
    }
    throw error
  }
}

export default function Signup() {
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors ?? {}
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  const busy = useNavigation().state !== 'idle'
  return (
    <AuthCard
      title={t.auth.signupTitle}
      footer={
        <>
          {t.auth.haveAccount}{' '}
          <Link to="/login" className="font-medium text-brand-700 underline">
            {t.nav.login}
          </Link>
        </>
      }
    >
      <p className="mb-5 text-sm text-stone-600">{t.auth.signupHelp}</p>
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormError error={errors.form} />
        <Field label={t.fields.email} name="email" type="email" autoComplete="email" required error={errors.email} />
        <Field label={t.fields.displayName} name="displayName" autoComplete="nickname" required maxLength={40} error={errors.displayName} />
        <Field
          label={t.fields.password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint={t.auth.passwordHint}
          error={errors.password}
        />
        <Button className="w-full" disabled={busy}>
          {t.auth.signupSubmit}
        </Button>
      </Form>
    </AuthCard>
  )
}
