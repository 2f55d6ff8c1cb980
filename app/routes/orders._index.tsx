// /orders: the signed-in user's orders, newest first, 20 to a page, each with its first line's
// picture: a product's photo or a course's cover (decision 051).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useCallback } from 'react'
import { OrderStateBadge, OrderThumb } from '~/components/order'
import { PayBy } from '~/components/pay-by'
import { EmptyState, PageTitle, buttonClass } from '~/components/ui'
import { shipsGoods } from '~/domain/order'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { listOrdersForUser } from '~/models/order.server'
import { productCoverThumbs } from '~/models/product.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { keepSeparatorsWithPrevious } from '~/utils/line-break'
import { linePictureUrl } from '~/utils/order-view.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN, site: siteZhCN }

const l = t.orders.list

export const meta: MetaFunction = () => [{ title: `${l.title} · ${t.site.name}` }]

function pageParam(request: Request) {
  const value = new URL(request.url).searchParams.get('page') ?? '1'
  return /^[1-9]\d{0,4}$/.test(value) ? Number(value) : 1
}

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date()
  const user = await requireUser(request)
  const page = pageParam(request)
  const { orders, hasMore } = await listOrdersForUser({ userId: user.id, page, now })
  const covers = await productCoverThumbs(orders.flatMap((order) => (order.firstProductId === null ? [] : [order.firstProductId])))
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    orders: orders.map(({ firstProductId, firstCourse, ...order }) => ({
      ...order,
      picture: {
        src: linePictureUrl({ productThumbId: firstProductId === null ? null : (covers.get(firstProductId) ?? null), course: firstCourse }),
        kind: order.kind,
      },
      // An unpaid order's hold: until when it may be paid (the countdown ticks from serverNow).
      payBy: order.state === 'pending' ? { at: order.expiresAt, label: formatDateTime(order.expiresAt, timeZone) } : null,
    })),
    page,
    hasMore,
    serverNow: now.toISOString(),
    timeZone,
  }
}

export default function Orders() {
  const { orders, page, hasMore, serverNow, timeZone } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  // A hold that runs out turns its order 已过期: read the list again rather than offer a dead 去支付.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator])
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle>{l.title}</PageTitle>
      {orders.length === 0 ? (
        <>
          <EmptyState>{l.empty}</EmptyState>
          {page === 1 ? (
            <p className="mt-6 text-center">
              <Link to="/shop" className={buttonClass('primary')}>
                {l.goShopping}
              </Link>
            </p>
          ) : null}
        </>
      ) : (
        <ul className="grid gap-3">
          {orders.map((order) => (
            <li
              key={order.id}
              className="relative rounded-2xl border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-600/40 sm:p-5"
            >
              <div className="flex items-center justify-between gap-3">
                <span className="text-sm text-stone-500">{l.orderNo(order.id)}</span>
                <OrderStateBadge state={order.state} />
              </div>
              <div className="mt-3 flex gap-3">
                <OrderThumb picture={order.picture} size="sm" />
                <div className="min-w-0 flex-1">
                  <p className="line-clamp-2 font-medium text-stone-900">
                    {/* The whole card opens the order; 去支付 sits above this link's area. */}
                    <Link to={`/orders/${order.id}`} className="after:absolute after:inset-0 after:rounded-2xl">
                      {keepSeparatorsWithPrevious(l.moreLines(order.firstTitle ?? l.membershipOrder, order.lineCount))}
                    </Link>
                  </p>
                  {/* A date is never split across lines: on a narrow phone the total moves down instead. */}
                  <div className="mt-1 flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="whitespace-nowrap text-xs text-stone-500">{l.placedAt(formatDateTime(order.createdAt, timeZone))}</span>
                    <span className="shrink-0 text-stone-900">
                      {/* 「共 1 件」 counts goods; a course or a seat is not a piece. */}
                      {shipsGoods(order.kind) ? <span className="mr-2 text-xs text-stone-500">{t.orders.cart.itemCount(order.units)}</span> : null}
                      <span className="text-lg font-semibold">{formatFen(order.totalFen)}</span>
                    </span>
                  </div>
                </div>
              </div>
              {order.payBy ? (
                <div className="mt-3 flex flex-wrap items-center justify-between gap-2 border-t border-stone-100 pt-3">
                  <PayBy until={order.payBy.at} label={order.payBy.label} serverNow={serverNow} onDone={refresh} />
                  <Link to={`/pay/${order.id}`} className={buttonClass('primary', 'relative z-10 px-4 py-1.5 text-sm')}>
                    {l.pay}
                  </Link>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {page > 1 || hasMore ? (
        <nav aria-label={l.pagination} className="mt-6 flex items-center justify-between">
          {page > 1 ? (
            <Link to={page === 2 ? '/orders' : `/orders?page=${page - 1}`} className={buttonClass('secondary')}>
              {l.newer}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-stone-500">{l.page(page)}</span>
          {hasMore ? (
            <Link to={`/orders?page=${page + 1}`} className={buttonClass('secondary')}>
              {l.older}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  )
}
