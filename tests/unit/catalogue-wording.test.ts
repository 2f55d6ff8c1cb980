// What readers and operators read names no environment variable or time zone: they are told what
// is missing, in words (issue 18: 「邮件尚未接入发送服务」, not RESEND_API_KEY).
import { describe, expect, it } from 'vitest'
import { zhCN } from '~/i18n/zh-CN'

/** Every string of the catalogue, with its path; a function counts by its source (its template's text). */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (typeof value === 'function') return [[`${path}()`, String(value)]]
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${path}.${key}`))
  return []
}

describe('the zh-CN catalogue', () => {
  it('names no environment variable nor time-zone identifier', () => {
    const all = strings(zhCN, 't')
    expect(all.length).toBeGreaterThan(500)
    const offending = all.filter(([, text]) => /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(Asia|Europe|America)\/[A-Z][a-z_]+\b|\bUTC\b/.test(text))
    expect(offending).toEqual([])
  })
})
