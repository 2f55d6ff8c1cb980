import type { Daily } from '../../db/schema'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

/** The morning email of a daily: the whole article for readers who may read it, else the teaser. */
export function dailyEmail({
  daily,
  name,
  url,
  bodyHtml,
  unsubscribeUrl,
}: {
  daily: Pick<Daily, 'date' | 'title' | 'teaser' | 'keyword'>
  name: string
  url: string
  /** Sanitized HTML of the body, or null when this reader's tier does not open it. */
  bodyHtml: string | null
  unsubscribeUrl: string
}): RenderedEmail {
  const subject = `知音每日 · ${daily.date} · ${daily.title}`
  const footer = `<p style="margin-top:24px;font-size:12px;color:#6b7280">你收到这封邮件，是因为你在知音订阅了每日内容。<a href="${escapeHtml(unsubscribeUrl)}" style="color:#6b7280">退订每日邮件</a></p>`
  const main = bodyHtml
    ? `<div>${bodyHtml}</div>${button(url, '在知音收听今天的语音')}`
    : `<p>${escapeHtml(daily.teaser)}</p>
<p style="color:#9a3412">全文和语音仅对会员开放。</p>
${button(url, '阅读全文')}`
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，早上好：</p>
<h1 style="font-size:20px;margin:16px 0 8px">${escapeHtml(daily.title)}</h1>
<p style="font-size:13px;color:#6b7280">${escapeHtml(daily.date)}${
    // The keyword is part of what only readers with access receive (as on the site).
    bodyHtml ? ` · 今日关键词「${escapeHtml(daily.keyword)}」` : ''
  }</p>
${main}
${footer}`,
  })
  const text = `${name}，早上好：

${daily.title}（${daily.date}）${bodyHtml ? `\n今日关键词：${daily.keyword}` : ''}

${bodyHtml ? '全文和语音：' : `${daily.teaser}\n\n全文和语音仅对会员开放：`}
${url}

退订每日邮件：${unsubscribeUrl}`
  return { subject, html, text }
}
