// One payment interface (DESIGN.md §5): the built-in test provider, so the site works with no
// keys, and Stripe Checkout (card, Alipay, WeChat Pay in CNY) when both Stripe keys are set.
// Providers never touch the database: they start a checkout, read a webhook, refund a payment.
import Stripe from 'stripe'
import type { PaymentProviderName } from '../../db/schema'
import type { PayMethodName } from '~/domain/pay-methods'
import { alipayProvider } from './alipay.server'
import { getEnv, type Env } from './env.server'
import { wechatpayProvider } from './wechatpay.server'
import { awayWhile } from './request-turn.server'

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

/**
 * How a buyer pays through a provider. The pay page offers the methods that fit the browser
 * (inside WeChat: WeChat Pay JSAPI only; a phone browser: WeChat H5 and Alipay wap; a desktop:
 * WeChat Native's QR and Alipay's page) — issue 14.
 */
export type PayMethod = PayMethodName

/** WeChat Pay's JSAPI parameters for `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, signed by the server. */
export interface WechatJsapiParams {
  appId: string
  timeStamp: string
  nonceStr: string
  /** `prepay_id=…` */
  package: string
  signType: 'RSA'
  paySign: string
}

/** What the pay page does with an opened checkout. */
export type CheckoutAction =
  /** Send the buyer there (Stripe Checkout, Alipay's gateway URL, WeChat Pay's h5_url with redirect_url). */
  | { kind: 'redirect'; url: string }
  /** Show this as a QR code to scan with WeChat (Native `code_url`); the page turns to 已支付 by itself. */
  | { kind: 'qr'; codeUrl: string }
  /** Call WeChat's JSAPI in its browser with these parameters. */
  | { kind: 'jsapi'; params: WechatJsapiParams }

/** One payable checkout of an order: its row id keys the creation, so a retry never opens a second. */
export interface CheckoutRequest {
  checkoutId: number
  method: PayMethod
  /**
   * The provider's order number of this checkout (`out_trade_no`): from the order and the row
   * (outTradeNoOf), never a timestamp, so a repeated creation names the same transaction.
   */
  outTradeNo: string
  /** When the provider stops taking payment through it (fixed when the row was made). */
  expiresAt: Date
  successUrl: string
  cancelUrl: string
  /** WeChat Pay JSAPI: the payer's openid under WECHATPAY_APPID. */
  payerOpenid?: string | null
  /** WeChat Pay H5: the buyer's address (scene_info.payer_client_ip). */
  clientIp?: string | null
}

/** A provider's word that a refund ended (WeChat Pay and Alipay tell it apart from the request). */
export interface RefundNotice {
  provider: PaymentProviderName
  /** Our refunds row id, as sent (`out_refund_no`). */
  refundId: number
  providerRefundId: string | null
  outcome: 'succeeded' | 'failed'
}

/** What a verified notification says. */
export type WebhookEvent = { kind: 'payment'; notice: PaymentNotice } | { kind: 'refund'; notice: RefundNotice } | { kind: 'ignored' }

/** What the notification did, for the provider's answer. */
export interface WebhookAnswer {
  outcome: string
  duplicate: boolean
  refused: boolean
}

/** One line of a provider's bill (对账单) for a day. */
export interface BillLine {
  kind: 'payment' | 'refund'
  outTradeNo: string
  /** The provider's id of the payment (transaction_id / trade_no). */
  providerPaymentId: string
  /** For refunds: our refunds row id when the line names it (out_refund_no). */
  refundId: number | null
  amountFen: number
}

export interface PaymentProvider {
  name: PaymentProviderName
  /** Opens (or, for the same checkoutId, finds again) a payable checkout: what the pay page does with it, and its reference. */
  startCheckout(order: CheckoutOrder, request: CheckoutRequest): Promise<{ action: CheckoutAction; providerRef: string }>
  /**
   * Stops a checkout from taking payment. 'completed' when it had already been paid (the payment's
   * notification is then on its way), else 'closed'.
   */
  closeCheckout(providerRef: string): Promise<'closed' | 'completed'>
  /**
   * Asks the provider whether a checkout was paid (for a pay page waiting on a notification that
   * is late): the payment as a notice, or null while unpaid. Providers without it never ask.
   */
  queryCheckout?(providerRef: string): Promise<PaymentNotice | null>
  /** Verifies and reads a notification; throws WebhookSignatureError when it is not the provider's. */
  parseWebhook(rawBody: string, headers: Headers): Promise<WebhookEvent>
  /** The answer the provider expects once a notification is recorded (`refused`: a wrong amount, told once). */
  webhookAnswer(answer: WebhookAnswer): Response
  /**
   * Returns one payment (in full or `amountFen` of it). Idempotent per refundId (`out_refund_no`).
   * 'processing': accepted, the outcome comes by notification (WeChat Pay).
   */
  refund(refund: {
    refundId: number
    orderId: number | null
    providerPaymentId: string | null
    /** What the payment refunded was, in full (WeChat Pay asks for it). */
    paymentAmountFen: number
    amountFen: number
  }): Promise<{ providerRefundId: string | null; state: 'succeeded' | 'processing' }>
  /** The provider's bill of one day (Asia/Shanghai), for reconciliation. */
  downloadBill?(date: string): Promise<BillLine[]>
}

