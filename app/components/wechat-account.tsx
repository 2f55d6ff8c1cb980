// /account's WeChat card (docs/decisions/021-wechat-sign-in.md): 已绑定（昵称） with 解除绑定, or
// 绑定微信, which runs the sign-in flow with intent=link. Not shown when WeChat is off.
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { FormError } from '~/components/field'
import { Button, Card } from '~/components/ui'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechatAuth: wechatAuthZhCN }

export interface WechatAccountView {
  linked: boolean
  nickname: string | null
  testMode: boolean
}

export const WECHAT_UNLINK_INTENT = 'wechat-unlink'

export function WechatAccountCard({ wechat }: { wechat: WechatAccountView | null }) {
  const actionData = useActionData() as { intent?: string; errors?: { form?: string } } | undefined
  const busy = useNavigation().state !== 'idle'
  if (!wechat) return null
  const error = actionData?.intent === WECHAT_UNLINK_INTENT ? actionData.errors?.form : undefined
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold" data-testid="wechat-status">
        {wechat.linked ? t.wechatAuth.account.linked(wechat.nickname ?? t.wechatAuth.defaultName) : t.wechatAuth.account.notLinked}
      </h2>
      <p className="mb-3 text-sm text-stone-600">{t.wechatAuth.account.help}</p>
      <FormError error={error} />
      {wechat.linked ? (
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value={WECHAT_UNLINK_INTENT} />
          <Button variant="secondary" disabled={busy}>
            {t.wechatAuth.account.unlink}
          </Button>
        </Form>
      ) : (
        <a
          href="/auth/wechat?intent=link"
          className="mt-3 inline-flex items-center justify-center rounded-lg bg-[#047a3c] px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-[#03662f]"
        >
          {wechat.testMode ? `${t.wechatAuth.account.link}（${t.wechatAuth.testBadge}）` : t.wechatAuth.account.link}
        </a>
      )}
    </Card>
  )
}
