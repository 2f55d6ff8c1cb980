import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useCallback } from 'react'
import { Countdown } from '~/components/countdown'
import { Badge, Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { isPaidState, paidOrderPath } from '~/domain/order'
import { t } from '~/i18n/zh-CN'
import type { OrderState } from '../../db/schema'
import { getOrderForUser } from '~/models/order.server'
import { openCheckout } from '~/models/payable-checkout.server'
import { confirmPayment, paymentOutcome, type ConfirmOutcome } from '~/models/payment.server'
import { cancelOrder, releaseExpiredHolds } from '~/models/reservation.server'
import { requireUser } from '~/utils/auth.server'
import { redirectWithFlash, type Flash } from '~/utils/flash.server'
import { formatFen } from '~/utils/format'
import { activePaymentProvider, type PaymentNotice } from '~/utils/payments.server'

const p = t.payments

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${p.title(data.order.id)} · ${t.site.name}` }] : [])

const PAYMENT_INTENTS = ['succeed', 'fail', 'checkout', 'cancel'] as const

async function requireOwnOrder(request: Request, orderIdParam: string | undefined) {
  const user = await requireUser(request)
  const orderId = Number(orderIdParam)
  const found = Number.isSafeInteger(orderId) && orderId > 0 ? await getOrderForUser({ orderId, userId: user.id }) : undefined
  // Someone else's order is indistinguishable from a missing one.
  if (!found) throw new Response(t.pages.notFound.body, { status: 404 })
  return { user, ...found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date()
  await releaseExpiredHolds(now)
  const { order, lines } = await requireOwnOrder(request, params.orderId)
  if (isPaidState(order.state)) throw redirect(paidOrderPath(order))
  // Being refunded (e.g. paid after it lapsed): the order page says so.
  if (order.state === 'refunding' || order.state === 'refunded') throw redirect(`/orders/${order.id}`)
  return {
    order: { id: order.id, kind: order.kind, state: order.state, totalFen: order.totalFen, expiresAt: order.expiresAt },
    lines: lines.map((line) => ({ id: line.id, title: line.title, qty: line.qty, unitPriceFen: line.unitPriceFen, personalisation: line.personalisation })),
    provider: activePaymentProvider()?.name ?? null,
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

export async function action({ request, params }: ActionFunctionArgs) {
  const now = new Date()
  const { user, order } = await requireOwnOrder(request, params.orderId)
  const intent = String((await request.formData()).get('intent') ?? '')
  if (!(PAYMENT_INTENTS as readonly string[]).includes(intent)) {
    return data({ errors: { intent: p.unknownIntent } }, { status: 400 })
  }
  const provider = activePaymentProvider()

  if (intent === 'cancel') {
    const cancelled = await cancelOrder({ orderId: order.id, userId: user.id, now })
    return redirectWithFlash(order.kind === 'membership' ? '/membership' : `/orders/${order.id}`, {
      kind: cancelled ? 'info' : 'error',
      message: cancelled ? p.notPayable.cancelled : p.notPayable[order.state === 'pending' ? 'expired' : 'paid'],
    })
  }

  if (intent === 'checkout') {
    if (order.state !== 'pending') return data({ errors: { intent: notPayable(order) } }, { status: 409 })
    if (!provider) return data({ errors: { intent: p.notSetUpPay } }, { status: 503 })
    // One payable checkout per order, however often this is pressed (payable-checkout.server.ts).
    const opened = await openCheckout({ orderId: order.id, provider, now })
    if (opened.ok && opened.action.kind === 'redirect') return redirect(opened.action.url)
    if (opened.ok) return data({ errors: { intent: p.providerRefused } }, { status: 502 })
    const [status, message] = CHECKOUT_REFUSALS[opened.reason]
    return data({ errors: { intent: message } }, { status })
  }

  // 模拟支付: only while the test provider takes payments.
  if (provider?.name !== 'test') return data({ errors: { intent: p.testOnly } }, { status: 404 })
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
  const paid = outcome === 'paid' || outcome === 'reseated' || outcome === 'already_paid'
  return redirectWithFlash(paid ? paidOrderPath(order) : `/orders/${order.id}`, OUTCOME_FLASH[outcome])
}

export default function Pay() {
  const { order, lines, provider, serverNow } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const revalidator = useRevalidator()
  const busy = navigation.state !== 'idle'
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator])
  const pending = order.state === 'pending'
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
            {provider === null ? (
              <p className="text-sm text-amber-900">{p.notSetUpPay}</p>
            ) : provider === 'test' ? (
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
            ) : (
              <Form method="post">
                <p className="text-sm text-stone-600">{p.stripeHint}</p>
                <Button name="intent" value="checkout" className="mt-4 w-full" disabled={busy}>
                  {p.payWithStripe}
                </Button>
              </Form>
            )}
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
