// The commerce core's one public module (decision 029): holds, availability, numbering, the
// application of payments and refunds, and the two ways features plug in — an order kind's rules
// (defineOrderKind) and listeners for units that come back (onUnitsReturned). The shop, the drop
// and the coming lectures import this; the core imports none of them.
export { heldAt, numberedCapacity, stockLevelsAt } from './availability.server'
export { onUnitsReturned, type UnitsReturnedListener } from './events.server'
export {
  DECIDE_IN_TRANSACTION,
  OrderRefused,
  cancelOrder,
  holdOrder,
  orderRefusal,
  placeOrder,
  placeOrderInOneWrite,
  releaseExpiredHolds,
  releaseLapsedHolds,
  type LineRequest,
  type OrderRefusal,
  type OrderRequest,
  type PlaceOrderResult,
  type ReleasedHold,
} from './holds.server'
export { returnNumbers, takeNumbers } from './numbers.server'
export { defineOrderKind, type OrderKindRules, type PaidOrder } from './order-kinds.server'
export {
  CONFIRM_OUTCOMES,
  MAX_REFUND_ATTEMPTS,
  REFUND_ATTEMPTS_BEFORE_FLAG,
  applyRefundNotice,
  confirmPayment,
  listOrderMoney,
  paymentOutcome,
  processPendingRefunds,
  refundExtraPayment,
  requestRefund,
  retryRefund,
  type ConfirmOutcome,
  type ConfirmResult,
} from './payments.server'
