// Payment provider webhooks (DESIGN.md §4.5). The signature is checked before anything is
// read; the event is recorded in the transaction that fulfils the order, and 2xx is answered
// only after that commit, so the provider retries anything that did not land.
import type { ActionFunctionArgs } from '@remix-run/node'
import { t } from '~/i18n/zh-CN'
import { confirmPayment } from '~/models/payment.server'
import { getEnv } from '~/utils/env.server'
import { paymentProvider, WebhookSignatureError } from '~/utils/payments.server'
import { readBodyWithin, SIGNED_BODY_MAX_BYTES } from '~/utils/request-body.server'

export function loader() {
  return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'POST' } })
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') return loader()
  // Only providers that send webhooks and are configured here have an endpoint.
  if (params.provider !== 'stripe' || !getEnv().STRIPE_SECRET_KEY) return new Response('Not Found', { status: 404 })
  // Stripe's events are a few KB; a larger body, declared or streamed, is not read past 64 KB.
  const body = await readBodyWithin(request, SIGNED_BODY_MAX_BYTES)
  if (!body.ok) {
    const [text, status] = body.error === 'tooLarge' ? [t.http.tooLarge(SIGNED_BODY_MAX_BYTES), 413] : [t.http.unreadableBody, 400]
    return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  const rawBody = body.text

  let notice
  try {
    notice = paymentProvider('stripe').parseWebhook(rawBody, request.headers)
  } catch (error) {
    if (error instanceof WebhookSignatureError) return Response.json({ error: 'invalid signature' }, { status: 400 })
    throw error
  }
  // Events that confirm no payment are acknowledged so the provider stops sending them.
  if (!notice) return Response.json({ received: true, outcome: 'ignored' })

  // Recorded whatever it did; a repeat answers with what the first delivery did.
  const { outcome, duplicate } = await confirmPayment(notice)
  // A wrong amount is refused (kept and flagged for an admin to refund) — once: a retry of it is
  // acknowledged, or the provider would send it again for days.
  if (outcome === 'amount_mismatch' && !duplicate) return Response.json({ received: true, outcome, duplicate }, { status: 400 })
  return Response.json({ received: true, outcome, duplicate })
}
