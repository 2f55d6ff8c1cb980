// The link in the Official Account's news reply to a linked follower (docs/decisions/021): signs
// them in and opens the daily whose keyword they sent, its 打卡 recorded. Single use, 10 minutes:
// a used or expired link is 410, an unknown one 404.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { todayIn } from '~/domain/daily'
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { getDailyById } from '~/models/daily.server'
import { recordKeywordUnlock } from '~/models/keyword.server'
import { consumeWechatSignInLink } from '~/models/wechat-identity.server'
import { sessionContext, signIn } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechatAuth: wechatAuthZhCN }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? ''
  const noStore = { 'Cache-Control': 'no-store' }
  if (!/^[a-z2-7]{32}$/.test(token)) throw new Response(t.wechatAuth.errors.linkUnknown, { status: 404, headers: noStore })
  const now = new Date()
  const used = await consumeWechatSignInLink({ token, now })
  if (!used.ok) {
    throw new Response(used.reason === 'unknown' ? t.wechatAuth.errors.linkUnknown : t.wechatAuth.errors.linkUsed, {
      status: used.reason === 'unknown' ? 404 : 410,
      headers: noStore,
    })
  }
  const daily = await getDailyById(used.dailyId)
  if (!daily) throw new Response(t.wechatAuth.errors.linkUnknown, { status: 404, headers: noStore })
  await recordKeywordUnlock({ userId: used.userId, daily, day: todayIn(getEnv().SITE_TIMEZONE, now) })
  return signIn({ request, userId: used.userId, context: sessionContext(request, context.clientIp), redirectTo: `/daily/${daily.date}` })
}
