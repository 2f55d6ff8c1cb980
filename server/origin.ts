// Every request that can change something must come from this site (Lucia's CSRF guidance):
// its Origin header has to be the site's own origin.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Endpoints that other servers POST to, authorised by a signature in the request instead of
// a browser cookie: the WeChat message endpoint, one-click unsubscribe (RFC 8058) and payment
// provider webhooks.
const SIGNED_ENDPOINTS = [/^\/wechat$/, /^\/email\/unsubscribe\/[^/]+$/, /^\/webhooks\/[a-z]+$/]

export function isAllowedOrigin({
  method,
  path = '/',
  origin,
  host,
  protocol,
  siteUrl,
}: {
  method: string
  path?: string
  origin: string | undefined
  host: string | undefined
  protocol: string
  siteUrl: string
}) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true
  if (SIGNED_ENDPOINTS.some((pattern) => pattern.test(path))) return true
  if (!origin || origin === 'null') return false
  if (origin === new URL(siteUrl).origin) return true
  return host !== undefined && origin === `${protocol}://${host}`
}
