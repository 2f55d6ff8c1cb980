// Payment provider notifications (DESIGN.md §4.5): /webhooks/stripe, /webhooks/wechatpay,
// /webhooks/alipay. The signature is checked before anything is read; a payment is recorded in
// the transaction that fulfils the order, and the provider is told "received" only after that
// commit, so it sends again anything that did not land. Each provider is answered in its own form.
import type { ActionFunctionArgs } from '@remix-run/node'
import type { PaymentProviderName } from '../../db/schema'
import { httpZhCN } from '~/i18n/core.zh-CN'
import { applyRefundNotice, confirmPayment } from '~/models/commerce.server'
import { configuredProviders, paymentProvider, WebhookSignatureError } from '~/utils/payments.server'
import { postOnly } from '~/utils/post-only.server'
import { readBodyWithin, SIGNED_BODY_MAX_BYTES } from '~/utils/request-body.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { http: httpZhCN }

export { postOnly as loader } from '~/utils/post-only.server'

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') return postOnly()
  // Only providers that send notifications and are configured here have an endpoint.
  const name = configuredProviders().find((provider) => provider === params.provider)
  if (!name) return new Response('Not Found', { status: 404 })
  // Notifications are a few KB; a larger body, declared or streamed, is not read past 64 KB.
  const body = await readBodyWithin(request, SIGNED_BODY_MAX_BYTES)
  if (!body.ok) {
    const [text, status] = body.error === 'tooLarge' ? [t.http.tooLarge(SIGNED_BODY_MAX_BYTES), 413] : [t.http.unreadableBody, 400]
    return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  return handleNotification(name, body.text, request.headers)
}

async function handleNotification(name: PaymentProviderName, rawBody: string, headers: Headers) {
  const provider = paymentProvider(name)
  let event
  try {
    event = await provider.parseWebhook(rawBody, headers)
  } catch (error) {
    if (error instanceof WebhookSignatureError) return Response.json({ code: 'FAIL', error: 'invalid signature', message: '签名验证失败' }, { status: 400 })
    throw error
  }
  // Events that confirm nothing are acknowledged so the provider stops sending them.
  if (event.kind === 'ignored') return provider.webhookAnswer({ outcome: 'ignored', duplicate: false, refused: false })
  if (event.kind === 'refund') {
    const applied = await applyRefundNotice(event.notice)
    return provider.webhookAnswer({ outcome: `refund_${applied}`, duplicate: applied === 'repeat', refused: false })
  }
  // Recorded whatever it did; a repeat answers with what the first delivery did. A wrong amount
  // is kept and flagged for an admin to refund, refused once: a retry of it is acknowledged, or
  // the provider would send it again for days.
  const { outcome, duplicate } = await confirmPayment(event.notice)
  return provider.webhookAnswer({ outcome, duplicate, refused: outcome === 'amount_mismatch' && !duplicate })
}
