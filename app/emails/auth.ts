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

/** Sent at sign-up to a new address: the single-use link that proves it and signs the reader in. */
export function verifyEmailEmail({ name, url, hours }: { name: string; url: string; hours: number }): RenderedEmail {
  const subject = '请验证你的知音邮箱'
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>欢迎注册知音。点击下面的按钮验证这个邮箱并登录。链接 ${hours} 小时内有效，只能使用一次。</p>
${button(url, '验证邮箱并登录')}
<p style="font-size:13px;color:#6b7280">验证之后，你订阅的每日内容才会发到这个邮箱。</p>
<p style="font-size:13px;color:#6b7280">如果按钮无法点击，请复制这个地址到浏览器打开：<br>${escapeHtml(url)}</p>
<p style="font-size:13px;color:#6b7280">如果你没有注册知音，请忽略这封邮件，不要点击链接。</p>`,
  })
  const text = `${name}，你好：

欢迎注册知音。打开下面的链接验证这个邮箱并登录（${hours} 小时内有效，只能使用一次）：
${url}

验证之后，你订阅的每日内容才会发到这个邮箱。
如果你没有注册知音，请忽略这封邮件，不要打开链接。`
  return { subject, html, text }
}

/**
 * Sent when someone signs up with an address that already has an account: the sign-up page
 * answers the same either way, and only the owner of the address learns what happened.
 */
export function accountExistsEmail({ name, loginUrl, resetUrl }: { name: string; loginUrl: string; resetUrl: string }): RenderedEmail {
  const subject = '你已经有知音账户了'
  const html = emailLayout({
    title: subject,
    bodyHtml: `<p>${escapeHtml(name)}，你好：</p>
<p>刚刚有人用这个邮箱注册知音，但这个邮箱已经有账户了，所以我们没有创建新账户，你的账户也没有任何改变。</p>
<p>如果是你本人：直接登录就好；忘记了密码，可以重新设置。</p>
${button(loginUrl, '登录知音')}
<p><a href="${escapeHtml(resetUrl)}" style="color:#9a3412">忘记密码？重新设置</a></p>
<p style="font-size:13px;color:#6b7280">如果这不是你本人的操作，请忽略这封邮件。</p>`,
  })
  const text = `${name}，你好：

刚刚有人用这个邮箱注册知音，但这个邮箱已经有账户了，所以我们没有创建新账户，你的账户也没有任何改变。
如果是你本人：直接登录就好；忘记了密码，可以重新设置。

登录：${loginUrl}
重新设置密码：${resetUrl}

如果这不是你本人的操作，请忽略这封邮件。`
  return { subject, html, text }
}
