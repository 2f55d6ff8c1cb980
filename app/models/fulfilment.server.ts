// What a paid order sets in motion, per kind, inside the transaction that marks it paid (and
// what a refund undoes). confirmPayment() and requestRefund() call these.
import type { Order, OrderLine } from '../../db/schema'
import { orderReceiptEmail } from '~/emails/order'
import { sendEmail } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { executeOn, type Executor } from '~/utils/db.server'
import { goodsOrderProblem } from './checkout.server'
import { fulfilMembershipOrder, returnMembershipOrder } from './drop-fulfilment.server'
import { membershipOrderProblem } from './drop.server'

export interface PaidOrder {
  order: Order
  lines: OrderLine[]
}

export async function fulfilPaidOrder(tx: Executor, paid: PaidOrder, now: Date) {
  switch (paid.order.kind) {
    case 'goods':
      await sendReceipt(tx, paid, now)
      return
    case 'membership':
      await fulfilMembershipOrder(tx, paid, now)
      return
  }
}

/**
 * A payment arrived for an order that lapsed or was cancelled: would the order be accepted now,
 * by its kind's own rule (the one placing it uses)? Null if so, else the reason. Stock is left
 * to the caller's conditional UPDATE.
 */
export async function lateOrderProblem(tx: Executor, order: Order, lines: readonly OrderLine[], now: Date): Promise<string | null> {
  switch (order.kind) {
    case 'goods':
      return goodsOrderProblem(tx, order, lines, now)
    case 'membership':
      return membershipOrderProblem(tx, order, lines, now)
  }
}

/** A refunded order's units are gone from the buyer: undo what paying gave them. */
export async function returnOrderUnits(tx: Executor, order: Order, now: Date) {
  switch (order.kind) {
    case 'goods':
      // The stock itself is given back by requestRefund(); goods grant nothing else.
      return
    case 'membership':
      // The seat is given back by requestRefund(); the membership it bought ends here.
      await returnMembershipOrder(tx, order, now)
      return
  }
}

async function sendReceipt(tx: Executor, { order, lines }: PaidOrder, now: Date) {
  // Every goods payment runs this: plain SQL (executeOn, docs/decisions/030).
  const { rows } = await executeOn(tx, { sql: 'SELECT email, display_name FROM users WHERE id = ?', args: [order.userId] })
  const buyer = rows[0]
  if (!buyer) return
  const message = orderReceiptEmail({
    name: String(buyer.display_name),
    order,
    lines,
    url: `${getEnv().SITE_URL}/orders/${order.id}`,
  })
  await sendEmail({ ...message, to: String(buyer.email), template: 'order-receipt' }, tx, now)
}
