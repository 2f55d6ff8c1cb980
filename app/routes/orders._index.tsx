// /orders: the signed-in user's orders, newest first, 20 to a page.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { OrderStateBadge } from '~/components/order'
import { EmptyState, PageTitle, buttonClass } from '~/components/ui'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { listOrdersForUser } from '~/models/order.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime, formatFen } from '~/utils/format'

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
  return { orders, page, hasMore, timeZone: getEnv().SITE_TIMEZONE }
}

export default function Orders() {
  const { orders, page, hasMore, timeZone } = useLoaderData<typeof loader>()
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
            <li key={order.id}>
              <Link
                to={`/orders/${order.id}`}
                className="block rounded-2xl border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-600/40 sm:p-5"
              >
                <div className="flex items-center justify-between gap-3">
                  <span className="text-sm text-stone-500">{l.orderNo(order.id)}</span>
                  <OrderStateBadge state={order.state} />
                </div>
                <p className="mt-2 line-clamp-2 font-medium text-stone-900">
                  {l.moreLines(order.firstTitle ?? l.membershipOrder, order.lineCount)}
                </p>
                <div className="mt-2 flex items-baseline justify-between gap-3">
                  <span className="text-xs text-stone-500">{l.placedAt(formatDateTime(order.createdAt, timeZone))}</span>
                  <span className="shrink-0 text-stone-900">
                    <span className="mr-2 text-xs text-stone-500">{t.orders.cart.itemCount(order.units)}</span>
                    <span className="text-lg font-semibold">{formatFen(order.totalFen)}</span>
                  </span>
                </div>
              </Link>
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
