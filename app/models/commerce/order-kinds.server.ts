// What an order of each kind sets in motion when it is paid, paid late or refunded. The core does
// not know the kinds: the feature that sells one (the shop: goods, in checkout.server.ts; the
// drop: membership, in drop.server.ts) defines its rules when its module loads (decision 029).
// confirmPayment() and requestRefund() call these inside their transaction.
import type { Order, OrderKind, OrderLine } from '../../../db/schema'
import type { Executor } from '~/utils/db.server'

export interface PaidOrder {
  order: Order
  lines: OrderLine[]
}

export interface OrderKindRules {
  /** What paying gives the buyer (a receipt; a membership), in the payment's transaction. */
  fulfil(tx: Executor, paid: PaidOrder, now: Date): Promise<void>
  /**
   * A payment arrived for an order that lapsed or was cancelled: would the order be accepted now,
   * by the rule that places it? Null if so, else the reason. Stock is left to the core.
   */
  lateOrderProblem(tx: Executor, order: Order, lines: readonly OrderLine[], now: Date): Promise<string | null>
  /** A refunded order's units are gone from the buyer: undo what paying gave them (the stock itself is the core's). */
  returnUnits(tx: Executor, order: Order, now: Date): Promise<void>
}

const rulesByKind = new Map<OrderKind, OrderKindRules>()

/** The feature selling `kind` tells the core what its orders do (again on a reload: the last one counts). */
export function defineOrderKind(kind: OrderKind, rules: OrderKindRules) {
  rulesByKind.set(kind, rules)
}

function rulesOf(kind: OrderKind): OrderKindRules {
  const rules = rulesByKind.get(kind)
  // Loud, not silent: a payment applied without its kind's rules would sell and fulfil nothing.
  if (!rules) throw new Error(`no rules for orders of kind '${kind}': the module selling them defines them when it loads (decision 029)`)
  return rules
}

export function fulfilPaidOrder(tx: Executor, paid: PaidOrder, now: Date) {
  return rulesOf(paid.order.kind).fulfil(tx, paid, now)
}

export function lateOrderProblem(tx: Executor, order: Order, lines: readonly OrderLine[], now: Date) {
  return rulesOf(order.kind).lateOrderProblem(tx, order, lines, now)
}

export function returnOrderUnits(tx: Executor, order: Order, now: Date) {
  return rulesOf(order.kind).returnUnits(tx, order, now)
}
