// (The file name escapes "test": remix.config.js ignores route files named *.test.*.)
// The test mode's stand-in for WeChat's consent screen (docs/decisions/021-wechat-sign-in.md): the
// reader gives a simulated nickname, gets a simulated openid (app id 'test', the same for the same
// nickname) and the same sign-in as a real callback runs, state checked. 404 unless in test mode.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { Field } from '~/components/field'
import { Badge, Button } from '~/components/ui'
import { DISPLAY_NAME_MAX_LENGTH, normalizeDisplayName } from '~/domain/display-name'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { wechatMode } from '~/utils/wechat-api.server'
import { completeWechatAuth, peekOAuthState, simulatedOpenid, takeOAuthState } from '~/utils/wechat-signin.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { site: siteZhCN, wechatAuth: wechatAuthZhCN }

export const meta: MetaFunction = () => [{ title: `${t.wechatAuth.testTitle} · ${t.site.name}` }]

const TEST_NAMES = ['早起的读书人', '知音小书童', '罗胖的老朋友']

function requireTestMode() {
  if (wechatMode().kind !== 'test') throw new Response(t.wechatAuth.errors.notEnabled, { status: 404 })
}

export async function loader({ request }: LoaderFunctionArgs) {
  requireTestMode()
  await peekOAuthState(request, new URL(request.url).searchParams.get('state'), ['test'])
  return data(null, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireTestMode()
  const formData = await request.formData()
  const state = formData.get('state')
  const nickname = normalizeDisplayName(String(formData.get('nickname') ?? ''))
  if (!nickname || [...nickname].length > DISPLAY_NAME_MAX_LENGTH) {
    await peekOAuthState(request, typeof state === 'string' ? state : null, ['test'])
    return data({ errors: { nickname: t.wechatAuth.errors.nicknameRequired } }, { status: 400 })
  }
  const pending = await takeOAuthState(request, typeof state === 'string' ? state : null, ['test'])
  return completeWechatAuth({ request, clientIp: context.clientIp, pending, profile: { appId: 'test', openid: simulatedOpenid(nickname), nickname } })
}

export default function WechatTestConsent() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  return (
    <AuthCard title={t.wechatAuth.testTitle}>
      <p className="mb-4">
        <Badge tone="amber">{t.wechatAuth.testBadge}</Badge>
      </p>
      <p className="mb-5 text-sm text-stone-600">{t.wechatAuth.testHelp}</p>
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="state" value={searchParams.get('state') ?? ''} />
        <Field
          label={t.wechatAuth.testNickname}
          name="nickname"
          defaultValue={TEST_NAMES[0]}
          list="wechat-test-names"
          maxLength={DISPLAY_NAME_MAX_LENGTH}
          required
          error={actionData?.errors.nickname}
        />
        <datalist id="wechat-test-names">
          {TEST_NAMES.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <Button className="w-full" disabled={busy}>
          {t.wechatAuth.testSubmit}
        </Button>
        <p className="text-center text-sm">
          <Link to="/login" className="text-stone-600 underline">
            {t.wechatAuth.testCancel}
          </Link>
        </p>
      </Form>
    </AuthCard>
  )
}
