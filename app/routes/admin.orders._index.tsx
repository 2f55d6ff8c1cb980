import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { OrderStateBadge } from '~/components/order'
import { Field, FormError, SelectField } from '~/components/field'
import { Badge, Button, EmptyState, PageTitle, buttonClass } from '~/components/ui'
import {
  ADMIN_ORDERS_PAGE_SIZE,
  NO_FILTERS,
  orderFiltersQuery,
  placedBetween,
  type OrderFilters,
} from '~/domain/admin-order-forms'
import { parseOrderFilters } from '~/domain/admin-order-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { listAdminOrders, listProductChoices } from '~/models/admin-orders.server'
import { ORDER_KINDS, ORDER_STATES } from '~/domain/enums'
import { getEnv } from '~/utils/env.server'
import { formatDateTime, formatFen } from '~/utils/format'
import type { FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, adminOrders: adminOrdersZhCN, orders: ordersZhCN, site: siteZhCN }

const a = t.adminOrders

export const meta: MetaFunction = () => [{ title: `${a.title} · ${t.admin.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const params = new URL(request.url).searchParams
  const timeZone = getEnv().SITE_TIMEZONE
  // What the form shows: the values as they came, so a mistake can be corrected in place.
  const values = Object.fromEntries(['state', 'product', 'from', 'to', 'kind', 'flagged'].map((key) => [key, params.get(key) ?? '']))
  const products = await listProductChoices()
  const parsed = parseOrderFilters(params)
  if (!parsed.ok) {
    const empty = { values, products, timeZone, filters: NO_FILTERS, page: 1, pages: 1, total: 0, orders: [] }
    return data({ ...empty, errors: { form: a.filters.invalid, ...parsed.errors } as FieldErrors }, { status: 400 })
  }
  const { page, ...filters } = parsed.data
  const { total, orders } = await listAdminOrders({
    selection: { ...filters, ...placedBetween(filters, timeZone) },
    page,
    pageSize: ADMIN_ORDERS_PAGE_SIZE,
  })
  return {
    values,
    products,
    timeZone,
    filters,
    page,
    pages: Math.max(1, Math.ceil(total / ADMIN_ORDERS_PAGE_SIZE)),
    total,
    orders,
    errors: {} as FieldErrors,
  }
}

function linesSummary(lines: readonly { title: string; qty: number }[]) {
  const shown = lines.slice(0, 2).map((line) => `${line.title} ×${line.qty}`)
  return lines.length > 2 ? `${shown.join('、')} ${a.moreLines(lines.length)}` : shown.join('、')
}

function pageLink(filters: OrderFilters, page: number) {
  const query = orderFiltersQuery(filters, page)
  return query ? `?${query}` : '.'
}

export default function AdminOrders() {
  const { values, products, timeZone, filters, page, pages, total, orders, errors } = useLoaderData<typeof loader>()
  const busy = useNavigation().state === 'loading'
  const exportQuery = orderFiltersQuery(filters)
  const filtered = exportQuery !== ''
  return (
    <div className="space-y-5">
      <PageTitle subtitle={a.subtitle}>{a.title}</PageTitle>

      <Form method="get" aria-label={a.filters.legend} className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
        {errors.form ? (
          <div className="mb-3">
            <FormError error={errors.form} />
          </div>
        ) : null}
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <SelectField label={a.filters.state} name="state" defaultValue={values.state} error={errors.state}>
            <option value="">{a.filters.anyState}</option>
            {ORDER_STATES.map((state) => (
              <option key={state} value={state}>
                {t.orders.states[state]}
              </option>
            ))}
          </SelectField>
          <SelectField label={a.filters.kind} name="kind" defaultValue={values.kind} error={errors.kind}>
            <option value="">{a.filters.anyKind}</option>
            {ORDER_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {a.kinds[kind]}
              </option>
            ))}
          </SelectField>
          <SelectField label={a.filters.product} name="product" defaultValue={values.product} error={errors.product} className="col-span-2 sm:col-span-1 lg:col-span-2">
            <option value="">{a.filters.anyProduct}</option>
            {products.map((product) => (
              <option key={product.id} value={product.id}>
                {product.title}
              </option>
            ))}
          </SelectField>
          <Field label={a.filters.from} name="from" type="date" defaultValue={values.from} error={errors.from} />
          <Field label={a.filters.to} name="to" type="date" defaultValue={values.to} error={errors.to} />
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <label className="inline-flex items-center gap-2 text-sm font-medium text-stone-700">
            <input type="checkbox" name="flagged" value="1" defaultChecked={values.flagged === '1'} className="h-4 w-4 rounded border-stone-300 accent-brand-700" />
            {a.filters.flagged}
          </label>
          <span className="flex-1" />
          {filtered || errors.form ? (
            <Link to="/admin/orders" className={buttonClass('ghost')}>
              {a.filters.clear}
            </Link>
          ) : null}
          <Button disabled={busy}>{a.filters.apply}</Button>
        </div>
      </Form>

      {errors.form ? null : (
        <div className="flex items-center justify-between gap-3">
          <p className="text-sm text-stone-600">{a.total(total)}</p>
          <div className="flex gap-2">
            <Link to="/admin/orders/ship" className={buttonClass('secondary', 'py-2')}>
              {a.bulkShip.link}
            </Link>
            {/* A document post: the browser downloads the file and stays here (the filters
                travel in the query). Exports are posts, never a GET's side effect. */}
            <Form method="post" action={`/admin/orders/export${exportQuery ? `?${exportQuery}` : ''}`} reloadDocument>
              <Button variant="secondary" className="py-2">
                {a.exportCsv}
              </Button>
            </Form>
          </div>
        </div>
      )}
      {orders.length === 0 ? <EmptyState>{a.empty}</EmptyState> : null}
      {orders.length > 0 ? (
        <ul className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm">
          {orders.map((order) => (
            <li key={order.id}>
              <Link
                to={`/admin/orders/${order.id}`}
                className="flex flex-col gap-1.5 px-4 py-3 hover:bg-stone-50 sm:flex-row sm:items-center sm:gap-5"
              >
                <span className="flex items-baseline justify-between gap-2 sm:w-36 sm:shrink-0 sm:flex-col sm:items-start sm:gap-0.5">
                  <span className="font-semibold text-stone-900">#{order.id}</span>
                  <time dateTime={new Date(order.createdAt).toISOString()} className="text-xs text-stone-500">
                    {formatDateTime(order.createdAt, timeZone)}
                  </time>
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-sm font-medium text-stone-900">{linesSummary(order.lines)}</span>
                  <span className="block truncate text-xs text-stone-500">
                    {order.buyerName} · {order.buyerEmail}
                  </span>
                </span>
                <span className="flex items-center justify-between gap-3 sm:w-64 sm:shrink-0">
                  <span className="flex flex-wrap items-center gap-1.5 sm:flex-1 sm:justify-end">
                    {order.kind === 'goods' ? null : <Badge tone="stone">{a.kinds[order.kind]}</Badge>}
                    <OrderStateBadge state={order.state} />
                    {order.flags.map((flag) => (
                      <Badge key={flag} tone="red">
                        {a.flags[flag] ?? a.unknownFlag(flag)}
                      </Badge>
                    ))}
                  </span>
                  <span className="shrink-0 text-right font-semibold text-stone-900 sm:w-20">{formatFen(order.totalFen)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}

      {pages > 1 ? (
        <nav aria-label={a.pagination} className="flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link to={pageLink(filters, page - 1)} className={buttonClass('secondary')}>
              {a.previous}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-stone-500">{a.pageOf(page, pages)}</span>
          {page < pages ? (
            <Link to={pageLink(filters, page + 1)} className={buttonClass('secondary')}>
              {a.next}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  )
}
