import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useCallback } from 'react'
import { Countdown } from '~/components/countdown'
import { PayMethods, ScanToPay, WechatJsapiPay } from '~/components/pay'
import { FormError } from '~/components/field'
import { Badge, Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { isPaidState, paidOrderPath } from '~/domain/order'
import { browserKind, payMethodsFor, type PayMethodChoice } from '~/domain/pay-methods'
import { navZhCN, pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { paymentsZhCN } from '~/i18n/payments.zh-CN'
import type { OrderKind, OrderState } from '../../db/schema'
import { getOrderForUser } from '~/models/order.server'
import { openCheckout, openCheckoutOf } from '~/models/payable-checkout.server'
import { cancelOrder, type ConfirmOutcome, confirmPayment, paymentOutcome } from '~/models/commerce.server'
import { openidOf } from '~/models/wechat-identity.server'
import { requireUser } from '~/utils/auth.server'
import { redirectWithFlash, type Flash } from '~/utils/flash.server'
import { formatFen } from '~/utils/format'
import { payableProviders, PaymentProviderError, paymentProvider, wechatPayAppId, type PaymentNotice } from '~/utils/payments.server'
import { qrSvg } from '~/utils/wechat-qr.server'

const t = { nav: navZhCN, pages: pagesZhCN, payments: paymentsZhCN, site: siteZhCN }
const p = t.payments

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${p.title(data.order.id)} · ${t.site.name}` }] : [])

const PAYMENT_INTENTS = ['succeed', 'fail', 'checkout', 'check', 'cancel'] as const

/** The ways this reader, in this browser, may pay; JSAPI needs their openid under WeChat Pay's app id. */
async function methodsFor(request: Request, userId: number) {
  const appId = wechatPayAppId()
  const openid = appId ? await openidOf(userId, appId) : null
  const providers = payableProviders()
  const browser = browserKind(request.headers.get('User-Agent'))
  const methods = payMethodsFor({ providers, browser, hasWechatPayOpenid: openid !== null })
  // WeChat's browser blocks Alipay: the reader is told to open the page in their browser.
  return { methods, openid, alipayInBrowser: browser === 'wechat' && providers.includes('alipay') }
}

async function requireOwnOrder(request: Request, orderIdParam: string | undefined, now: Date) {
  const user = await requireUser(request)
  const orderId = Number(orderIdParam)
  const found = Number.isSafeInteger(orderId) && orderId > 0 ? await getOrderForUser({ orderId, userId: user.id, now }) : undefined
  // Someone else's order is indistinguishable from a missing one.
  if (!found) throw new Response(t.pages.notFound.body, { status: 404 })
  return { user, ...found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date()
  const { order, lines } = await requireOwnOrder(request, params.orderId, now)
  if (isPaidState(order.state)) throw redirect(paidOrderPath(order))
  // Being refunded (e.g. paid after it lapsed): the order page says so.
  if (order.state === 'refunding' || order.state === 'refunded') throw redirect(`/orders/${order.id}`)
  const { methods, alipayInBrowser } = await methodsFor(request, order.userId)
  // A QR code opened for this order (WeChat Pay Native) stays on the page until it is paid.
  const url = new URL(request.url)
  const open = order.state === 'pending' && !url.searchParams.has('methods') ? await openCheckoutOf(order.id) : null
  const scan = open?.action.kind === 'qr' && methods.some((choice) => choice.method === open.method) ? { svg: await qrSvg(open.action.codeUrl) } : null
  return {
    order: { id: order.id, kind: order.kind, state: order.state, totalFen: order.totalFen, expiresAt: order.expiresAt },
    lines: lines.map((line) => ({ id: line.id, title: line.title, qty: line.qty, unitPriceFen: line.unitPriceFen, personalisation: line.personalisation })),
    methods: methods.map(({ method }) => method),
    alipayInBrowser,
    scan,
    // Back from WeChat's JSAPI or a redirect with the payment made: its notification is on its way.
    confirming: url.searchParams.has('paid'),
    serverNow: now,
  }
}

/** What the buyer is told of a payment: what it did (a repeat answers with what the first did). */
const OUTCOME_FLASH: Record<ConfirmOutcome, Flash> = {
  paid: { kind: 'success', message: p.paidFlash },
  already_paid: { kind: 'info', message: p.notPayable.paid },
  reseated: { kind: 'success', message: p.reseatedFlash },
  refunding: { kind: 'error', message: p.refundingFlash },
  amount_mismatch: { kind: 'error', message: p.mismatchFlash },
  unknown_order: { kind: 'error', message: p.unknownIntent },
  error: { kind: 'error', message: p.errorFlash },
}

/** Where the buyer goes once a payment is recorded, told what it did. */
function afterPayment(order: { id: number; kind: OrderKind }, outcome: ConfirmOutcome) {
  const paid = outcome === 'paid' || outcome === 'reseated' || outcome === 'already_paid'
  return redirectWithFlash(paid ? paidOrderPath(order) : `/orders/${order.id}`, OUTCOME_FLASH[outcome])
}

const CHECKOUT_REFUSALS = {
  not_pending: [409, p.notPayable.expired],
  busy: [409, p.checkoutBusy],
  unreachable: [503, p.providerUnreachable],
  refused: [502, p.providerRefused],
  paid_meanwhile: [409, p.paidMeanwhile],
} as const

function notPayable(order: { state: OrderState }) {
  return order.state === 'cancelled' ? p.notPayable.cancelled : order.state === 'expired' ? p.notPayable.expired : p.notPayable.paid
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const now = new Date()
  const { user, order } = await requireOwnOrder(request, params.orderId, now)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (!(PAYMENT_INTENTS as readonly string[]).includes(intent)) {
    return data({ errors: { intent: p.unknownIntent } }, { status: 400 })
  }
  const providers = payableProviders()

  if (intent === 'cancel') {
    const cancelled = await cancelOrder({ orderId: order.id, userId: user.id, now })
    return redirectWithFlash(order.kind === 'membership' ? '/membership' : `/orders/${order.id}`, {
      kind: cancelled ? 'info' : 'error',
      message: cancelled ? p.notPayable.cancelled : p.notPayable[order.state === 'pending' ? 'expired' : 'paid'],
    })
  }

  if (intent === 'checkout') {
    if (order.state !== 'pending') return data({ errors: { intent: notPayable(order) } }, { status: 409 })
    if (providers.length === 0) return data({ errors: { intent: p.notSetUpPay } }, { status: 503 })
    const { methods, openid } = await methodsFor(request, user.id)
    const asked = String(form.get('method') ?? '')
    // One way to pay is chosen for the reader; several must be chosen from.
    const choice: PayMethodChoice | undefined = asked ? methods.find((m) => m.method === asked) : methods.length === 1 ? methods[0] : undefined
    if (!choice) return data({ errors: { intent: asked ? p.methodUnavailable : p.methodMissing } }, { status: 400 })
    // One payable checkout per order, however often this is pressed (payable-checkout.server.ts).
    const opened = await openCheckout({
      orderId: order.id,
      provider: paymentProvider(choice.provider),
      choice: { method: choice.method, payerOpenid: choice.method === 'wechat_jsapi' ? openid : null, clientIp: choice.method === 'wechat_h5' ? (context.clientIp ?? null) : null },
      now,
    })
    if (!opened.ok) {
      const [status, message] = CHECKOUT_REFUSALS[opened.reason]
      return data({ errors: { intent: message } }, { status })
    }
    if (opened.action.kind === 'redirect') return redirect(opened.action.url)
    // A QR code: the page shows it (and keeps showing it on a reload) until it is paid.
    if (opened.action.kind === 'qr') return redirect(`/pay/${order.id}`)
    return data({ jsapi: opened.action.params })
  }

  if (intent === 'check') return checkPaid(order)

  // 模拟支付: only while the test provider takes payments.
  if (!providers.includes('test')) return data({ errors: { intent: p.testOnly } }, { status: 404 })
  if (intent === 'fail') return redirectWithFlash(`/pay/${order.id}`, { kind: 'error', message: p.failedFlash })

  const notice: PaymentNotice = {
    provider: 'test',
    // One event per order: pressing the button twice fulfils once.
    eventId: `test_payment_order_${order.id}`,
    orderId: order.id,
    type: 'test.payment_succeeded',
    amountFen: order.totalFen,
    currency: order.currency,
    providerPaymentId: `test_payment_${order.id}`,
  }
  // The test checkout closes when the order is cancelled or its hold runs out (a real one is
  // closed by the job); pressing again after a payment answers with what that payment did.
  const open = order.state === 'pending' && order.expiresAt > now
  if (!open && !(await paymentOutcome(notice))) {
    return data({ errors: { intent: order.state === 'pending' ? p.notPayable.expired : notPayable(order) } }, { status: 409 })
  }
  const { outcome } = await confirmPayment(notice, now)
  return afterPayment(order, outcome)
}

/**
 * 我已付款: asks the provider of the order's open checkout whether it was paid (its notification
 * may be late) and, if so, records the payment as the notification would.
 */
async function checkPaid(order: { id: number; state: OrderState; kind: OrderKind }) {
  const open = await openCheckoutOf(order.id)
  const provider = open?.providerRef ? paymentProvider(open.provider) : null
  if (!open?.providerRef || !provider?.queryCheckout) return data({ errors: { intent: p.notPaidYet } }, { status: 409 })
  let notice: PaymentNotice | null
  try {
    notice = await provider.queryCheckout(open.providerRef)
  } catch (error) {
    if (error instanceof PaymentProviderError) return data({ errors: { intent: p.providerUnreachable } }, { status: 503 })
    throw error
  }
  if (!notice) return data({ errors: { intent: p.notPaidYet } }, { status: 409 })
  const { outcome } = await confirmPayment(notice)
  return afterPayment(order, outcome)
}

export default function Pay() {
  const { order, lines, methods, alipayInBrowser, scan, confirming, serverNow } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const revalidator = useRevalidator()
  const busy = navigation.state !== 'idle'
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator])
  const pending = order.state === 'pending'
  const error = actionData && 'errors' in actionData ? actionData.errors.intent : undefined
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>{p.title(order.id)}</PageTitle>
      <Card>
        <ul className="divide-y divide-stone-100">
          {lines.map((line) => (
            <li key={line.id} className="flex items-start justify-between gap-4 py-3">
              <div>
                <p className="font-medium text-stone-900">{line.title}</p>
                <p className="text-sm text-stone-500">
                  {formatFen(line.unitPriceFen)} × {line.qty}
                  {line.personalisation ? ` · 「${line.personalisation}」` : ''}
                </p>
              </div>
              <p className="shrink-0 font-medium">{formatFen(line.unitPriceFen * line.qty)}</p>
            </li>
          ))}
        </ul>
        <div className="mt-3 flex items-baseline justify-between border-t border-stone-200 pt-4">
          <span className="text-stone-600">{p.total}</span>
          <span className="text-2xl font-bold text-brand-800">{formatFen(order.totalFen)}</span>
        </div>
      </Card>

      {pending ? (
        <>
          <Card className="mt-4">
            <p className="flex items-center justify-between text-stone-700">
              <span>{p.holdLeft}</span>
              <Countdown until={order.expiresAt} serverNow={serverNow} onDone={refresh} className="text-xl font-semibold text-brand-800" />
            </p>
            <p className="mt-2 text-sm text-stone-500">{p.holdHint}</p>
          </Card>
          <Card className="mt-4">
            <FormError error={error} />
            {methods.length === 0 && alipayInBrowser ? (
              <p className="text-sm text-amber-900">{p.openInBrowserForAlipay}</p>
            ) : methods.length === 0 ? (
              <p className="text-sm text-amber-900">{p.notSetUpPay}</p>
            ) : methods.includes('test') ? (
              <>
                <p className="flex items-center gap-2 font-medium">
                  <Badge tone="amber">{p.testMode}</Badge>
                </p>
                <p className="mt-2 text-sm text-stone-600">{p.testModeHint}</p>
                <Form method="post" className="mt-4 grid gap-3 sm:grid-cols-2">
                  <Button name="intent" value="succeed" disabled={busy}>
                    {p.simulateSuccess}
                  </Button>
                  <Button name="intent" value="fail" variant="secondary" disabled={busy}>
                    {p.simulateFailure}
                  </Button>
                </Form>
              </>
            ) : scan ? (
              <ScanToPay svg={scan.svg} busy={busy} />
            ) : confirming ? (
              <ScanToPay svg={null} busy={busy} />
            ) : (
              <PayMethods methods={methods} busy={busy} />
            )}
            {methods.length > 0 && alipayInBrowser ? <p className="mt-3 text-xs text-stone-500">{p.openInBrowserForAlipay}</p> : null}
            {actionData && 'jsapi' in actionData ? <WechatJsapiPay orderId={order.id} params={actionData.jsapi} /> : null}
          </Card>
          <Form method="post" className="mt-4 text-center">
            <Button name="intent" value="cancel" variant="ghost" disabled={busy}>
              {p.cancelOrder}
            </Button>
          </Form>
        </>
      ) : (
        <Card className="mt-4">
          <p className="text-stone-700">{order.state === 'cancelled' ? p.notPayable.cancelled : p.notPayable.expired}</p>
          <Link to={order.kind === 'membership' ? '/membership' : `/orders/${order.id}`} className={buttonClass('secondary', 'mt-4')}>
            {order.kind === 'membership' ? t.nav.membership : p.viewOrder}
          </Link>
        </Card>
      )}
    </div>
  )
}
