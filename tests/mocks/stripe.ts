// Intercepts the Stripe API so no test reaches the network. Checkout Sessions and refunds are
// recorded (form-encoded bodies, decoded) and answered the way Stripe answers them.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'

export const STRIPE_SECRET_KEY = 'sk_test_zhiyin0123456789'
export const STRIPE_WEBHOOK_SECRET = 'whsec_zhiyin_test_secret'

export interface StripeCall {
  path: string
  params: URLSearchParams
  idempotencyKey: string | null
}

export const stripeCalls: StripeCall[] = []
let sessions = 0

export const stripeServer = setupServer(
  http.post('https://api.stripe.com/v1/checkout/sessions', async ({ request }) => {
    const params = new URLSearchParams(await request.text())
    stripeCalls.push({ path: '/v1/checkout/sessions', params, idempotencyKey: request.headers.get('Idempotency-Key') })
    const id = `cs_test_${++sessions}`
    return HttpResponse.json({ id, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/${id}` })
  }),
  http.post('https://api.stripe.com/v1/refunds', async ({ request }) => {
    const params = new URLSearchParams(await request.text())
    stripeCalls.push({ path: '/v1/refunds', params, idempotencyKey: request.headers.get('Idempotency-Key') })
    return HttpResponse.json({ id: `re_test_${stripeCalls.length}`, object: 'refund', status: 'succeeded' })
  }),
)

/** A webhook request body and its Stripe-Signature header, signed as Stripe would sign it. */
export function signedStripeEvent(event: Record<string, unknown>, secret = STRIPE_WEBHOOK_SECRET) {
  const payload = JSON.stringify(event)
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret })
  return { payload, signature }
}

/** A `checkout.session.completed` event for an order, paid in full unless told otherwise. */
export function checkoutCompleted({
  eventId,
  orderId,
  amountFen,
  currency = 'cny',
  paymentStatus = 'paid',
  type = 'checkout.session.completed',
}: {
  eventId: string
  orderId: number
  amountFen: number
  currency?: string
  paymentStatus?: string
  type?: string
}) {
  return {
    id: eventId,
    object: 'event',
    type,
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_test_for_${orderId}`,
        object: 'checkout.session',
        amount_total: amountFen,
        currency,
        payment_status: paymentStatus,
        payment_intent: `pi_test_${orderId}`,
        client_reference_id: String(orderId),
        metadata: { order_id: String(orderId) },
      },
    },
  }
}
