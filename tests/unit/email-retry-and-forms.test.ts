import { describe, expect, it } from 'vitest'
import { changePasswordForm, loginForm, newPasswordForm, signupForm } from '~/domain/account-forms.server'
import { t } from '~/i18n/zh-CN'
import { MAX_ATTEMPTS, retryDelayMs } from '~/utils/email.server'
import { parseForm } from '~/utils/forms'

const HOUR_MS = 60 * 60 * 1000

function formData(values: Record<string, string>) {
  const fd = new FormData()
  for (const [key, value] of Object.entries(values)) fd.append(key, value)
  return fd
}

describe('retryDelayMs', () => {
  it('waits 30 s after the first failed attempt, then doubles', () => {
    expect(retryDelayMs(1)).toBe(30_000)
    expect(retryDelayMs(2)).toBe(60_000)
    expect(retryDelayMs(3)).toBe(120_000)
  })

  it('never waits less than 30 s', () => {
    expect(retryDelayMs(0)).toBe(30_000)
    expect(retryDelayMs(-3)).toBe(30_000)
  })

  it('grows with every attempt until it reaches one hour, and stays there', () => {
    const delays = Array.from({ length: 20 }, (_, i) => retryDelayMs(i + 1))
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!)
      expect(delays[i]).toBeLessThanOrEqual(HOUR_MS)
    }
    expect(retryDelayMs(MAX_ATTEMPTS)).toBe(HOUR_MS)
    expect(retryDelayMs(1000)).toBe(HOUR_MS)
  })
})

const validSignup = { email: 'reader@example.com', displayName: '读者', password: 'long enough', agree: 'on' }

describe('account forms answer in Chinese, per field', () => {
  it('accepts a valid sign-up, trimming and lower-casing the email', () => {
    const result = parseForm(signupForm, formData({ ...validSignup, email: '  Reader@Example.COM ' }))
    expect(result).toEqual({ ok: true, data: { ...validSignup, email: 'reader@example.com' } })
  })

  it.each([
    ['email', 'not-an-email', t.errors.emailInvalid],
    ['email', 'a@b', t.errors.emailInvalid],
    ['email', `${'x'.repeat(250)}@example.com`, t.errors.emailInvalid],
    ['password', 'short', t.errors.passwordTooShort],
    ['password', 'x'.repeat(129), t.errors.passwordTooLong],
    ['displayName', 'x'.repeat(500), t.errors.nameTooLong],
    ['displayName', '   ', t.errors.nameRequired],
  ])('sign-up with %s=%j → that field says the message', (field, value, message) => {
    expect(parseForm(signupForm, formData({ ...validSignup, [field]: value }))).toEqual({
      ok: false,
      errors: { [field]: message },
    })
  })

  it('a missing field gets its message too', () => {
    const fd = formData({ email: validSignup.email, password: validSignup.password })
    expect(parseForm(signupForm, fd)).toEqual({ ok: false, errors: { displayName: t.errors.nameRequired, agree: t.auth.agree.required } })
  })

  it('a mismatched confirmation is reported on confirmPassword', () => {
    expect(parseForm(newPasswordForm, formData({ password: 'new password 1', confirmPassword: 'new password 2' }))).toEqual({
      ok: false,
      errors: { confirmPassword: t.errors.passwordMismatch },
    })
    expect(
      parseForm(
        changePasswordForm,
        formData({ currentPassword: 'old', password: 'new password 1', confirmPassword: 'new password 2' }),
      ),
    ).toEqual({ ok: false, errors: { confirmPassword: t.errors.passwordMismatch } })
  })

  it('sign-in with an empty password asks for it, without judging its length', () => {
    expect(parseForm(loginForm, formData({ email: validSignup.email, password: '' }))).toEqual({
      ok: false,
      errors: { password: t.errors.required },
    })
    expect(parseForm(loginForm, formData({ email: validSignup.email, password: 'short' })).ok).toBe(true)
  })
})
