// Which HTML pages a shared cache may keep: the public pages, for a request with no cookie at
// all, answered 200 without setting a cookie. Everything else is private to its reader.
import { describe, expect, it } from 'vitest'
import { applyPageCacheControl, pageCacheControl, SHARED_CACHE_SECONDS, type PageAnswer } from '~/utils/http-cache.server'

const visitorHome: PageAnswer = { method: 'GET', hasCookie: false, status: 200, routeId: 'routes/_index', setsCookie: false }
const SHARED = `public, max-age=0, s-maxage=${SHARED_CACHE_SECONDS}, stale-while-revalidate=${SHARED_CACHE_SECONDS * 4}`

describe('pageCacheControl', () => {
  it.each(['routes/_index', 'routes/daily.$date', 'routes/membership._index', 'routes/shop._index', 'routes/courses._index'])('lets a shared cache keep a visitor’s %s', (routeId) => {
    expect(pageCacheControl({ ...visitorHome, routeId })).toBe(SHARED)
    expect(pageCacheControl({ ...visitorHome, routeId, method: 'HEAD' })).toBe(SHARED)
  })

  it.each<[string, Partial<PageAnswer>]>([
    ['a request with any cookie (signed in, a cart, a flash message)', { hasCookie: true }],
    ['an answer that sets a cookie', { setsCookie: true }],
    ['a page outside the list', { routeId: 'routes/orders._index' }],
    ['a 404', { status: 404 }],
    ['a refused form (POST)', { method: 'POST' }],
    ['no route at all', { routeId: undefined }],
  ])('keeps %s private', (_label, change) => {
    expect(pageCacheControl({ ...visitorHome, ...change })).toBe('private, no-cache')
  })
})

describe('applyPageCacheControl', () => {
  it('sets Cache-Control and Vary: Cookie, and leaves a route’s own Cache-Control alone', () => {
    const headers = new Headers()
    applyPageCacheControl(new Request('http://localhost/'), 200, 'routes/_index', headers)
    expect(headers.get('Cache-Control')).toBe(SHARED)
    expect(headers.get('Vary')).toBe('Cookie')

    const own = new Headers({ 'Cache-Control': 'no-store' })
    applyPageCacheControl(new Request('http://localhost/'), 200, 'routes/_index', own)
    expect(own.get('Cache-Control')).toBe('no-store')
  })

  it('keeps a signed-in reader’s page private', () => {
    const headers = new Headers()
    applyPageCacheControl(new Request('http://localhost/', { headers: { Cookie: 'zhiyin_session=abc' } }), 200, 'routes/_index', headers)
    expect(headers.get('Cache-Control')).toBe('private, no-cache')
  })
})
