// Validation of the community's forms (threads, replies). Pure, shared by actions and tests.
// A jobs board's thread carries the job fields; the edit form keeps the expiry it has.
// .server: zod schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { COMMUNITY_LIMITS } from './community'
import { JOB_KINDS } from './enums'
import { t } from '~/i18n/zh-CN'

const e = t.community.errors
/** Salaries are whole yuan a month; anything above this is a typo. */
const SALARY_MAX = 10_000_000

const title = z
  .string({ error: e.titleRequired })
  .trim()
  .min(1, e.titleRequired)
  .max(COMMUNITY_LIMITS.titleMax, e.titleTooLong)

const body = z
  .string({ error: e.bodyRequired })
  .trim()
  .min(1, e.bodyRequired)
  .max(COMMUNITY_LIMITS.bodyMax, e.bodyTooLong)

const checkbox = z.literal('on').optional().transform((v) => v === 'on')

/** An optional whole number from a text input: empty means none. */
const optionalSalary = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return null
    if (!/^\d+$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: e.salaryInvalid })
      return z.NEVER
    }
    const n = Number(value)
    if (n > SALARY_MAX) {
      ctx.addIssue({ code: 'custom', message: e.salaryTooHigh })
      return z.NEVER
    }
    return n
  })

const expiresInDays = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return COMMUNITY_LIMITS.jobDefaultDays
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      ctx.addIssue({ code: 'custom', message: e.expiryInvalid })
      return z.NEVER
    }
    const n = Number(value)
    if (n > COMMUNITY_LIMITS.jobMaxDays) {
      ctx.addIssue({ code: 'custom', message: e.expiryTooLong })
      return z.NEVER
    }
    return n
  })

export const sharingThreadForm = z.object({ title, body })

const jobFields = {
  title,
  body,
  jobKind: z.enum(JOB_KINDS, { error: e.jobKindRequired }),
  city: z.string().trim().max(40, e.cityTooLong).optional().transform((v) => v || null),
  remote: checkbox,
  salaryMin: optionalSalary,
  salaryMax: optionalSalary,
  contact: z.string({ error: e.contactRequired }).trim().min(1, e.contactRequired).max(200, e.contactTooLong),
}

// The cross-field checks run even when another field failed (`when`), so a submission shows
// every error at once; the values they read may then be partly unparsed, hence the type checks.
const always = () => true
const cityOrRemote = (v: { city: string | null; remote: boolean }) => v.remote === true || Boolean(v.city)
const cityRule = { path: ['city'], message: e.cityRequired, when: always }
const salaryInOrder = (v: { salaryMin: number | null; salaryMax: number | null }) =>
  !(typeof v.salaryMin === 'number' && typeof v.salaryMax === 'number' && v.salaryMin > v.salaryMax)
const salaryRule = { path: ['salaryMin'], message: e.salaryOrder, when: always }

export const jobThreadForm = z
  .object({ ...jobFields, expiresInDays })
  .refine(cityOrRemote, cityRule)
  .refine(salaryInOrder, salaryRule)

/** Editing a job post keeps its expiry (renewal is its own action). */
export const jobThreadEditForm = z.object(jobFields).refine(cityOrRemote, cityRule).refine(salaryInOrder, salaryRule)

export function threadFormFor(boardKind: string, { editing = false } = {}) {
  if (boardKind !== 'jobs') return sharingThreadForm
  return editing ? jobThreadEditForm : jobThreadForm
}

const id = z.coerce.number({ error: t.errors.invalidChoice }).int(t.errors.invalidChoice).positive(t.errors.invalidChoice)

const replyBody = z
  .string({ error: e.replyRequired })
  .trim()
  .min(1, e.replyRequired)
  .max(COMMUNITY_LIMITS.replyMax, e.replyTooLong)

export const replyForm = z.object({
  body: replyBody,
  quoteReplyId: z
    .string()
    .optional()
    .transform((v) => (v && /^\d+$/.test(v) ? Number(v) : null)),
})

export const replyEditForm = z.object({ replyId: id, body: replyBody })

/** Deleting a reply names it; the thread is the page's own. */
export const replyTargetForm = z.object({ replyId: id })
