import { z } from 'zod'
import { errorsZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { isCalendarDate } from './daily'
import { TRANSCRIPT_MAX_LENGTH } from './daily-limits'
import { normalizeKeyword } from './keyword'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, errors: errorsZhCN }

const e = t.daily.errors
const mediaId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16}$/, e.mediaUnknown)
  .optional()
  .or(z.literal('').transform(() => undefined))

export const DAILY_INTENTS = ['save', 'schedule', 'publish', 'unpublish'] as const

export const dailyForm = z.object({
  intent: z.enum(DAILY_INTENTS, { error: t.errors.invalidChoice }),
  date: z.string({ error: e.dateInvalid }).refine(isCalendarDate, e.dateInvalid),
  time: z.string({ error: e.timeInvalid }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, e.timeInvalid),
  title: z.string({ error: e.titleRequired }).trim().min(1, e.titleRequired).max(80, e.titleTooLong),
  keyword: z
    .string({ error: e.keywordRequired })
    .trim()
    .min(1, e.keywordRequired)
    .max(20, e.keywordTooLong)
    // Replies are matched without surrounding punctuation: a keyword must have more than that.
    .refine((keyword) => normalizeKeyword(keyword) !== '', e.keywordBlank),
  teaser: z.string({ error: e.teaserRequired }).trim().min(1, e.teaserRequired).max(300, e.teaserTooLong),
  body: z.string({ error: e.bodyRequired }).trim().min(1, e.bodyRequired).max(50_000, e.bodyTooLong),
  transcript: z.string().trim().max(TRANSCRIPT_MAX_LENGTH, e.transcriptTooLong).default(''),
  voicePublic: z.literal('on').optional().transform((v) => v === 'on'),
  minRank: z.coerce.number({ error: e.tierInvalid }).int(e.tierInvalid).min(0, e.tierInvalid),
  audioId: mediaId,
  coverId: mediaId,
})

export type DailyForm = z.output<typeof dailyForm>
