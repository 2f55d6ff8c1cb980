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
})
