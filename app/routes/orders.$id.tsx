// /orders/:id: one of the user's orders (someone else's is a 404: the owner is in the query).
// The timeline, lines with their pictures, personalisation and edition numbers, the address and
// delivery; the hold countdown with 去支付 / 取消订单 while unpaid; 确认收货 once shipped. A mystery
// item's description is sent only once the order is paid. A course or a seat ships nothing: its
// timeline ends at 已开通 and its page leads to the course or the member card (decision 051).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useCallback } from 'react'
import { Countdown } from '~/components/countdown'
import { OrderLineItem, OrderStateBadge, ShippingAddressView } from '~/components/order'
import { OrderTimeline, orderMoments } from '~/components/order-timeline'
import { Button, Card, buttonClass } from '~/components/ui'
import { OrderShippingFee } from '~/components/shipping-fee'
import type { OrderKind, OrderState } from '../../db/schema'
import { isPaidState } from '~/domain/order'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { confirmReceipt, getOrderDetailForUser } from '~/models/order.server'
import { productCoverThumbs } from '~/models/product.server'
import { cancelOrder } from '~/models/commerce.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { renderMarkdown } from '~/utils/markdown.server'
import { linePictureUrl } from '~/utils/order-view.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN, pages: pagesZhCN, site: siteZhCN }

