// Intercepts the Stripe API so no test reaches the network. Checkout Sessions and refunds are
// recorded (form-encoded bodies, decoded) and answered the way Stripe answers them.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'

export const STRIPE_SECRET_KEY = 'sk_test_zhiyin0123456789'
export const STRIPE_WEBHOOK_SECRET = 'whsec_zhiyin_test_secret'

export interface StripeCall {
  path: string
  params: URLSearchParams
  idempotencyKey: string | null
}

export const stripeCalls: StripeCall[] = []
let sessions = 0

/** Sessions as Stripe keeps them: an idempotency key used again answers with the same session. */
const sessionsByKey = new Map<string, { id: string; url: string }>()
export const sessionStatus = new Map<string, 'open' | 'complete' | 'expired'>()

export const stripeServer = setupServer(
  http.post('https://api.stripe.com/v1/checkout/sessions', async ({ request }) => {
    const params = new URLSearchParams(await request.text())
    const idempotencyKey = request.headers.get('Idempotency-Key')
    stripeCalls.push({ path: '/v1/checkout/sessions', params, idempotencyKey })
    const known = idempotencyKey ? sessionsByKey.get(idempotencyKey) : undefined
    if (known) return HttpResponse.json({ ...known, object: 'checkout.session' })
    const id = `cs_test_${++sessions}`
    const session = { id, url: `https://checkout.stripe.com/c/pay/${id}` }
    if (idempotencyKey) sessionsByKey.set(idempotencyKey, session)
    sessionStatus.set(id, 'open')
    return HttpResponse.json({ ...session, object: 'checkout.session' })
  }),
  http.post('https://api.stripe.com/v1/checkout/sessions/:id/expire', ({ params, request }) => {
    const id = String(params.id)
    stripeCalls.push({ path: `/v1/checkout/sessions/${id}/expire`, params: new URLSearchParams(), idempotencyKey: request.headers.get('Idempotency-Key') })
    if (sessionStatus.get(id) !== 'open') {
      return HttpResponse.json(
        { error: { type: 'invalid_request_error', message: `Only Checkout Sessions with a status in ["open"] can be expired.` } },
        { status: 400 },
      )
    }
    sessionStatus.set(id, 'expired')
    return HttpResponse.json({ id, object: 'checkout.session', status: 'expired' })
  }),
  http.get('https://api.stripe.com/v1/checkout/sessions/:id', ({ params }) => {
    const id = String(params.id)
    stripeCalls.push({ path: `/v1/checkout/sessions/${id}`, params: new URLSearchParams(), idempotencyKey: null })
    return HttpResponse.json({ id, object: 'checkout.session', status: sessionStatus.get(id) ?? 'expired' })
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

/**
 * From here on, this test file's app modules see a configured Stripe whose API is intercepted:
 * a fresh module registry reads the environment again (the database handle is shared). Call it,
 * then import the app modules.
 */
export function interceptStripe() {
  process.env.STRIPE_SECRET_KEY = STRIPE_SECRET_KEY
  process.env.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
  vi.resetModules()
  beforeAll(() => stripeServer.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => stripeServer.resetHandlers())
  afterAll(() => {
    stripeServer.close()
    delete process.env.STRIPE_SECRET_KEY
    delete process.env.STRIPE_WEBHOOK_SECRET
  })
}
