// .server: zod schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { STAFF_ROLES } from './enums'
import { t } from '~/i18n/zh-CN'

const id = z.coerce.number({ error: t.errors.invalidChoice }).int(t.errors.invalidChoice).positive(t.errors.invalidChoice)

export const setRoleForm = z.object({
  userId: id,
  role: z.enum(STAFF_ROLES, { error: t.errors.invalidChoice }),
})

export const grantMembershipForm = z.object({
  userId: id,
  tierId: id,
  validUntil: z.string({ error: t.errors.dateInvalid }).regex(/^\d{4}-\d{2}-\d{2}$/, t.errors.dateInvalid),
  note: z.string().trim().max(200, '备注不能超过 200 个字符').optional().default(''),
})

export const revokeMembershipForm = z.object({ userId: id, membershipId: id })
