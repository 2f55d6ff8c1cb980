// Validation of the account forms. Pure, shared by actions and tests.
// .server: zod schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { t } from '~/i18n/zh-CN'
import { DISPLAY_NAME_MAX_LENGTH, displayNameProblem, normalizeDisplayName } from './display-name'

export const email = z
  .string({ error: t.errors.emailInvalid })
  .trim()
  .toLowerCase()
  .max(254, t.errors.emailInvalid)
  .pipe(z.email({ error: t.errors.emailInvalid }))

export const password = z
  .string({ error: t.errors.passwordTooShort })
  .min(8, t.errors.passwordTooShort)
  .max(128, t.errors.passwordTooLong)

// Normalized first, so the length and the rules apply to what is stored.
export const displayName = z
  .string({ error: t.errors.nameRequired })
  .transform(normalizeDisplayName)
  .pipe(
    z
      .string()
      .min(1, t.errors.nameRequired)
      .max(DISPLAY_NAME_MAX_LENGTH, t.errors.nameTooLong)
      .check((ctx) => {
        const problem = displayNameProblem(ctx.value)
        if (problem) ctx.issues.push({ code: 'custom', message: t.errors.displayName[problem], input: ctx.value })
      }),
  )

// 《用户协议》 and 《隐私政策》 are agreed to by ticking the box; nothing is stored without it.
const agreement = z.literal('on', { error: t.auth.agree.required })

export const signupForm = z.object({ email, displayName, password, agree: agreement, redirectTo: z.string().optional() })

// Sign-in checks only the shape; whether the password is right gets one generic message.
export const loginForm = z.object({
  email,
  password: z.string({ error: t.errors.loginFailed }).min(1, t.errors.required).max(1024),
  redirectTo: z.string().optional(),
})

export const emailOnlyForm = z.object({ email, redirectTo: z.string().optional() })

export const newPasswordForm = z
  .object({ password, confirmPassword: z.string({ error: t.errors.required }) })
  .refine((v) => v.password === v.confirmPassword, { message: t.errors.passwordMismatch, path: ['confirmPassword'] })

export const changePasswordForm = z
  .object({
    currentPassword: z.string({ error: t.errors.required }).min(1, t.errors.required),
    password,
    confirmPassword: z.string({ error: t.errors.required }),
  })
  .refine((v) => v.password === v.confirmPassword, { message: t.errors.passwordMismatch, path: ['confirmPassword'] })

export const profileForm = z.object({ displayName })

const checkbox = z.literal('on').optional().transform((v) => v === 'on')
export const emailPreferencesForm = z.object({ emailDaily: checkbox })
