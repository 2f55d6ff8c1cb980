import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthCard, PurchaseNote } from '~/components/auth-layout'
import { LegalAgreement } from '~/components/legal-agreement'
import { signInPath, signInReturn } from '~/domain/sign-in-return'
import { WechatSignIn } from '~/components/wechat-sign-in'
import { wechatSignInChoice } from '~/domain/wechat-auth'
import { modeKindOf } from '~/utils/wechat-oauth.server'
import { Field, FormError } from '~/components/field'
import { PasswordField } from '~/components/password-field'
import { Button } from '~/components/ui'
import { signupForm } from '~/domain/account-forms.server'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { errorsZhCN, fieldsZhCN, navZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { signUp } from '~/models/signup.server'
import { readReferrer } from '~/utils/referral-cookie.server'
import { requireAnonymous } from '~/utils/auth.server'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { retryAfterHeaders } from '~/utils/retry-after'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, errors: errorsZhCN, fields: fieldsZhCN, nav: navZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.signupTitle} · ${t.site.name}` }]

// A 429 tells the client when to try again (Retry-After).
export const headers = retryAfterHeaders

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return { wechat: wechatSignInChoice(modeKindOf(), request.headers.get('User-Agent')) }
}

// The same answer whether or not the address has an account, and nobody is signed in: the
// emailed link does that (docs/decisions/014-signup-and-email-verification.md).
export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const form = parseForm(signupForm, await request.formData())
  if (!form.ok) return data<{ errors: FieldErrors }>({ errors: form.errors }, { status: 400 })
  const { agree: _agreed, ...account } = form.data
  const result = await signUp({ ...account, ip: context.clientIp ?? '', referrerId: await readReferrer(request) })
  if (!result.ok && result.reason === 'rate_limited') {
    return data<{ errors: FieldErrors }>(
      { errors: { form: t.errors.tooManySignups(result.waitSeconds) } },
      { status: 429, headers: { 'Retry-After': String(result.waitSeconds) } },
    )
  }
  if (!result.ok) return data<{ errors: FieldErrors }>({ errors: { displayName: t.errors.nameReserved } }, { status: 400 })
  return redirect('/signup/sent', 303)
}

export default function Signup() {
  const { wechat } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors ?? {}
  const [searchParams] = useSearchParams()
  const { redirectTo, purchase } = signInReturn(searchParams)
  const busy = useNavigation().state !== 'idle'
  return (
    <AuthCard
      title={t.auth.signupTitle}
      note={purchase ? <PurchaseNote /> : null}
      footer={
        <>
          {t.auth.haveAccount}{' '}
          <Link to={signInPath({ redirectTo, purchase })} className="font-medium text-brand-700 underline">
            {t.nav.login}
          </Link>
        </>
      }
    >
      <WechatSignIn choice={wechat} redirectTo={redirectTo} />
      <p className="mb-5 text-sm text-stone-600">{t.auth.signupHelp}</p>
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormError error={errors.form} />
        <Field label={t.fields.email} name="email" type="email" autoComplete="email" required error={errors.email} />
        <Field label={t.fields.displayName} name="displayName" autoComplete="nickname" required maxLength={40} error={errors.displayName} />
        <PasswordField
          label={t.fields.password}
          name="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint={t.auth.passwordHint}
          error={errors.password}
        />
        <LegalAgreement error={errors.agree} />
        <Button className="w-full" disabled={busy}>
          {t.auth.signupSubmit}
        </Button>
      </Form>
    </AuthCard>
  )
}