const d = t.orders.detail

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${d.title(data.order.id)} · ${t.site.name}` }] : [])

const ORDER_INTENTS = ['cancel', 'confirm_receipt'] as const

async function requireOwnOrder(request: Request, idParam: string | undefined, now: Date) {
  const user = await requireUser(request)
  const orderId = Number(idParam)
  const found = /^[1-9]\d{0,9}$/.test(idParam ?? '') ? await getOrderDetailForUser({ orderId, userId: user.id, now }) : undefined
  // Someone else's order is indistinguishable from a missing one.
  if (!found) throw new Response(t.pages.notFound.body, { status: 404 })
  return { user, ...found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date()
  const { order, lines } = await requireOwnOrder(request, params.id, now)
  const paid = isPaidState(order.state)
  const covers = await productCoverThumbs(lines.flatMap(({ line }) => (line.productId === null ? [] : [line.productId])))
  return {
    order: {
      id: order.id,
      totalFen: order.totalFen,
      shippingFeeFen: order.shippingFeeFen,
      expiresAt: order.expiresAt,
      ...orderMoments(order),
      shipping: order.shipping,
      carrier: order.carrier,
      trackingNumber: order.trackingNumber,
    },
    lines: lines.map(({ line, capacity, product, course }) => ({
      id: line.id,
      title: line.title,
      variantLabel: line.variantLabel,
      qty: line.qty,
      unitPriceFen: line.unitPriceFen,
      personalisation: line.personalisation ?? '',
      personalisationLabel: product?.personalisationLabel ?? null,
      numbers: line.numbers,
      // Edition numbers read "No. 37 / 500"; a drop's member numbers stand alone.
      editionSize: order.kind === 'goods' ? capacity : null,
      slug: product?.slug ?? null,
      picture: {
        src: linePictureUrl({ productThumbId: line.productId === null ? null : (covers.get(line.productId) ?? null), course }),
        kind: order.kind,
      },
      // The contents of a mystery item leave the server only after payment.
      reveal: paid && product?.mystery ? renderMarkdown(product.description, 'staff') : null,
    })),
    serverNow: now,
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const now = new Date()
  const { user, order } = await requireOwnOrder(request, params.id, now)
  const intent = (await request.formData()).get('intent')
  const here = `/orders/${order.id}`
  if (!(ORDER_INTENTS as readonly unknown[]).includes(intent)) return data({ errors: { intent: d.unknownIntent } }, { status: 400 })

  if (intent === 'cancel') {
    const cancelled = await cancelOrder({ orderId: order.id, userId: user.id, now })
    return redirectWithFlash(here, cancelled ? { kind: 'info', message: d.cancelled } : { kind: 'error', message: d.notCancellable })
  }
  const received = await confirmReceipt({ orderId: order.id, userId: user.id, now })
  return redirectWithFlash(here, received ? { kind: 'success', message: d.received } : { kind: 'error', message: d.notReceivable })
}

const EXPLAIN: Partial<Record<OrderState, string>> = {
  paid: d.paidExplain,
  expired: d.expiredExplain,
  cancelled: d.cancelledExplain,
  refunding: d.refundingExplain,
  refunded: d.refundedExplain,
}

/** Where a course or a seat says it in its own words: nothing ships, access opens or ends. */
const KIND_EXPLAIN: Partial<Record<OrderKind, Partial<Record<OrderState, string>>>> = {
  course: { paid: d.coursePaidExplain, expired: d.courseExpiredExplain, refunding: d.courseRefundingExplain, refunded: d.courseRefundedExplain },
  membership: { paid: d.membershipPaidExplain },
}

/** The way on from the order's state: to the shop, the course it bought (/orders/:id/course, decision 044) or the member card. */
function wayOn({ id, kind, state }: { id: number; kind: OrderKind; state: OrderState }) {
  if (kind === 'course' && state === 'paid') return { to: `/orders/${id}/course`, label: d.goToCourse, primary: true }
  if (kind === 'course' && state === 'expired') return { to: `/orders/${id}/course`, label: d.backToCourse, primary: false }
  if (kind === 'membership' && state === 'paid') return { to: '/membership/card', label: d.goToCard, primary: true }
  if (kind === 'goods' && state === 'expired') return { to: '/shop', label: t.orders.list.goShopping, primary: false }
  return null
}

export default function OrderPage() {
  const { order, lines, serverNow, timeZone } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const revalidator = useRevalidator()
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator])
  const explain = KIND_EXPLAIN[order.kind]?.[order.state] ?? EXPLAIN[order.state]
  const way = wayOn(order)
  const reveals = lines.filter((line) => line.reveal !== null)
  const delivered = order.state === 'shipped' || order.state === 'completed'

  return (
    <div className="mx-auto max-w-3xl">
      <header className="mb-5">
        <Link to="/orders" className="text-sm text-stone-500 hover:text-brand-700">
          ← {d.backToList}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">{d.title(order.id)}</h1>
          <OrderStateBadge state={order.state} />
        </div>
        <p className="mt-1 text-sm text-stone-500">{d.placedAt(formatDateTime(order.createdAt, timeZone))}</p>
      </header>

      <div className="grid gap-4">
        <Card>
          <OrderTimeline order={order} timeZone={timeZone} />
        </Card>

        {order.state === 'pending' ? (
          <Card>
            <p className="flex items-center justify-between gap-3 text-stone-700">
              <span>{d.holdLeft}</span>
              <Countdown until={order.expiresAt} serverNow={serverNow} onDone={refresh} className="text-xl font-semibold text-brand-800" />
            </p>
            <p className="mt-2 text-sm text-stone-500">{d.holdHint}</p>
            <div className="mt-4 grid gap-3 sm:grid-cols-2">
              <Link to={`/pay/${order.id}`} className={buttonClass('primary', 'py-3 text-base')}>
                {d.pay}
              </Link>
              <Form method="post" className="grid">
                <Button name="intent" value="cancel" variant="secondary" className="py-3 text-base" disabled={busy}>
                  {d.cancel}
                </Button>
              </Form>
            </div>
          </Card>
        ) : explain ? (
          <Card>
            <p className={order.state === 'expired' || order.state === 'cancelled' ? 'text-stone-700' : 'text-stone-800'}>{explain}</p>
            {way ? (
              <Link to={way.to} className={buttonClass(way.primary ? 'primary' : 'secondary', 'mt-4')}>
                {way.label}
              </Link>
            ) : null}
          </Card>
        ) : null}

        {delivered && (order.carrier || order.trackingNumber) ? (
          <Card>
            <h2 className="mb-3 text-lg font-semibold text-stone-900">{d.delivery}</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-stone-500">{d.carrier}</dt>
              <dd className="text-stone-900">{order.carrier ?? '—'}</dd>
              <dt className="text-stone-500">{d.trackingNumber}</dt>
              <dd className="break-all font-mono text-stone-900">{order.trackingNumber ?? '—'}</dd>
            </dl>
            {order.state === 'shipped' ? (
              <Form method="post" className="mt-4">
                <p className="mb-3 text-sm text-stone-500">{d.confirmReceiptHint}</p>
                <Button name="intent" value="confirm_receipt" className="w-full sm:w-auto" disabled={busy}>
                  {d.confirmReceipt}
                </Button>
              </Form>
            ) : null}
          </Card>
        ) : null}

        <Card>
          <h2 className="mb-1 text-lg font-semibold text-stone-900">{d.lines}</h2>
          <ul className="divide-y divide-stone-100">
            {lines.map((line) => (
              <OrderLineItem key={line.id} line={line} />
            ))}
          </ul>
          <OrderShippingFee kind={order.kind} feeFen={order.shippingFeeFen} className="mt-2 border-t border-stone-200 pt-3" />
          <p className="mt-2 flex items-baseline justify-between border-t border-stone-200 pt-4">
            <span className="text-stone-600">{d.total}</span>
            <span className="text-2xl font-bold text-brand-800">{formatFen(order.totalFen)}</span>
          </p>
        </Card>

        {reveals.map((line) => (
          <Card key={`reveal-${line.id}`} className="border-brand-100 bg-brand-50/60">
            <h2 className="text-lg font-semibold text-brand-800">{d.mysteryTitle}</h2>
            <p className="mt-1 text-sm text-stone-600">{d.mysteryFor(line.title)}</p>
            <div className="prose-zhiyin mt-3 break-words" dangerouslySetInnerHTML={{ __html: line.reveal! }} />
          </Card>
        ))}

        {order.shipping ? (
          <Card>
            <h2 className="mb-2 text-lg font-semibold text-stone-900">{d.shipping}</h2>
            <ShippingAddressView address={order.shipping} />
          </Card>
        ) : null}
      </div>
    </div>
  )
}
