import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { AuthCard } from '~/components/auth-layout'
import { Button } from '~/components/ui'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { unsubscribeFromDaily } from '~/models/user.server'
import { verifyUnsubscribeToken } from '~/utils/unsubscribe.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.daily.unsubscribe.title} · ${t.site.name}` }]

function userIdFrom(token: string | undefined) {
  const userId = verifyUnsubscribeToken(token ?? '')
  if (userId === null) throw new Response(t.daily.unsubscribe.invalid, { status: 404 })
  return userId
}

// Opening the link asks for a click; a mail client's one-click POST (RFC 8058) unsubscribes
// directly. The signed token is the authorisation: no sign-in is needed.
export async function loader({ params }: LoaderFunctionArgs) {
  userIdFrom(params.token)
  return null
}

export async function action({ params }: ActionFunctionArgs) {
  await unsubscribeFromDaily(userIdFrom(params.token))
  return { done: true }
}

export default function Unsubscribe() {
  const done = useActionData<typeof action>()?.done
  return (
    <AuthCard title={t.daily.unsubscribe.title}>
      {done ? (
        <p role="status" className="text-green-800">
          {t.daily.unsubscribe.done}
        </p>
      ) : (
        <Form method="post" className="space-y-4">
          <p className="text-stone-600">{t.daily.unsubscribe.body}</p>
          <Button className="w-full">{t.daily.unsubscribe.submit}</Button>
        </Form>
      )}
    </AuthCard>
  )
}
