import { formatFen } from '~/utils/format'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

/**
 * Sent when the provider has returned a refund's money to the buyer: a receipt, like the
 * shipment's, so it goes whatever the buyer's notification choices (decision 050).
 */
export function orderRefundedEmail({
  name,
  orderId,
  amountFen,
  lines,
  url,
}: {
  name: string
  orderId: number
  amountFen: number
  lines: readonly { title: string; qty: number }[]
  url: string
}): RenderedEmail {
  const subject = `知音 · 订单 #${orderId} 的退款 ${formatFen(amountFen)} 已退回`
  const lead = `订单 #${orderId} 的退款 ${formatFen(amountFen)} 已原路退回你的付款账户。`
  const after = '到账时间以支付渠道为准，通常在 1–3 个工作日内。'
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>${escapeHtml(lead)}</p>
${lines.length > 0 ? `<ul style="padding-left:20px">${lines.map((line) => `<li>${escapeHtml(`${line.title} × ${line.qty}`)}</li>`).join('')}</ul>` : ''}
<p>${escapeHtml(after)}</p>
${button(url, '查看订单')}`,
  })
  const text = `${name}，你好：

${lead}
${lines.map((line) => `- ${line.title} × ${line.qty}`).join('\n')}

${after}
查看订单：${url}`
  return { subject, html, text }
}
