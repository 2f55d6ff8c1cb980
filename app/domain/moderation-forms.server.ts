// Form schemas of community moderation: the staff actions on a thread page and on
// /admin/community, and the reader's report button. .server: zod schemas are module-level code
// the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { REPORT_TARGETS } from './enums'
import { MODERATION_INTENTS, THREAD_ONLY_INTENTS } from './moderation-forms'
import { t } from '~/i18n/zh-CN'

const id = z.coerce.number({ error: t.errors.invalidChoice }).int(t.errors.invalidChoice).positive(t.errors.invalidChoice)
const reason = z
  .string({ error: t.moderation.errors.reasonRequired })
  .trim()
  .min(1, t.moderation.errors.reasonRequired)
  .max(200, t.moderation.errors.reasonTooLong)
const targetType = z.enum(REPORT_TARGETS, { error: t.errors.invalidChoice })

/** A staff action POSTed from a thread page; `reason` is required to hide. */
export const moderationForm = z
  .object({
    intent: z.enum(MODERATION_INTENTS, { error: t.errors.invalidChoice }),
    targetType,
    targetId: id,
    reason: z.string().trim().max(200, t.moderation.errors.reasonTooLong).optional().default(''),
  })
  .superRefine((value, ctx) => {
    if (value.intent === 'hide' && value.reason === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: t.moderation.errors.reasonRequired,
      })
    }
    if (value.targetType !== 'thread' && THREAD_ONLY_INTENTS.includes(value.intent)) {
      ctx.addIssue({
        code: 'custom',
        path: ['intent'],
        message: t.moderation.errors.threadOnly,
      })
    }
  })
export type ModerationForm = z.output<typeof moderationForm>

/** A reader reports a thread or reply. */
export const reportForm = z.object({ targetType, targetId: id, reason })

/** /admin/community: hide the target of a report, with the (editable) reason. */
export const hideReportedForm = z.object({ reportId: id, reason })

/** /admin/community: dismiss a report, or ban its author for a week. */
export const reportActionForm = z.object({ reportId: id })

/** /admin/community: ban a user from posting until the end of a date (site time zone). */
export const postingBanForm = z.object({
  email: z.string({ error: t.errors.emailInvalid }).trim().toLowerCase().pipe(z.email(t.errors.emailInvalid)),
  until: z.string({ error: t.errors.dateInvalid }).regex(/^\d{4}-\d{2}-\d{2}$/, t.errors.dateInvalid),
  reason,
})

export const liftBanForm = z.object({ userId: id })

const rank = z.coerce.number({ error: t.errors.invalidChoice }).int(t.errors.invalidChoice).min(0, t.errors.invalidChoice).max(99, t.errors.invalidChoice)

/** An admin's board settings: name, description, minimum ranks to read and to post. */
export const boardSettingsForm = z.object({
  boardId: id,
  name: z.string({ error: t.moderation.boards.nameRequired }).trim().min(1, t.moderation.boards.nameRequired).max(20, t.moderation.boards.nameTooLong),
  description: z.string().trim().max(200, t.moderation.boards.descriptionTooLong).optional().default(''),
  readMinRank: rank,
  postMinRank: rank,
})
