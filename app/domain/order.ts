// Pure rules about orders shared by the shop and the membership drop.
import type { OrderKind } from '../../db/schema'

/** Where a buyer lands once an order is paid: the order page, or the member card for a seat. */
export function paidOrderPath(order: { id: number; kind: OrderKind }) {
  return order.kind === 'membership' ? '/membership/card' : `/orders/${order.id}`
}
