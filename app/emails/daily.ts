import type { Daily } from '../../db/schema'
import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

/**
 * The morning email of a daily: the title, the teaser and the way to the voice. It never carries
 * the keyword or the article — those are the ritual: hear the voice, reply with its keyword
 * (docs/decisions/017-keyword-ritual.md).
 */
export function dailyEmail({
  daily,
  name,
  url,
  membersOnly,
  unsubscribeUrl,
}: {
  daily: Pick<Daily, 'date' | 'title' | 'teaser'>
  name: string
  url: string
  /** This reader's tier does not open the article: say so. */
  membersOnly: boolean
  unsubscribeUrl: string
}): RenderedEmail {
  const subject = `知音每日 · ${daily.date} · ${daily.title}`
  const ritual = '今天的 60 秒语音已经发布。听到最后，在页面上回复语音里说出的关键词，就能打开全文并打卡。'
  const gated = '本期全文仅对会员开放；语音所有人都可以收听。'
  const footer = `<p style="margin-top:24px;font-size:12px;color:#6b7280">你收到这封邮件，是因为你在知音订阅了每日内容。<a href="${escapeHtml(unsubscribeUrl)}" style="color:#6b7280">退订每日邮件</a></p>`
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，早上好：</p>
<h1 style="font-size:20px;margin:16px 0 8px">${escapeHtml(daily.title)}</h1>
<p style="font-size:13px;color:#6b7280">${escapeHtml(daily.date)}</p>
<p>${escapeHtml(daily.teaser)}</p>
<p>${ritual}</p>
${membersOnly ? `<p style="color:#9a3412">${gated}</p>` : ''}
${button(url, '收听今天的语音')}
${footer}`,
  })
  const text = `${name}，早上好：

${daily.title}（${daily.date}）

${daily.teaser}

${ritual}${membersOnly ? `\n${gated}` : ''}
收听：${url}

退订每日邮件：${unsubscribeUrl}`
  return { subject, html, text }
}
