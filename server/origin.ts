// Every request that can change something must come from this site (Lucia's CSRF guidance):
// its Origin header has to be the site's own origin.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isAllowedOrigin({
  method,
  origin,
  host,
  protocol,
  siteUrl,
}: {
  method: string
  origin: string | undefined
  host: string | undefined
  protocol: string
  siteUrl: string
}) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true
  if (!origin || origin === 'null') return false
  if (origin === new URL(siteUrl).origin) return true
  return host !== undefined && origin === `${protocol}://${host}`
}
