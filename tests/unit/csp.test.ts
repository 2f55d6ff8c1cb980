// The site's Content-Security-Policy and the hashes that allow a cached page's inline scripts
// (docs/decisions/012-csp-for-cached-pages.md).
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, inlineScriptHashes, nonceSource } from '~/utils/csp.server'
import { isSharedCacheable } from '~/utils/http-cache.server'

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

describe('contentSecurityPolicy', () => {
  it('allows scripts from the site and the given sources only, and no inline handlers', () => {
    const policy = contentSecurityPolicy({ scriptSources: [nonceSource('abc=')], production: false })
    expect(policy.split(';')).toEqual([
      "default-src 'self'",
      "base-uri 'self'",
      "font-src 'self' https: data:",
      "form-action 'self'",
      "frame-ancestors 'self'",
      "img-src 'self' data: blob:",
      "object-src 'none'",
      "script-src 'self' 'nonce-abc='",
      "script-src-attr 'none'",
      "style-src 'self' https: 'unsafe-inline'",
      "media-src 'self' blob:",
    ])
  })

  it('upgrades insecure requests in production', () => {
    expect(contentSecurityPolicy({ scriptSources: [], production: true })).toMatch(/;upgrade-insecure-requests$/)
  })
})

describe('inlineScriptHashes', () => {
  it('hashes each distinct inline script as the browser parses it, and skips scripts loaded from a file', () => {
    const html = [
      '<html><head><script src="/build/entry.js"></script><script type="module" async="">import "/build/a.js";</script></head>',
      '<body><script>window.a = 1</script><script>window.a = 1</script><script nonce="x">one\r\ntwo\rthree</script></body></html>',
    ].join('')
    expect(inlineScriptHashes(html)).toEqual([sha256('import "/build/a.js";'), sha256('window.a = 1'), sha256('one\ntwo\nthree')])
  })

  it('finds none in a page without inline scripts', () => {
    expect(inlineScriptHashes('<p>知音</p><script src="/x.js"></script>')).toEqual([])
  })
})

describe('isSharedCacheable', () => {
  it.each([
    ['public, max-age=0, s-maxage=15, stale-while-revalidate=60', true],
    ['s-maxage=15', true],
    ['private, no-cache', false],
    ['no-store', false],
    [null, false],
  ])('%s → %s', (cacheControl, shared) => {
    expect(isSharedCacheable(cacheControl)).toBe(shared)
  })
})
