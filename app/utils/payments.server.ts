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
  /** The checkout it was paid through, when the provider says (a Stripe Checkout Session id). */
  checkoutRef?: string | null
}

export interface CheckoutOrder {
  id: number
  totalFen: number
  currency: string
  title: string
  email: string
}

/** One payable checkout of an order: its row id keys the creation, so a retry never opens a second. */
export interface CheckoutRequest {
  checkoutId: number
  /** When the provider stops taking payment through it (fixed when the row was made). */
  expiresAt: Date
  successUrl: string
  cancelUrl: string
}

export interface PaymentProvider {
  name: PaymentProviderName
  /** Opens (or, for the same checkoutId, finds again) a payable checkout: where to send the buyer and its reference. */
  startCheckout(order: CheckoutOrder, request: CheckoutRequest): Promise<{ url: string; providerRef: string }>
  /**
   * Stops a checkout from taking payment. 'completed' when it had already been paid (the payment's
   * notification is then on its way), else 'closed'.
   */
  closeCheckout(providerRef: string): Promise<'closed' | 'completed'>
  /** Verifies and reads a webhook; null for events that do not confirm a payment. */
  parseWebhook(rawBody: string, headers: Headers): PaymentNotice | null
  /** Returns one payment (in full or `amountFen` of it). Idempotent per refundId. */
  refund(refund: { refundId: number; orderId: number | null; providerPaymentId: string | null; amountFen: number }): Promise<{ providerRefundId: string | null }>
}

export class WebhookSignatureError extends Error {
  name = 'WebhookSignatureError'
}

/**
 * A provider call that failed. `unreachable`: no answer (network, timeout, the provider's own
 * 5xx or rate limit), so whether it happened is unknown and the same call may be repeated;
 * `refused`: the provider answered that it did not do it.
 */
export class PaymentProviderError extends Error {
  name = 'PaymentProviderError'
  constructor(
    readonly kind: 'unreachable' | 'refused',
    message: string,
  ) {
    super(message)
  }
}

/** Test mode: /pay/:orderId shows 模拟支付 buttons that confirm payments with this provider's name. */
const testProvider: PaymentProvider = {
  name: 'test',
  async startCheckout(order, { checkoutId }) {
    return { url: `/pay/${order.id}`, providerRef: `test_checkout_${checkoutId}` }
  },
  async closeCheckout() {
    // The test "checkout" is the /pay page, which takes no payment once the order is not pending.
    return 'closed'
  },
  parseWebhook() {
    // The test provider has no webhooks: its page confirms payments directly.
    throw new WebhookSignatureError('the test provider sends no webhooks')
  },
  async refund({ refundId }) {
    // Nothing left the buyer's pocket in test mode.
    return { providerRefundId: `test_refund_${refundId}` }
  },
}

// Stripe counts CNY in fen already (its smallest unit), so amounts pass through unchanged.
const STRIPE_PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded'])
// Stripe's errors by the answer they stand for: these mean "it may or may not have happened".
const STRIPE_UNREACHABLE = new Set(['StripeConnectionError', 'StripeAPIError', 'StripeRateLimitError'])

/** A Stripe SDK error as a PaymentProviderError (anything else is rethrown as it is). */
function stripeFailure(error: unknown): never {
  const type = (error as { type?: unknown })?.type
  if (typeof type === 'string' && type.startsWith('Stripe')) {
    throw new PaymentProviderError(STRIPE_UNREACHABLE.has(type) ? 'unreachable' : 'refused', `${type}: ${(error as Error).message}`)
  }
  throw error
}

function createStripeProvider({ secretKey, webhookSecret }: { secretKey: string; webhookSecret: string }): PaymentProvider {
  const stripe = new Stripe(secretKey, { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 2 })
  return {
    name: 'stripe',
    async startCheckout(order, { checkoutId, expiresAt, successUrl, cancelUrl }) {
      const session = await stripe.checkout.sessions
        .create(
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
            metadata: { order_id: String(order.id), checkout_id: String(checkoutId) },
            payment_intent_data: { metadata: { order_id: String(order.id) } },
            // Stripe's shortest session is 30 minutes: a payment after the hold lapsed is
            // re-seated or refunded by confirmPayment's rule, and the session is expired as soon
            // as the order lapses. Fixed by the checkout row, so a retried creation is identical.
            expires_at: Math.floor(expiresAt.getTime() / 1000),
            success_url: successUrl,
            cancel_url: cancelUrl,
          },
          // One key per checkout row: a retry after a lost answer finds the same session.
          { idempotencyKey: `checkout-${checkoutId}` },
        )
        .catch(stripeFailure)
      if (!session.url) throw new PaymentProviderError('refused', 'Stripe returned a Checkout Session without a URL')
      return { url: session.url, providerRef: session.id }
    },
    async closeCheckout(providerRef) {
      try {
        await stripe.checkout.sessions.expire(providerRef)
        return 'closed'
      } catch (error) {
        const type = (error as { type?: unknown })?.type
        if (type !== 'StripeInvalidRequestError') stripeFailure(error)
        // Only an open session can be expired: find out whether this one was paid meanwhile.
        const session = await stripe.checkout.sessions.retrieve(providerRef).catch(stripeFailure)
        return session.status === 'complete' ? 'completed' : 'closed'
      }
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
        checkoutRef: session.id,
      }
    },
    async refund({ refundId, orderId, providerPaymentId, amountFen }) {
      if (!providerPaymentId) throw new PaymentProviderError('refused', `refund ${refundId} names no Stripe payment`)
      const refund = await stripe.refunds
        .create(
          { payment_intent: providerPaymentId, amount: amountFen, metadata: { order_id: String(orderId ?? ''), refund_id: String(refundId) } },
          { idempotencyKey: `refund-${refundId}` },
        )
        .catch(stripeFailure)
      return { providerRefundId: refund.id }
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