/**
 * A checkout's `out_trade_no`: the order and its checkout row (one payable at a time per order).
 * The row's id is padded to six digits: WeChat Pay wants 6–32 characters, so even the first
 * order's `ZY1C000001` is long enough, and an order id of up to 15 digits still fits.
 */
export function outTradeNoOf(orderId: number, checkoutId: number) {
  return `ZY${orderId}C${String(checkoutId).padStart(6, '0')}`
}

/** The order an `out_trade_no` of ours names, or null for anything else. */
export function orderIdOfOutTradeNo(outTradeNo: string): number | null {
  const match = /^ZY([1-9][0-9]{0,14})C[0-9]{6,15}$/.exec(outTradeNo)
  return match ? Number(match[1]) : null
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

/** Stripe's answer to a notification: JSON with what it did; 400 the first time an amount is wrong. */
function jsonWebhookAnswer({ outcome, duplicate, refused }: WebhookAnswer) {
  return Response.json(outcome === 'ignored' ? { received: true, outcome } : { received: true, outcome, duplicate }, { status: refused ? 400 : 200 })
}

/** Test mode: /pay/:orderId shows 模拟支付 buttons that confirm payments with this provider's name. */
const testProvider: PaymentProvider = {
  name: 'test',
  async startCheckout(order, { checkoutId }) {
    return { action: { kind: 'redirect', url: `/pay/${order.id}` }, providerRef: `test_checkout_${checkoutId}` }
  },
  async closeCheckout() {
    // The test "checkout" is the /pay page, which takes no payment once the order is not pending.
    return 'closed'
  },
  async parseWebhook() {
    // The test provider has no webhooks: its page confirms payments directly.
    throw new WebhookSignatureError('the test provider sends no webhooks')
  },
  webhookAnswer: jsonWebhookAnswer,
  async refund({ refundId }) {
    // Nothing left the buyer's pocket in test mode.
    return { providerRefundId: `test_refund_${refundId}`, state: 'succeeded' }
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
      return { action: { kind: 'redirect', url: session.url }, providerRef: session.id }
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
    async parseWebhook(rawBody, headers): Promise<WebhookEvent> {
      const signature = headers.get('stripe-signature')
      if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header')
      let event: Stripe.Event
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, webhookSecret)
      } catch (error) {
        throw new WebhookSignatureError((error as Error).message)
      }
      if (!STRIPE_PAID_EVENTS.has(event.type)) return { kind: 'ignored' }
      const session = event.data.object as Stripe.Checkout.Session
      if (session.payment_status !== 'paid') return { kind: 'ignored' }
      const orderId = Number(session.metadata?.order_id ?? session.client_reference_id)
      if (!Number.isSafeInteger(orderId) || orderId <= 0) return { kind: 'ignored' }
      const notice: PaymentNotice = {
        provider: 'stripe',
        eventId: event.id,
        orderId,
        type: event.type,
        amountFen: session.amount_total ?? 0,
        currency: (session.currency ?? '').toUpperCase(),
        providerPaymentId: typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null),
        checkoutRef: session.id,
      }
      return { kind: 'payment', notice }
    },
    webhookAnswer: jsonWebhookAnswer,
    async refund({ refundId, orderId, providerPaymentId, amountFen }) {
      if (!providerPaymentId) throw new PaymentProviderError('refused', `refund ${refundId} names no Stripe payment`)
      const refund = await stripe.refunds
        .create(
          { payment_intent: providerPaymentId, amount: amountFen, metadata: { order_id: String(orderId ?? ''), refund_id: String(refundId) } },
          { idempotencyKey: `refund-${refundId}` },
        )
        .catch(stripeFailure)
      return { providerRefundId: refund.id, state: 'succeeded' }
    },
  }
}

let stripeProvider: PaymentProvider | undefined

/** A provider by name: the one that took a payment is the one that refunds it. */
export function paymentProvider(name: PaymentProviderName): PaymentProvider {
  if (name === 'test') return testProvider
  if (name === 'alipay') return awayWhileAsking(alipayProvider())
  if (name === 'wechatpay') return awayWhileAsking(wechatpayProvider())
  const env = getEnv()
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) {
    throw new Error('Stripe is not configured (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET)')
  }
  stripeProvider ??= awayWhileAsking(createStripeProvider({ secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET }))
  return stripeProvider
}

