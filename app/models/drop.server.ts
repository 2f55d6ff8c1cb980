// Membership drops (issue 7, decisions 008 and 029): the drop's one public module. The drop lives
// in four modules — its admin (drop-admin), seats and seat orders (drop-seats), waitlist
// (drop-waitlist) and numbers (drop-stats) — plus what paying for a seat does (drop-fulfilment).
// Loading this module plugs the drop into the commerce core: membership orders' rules, and the
// waitlist listening for seats that come back. The core imports none of this.
import { defineOrderKind, onUnitsReturned } from './commerce/index.server'
import { fulfilMembershipOrder, returnMembershipOrder } from './drop-fulfilment.server'
import { membershipOrderProblem } from './drop-seats.server'
import { notifyWaitlists } from './drop-waitlist.server'

defineOrderKind('membership', {
  fulfil: fulfilMembershipOrder,
  lateOrderProblem: membershipOrderProblem,
  // The seat itself goes back to stock in the core's requestRefund(); the membership ends here.
  returnUnits: returnMembershipOrder,
})
onUnitsReturned('drop-waitlist', notifyWaitlists)

export { applyWindowAction, createDrop, updateOpenDrop, updateUpcomingDrop, type DropWriteResult } from './drop-admin.server'
export {
  LIVE_SEATS_SNAPSHOT_MS,
  decideSeatUpgrade,
  dropOrderLine,
  forgetLiveSeats,
  getCurrentDrop,
  getDrop,
  getDropMembership,
  getDropTier,
  getLiveSeats,
  getViewerDropStatus,
  getViewerSeatTerms,
  listDropTiers,
  membershipOrderProblem,
  placeSeatOrder,
  placeUpgradeOrder,
  type DropTierRequest,
  type DropTierView,
  type SeatRead,
  type LiveSeats,
  type SeatOrderResult,
  type ViewerDropStatus,
} from './drop-seats.server'
export {
  countDropMembers,
  dropRevenueFen,
  getDropStats,
  listDropAudit,
  listDropMembersAfter,
  listDrops,
  presentDropStats,
  salesPerMinute,
  waitlistCounts,
  type DropMemberCursor,
  type DropMemberRow,
  type DropStats,
  type DropStatsView,
  type DropSummary,
  type SalesMinute,
} from './drop-stats.server'
export { joinWaitlist, notifyWaitlists, type WaitlistResult } from './drop-waitlist.server'
