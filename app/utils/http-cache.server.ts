// Cache-Control for HTML pages (DESIGN.md §6, docs/decisions/010-shared-cache-for-public-pages.md).
// The pages everyone reads at the same moment (the home page and the daily at 06:30, the
// drop page and the shop when a drop opens) may be kept by a shared cache (CDN, reverse proxy)
// for a few seconds when the request carries no cookie at all: such a request is a visitor's,
// and its page holds nothing of anyone's. Every other page is private to its reader.

/** How long a shared cache may serve an anonymous page before asking again. */
export const SHARED_CACHE_SECONDS = 15

/** Route ids of the pages a shared cache may keep for visitors. */
// /courses reads the same for every visitor (a signed-in reader's progress needs their cookie).
export const PUBLIC_PAGES: ReadonlySet<string> = new Set(['routes/_index', 'routes/daily.$date', 'routes/membership._index', 'routes/shop._index', 'routes/courses._index'])

export interface PageAnswer {
  method: string
  /** Whether the request carried any cookie (a session, a cart, a flash message). */
  hasCookie: boolean
  status: number
  /** The deepest matched route: the page. */
  routeId: string | undefined
  /** Whether the answer sets a cookie. */
  setsCookie: boolean
}

/** The Cache-Control of an HTML page. */
export function pageCacheControl({ method, hasCookie, status, routeId, setsCookie }: PageAnswer) {
  const shared = (method === 'GET' || method === 'HEAD') && !hasCookie && !setsCookie && status === 200 && routeId !== undefined && PUBLIC_PAGES.has(routeId)
  return shared ? `public, max-age=0, s-maxage=${SHARED_CACHE_SECONDS}, stale-while-revalidate=${SHARED_CACHE_SECONDS * 4}` : 'private, no-cache'
}

/** Sets Cache-Control (unless the route chose its own) and Vary: Cookie on an HTML page's headers. */
export function applyPageCacheControl(request: Request, status: number, routeId: string | undefined, headers: Headers) {
  if (!headers.has('Cache-Control')) {
    const cacheControl = pageCacheControl({
      method: request.method,
      hasCookie: request.headers.has('Cookie'),
      status,
      routeId,
      setsCookie: headers.has('Set-Cookie'),
    })
    headers.set('Cache-Control', cacheControl)
  }
  headers.append('Vary', 'Cookie')
}

/** Whether a shared cache may keep the answer, and so serve its very bytes to other readers. */
export function isSharedCacheable(cacheControl: string | null) {
  return cacheControl !== null && /(^|[\s,])(public|s-maxage=)/i.test(cacheControl)
}

/**
 * The data of a page fetched by script (`/daily/:date.data`, an action's answer): always private.
 * It is built for the reader's cookies just as the page is, but Remix sends it without the page's
 * headers, and a proxy or CDN keying on the URL would otherwise hand one reader's opened article
 * to the next.
 */
export function applyDataCacheControl(headers: Headers) {
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-cache')
  headers.append('Vary', 'Cookie')
}
