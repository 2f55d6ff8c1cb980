import type { Order } from '../../db/schema'
import { formatFen } from '~/utils/format'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

/** The receipt of a course bought once: what was paid, and the way to the course (nothing ships). */
export function coursePurchaseEmail({ name, order, courseTitle, url }: { name: string; order: Pick<Order, 'id' | 'totalFen'>; courseTitle: string; url: string }): RenderedEmail {
  const subject = `知音 · 已购买《${courseTitle}》`
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>我们已收到订单 #${order.id} 的付款，共 ${escapeHtml(formatFen(order.totalFen))}。《${escapeHtml(courseTitle)}》的全部课程已为你开放。</p>
${button(url, '开始学习')}`,
  })
  const text = `${name}，你好：

我们已收到订单 #${order.id} 的付款，共 ${formatFen(order.totalFen)}。《${courseTitle}》的全部课程已为你开放。
开始学习：${url}`
  return { subject, html, text }
}
