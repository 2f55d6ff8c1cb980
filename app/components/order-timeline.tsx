// The status timeline of an order (the buyer's and the admin's order pages): the steps it went
// through and those still ahead — goods' 发货 / 收货, or 已开通 for a course or a seat (decision
// 051). A file of its own so that the cart and checkout, which load order.tsx, do not download it.
import type { OrderKind, OrderState } from '../../db/schema'
import { shipsGoods } from '~/domain/order'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { formatDateTime } from '~/utils/format'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN }

const o = t.orders

type When = Date | string | number | null

/** The moments an order went through (what the orders table records), and its kind. */
export interface OrderMoments {
  kind: OrderKind
  state: OrderState
  createdAt: When
  paidAt: When
  shippedAt: When
  completedAt: When
  cancelledAt: When
  expiredAt: When
  refundRequestedAt: When
  refundedAt: When
}

/** The moments of an order row, as a loader sends them to OrderTimeline. */
export function orderMoments<T extends OrderMoments>(order: T): Pick<T, keyof OrderMoments> {
  const { kind, state, createdAt, paidAt, shippedAt, completedAt, cancelledAt, expiredAt, refundRequestedAt, refundedAt } = order
  return { kind, state, createdAt, paidAt, shippedAt, completedAt, cancelledAt, expiredAt, refundRequestedAt, refundedAt }
}

/** A step of the timeline: a state the order was in, or, for what ships nothing, 已开通 (access given). */
export type TimelineStepName = OrderState | 'opened'

export interface TimelineStep {
  step: TimelineStepName
  at: Date | null
  status: 'done' | 'current' | 'upcoming'
}

/** The road of an order that goes well: goods are shipped and received, a course or a seat opens at payment. */
const HAPPY_PATHS: Record<'goods' | 'virtual', readonly TimelineStepName[]> = {
  goods: ['pending', 'paid', 'shipped', 'completed'],
  virtual: ['pending', 'paid', 'opened'],
}

/**
 * The steps to draw: every step the order has been through, in the order it happened, then —
 * while it is still on its way — the steps still to come: 待支付 → 已支付 → 已发货 → 已完成 for
 * goods, 下单 → 已支付 → 已开通 for a course or a seat, which open at payment (decision 051). The
 * last step reached is the current one.
 */
export function timelineSteps(order: OrderMoments): TimelineStep[] {
  const goods = shipsGoods(order.kind)
  // Goods are shipped and received; a course or a seat opens when it is paid.
  const arrival: [TimelineStepName, When][] = goods
    ? [
        ['shipped', order.shippedAt],
        ['completed', order.completedAt],
      ]
    : [['opened', order.paidAt]]
  const moments: [TimelineStepName, When][] = [
    ['pending', order.createdAt],
    ['paid', order.paidAt],
    ['expired', order.expiredAt],
    ['cancelled', order.cancelledAt],
    ...arrival,
    ['refunding', order.refundRequestedAt],
    ['refunded', order.refundedAt],
  ]
  const reached = moments
    .filter((moment): moment is [TimelineStepName, Exclude<When, null>] => moment[1] !== null)
    .map(([step, at]) => ({ step, at: new Date(at) }))
    // Stable: moments at the same instant keep the order above.
    .sort((a, b) => a.at.getTime() - b.at.getTime())
  const steps: TimelineStep[] = reached.map((step, index) => ({ ...step, status: index === reached.length - 1 ? 'current' : 'done' }))
  const path = HAPPY_PATHS[goods ? 'goods' : 'virtual']
  // A paid course or seat has already opened: its road ends there.
  const onTheWay = path.indexOf(!goods && order.state === 'paid' ? 'opened' : order.state)
  if (onTheWay !== -1) {
    for (const step of path.slice(onTheWay + 1)) steps.push({ step, at: null, status: 'upcoming' })
  }
  return steps
}

const ENDED: readonly TimelineStepName[] = ['cancelled', 'expired', 'refunded']

/** A step's name: the state's, except where an order of a course or a seat says it in its own words. */
function stepLabel(step: TimelineStepName, kind: OrderKind) {
  if (step === 'opened') return o.timeline.opened
  if (step === 'pending' && !shipsGoods(kind)) return o.timeline.placed
  return o.states[step]
}

/** What a refund takes back from a course or a seat: said under its first refund step. */
function revokedNote(step: TimelineStepName, kind: OrderKind) {
  if (step !== 'refunding' || kind === 'goods') return null
  return o.timeline.revoked[kind]
}

export function OrderTimeline({ order, timeZone }: { order: OrderMoments; timeZone: string }) {
  const steps = timelineSteps(order)
  return (
    <ol aria-label={o.timeline.label} className="flex flex-col gap-0 sm:flex-row sm:gap-2">
      {steps.map((step, index) => {
        const ended = ENDED.includes(step.step)
        const note = revokedNote(step.step, order.kind)
        const dot =
          step.status === 'upcoming'
            ? 'border-2 border-stone-300 bg-white'
            : ended
              ? 'bg-stone-400'
              : step.step === 'refunding'
                ? 'bg-amber-500'
                : 'bg-brand-700'
        return (
          <li
            key={`${step.step}-${index}`}
            aria-current={step.status === 'current' ? 'step' : undefined}
            className="relative flex min-h-12 gap-3 pb-3 last:min-h-0 last:pb-0 sm:flex-1 sm:flex-col sm:gap-2 sm:pb-0"
          >
            {index < steps.length - 1 ? (
              <span
                aria-hidden
                className={`absolute left-[7px] top-5 h-[calc(100%-1.25rem)] w-0.5 sm:left-5 sm:top-[7px] sm:h-0.5 sm:w-[calc(100%-1rem)] ${
                  steps[index + 1]!.status === 'upcoming' ? 'bg-stone-200' : 'bg-brand-600/40'
                }`}
              />
            ) : null}
            <span aria-hidden className={`relative mt-0.5 h-4 w-4 shrink-0 rounded-full ${dot} ${step.status === 'current' ? 'ring-4 ring-brand-100' : ''}`} />
            <span className="flex flex-col">
              <span className={`text-sm font-medium ${step.status === 'upcoming' ? 'text-stone-500' : step.status === 'current' ? 'text-stone-900' : 'text-stone-700'}`}>
                {stepLabel(step.step, order.kind)}
              </span>
              {step.at ? <span className="text-xs text-stone-500">{formatDateTime(step.at, timeZone)}</span> : null}
              {note ? <span className="text-xs text-amber-800">{note}</span> : null}
            </span>
          </li>
        )
      })}
    </ol>
  )
}
