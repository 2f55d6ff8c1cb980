// One payment interface (DESIGN.md §5): the built-in test provider, so the site works with no
// keys, and Stripe Checkout (card, Alipay, WeChat Pay in CNY) when both Stripe keys are set.
// Providers never touch the database: they start a checkout, read a webhook, refund a payment.
import Stripe from 'stripe'
import type { PaymentProviderName } from '../../db/schema'
import { getEnv, type Env } from './env.server'

/** A provider's word that an order was paid, as confirmPayment() takes it. */
export interface PaymentNotice {
  provider: PaymentProviderName
  /** The provider's id of this event: the same event delivered twice has the same id. */
  eventId: string
  orderId: number
  type: string
  amountFen: number
  /** ISO 4217, upper case. */
  currency: string
  /** What a refund will need (e.g. a Stripe PaymentIntent id). */
  providerPaymentId: string | null
}

export interface CheckoutOrder {
  id: number
  totalFen: number
  currency: string
  title: string
  email: string
}

export interface PaymentProvider {
  name: PaymentProviderName
  /** Where to send the buyer to pay, and the provider's reference of that checkout. */
  startCheckout(order: CheckoutOrder, urls: { successUrl: string; cancelUrl: string }): Promise<{ url: string; providerRef: string }>
  /** Verifies and reads a webhook; null for events that do not confirm a payment. */
  parseWebhook(rawBody: string, headers: Headers): PaymentNotice | null
  /** Returns a payment in full. Idempotent per order. */
  refund(payment: { orderId: number; providerPaymentId: string | null; amountFen: number }): Promise<void>
}

export class WebhookSignatureError extends Error {
  name = 'WebhookSignatureError'
}

/** Test mode: /pay/:orderId shows 模拟支付 buttons that confirm payments with this provider's name. */
const testProvider: PaymentProvider = {
  name: 'test',
  async startCheckout(order) {
    return { url: `/pay/${order.id}`, providerRef: `test_checkout_${order.id}` }
  },
  parseWebhook() {
    // The test provider has no webhooks: its page confirms payments directly.
    throw new WebhookSignatureError('the test provider sends no webhooks')
  },
  async refund() {
    // Nothing left the buyer's pocket in test mode.
  },
}

// Stripe counts CNY in fen already (its smallest unit), so amounts pass through unchanged.
const STRIPE_PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded'])

function createStripeProvider({ secretKey, webhookSecret }: { secretKey: string; webhookSecret: string }): PaymentProvider {
  const stripe = new Stripe(secretKey, { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 2 })
  return {
    name: 'stripe',
    async startCheckout(order, { successUrl, cancelUrl }) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          allowed_payment_method_types: ['card', 'alipay', 'wechat_pay'],
          payment_method_options: { wechat_pay: { client: 'web' } },
          line_items: [
            {
              quantity: 1,
              price_data: { currency: 'cny', unit_amount: order.totalFen, product_data: { name: order.title } },
            },
          ],
          customer_email: order.email,
          client_reference_id: String(order.id),
          metadata: { order_id: String(order.id) },
          payment_intent_data: { metadata: { order_id: String(order.id) } },
          // Stripe's shortest session is 30 minutes: a payment after the hold lapsed is
          // re-seated or refunded by confirmPayment's rule.
          expires_at: Math.floor(Date.now() / 1000) + 30 * 60,
          success_url: successUrl,
          cancel_url: cancelUrl,
        },
        { idempotencyKey: `checkout-order-${order.id}-${Date.now()}` },
      )
      if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL')
      return { url: session.url, providerRef: session.id }
    },
    parseWebhook(rawBody, headers) {
      const signature = headers.get('stripe-signature')
      if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header')
      let event: Stripe.Event
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, webhookSecret)
      } catch (error) {
        throw new WebhookSignatureError((error as Error).message)
      }
      if (!STRIPE_PAID_EVENTS.has(event.type)) return null
      const session = event.data.object as Stripe.Checkout.Session
      if (session.payment_status !== 'paid') return null
      const orderId = Number(session.metadata?.order_id ?? session.client_reference_id)
      if (!Number.isSafeInteger(orderId) || orderId <= 0) return null
      return {
        provider: 'stripe',
        eventId: event.id,
        orderId,
        type: event.type,
        amountFen: session.amount_total ?? 0,
        currency: (session.currency ?? '').toUpperCase(),
        providerPaymentId: typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null),
      }
    },
    async refund({ orderId, providerPaymentId, amountFen }) {
      if (!providerPaymentId) throw new Error(`order ${orderId} has no Stripe payment to refund`)
      await stripe.refunds.create(
        { payment_intent: providerPaymentId, amount: amountFen, metadata: { order_id: String(orderId) } },
        { idempotencyKey: `refund-order-${orderId}` },
      )
    },
  }
}

let stripeProvider: PaymentProvider | undefined

/** A provider by name: the one that took a payment is the one that refunds it. */
export function paymentProvider(name: PaymentProviderName): PaymentProvider {
  if (name === 'test') return testProvider
  const env = getEnv()
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) {
    throw new Error('Stripe is not configured (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET)')
  }
  stripeProvider ??= createStripeProvider({ secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET })
  return stripeProvider
}

/**
 * Which provider takes new payments (docs/decisions/011-payments-in-production.md): Stripe when
 * its keys are set; otherwise the test provider, but in production only when the operator opts
 * in with PAYMENTS_TEST_MODE=1 (every page then says so); otherwise none, and checkout says
 * payments are not set up. A test payment must never be possible on a real site by default.
 */
export type PaymentMode = { kind: 'stripe' } | { kind: 'test'; production: boolean } | { kind: 'none' }

export function paymentMode(env: Pick<Env, 'NODE_ENV' | 'PAYMENTS_TEST_MODE' | 'STRIPE_SECRET_KEY'> = getEnv()): PaymentMode {
  if (env.STRIPE_SECRET_KEY) return { kind: 'stripe' }
  if (env.NODE_ENV !== 'production') return { kind: 'test', production: false }
  return env.PAYMENTS_TEST_MODE ? { kind: 'test', production: true } : { kind: 'none' }
}

/** The provider new payments go through, or null when none is set up. */
export function activePaymentProvider(): PaymentProvider | null {
  const mode = paymentMode()
  return mode.kind === 'none' ? null : paymentProvider(mode.kind)
}

/** The start-up log line that says which provider is live. */
export function describePaymentMode(env: Pick<Env, 'NODE_ENV' | 'PAYMENTS_TEST_MODE' | 'STRIPE_SECRET_KEY'> = getEnv()) {
  const mode = paymentMode(env)
  switch (mode.kind) {
    case 'stripe': {
      const live = env.STRIPE_SECRET_KEY!.slice(3).startsWith('live_') ? 'live' : 'test'
      const ignored = env.PAYMENTS_TEST_MODE ? '; PAYMENTS_TEST_MODE is ignored while Stripe is configured' : ''
      return `payments: Stripe Checkout (${live} key) takes payments${ignored}`
    }
    case 'test':
      return mode.production
        ? 'payments: WARNING — TEST MODE IN PRODUCTION (PAYMENTS_TEST_MODE=1): any signed-in reader can mark an order paid without paying; every page shows a banner'
        : 'payments: test mode (built-in test provider; no real money moves). Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments'
    case 'none':
      return 'payments: none configured — checkout and seat orders are refused until STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set (or PAYMENTS_TEST_MODE=1 for a demo)'
  }
}
