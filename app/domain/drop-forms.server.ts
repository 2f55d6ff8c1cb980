// Validation of the drop forms (admin create / edit / window actions, buyer actions). Pure:
// the caller passes the site time zone and `now`. Field names of a tier carry its tier id
// (price_2, capacity_2, validUntil_2, offered_2), so errors land next to the right input.
// .server: zod schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { parseLocalDateTime, yuanToFen } from './drop'
import { endOfValidityDate } from './time'
import { t } from '~/i18n/zh-CN'
import type { FieldErrors, FormResult } from '~/utils/forms'

const e = t.drops.errors

export const DROP_LIMITS = { nameMax: 60, announcementMax: 2000, capacityMax: 1_000_000, priceMaxFen: 100_000_000 } as const

const id = z.coerce.number({ error: e.tierInvalid }).int(e.tierInvalid).positive(e.tierInvalid)

const dropText = z.object({
  name: z.string({ error: e.nameRequired }).trim().min(1, e.nameRequired).max(DROP_LIMITS.nameMax, e.nameTooLong),
  announcement: z.string().trim().max(DROP_LIMITS.announcementMax, e.announcementTooLong).optional().default(''),
})

const localDateTimeField = (timeZone: string) =>
  z.string({ error: e.dateTimeInvalid }).transform((value, ctx) => {
    const instant = parseLocalDateTime(value.trim(), timeZone)
    if (!instant) {
      ctx.addIssue({ code: 'custom', message: e.dateTimeInvalid })
      return z.NEVER
    }
    return instant
  })

const priceField = z.string({ error: e.priceInvalid }).transform((value, ctx) => {
  const fen = yuanToFen(value)
  if (fen === null || fen <= 0 || fen > DROP_LIMITS.priceMaxFen) {
    ctx.addIssue({ code: 'custom', message: e.priceInvalid })
    return z.NEVER
  }
  return fen
})

const capacityField = z.string({ error: e.capacityInvalid }).transform((value, ctx) => {
  const trimmed = value.trim()
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > DROP_LIMITS.capacityMax) {
    ctx.addIssue({ code: 'custom', message: e.capacityInvalid })
    return z.NEVER
  }
  return Number(trimmed)
})

const validUntilField = (timeZone: string) =>
  z.string({ error: e.validUntilInvalid }).transform((value, ctx) => {
    const until = endOfValidityDate(value.trim(), timeZone)
    if (!until) {
      ctx.addIssue({ code: 'custom', message: e.validUntilInvalid })
      return z.NEVER
    }
    return until
  })

export interface DropTierInput {
  tierId: number
  priceFen: number
  capacity: number
  /** The instant memberships end: the start of the day after the chosen date (site time). */
  validUntil: Date
}

export interface DropInput {
  name: string
  announcement: string
  opensAt: Date
  closesAt: Date
  tiers: DropTierInput[]
}

/**
 * The whole drop form: name, window, announcement and each offered tier. `tierIds` are the paid
 * tiers the form shows; a tier is offered when its checkbox `offered_<id>` is on.
 */
export function parseDropForm(formData: FormData, { tierIds, timeZone }: { tierIds: readonly number[]; timeZone: string }): FormResult<DropInput> {
  const errors: FieldErrors = {}
  const take = <T>(field: string, schema: z.ZodType<T>): T | undefined => {
    const result = schema.safeParse(formData.get(field) ?? undefined)
    if (result.success) return result.data
    errors[field] ??= result.error.issues[0]?.message ?? e.dateTimeInvalid
    return undefined
  }
  const text = dropText.safeParse({ name: formData.get('name') ?? undefined, announcement: formData.get('announcement') ?? undefined })
  if (!text.success) for (const issue of text.error.issues) errors[String(issue.path[0])] ??= issue.message
  const opensAt = take('opensAt', localDateTimeField(timeZone))
  const closesAt = take('closesAt', localDateTimeField(timeZone))
  if (opensAt && closesAt && closesAt <= opensAt) errors.closesAt = e.closesBeforeOpens

  const tiers: DropTierInput[] = []
  for (const tierId of tierIds) {
    if (formData.get(`offered_${tierId}`) !== 'on') continue
    const priceFen = take(`price_${tierId}`, priceField)
    const capacity = take(`capacity_${tierId}`, capacityField)
    const validUntil = take(`validUntil_${tierId}`, validUntilField(timeZone))
    if (validUntil && closesAt && validUntil <= closesAt) errors[`validUntil_${tierId}`] ??= e.validUntilBeforeClose
    if (priceFen !== undefined && capacity !== undefined && validUntil) tiers.push({ tierId, priceFen, capacity, validUntil })
  }
  if (!tierIds.some((tierId) => formData.get(`offered_${tierId}`) === 'on')) errors.tiers = e.noTiers

  if (Object.keys(errors).length > 0 || !text.success || !opensAt || !closesAt) return { ok: false, errors }
  return { ok: true, data: { ...text.data, opensAt, closesAt, tiers } }
}

/**
 * The edit form once a drop has opened: texts and capacities. Prices and validity may come along
 * (read-only inputs); they are parsed so that the model can refuse a changed one.
 */
export interface OpenDropEdit {
  name: string
  announcement: string
  tiers: { tierId: number; capacity: number; priceFen?: number; validUntil?: Date }[]
}

export function parseOpenDropEditForm(
  formData: FormData,
  { tierIds, timeZone }: { tierIds: readonly number[]; timeZone: string },
): FormResult<OpenDropEdit> {
  const errors: FieldErrors = {}
  const take = <T>(field: string, schema: z.ZodType<T>): T | undefined => {
    const value = formData.get(field)
    if (value === null) return undefined
    const result = schema.safeParse(value)
    if (result.success) return result.data
    errors[field] ??= result.error.issues[0]?.message ?? e.capacityInvalid
    return undefined
  }
  const text = dropText.safeParse({ name: formData.get('name') ?? undefined, announcement: formData.get('announcement') ?? undefined })
  if (!text.success) for (const issue of text.error.issues) errors[String(issue.path[0])] ??= issue.message
  const tiers: OpenDropEdit['tiers'] = []
  for (const tierId of tierIds) {
    if (formData.get(`capacity_${tierId}`) === null) errors[`capacity_${tierId}`] = e.capacityInvalid
    const capacity = take(`capacity_${tierId}`, capacityField)
    const priceFen = take(`price_${tierId}`, priceField)
    const validUntil = take(`validUntil_${tierId}`, validUntilField(timeZone))
    if (capacity !== undefined) tiers.push({ tierId, capacity, priceFen, validUntil })
  }
  if (!text.success || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, data: { ...text.data, tiers } }
}

export const extendDropForm = (timeZone: string) => z.object({ closesAt: localDateTimeField(timeZone) })

/** The buyer's forms on /membership: a drop tier of the drop the page showed. */
export const buySeatForm = z.object({ dropId: id, dropTierId: id })
export const joinWaitlistForm = buySeatForm
export const upgradeForm = buySeatForm

export const DROP_INTENTS = ['buy', 'waitlist', 'upgrade'] as const
export const ADMIN_DROP_INTENTS = ['edit', 'open_now', 'close_now', 'extend'] as const
