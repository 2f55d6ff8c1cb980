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
  forwardedHost,
  protocol,
  siteUrl,
}: {
  method: string
  path?: string
  origin: string | undefined
  host: string | undefined
  /** The raw X-Forwarded-Host header, if any. */
  forwardedHost?: string | undefined
  protocol: string
  siteUrl: string
}) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true
  if (SIGNED_ENDPOINTS.some((pattern) => pattern.test(path))) return true
  if (!origin || origin === 'null') return false
  // Remix aborts an action whose Origin names another host than the request's (the first
  // X-Forwarded-Host, else Host), with a 500: refuse it here, as what it is.
  if (hostOf(origin) !== (forwardedHost?.split(',')[0]?.trim() || host)) return false
  if (origin === new URL(siteUrl).origin) return true
  return host !== undefined && origin === `${protocol}://${host}`
}

function hostOf(origin: string) {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}
