import type { Order, OrderLine } from '../../db/schema'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'
import { numbersLabel } from './order'

/** Sent when an admin marks an order shipped, and again when the tracking is corrected. */
export function orderShippedEmail({
  name,
  order,
  lines,
  carrier,
  trackingNumber,
  url,
  corrected = false,
}: {
  name: string
  order: Pick<Order, 'id'>
  lines: readonly Pick<OrderLine, 'title' | 'qty' | 'numbers'>[]
  carrier: string
  trackingNumber: string
  url: string
  /** The tracking of an order already shipped was changed. */
  corrected?: boolean
}): RenderedEmail {
  const subject = corrected ? `知音 · 订单 #${order.id} 的快递单号已更新` : `知音 · 订单 #${order.id} 已发货`
  const lead = corrected ? `订单 #${order.id} 的快递信息有更新，请以这封邮件为准：` : `你的订单 #${order.id} 已经发货：`
  const describe = (line: (typeof lines)[number]) => [`${line.title} × ${line.qty}`, numbersLabel(line.numbers)].filter(Boolean).join(' · ')
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>${escapeHtml(lead)}</p>
<p style="margin:16px 0;padding:12px 16px;background:#f6f4ef;border-radius:8px">快递公司：<strong>${escapeHtml(carrier)}</strong><br>快递单号：<strong style="font-family:monospace">${escapeHtml(trackingNumber)}</strong></p>
<ul style="padding-left:20px">${lines.map((line) => `<li>${escapeHtml(describe(line))}</li>`).join('')}</ul>
<p>可以在快递公司的官网或 App 上用单号查询物流。</p>
${button(url, '查看订单')}`,
  })
  const text = `${name}，你好：

${lead}
快递公司：${carrier}
快递单号：${trackingNumber}
${lines.map((line) => `- ${describe(line)}`).join('\n')}

可以在快递公司的官网或 App 上用单号查询物流。
查看订单：${url}`
  return { subject, html, text }
}
