import type { Order, OrderLine } from '../../db/schema'
import { formatFen } from '~/utils/format'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

/** "No. 37, 38" for numbered lines, else empty. */
export function numbersLabel(numbers: readonly number[]) {
  return numbers.length > 0 ? `编号 ${numbers.map((n) => `No. ${n}`).join('、')}` : ''
}

/** The receipt sent when an order's payment is confirmed. */
export function orderReceiptEmail({
  name,
  order,
  lines,
  url,
}: {
  name: string
  order: Pick<Order, 'id' | 'totalFen' | 'shippingFeeFen'>
  lines: readonly (Pick<OrderLine, 'title' | 'qty' | 'unitPriceFen' | 'personalisation' | 'numbers'> & Partial<Pick<OrderLine, 'variantLabel'>>)[]
  url: string
}): RenderedEmail {
  const subject = `知音 · 订单 #${order.id} 已付款`
  const describe = (line: (typeof lines)[number]) =>
    [
      line.variantLabel ? `${line.title}（${line.variantLabel}）× ${line.qty}` : `${line.title} × ${line.qty}`,
      formatFen(line.unitPriceFen * line.qty),
      numbersLabel(line.numbers),
      line.personalisation ? `刻字「${line.personalisation}」` : '',
    ]
      .filter(Boolean)
      .join(' · ')
  // The fee the order stored (decision 048): what was charged, whatever the rule says today.
  const shipping = `运费：${order.shippingFeeFen > 0 ? formatFen(order.shippingFeeFen) : '包邮'}`
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>我们已收到订单 #${order.id} 的付款，共 ${escapeHtml(formatFen(order.totalFen))}。</p>
<ul style="padding-left:20px">${lines.map((line) => `<li>${escapeHtml(describe(line))}</li>`).join('')}</ul>
<p>${escapeHtml(shipping)}</p>
<p>发货后我们会再写信告诉你快递单号。</p>
${button(url, '查看订单')}`,
  })
  const text = `${name}，你好：

我们已收到订单 #${order.id} 的付款，共 ${formatFen(order.totalFen)}。
${lines.map((line) => `- ${describe(line)}`).join('\n')}
${shipping}

发货后我们会再写信告诉你快递单号。
查看订单：${url}`
  return { subject, html, text }
}
