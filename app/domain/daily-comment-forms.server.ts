// Validation of the 留言 forms: a reader's 留言 and like, and the editor's moderation. Pure,
// shared by actions and tests.
// .server: zod schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { COMMENT_MODERATION_INTENTS, DAILY_COMMENT_LIMITS } from './daily-comments'
import { t } from '~/i18n/zh-CN'

const e = t.comments.errors
const id = z.coerce.number({ error: t.errors.invalidChoice }).int(t.errors.invalidChoice).positive(t.errors.invalidChoice)

// Characters that show nothing (zero-width spaces, direction marks): a 留言 of only these is empty.
const hasVisibleText = (text: string) => text.replace(/[\p{Default_Ignorable_Code_Point}\s]/gu, '') !== ''

export const commentForm = z.object({
  body: z
    .string({ error: e.bodyRequired })
    .trim()
    .min(1, e.bodyRequired)
    .max(DAILY_COMMENT_LIMITS.bodyMax, e.bodyTooLong)
    .refine(hasVisibleText, e.bodyRequired),
})

export const likeForm = z.object({ commentId: id })

/** An editor's action on one 留言; a reply needs its text, hiding needs a reason. */
export const commentModerationForm = z
  .object({
    intent: z.enum(COMMENT_MODERATION_INTENTS, { error: t.errors.invalidChoice }),
    commentId: id,
    reply: z.string().trim().max(DAILY_COMMENT_LIMITS.replyMax, e.replyTooLong).optional().default(''),
    reason: z.string().trim().max(DAILY_COMMENT_LIMITS.reasonMax, e.reasonTooLong).optional().default(''),
  })
  .superRefine((value, ctx) => {
    if (value.intent === 'reply' && value.reply === '') ctx.addIssue({ code: 'custom', path: ['reply'], message: e.replyRequired })
    if (value.intent === 'hide' && value.reason === '') ctx.addIssue({ code: 'custom', path: ['reason'], message: e.reasonRequired })
  })

export const commentBanForm = z.object({
  commentId: id,
  reason: z.string({ error: e.reasonRequired }).trim().min(1, e.reasonRequired).max(DAILY_COMMENT_LIMITS.reasonMax, e.reasonTooLong),
})
