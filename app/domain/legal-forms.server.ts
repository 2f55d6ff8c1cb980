// Validation of the admin's legal-text form. .server: zod stays out of the browser (decision 028).
import { z } from 'zod'
import { adminZhCN } from '~/i18n/admin.zh-CN'

export const LEGAL_LIMITS = { titleMax: 40, bodyMax: 50_000 } as const

const e = adminZhCN.legal.errors

export const legalDocumentForm = z.object({
  title: z.string({ error: e.titleRequired }).trim().min(1, e.titleRequired).max(LEGAL_LIMITS.titleMax, e.titleTooLong(LEGAL_LIMITS.titleMax)),
  // Line endings as a browser sends them (CRLF) are stored as LF; the text otherwise as typed.
  body: z
    .string({ error: e.bodyRequired })
    .transform((body) => body.replace(/\r\n?/g, '\n'))
    .pipe(z.string().trim().min(1, e.bodyRequired).max(LEGAL_LIMITS.bodyMax, e.bodyTooLong(LEGAL_LIMITS.bodyMax))),
})
