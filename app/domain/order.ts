// Pure rules about orders shared by the shop and the membership drop.
import type { OrderKind, OrderState } from '../../db/schema'

/** Orders whose money the site keeps: their units count as sold; revenue and exports count them. */
export const PAID_ORDER_STATES: readonly OrderState[] = ['paid', 'shipped', 'completed']

/** Orders that hold or paid for their units (the orders table's exclusive index uses the same set). */
export const LIVE_ORDER_STATES: readonly OrderState[] = ['pending', 'paid', 'shipped', 'completed', 'refunding']

/** Where a buyer lands once an order is paid: the order page, or the member card for a seat. */
export function paidOrderPath(order: { id: number; kind: OrderKind }) {
  return order.kind === 'membership' ? '/membership/card' : `/orders/${order.id}`
}
