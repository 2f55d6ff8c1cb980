import { describe, expect, it } from 'vitest'
import { redactUrl } from '~/utils/redact'

describe('request log URLs', () => {
  it.each([
    ['/podcast/abcdefghijklmnopqrstuvwxyz234567.xml', '/podcast/***.xml'],
    ['/media/AbCdEf123456AbCdEf12?token=abcdefghijklmnopqrstuvwxyz234567', '/media/AbCdEf123456AbCdEf12?token=***'],
    ['/media/x?a=1&token=secret&b=2', '/media/x?a=1&token=***&b=2'],
    ['/auth/magic/abcdefghijklmnopqrstuvwxyz234567', '/auth/magic/***'],
    ['/reset-password/abcdefghijklmnopqrstuvwxyz234567?x=1', '/reset-password/***?x=1'],
    ['/email/unsubscribe/12.signature', '/email/unsubscribe/***'],
  ])('hides the secret in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  it('leaves ordinary URLs alone', () => {
    expect(redactUrl('/daily/2026-11-23?page=2')).toBe('/daily/2026-11-23?page=2')
  })
})
