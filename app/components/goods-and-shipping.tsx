// 商品金额 and 运费 above a total, as the cart and the checkout show them (decision 048): the fee
// the server worked out, or 免运费 when there is none.
import { shippingZhCN } from '~/i18n/shipping.zh-CN'
import { formatFen } from '~/utils/format'

export function GoodsAndShipping({ goodsFen, shippingFeeFen, className }: { goodsFen: number; shippingFeeFen: number; className: string }) {
  return (
    <dl className={`grid gap-1 text-sm text-stone-600 ${className}`}>
      <div className="flex justify-between">
        <dt>{shippingZhCN.goods}</dt>
        <dd className="tabular-nums">{formatFen(goodsFen)}</dd>
      </div>
      <div className="flex justify-between">
        <dt>{shippingZhCN.fee}</dt>
        <dd className="tabular-nums">{shippingZhCN.amount(shippingFeeFen > 0 ? formatFen(shippingFeeFen) : null)}</dd>
      </div>
    </dl>
  )
}
