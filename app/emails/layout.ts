// Email templates are plain functions returning subject, HTML and a plain-text part.
// Everything interpolated into HTML goes through escapeHtml.

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

export function escapeHtml(value: string) {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Wraps body HTML in a simple, client-safe zh-CN layout. */
export function emailLayout({ title, bodyHtml }: { title: string; bodyHtml: string }) {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f6f4ef;font-family:'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:#1f2937;line-height:1.7">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border-radius:12px;padding:28px">
<p style="margin:0 0 16px;font-size:18px;font-weight:700;color:#9a3412">知音</p>
${bodyHtml}
<p style="margin:28px 0 0;font-size:12px;color:#6b7280">这封邮件由知音自动发送，请勿直接回复。</p>
</div></body></html>`
}

export function button(href: string, label: string) {
  return `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="display:inline-block;background:#9a3412;color:#ffffff;text-decoration:none;padding:12px 22px;border-radius:8px;font-weight:600">${escapeHtml(label)}</a></p>`
}
