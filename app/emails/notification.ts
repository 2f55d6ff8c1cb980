import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }

/** The email channel of a notification: its title and a link to the page it is about. */
export function notificationEmail({ name, title, url }: { name: string; title: string; url: string }): RenderedEmail {
  const subject = t.notifications.emailSubject(title)
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>\n<p>${escapeHtml(title)}</p>\n${button(url, t.notifications.emailOpen)}`,
  })
  return { subject, html, text: `${name}，你好：\n\n${title}\n\n${t.notifications.emailOpen}：${url}\n` }
}
