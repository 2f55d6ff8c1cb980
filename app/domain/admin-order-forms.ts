// /admin/orders: the list's filters (query parameters, shared by the page and the CSV export)
// and the staff actions on one order. Pure: the route passes the time zone. The zod schemas of
// the filters and actions are in admin-order-forms.server.ts, out of the browser's script (decision 028).
import type { OrderKind, OrderState } from '../../db/schema'
import { addDays, startOfDateIn } from './time'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { adminOrders: adminOrdersZhCN }

const a = t.adminOrders

export const ADMIN_ORDERS_PAGE_SIZE = 30

// ---- filters -------------------------------------------------------------------------------------

export interface OrderFilters {
  state: OrderState | null
  productId: number | null
  /** Calendar dates (YYYY-MM-DD) in the site time zone, both ends included. */
  from: string | null
  to: string | null
  kind: OrderKind | null
  flagged: boolean
}

export const NO_FILTERS: OrderFilters = { state: null, productId: null, from: null, to: null, kind: null, flagged: false }

/** The filters as a query string (no leading "?"), for links that keep them: pages, export. */
export function orderFiltersQuery(filters: OrderFilters, page = 1) {
  const params = new URLSearchParams()
  if (filters.state) params.set('state', filters.state)
  if (filters.productId) params.set('product', String(filters.productId))
  if (filters.from) params.set('from', filters.from)
  if (filters.to) params.set('to', filters.to)
  if (filters.kind) params.set('kind', filters.kind)
  if (filters.flagged) params.set('flagged', '1')
  if (page > 1) params.set('page', String(page))
  return params.toString()
}

/** The date filters as instants: orders placed at or after `placedFrom` and before `placedBefore`. */
export function placedBetween(filters: Pick<OrderFilters, 'from' | 'to'>, timeZone: string) {
  const next = filters.to ? addDays(filters.to, 1) : null
  return {
    placedFrom: filters.from ? startOfDateIn(filters.from, timeZone) : null,
    placedBefore: next ? startOfDateIn(next, timeZone) : null,
  }
}

// ---- actions on one order ------------------------------------------------------------------------

export const CARRIERS = a.carriers
export type Carrier = (typeof CARRIERS)[number]

export const ADMIN_ORDER_INTENTS = ['ship', 'tracking', 'complete', 'refund', 'clear-flag', 'refund-payment', 'retry-refund'] as const
export type AdminOrderIntent = (typeof ADMIN_ORDER_INTENTS)[number]

/** Which actions an order in this state allows (the page shows these; the model re-checks in SQL). */
export function allowedOrderActions(order: { state: OrderState; kind: OrderKind }) {
  const goods = order.kind === 'goods'
  return {
    ship: goods && order.state === 'paid',
    tracking: goods && order.state === 'shipped',
    complete: order.state === 'shipped',
    refund: order.state === 'paid' || order.state === 'shipped' || order.state === 'completed',
  }
}
