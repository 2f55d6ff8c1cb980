import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { signInPath, signInReturn } from '~/domain/sign-in-return'
import { AuthCard, PurchaseNote } from '~/components/auth-layout'
import { WechatSignIn } from '~/components/wechat-sign-in'
import { wechatSignInChoice } from '~/domain/wechat-auth'
import { modeKindOf } from '~/utils/wechat-oauth.server'
import { Field, FormError } from '~/components/field'
import { PasswordField } from '~/components/password-field'
import { Button } from '~/components/ui'
import { emailOnlyForm, loginForm } from '~/domain/account-forms.server'
import { magicLinkEmail } from '~/emails/auth'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { errorsZhCN, fieldsZhCN, navZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { createAuthToken, mayEmailAnotherLink, TOKEN_MINUTES } from '~/models/auth-token.server'
import { attemptLogin, getUserByEmail } from '~/models/user.server'
import { requireAnonymous, sessionContext, signIn } from '~/utils/auth.server'
import { transaction } from '~/utils/db.server'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { safeRedirect } from '~/utils/redirect'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { retryAfterHeaders } from '~/utils/retry-after'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN, errors: errorsZhCN, fields: fieldsZhCN, nav: navZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.auth.loginTitle} · ${t.site.name}` }]

// A 429 tells the client when to try again (Retry-After).
export const headers = retryAfterHeaders

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return { wechat: wechatSignInChoice(modeKindOf(), request.headers.get('User-Agent')) }
}

type ActionData = {
  intent: 'password' | 'magic'
  errors: FieldErrors
  /** Set when sign-in is locked for this address: the page offers an emailed link instead. */
  lockedEmail?: string
}

// One form, one 邮箱 field, two ways in: the password (登录, the form's default button) or a
// link mailed to the address (发送登录链接, which needs no password). Both come back to redirectTo.
export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'magic') return sendMagicLink(request, formData)

  const form = parseForm(loginForm, formData)
  if (!form.ok) return data<ActionData>({ intent: 'password', errors: form.errors }, { status: 400 })
  const { email, password, redirectTo } = form.data
  const attempt = await attemptLogin({ email, password, ip: context.clientIp ?? '' })
  if (!attempt.ok && attempt.reason === 'locked') {
    return data<ActionData>(
      { intent: 'password', errors: { form: t.errors.tooManyAttempts(attempt.waitSeconds) }, lockedEmail: email },
      { status: 429, headers: { 'Retry-After': String(attempt.waitSeconds) } },
    )
  }
  if (!attempt.ok) return data<ActionData>({ intent: 'password', errors: { form: t.errors.loginFailed } }, { status: 400 })
  return signIn({
    request,
    userId: attempt.user.id,
    context: sessionContext(request, context.clientIp),
    redirectTo,
    flash: { kind: 'success', message: `${t.auth.signedIn}：${attempt.user.displayName}` },
  })
}

async function sendMagicLink(request: Request, formData: FormData) {
  const form = parseForm(emailOnlyForm, formData)
  if (!form.ok) return data<ActionData>({ intent: 'magic', errors: form.errors }, { status: 400 })
  const back = safeRedirect(form.data.redirectTo, '')
  const user = await getUserByEmail(form.data.email)
  // The same answer whether or not the account exists (or has had enough links this hour),
  // so the form can neither probe for emails nor flood an inbox.
  if (user && (await mayEmailAnotherLink({ userId: user.id, purpose: 'magic_link' }))) {
    await transaction(async (tx) => {
      const token = await createAuthToken({ userId: user.id, purpose: 'magic_link' }, tx)
      const url = magicLinkUrl(token, back)
      const email = magicLinkEmail({ name: user.displayName, url, minutes: TOKEN_MINUTES.magic_link })
      await sendEmail({ ...email, to: user.email, template: 'magic_link' }, tx)
    })
  }
  // Back to this page as it was opened, so 「登录后继续购买」 and the way back stay.
  const purchase = signInReturn(new URL(request.url).searchParams).purchase
  return redirectWithFlash(signInPath({ redirectTo: back, purchase }), { kind: 'info', message: t.auth.magicSent })
}

/** The emailed sign-in link; like the verification link it brings the reader back to `back`. */
function magicLinkUrl(token: string, back: string) {
  return `${getEnv().SITE_URL}/auth/magic/${token}${back ? `?${new URLSearchParams({ redirectTo: back })}` : ''}`
}

export default function Login() {
  const { wechat } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  const { redirectTo, purchase } = signInReturn(searchParams)
  const errors = actionData?.errors ?? {}
  const lockedEmail = actionData?.intent === 'password' ? actionData.lockedEmail : undefined
  return (
    <AuthCard
      title={t.auth.loginTitle}
      note={purchase ? <PurchaseNote /> : null}
      footer={
        <>
          {t.auth.noAccount}{' '}
          <Link to={signInPath({ redirectTo, purchase, page: '/signup' })} className="font-medium text-brand-700 underline">
            {t.nav.signup}
          </Link>
        </>
      }
    >
      <WechatSignIn choice={wechat} redirectTo={redirectTo} />
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormError error={errors.form} />
        <Field label={t.fields.email} name="email" type="email" autoComplete="email" required defaultValue={lockedEmail} error={errors.email} />
        <PasswordField label={t.fields.password} name="password" autoComplete="current-password" required error={errors.password} />
        <Button name="intent" value="password" className="w-full" disabled={busy}>
          {t.auth.loginSubmit}
        </Button>
        <p className="text-right text-sm">
          <Link to="/forgot-password" className="text-stone-600 underline hover:text-brand-700">
            {t.auth.forgot}
          </Link>
        </p>
        {lockedEmail ? (
          // Locked out for a while: the owner need not wait, a link to their inbox signs them in.
          <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4">
            <p className="text-sm text-stone-700">{t.auth.lockedHelp}</p>
            <Button name="intent" value="magic" className="w-full" disabled={busy}>
              {t.auth.lockedSubmit}
            </Button>
          </div>
        ) : (
          <div className="space-y-3 border-t border-stone-200 pt-4">
            <p className="text-sm text-stone-600">{t.auth.magicHelp}</p>
            <Button name="intent" value="magic" variant="secondary" className="w-full" disabled={busy}>
              {t.auth.magicSubmit}
            </Button>
          </div>
        )}
      </Form>
    </AuthCard>
  )
}
