// The deadline of an unpaid order on /orders, in a module of its own: the cart and checkout import
// components/order.tsx and have no use for the countdown it brings (decision 028).
import { useEffect, useState } from 'react'
import { Countdown } from '~/components/countdown'
import { ordersZhCN } from '~/i18n/orders.zh-CN'

const o = ordersZhCN

/**
 * An unpaid order's deadline: 「请在 12月6日 14:34 前支付」, which is all a page without
 * JavaScript can say truthfully, and once the page runs, the time left ticking beside it.
 */
export function PayBy({ until, label, serverNow, onDone }: { until: string | Date; label: string; serverNow: string | Date; onDone?: () => void }) {
  const [live, setLive] = useState(false)
  useEffect(() => setLive(true), [])
  return (
    <p className="text-sm text-amber-800">
      {o.list.payBy(label)}
      {live ? (
        <>
          {' · '}
          {o.list.timeLeft} <Countdown until={until} serverNow={serverNow} onDone={onDone} className="font-semibold" />
        </>
      ) : null}
    </p>
  )
}
