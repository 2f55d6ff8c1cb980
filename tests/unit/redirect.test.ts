import { describe, expect, it } from 'vitest'
import { safeRedirect } from '~/utils/redirect'

describe('safeRedirect keeps redirectTo on this site', () => {
  it.each([
    ['an absolute URL', 'https://evil.example'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash trick', '/\\evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path without leading slash', 'evil.example/account'],
    ['a path with a control character', '/\t/evil.example'],
    ['an empty string', ''],
    // Dot segments that resolve to a protocol-relative path (the attacker's probe of issue 11).
    ['/..//host', '/..//evil.example/phish'],
    ['/.//host', '/.//evil.example'],
    ['/%2e//host', '/%2e//evil.example'],
    ['/./\\host', '/./\\evil.example'],
    ['/a/..//host', '/a/..//evil.example'],
  ])('%s goes to the fallback', (_name, to) => {
    expect(safeRedirect(to)).toBe('/')
    expect(safeRedirect(to, '/account')).toBe('/account')
  })

  it('null and undefined go to the fallback', () => {
    expect(safeRedirect(null)).toBe('/')
    expect(safeRedirect(undefined, '/login')).toBe('/login')
  })

  it('a File form value goes to the fallback', () => {
    expect(safeRedirect(new File(['x'], '/account'))).toBe('/')
  })

  it('a same-site path with a query is kept as is', () => {
    expect(safeRedirect('/account?x=1')).toBe('/account?x=1')
  })

  it.each([
    ['an ideographic space', '/\u3000', '/%E3%80%80'],
    ['Chinese in the query (立即购买 with 刻字)', '/checkout?buy=3&qty=1&p=知音', '/checkout?buy=3&qty=1&p=%E7%9F%A5%E9%9F%B3'],
    ['an accented letter', '/café', '/caf%C3%A9'],
  ])('a path with %s comes back percent-encoded, ASCII only (fails without the fix)', (_name, to, expected) => {
    expect(safeRedirect(to)).toBe(expected)
    expect(safeRedirect(to)).toMatch(/^[\x21-\x7e]+$/)
  })

  it('an encoded path is kept as it is, so encoding twice changes nothing', () => {
    expect(safeRedirect('/%E3%80%80')).toBe('/%E3%80%80')
    expect(safeRedirect(safeRedirect('/daily/知音'))).toBe(safeRedirect('/daily/知音'))
  })

  it('dot segments resolve as the browser would, and never climb off the site', () => {
    expect(safeRedirect('/a/../account')).toBe('/account')
    expect(safeRedirect('/%2e%2e/%2e%2e/account')).toBe('/account')
  })

  it('a DEL character goes to the fallback', () => {
    expect(safeRedirect('/\x7f/evil.example')).toBe('/')
  })
})
