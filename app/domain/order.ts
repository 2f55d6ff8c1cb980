// Pure rules and the one vocabulary about orders shared by the shop and the membership drop.
// db/schema.ts builds the orders table's exclusive index from LIVE_ORDER_STATES, so the index and
// the code cannot disagree (a test compares them). Type-only imports: no database code reaches
// the browser from here.
import type { OrderKind, OrderState } from '../../db/schema'

/** Orders whose money the site keeps: their units count as sold; revenue and exports count them. */
export const PAID_ORDER_STATES = ['paid', 'shipped', 'completed'] as const satisfies readonly OrderState[]

/**
 * Orders that hold or own their units. At most one live order per exclusive key (one seat per
 * user per drop): an order being refunded has given its units back and no longer counts.
 */
export const LIVE_ORDER_STATES = ['pending', 'paid', 'shipped', 'completed'] as const satisfies readonly OrderState[]

/**
 * Orders that have had their payment (kept, or being or already given back): any further
 * payment for one of them is an extra payment, for an admin to refund.
 */
export const PAYMENT_RECEIVED_STATES = ['paid', 'shipped', 'completed', 'refunding', 'refunded'] as const satisfies readonly OrderState[]

/**
 * Whether an order of this kind ships something: goods do; a course or a membership seat opens at
 * payment, so it has no address, no 运费 and no 发货 / 收货 steps (decision 051).
 */
export function shipsGoods(kind: OrderKind) {
  return kind === 'goods'
}

export function isPaidState(state: OrderState) {
  return (PAID_ORDER_STATES as readonly OrderState[]).includes(state)
}

export function hasReceivedPayment(state: OrderState) {
  return (PAYMENT_RECEIVED_STATES as readonly OrderState[]).includes(state)
}

/**
 * What an admin must look at on an order. Flags accumulate (an order may carry several) and are
 * cleared one by one, with a note. The zh-CN names and explanations live in the catalogue.
 */
export const ORDER_FLAGS = [
  // A payment of the wrong amount or currency arrived; it is kept on the order for an admin to refund.
  'amount_mismatch',
  // A second payment arrived for an order already paid; for an admin to refund.
  'paid_twice',
  // Paid after the order lapsed or was cancelled, and it could not be accepted now: refunded.
  'paid_after_expiry',
  // Paid after the order lapsed or was cancelled, and accepted again (stock, limit, window, tier).
  'reseated',
  // A payment could not be applied because of an error: recorded and refunded.
  'payment_error',
  // The provider refused or failed a refund several times: it needs a person.
  'refund_failed',
  // An upgrade was paid but the buyer has no membership of the drop any more.
  'upgrade_without_membership',
  // An upgrade was refunded while the lower tier was full: back on it without a seat.
  'upgrade_refund_over_capacity',
  // The seat was refunded after an upgrade: the upgrade's payment is for an admin to refund.
  'seat_refunded_after_upgrade',
  // The provider's daily bill and our records disagree about this order's money (对账).
  'reconciliation',
] as const
export type OrderFlag = (typeof ORDER_FLAGS)[number]

/** Why a refund exists: the order's own payment, a late payment refused, an extra or an unapplied one. */
export const REFUND_REASONS = ['order', 'late_payment', 'extra_payment', 'unapplied_payment'] as const
export type RefundReason = (typeof REFUND_REASONS)[number]

// processing: the provider accepted it and tells the outcome later (WeChat Pay's refund notification).
export const REFUND_STATES = ['pending', 'processing', 'succeeded', 'failed'] as const
export type RefundState = (typeof REFUND_STATES)[number]

/**
 * Where a buyer lands once an order is paid: the order page, the member card for a seat, or the
 * course bought (through /orders/:id/course, which knows which course that is: decision 044).
 */
export function paidOrderPath(order: { id: number; kind: OrderKind }) {
  if (order.kind === 'membership') return '/membership/card'
  return order.kind === 'course' ? `/orders/${order.id}/course` : `/orders/${order.id}`
}
