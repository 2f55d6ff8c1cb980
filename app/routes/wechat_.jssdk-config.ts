import type { LoaderFunctionArgs } from '@remix-run/node'
import { shareZhCN } from '~/i18n/share.zh-CN'
import { referralCodeFor } from '~/models/referral.server'
import { getUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { jsSdkSignature, newNonceStr, signablePageUrl } from '~/utils/jssdk.server'
import { TEST_MODE_JSAPI_TICKET } from '~/utils/share-meta'
import { getJsapiTicket, WechatApiError, wechatMode } from '~/utils/wechat-api.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { share: shareZhCN }

function answer(body: unknown, status = 200) {
  // Personal (the sharer's code) and fresh each time (timestamp, nonce): never cached.
  return Response.json(body, { status, headers: { 'Cache-Control': 'private, no-store' } })
}

// GET /wechat/jssdk-config?url=<this page> — what `wx.config` needs on a page of this site inside
// WeChat, and the reader's referral code for the share link (docs/decisions/022). Pages of another
// origin are never signed. In test mode a marked config, without asking WeChat.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = signablePageUrl(new URL(request.url).searchParams.get('url'), getEnv().SITE_URL)
  if (url === null) return answer({ error: t.share.errors.url }, 400)
  const mode = wechatMode()
  if (mode.kind === 'off') return answer({ error: t.share.errors.off }, 404)
  const user = await getUser(request)
  const refCode = user ? await referralCodeFor(user.id) : null
  const timestamp = Math.floor(Date.now() / 1000)
  const nonceStr = newNonceStr()
  if (mode.kind === 'test') {
    const signature = jsSdkSignature({ jsapiTicket: TEST_MODE_JSAPI_TICKET, nonceStr, timestamp, url })
    return answer({ mode: 'test', test: true, appId: 'test', timestamp, nonceStr, signature, url, refCode })
  }
  try {
    const jsapiTicket = await getJsapiTicket()
    return answer({ mode: 'live', appId: mode.appId, timestamp, nonceStr, signature: jsSdkSignature({ jsapiTicket, nonceStr, timestamp, url }), url, refCode })
  } catch (error) {
    if (error instanceof WechatApiError) return answer({ error: t.share.errors.wechat(error.errcode) }, 502)
    throw error
  }
}
