import { button, emailLayout, escapeHtml, type RenderedEmail } from './layout'

export function magicLinkEmail({ name, url, minutes }: { name: string; url: string; minutes: number }): RenderedEmail {
  const subject = '你的知音登录链接'
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>点击下面的按钮登录知音。链接 ${minutes} 分钟内有效，只能使用一次。</p>
${button(url, '登录知音')}
<p style="font-size:13px;color:#6b7280">如果按钮无法点击，请复制这个地址到浏览器打开：<br>${escapeHtml(url)}</p>
<p style="font-size:13px;color:#6b7280">如果这不是你本人的操作，请忽略这封邮件。</p>`,
  })
  const text = `${name}，你好：

打开下面的链接登录知音（${minutes} 分钟内有效，只能使用一次）：
${url}

如果这不是你本人的操作，请忽略这封邮件。`
  return { subject, html, text }
}

export function passwordResetEmail({ name, url, minutes }: { name: string; url: string; minutes: number }): RenderedEmail {
  const subject = '重置你的知音密码'
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>我们收到了重置密码的请求。点击下面的按钮设置新密码，链接 ${minutes} 分钟内有效，只能使用一次。</p>
${button(url, '设置新密码')}
<p style="font-size:13px;color:#6b7280">如果按钮无法点击，请复制这个地址到浏览器打开：<br>${escapeHtml(url)}</p>
<p style="font-size:13px;color:#6b7280">如果你没有申请重置密码，请忽略这封邮件，你的密码不会改变。</p>`,
  })
  const text = `${name}，你好：

打开下面的链接设置新密码（${minutes} 分钟内有效，只能使用一次）：
${url}

如果你没有申请重置密码，请忽略这封邮件，你的密码不会改变。`
  return { subject, html, text }
}

export function passwordChangedEmail({ name }: { name: string }): RenderedEmail {
  const subject = '你的知音密码已修改'
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>你的密码刚刚被修改，所有设备上的登录都已退出。</p>
<p>如果这不是你本人的操作，请立即通过「忘记密码」重置密码。</p>`,
  })
  const text = `${name}，你好：

你的密码刚刚被修改，所有设备上的登录都已退出。
如果这不是你本人的操作，请立即通过「忘记密码」重置密码。`
  return { subject, html, text }
}
