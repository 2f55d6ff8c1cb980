// The body each path takes, decided before any of it is read (server/request-guards.ts): its
// type and its largest size. Over real HTTP: tests/integration/http-server.test.ts.
import { describe, expect, it } from 'vitest'
import { bodyLimit, bodyRuleFor, FORM_BYTES, routedPath } from '../../server/request-guards'
import { MAX_AUDIO_BYTES } from '~/domain/media-types'

const KB = 1024
const FORM = 'application/x-www-form-urlencoded'
const MULTIPART = 'multipart/form-data; boundary=----zhiyin'

const limitFor = (url: string, type: string | undefined) => bodyLimit(bodyRuleFor(routedPath(url)!), type)

describe('routedPath', () => {
  it.each([
    ['/daily/2026-12-01', '/daily/2026-12-01'],
    ['/admin/%70osts/new?x=1', '/admin/posts/new'],
    ['/admin/posts/new.data', '/admin/posts/new'],
    ['/_root.data?index', '/'],
    ['/community/t/12/../../../admin/media', '/admin/media'],
  ])('routes %s as %s', (url, path) => {
    expect(routedPath(url)).toBe(path)
  })

  it.each(['/daily/%', '/daily/%zz', '/shop/p/%E0%A4%A'])('cannot decode %s', (url) => {
    expect(routedPath(url)).toBeNull()
  })
})

describe('what a path takes', () => {
  it.each<[string, string | undefined, number | null]>([
    // Ordinary forms everywhere else, and nothing but forms.
    ['/login', FORM, FORM_BYTES],
    ['/login', `${FORM}; charset=UTF-8`, FORM_BYTES],
    ['/login', 'Application/X-WWW-Form-Urlencoded', FORM_BYTES],
    ['/login', 'application/json', null],
    ['/login', 'text/plain', null],
    ['/login', MULTIPART, null],
    ['/login', undefined, null],
    ['/cart.data', FORM, FORM_BYTES],
    // Long texts.
    ['/admin/posts/new', FORM, 1024 * KB],
    ['/admin/posts/17', FORM, 1024 * KB],
    ['/admin/posts/preview', FORM, 1024 * KB],
    ['/admin/products/new', FORM, 256 * KB],
    ['/community/new', FORM, 256 * KB],
    ['/community/t/3/edit', FORM, 256 * KB],
    // Uploads: multipart only, at their own limits (the product page takes both).
    ['/admin/media?kind=audio', MULTIPART, MAX_AUDIO_BYTES + 64 * KB],
    ['/admin/media', FORM, null],
    ['/admin/orders/ship', MULTIPART, 4 * 1024 * KB + 64 * KB],
    ['/admin/products/5', MULTIPART, 12 * 8 * 1024 * KB + 256 * KB],
    ['/admin/products/5', FORM, 256 * KB],
    // Raw signed bodies of any type, 64 KB.
    ['/webhooks/stripe', 'application/json', 64 * KB],
    ['/wechat', 'text/xml', 64 * KB],
    ['/wechat', undefined, 64 * KB],
    // One-click unsubscribe: either form type.
    ['/email/unsubscribe/12.abc', MULTIPART, FORM_BYTES],
    ['/email/unsubscribe/12.abc', FORM, FORM_BYTES],
  ])('%s with %s: %s bytes', (url, type, limit) => {
    expect(limitFor(url, type)).toBe(limit)
  })

  it('takes a daily of 50,000 Chinese characters, percent-encoded, as an ordinary form does not', () => {
    const encoded = new URLSearchParams({ body: '知'.repeat(50_000) }).toString().length
    expect(encoded).toBeLessThan(limitFor('/admin/posts/new', FORM)!)
    expect(encoded).toBeGreaterThan(FORM_BYTES)
  })
})
