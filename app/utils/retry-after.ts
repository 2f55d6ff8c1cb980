import type { HeadersFunction } from '@remix-run/node'

/**
 * A route's `headers` export that passes on its action's Retry-After (a 429 says when to try
 * again). Remix keeps only the cookies of what an action answers unless the route says
 * otherwise, so without this the header never left the server.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders)
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}
