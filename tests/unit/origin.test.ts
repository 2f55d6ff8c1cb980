import { describe, expect, it } from 'vitest'
import { isAllowedOrigin } from '../../server/origin'

const site = { host: 'localhost:3000', protocol: 'http', siteUrl: 'http://localhost:3000' }

describe('isAllowedOrigin', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'get'])('always lets %s through, whatever the Origin', (method) => {
    expect(isAllowedOrigin({ ...site, method, origin: 'https://evil.example' })).toBe(true)
    expect(isAllowedOrigin({ ...site, method, origin: undefined })).toBe(true)
  })

  it('refuses a POST without Origin', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: undefined })).toBe(false)
  })

  it('refuses a POST with Origin "null" (sandboxed frames, some redirects)', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: 'null' })).toBe(false)
  })

  it('allows a POST from the site origin', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: 'http://localhost:3000' })).toBe(true)
  })

  it('refuses a POST from another site', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: 'https://evil.example' })).toBe(false)
    expect(isAllowedOrigin({ ...site, method: 'DELETE', origin: 'https://evil.example' })).toBe(false)
  })

  it('refuses a POST whose origin differs from the site only in scheme or port', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: 'https://localhost:3000' })).toBe(false)
    expect(isAllowedOrigin({ ...site, method: 'POST', origin: 'http://localhost:3001' })).toBe(false)
  })

  it('allows a POST whose origin is the protocol://host the request came in on', () => {
    expect(
      isAllowedOrigin({ method: 'POST', origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', protocol: 'http', siteUrl: 'https://zhiyin.example' }),
    ).toBe(true)
  })

  it('compares against the SITE_URL origin, ignoring its path (behind a proxy that speaks http to us)', () => {
    expect(
      isAllowedOrigin({ method: 'POST', origin: 'https://zhiyin.example', host: 'zhiyin.example', protocol: 'http', siteUrl: 'https://zhiyin.example/app' }),
    ).toBe(true)
  })

  it('refuses the SITE_URL origin on a request to another host, as Remix would (it answered 500)', () => {
    const siteOrigin = { method: 'POST', origin: 'https://zhiyin.example', protocol: 'https', siteUrl: 'https://zhiyin.example' }
    expect(isAllowedOrigin({ ...siteOrigin, host: undefined })).toBe(false)
    expect(isAllowedOrigin({ ...siteOrigin, host: 'other.example' })).toBe(false)
    expect(isAllowedOrigin({ ...siteOrigin, host: 'zhiyin.example', forwardedHost: 'other.example' })).toBe(false)
    // A proxy's X-Forwarded-Host names the site: the Host it sends us may be anything.
    expect(isAllowedOrigin({ ...siteOrigin, host: '127.0.0.1:3000', forwardedHost: 'zhiyin.example, proxy.internal' })).toBe(true)
  })

  it('lets payment webhooks through without an Origin (they carry the provider signature instead)', () => {
    expect(isAllowedOrigin({ ...site, method: 'POST', path: '/webhooks/stripe', origin: undefined })).toBe(true)
    expect(isAllowedOrigin({ ...site, method: 'POST', path: '/webhooks/stripe/extra', origin: undefined })).toBe(false)
  })
})
