// Payment provider webhooks (DESIGN.md §4.5). The signature is checked before anything is
// read; the event is recorded in the transaction that fulfils the order, and 2xx is answered
// only after that commit, so the provider retries anything that did not land.
import type { ActionFunctionArgs } from '@remix-run/node'
import { confirmPayment } from '~/models/payment.server'
import { getEnv } from '~/utils/env.server'
import { paymentProvider, WebhookSignatureError } from '~/utils/payments.server'

// Stripe's events are a few KB; anything far larger is not a payment event.
const MAX_BODY_BYTES = 256 * 1024

export function loader() {
  return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'POST' } })
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') return loader()
  // Only providers that send webhooks and are configured here have an endpoint.
  if (params.provider !== 'stripe' || !getEnv().STRIPE_SECRET_KEY) return new Response('Not Found', { status: 404 })
  const declared = Number(request.headers.get('Content-Length') ?? 0)
  if (declared > MAX_BODY_BYTES) return new Response('Payload Too Large', { status: 413 })
  const rawBody = await request.text()
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return new Response('Payload Too Large', { status: 413 })

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
  // A wrong amount is refused (kept and flagged for an admin to refund).
  if (outcome === 'amount_mismatch') return Response.json({ received: true, outcome, duplicate }, { status: 400 })
  return Response.json({ received: true, outcome, duplicate })
}
