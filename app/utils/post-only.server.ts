// Endpoints that only take POST (webhooks, the editor's upload and preview) answer any other method
// with a zh-CN 405 that says so, not Remix's English "no loader" error.
import { t } from '~/i18n/zh-CN'

export function postOnly() {
  return new Response(t.http.postOnly, { status: 405, headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}