/**
 * A live provider whose calls over the network give the request's place back while they wait
 * (decision 041): a provider that is slow or down must not stall every other reader's request.
 */
function awayWhileAsking(provider: PaymentProvider): PaymentProvider {
  const { startCheckout, closeCheckout, queryCheckout, refund, downloadBill } = provider
  return {
    ...provider,
    startCheckout: (order, request) => awayWhile(() => startCheckout.call(provider, order, request)),
    closeCheckout: (providerRef) => awayWhile(() => closeCheckout.call(provider, providerRef)),
    queryCheckout: queryCheckout && ((providerRef) => awayWhile(() => queryCheckout.call(provider, providerRef))),
    refund: (request) => awayWhile(() => refund.call(provider, request)),
    downloadBill: downloadBill && ((date) => awayWhile(() => downloadBill.call(provider, date))),
  }
}

/** Providers that take real money. */
export type LiveProviderName = Exclude<PaymentProviderName, 'test'>

/**
 * Which providers take new payments (docs/decisions/011-payments-in-production.md): every live
 * provider whose keys are set; otherwise the test provider, but in production only when the
 * operator opts in with PAYMENTS_TEST_MODE=1 (every page then says so); otherwise none, and
 * checkout says payments are not set up. A test payment must never be possible on a real site by
 * default, nor beside a live provider.
 */
export type PaymentMode = { kind: 'live'; providers: LiveProviderName[] } | { kind: 'test'; production: boolean } | { kind: 'none' }

type ModeEnv = Pick<Env, 'NODE_ENV' | 'PAYMENTS_TEST_MODE' | 'STRIPE_SECRET_KEY'> & Partial<Pick<Env, 'ALIPAY_APPID' | 'WECHATPAY_MCHID'>>

/** The live providers whose keys are set (and whose notifications /webhooks/:provider accepts). */
export function configuredProviders(env: ModeEnv = getEnv()): LiveProviderName[] {
  const providers: LiveProviderName[] = []
  if (env.WECHATPAY_MCHID) providers.push('wechatpay')
  if (env.ALIPAY_APPID) providers.push('alipay')
  if (env.STRIPE_SECRET_KEY) providers.push('stripe')
  return providers
}

export function paymentMode(env: ModeEnv = getEnv()): PaymentMode {
  const providers = configuredProviders(env)
  if (providers.length > 0) return { kind: 'live', providers }
  if (env.NODE_ENV !== 'production') return { kind: 'test', production: false }
  return env.PAYMENTS_TEST_MODE ? { kind: 'test', production: true } : { kind: 'none' }
}

/** The providers new payments may go through now: the live ones, the test provider, or none. */
export function payableProviders(): PaymentProviderName[] {
  const mode = paymentMode()
  return mode.kind === 'live' ? mode.providers : mode.kind === 'test' ? ['test'] : []
}

/** Whether anything can take a payment (orders are refused with 503 otherwise). */
export function paymentsAvailable() {
  return paymentMode().kind !== 'none'
}

/** The start-up log line that says which provider is live. */
export function describePaymentMode(env: ModeEnv = getEnv()) {
  const mode = paymentMode(env)
  switch (mode.kind) {
    case 'live': {
      const names = mode.providers.map((provider) => {
        if (provider !== 'stripe') return PROVIDER_LABELS[provider]
        return `Stripe Checkout (${env.STRIPE_SECRET_KEY!.slice(3).startsWith('live_') ? 'live' : 'test'} key)`
      })
      const ignored = env.PAYMENTS_TEST_MODE ? '; PAYMENTS_TEST_MODE is ignored while a live provider is configured' : ''
      return `payments: ${names.join(', ')} ${names.length > 1 ? 'take' : 'takes'} payments${ignored}`
    }
    case 'test':
      return mode.production
        ? 'payments: WARNING — TEST MODE IN PRODUCTION (PAYMENTS_TEST_MODE=1): any signed-in reader can mark an order paid without paying; every page shows a banner'
        : 'payments: test mode (built-in test provider; no real money moves). Configure WeChat Pay, Alipay or Stripe to take payments (README: Payments)'
    case 'none':
      return 'payments: none configured — checkout and seat orders are refused until WeChat Pay, Alipay or Stripe is configured (or PAYMENTS_TEST_MODE=1 for a demo)'
  }
}

const PROVIDER_LABELS: Record<LiveProviderName, string> = { stripe: 'Stripe Checkout', wechatpay: 'WeChat Pay (API v3)', alipay: 'Alipay' }

/** WeChat Pay's app id (the Official Account's, usually): JSAPI pays with the reader's openid under it. */
export function wechatPayAppId(): string | null {
  return configuredProviders().includes('wechatpay') ? (getEnv().WECHATPAY_APPID ?? null) : null
}
