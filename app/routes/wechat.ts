// The WeChat Official Account endpoint (plaintext mode): GET answers the console's URL check,
// POST answers pushed messages with a passive reply. Off (404) unless WECHAT_TOKEN is set.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { wechatZhCN } from '~/i18n/wechat.zh-CN'
import { parseKeywordReply } from '~/domain/keyword'
import { findLiveDailyByKey } from '~/models/keyword.server'
import { claimWechatNonce, replyOnce } from '~/models/wechat.server'
import { signedInArticleUrl } from '~/models/wechat-identity.server'
import { getEnv } from '~/utils/env.server'
import { readBodyWithin } from '~/utils/request-body.server'
import {
  composeReply,
  freshSignedAt,
  messageKey,
  noReplyResponse,
  parseMessage,
  textResponse,
  verifySignature,
  xmlResponse,
} from '~/utils/wechat.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechat: wechatZhCN }

export async function loader({ request }: LoaderFunctionArgs) {
  const token = getEnv().WECHAT_TOKEN
  if (!token) return textResponse(t.wechat.errors.notEnabled, 404)
  const query = new URL(request.url).searchParams
  const refused = await refuseUnlessSignedNow(token, query, new Date())
  if (refused) return refused
  const echostr = query.get('echostr')
  if (echostr === null) return textResponse(t.wechat.errors.echostrMissing, 400)
  return textResponse(echostr)
}

export async function action({ request }: ActionFunctionArgs) {
  const { WECHAT_TOKEN: token, SITE_URL: siteUrl } = getEnv()
  if (!token) return textResponse(t.wechat.errors.notEnabled, 404)
  if (request.method !== 'POST') return textResponse(t.wechat.errors.method, 405)
  const query = new URL(request.url).searchParams
  const now = new Date()
  const refused = await refuseUnlessSignedNow(token, query, now)
  if (refused) return refused
  // Safe mode (安全模式) encrypts messages with an EncodingAESKey; only plaintext is supported.
  if (query.get('encrypt_type') === 'aes') return textResponse(t.wechat.errors.safeMode, 400)

  const body = await readBodyWithin(request)
  if (!body.ok) return textResponse(t.wechat.errors[body.error], body.error === 'tooLarge' ? 413 : 400)
  const parsed = parseMessage(body.text)
  if (!parsed.ok) return textResponse(t.wechat.errors[parsed.error], 400)
  const message = parsed.message
  if (message.type === 'other') return noReplyResponse()

  const reply = await replyOnce(messageKey(message), async () => {
    const reply = message.type === 'text' ? parseKeywordReply(message.content) : null
    const daily = reply?.ok ? await findLiveDailyByKey(reply.key, now) : undefined
    const signedInUrl = daily ? await signedInArticleUrl({ openid: message.fromUserName, dailyId: daily.id, siteUrl, now }) : null
    return composeReply(message, { daily, siteUrl, now, signedInUrl })
  })
  return xmlResponse(reply)
}

/**
 * The refusal of a call that is not WeChat's own, made just now: a wrong signature, a timestamp
 * more than 5 minutes away, or a nonce already used (a replay of a captured URL). Null lets the
 * call through and takes its nonce, so the same URL is refused from then on.
 */
async function refuseUnlessSignedNow(token: string, query: URLSearchParams, now: Date) {
  if (!verifySignature(token, query)) return textResponse(t.wechat.errors.signature, 403)
  const signedAt = freshSignedAt(query.get('timestamp') ?? '', now)
  if (!signedAt) return textResponse(t.wechat.errors.stale, 403)
  const claimed = await claimWechatNonce({ nonce: query.get('nonce') ?? '', signedAt, now })
  return claimed ? null : textResponse(t.wechat.errors.replayed, 403)
}
