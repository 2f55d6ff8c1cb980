// Validation of the product editor (/admin/products): money typed in 元, the sale window in
// site time, stock and personalisation settings. Pure; the route passes the tiers, categories
// and time zone it loaded. Every field's error comes back at once, keyed by field name.
// .server: zod schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { fenToYuan, parseLocalDateTime, toLocalDateTimeValue, yuanToFen } from './drop'
import type { FieldErrors, FormResult } from '~/utils/forms'
import type { GatedVisibility } from '../../db/schema'
import { GATED_VISIBILITY } from './enums'
import { t } from '~/i18n/zh-CN'

const e = t.shop.admin.errors

export const PRODUCT_LIMITS = {
  slugMax: 60,
  titleMax: 60,
  summaryMax: 200,
  descriptionMax: 20_000,
  /** The most a price may be: ¥1,000,000 (in fen). */
  priceMaxFen: 1_000_000_00,
  capacityMax: 1_000_000,
  perMemberLimitMax: 99,
  personalisationLabelMax: 10,
  personalisationLengthMax: 50,
} as const

/** Everything the product model needs to create or update a product. */
export interface ProductInput {
  slug: string
  title: string
  categoryId: number
  summary: string
  description: string
  priceFen: number
  /** Member prices by tier id; tiers without one are absent. */
  tierPrices: { tierId: number; priceFen: number }[]
  minRank: number
  gatedVisibility: GatedVisibility
  saleStartsAt: Date | null
  saleEndsAt: Date | null
  limitedEdition: boolean
  perMemberLimit: number | null
  personalisationLabel: string | null
  personalisationMaxLength: number | null
  mystery: boolean
  published: boolean
}

/** An amount typed in 元 ("68", "68.5", "68.50") as integer fen, or the reason it is not one. */
export function parseYuan(value: string): { ok: true; fen: number } | { ok: false; error: string } {
  const text = value.trim().replace(/^[¥￥]/, '').replaceAll(',', '')
  if (text === '') return { ok: false, error: e.priceRequired }
  if (text.startsWith('-')) return { ok: false, error: e.priceNegative }
  if (/^\d+\.\d{3,}$/.test(text)) return { ok: false, error: e.priceDecimals }
  const fen = yuanToFen(text)
  if (fen === null) return { ok: false, error: e.priceInvalid }
  if (fen > PRODUCT_LIMITS.priceMaxFen) return { ok: false, error: e.priceTooHigh }
  return { ok: true, fen }
}

const checkbox = z
  .literal('on', { error: t.errors.invalidChoice })
  .optional()
  .transform((v) => v === 'on')

/** An optional whole number in [min, max] from a text input: empty means none. */
function optionalWhole(min: number, max: number, message: string) {
  return z
    .string({ error: message })
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return Number(value)
    })
}

const price = z.string({ error: e.priceRequired }).transform((value, ctx) => {
  const parsed = parseYuan(value)
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error })
    return z.NEVER
  }
  if (parsed.fen === 0) {
    ctx.addIssue({ code: 'custom', message: e.priceZero })
    return z.NEVER
  }
  return parsed.fen
})

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v ?? '')

export const productFields = z.object({
  slug: z
    .string({ error: e.slugRequired })
    .trim()
    .toLowerCase()
    .min(1, e.slugRequired)
    .max(PRODUCT_LIMITS.slugMax, e.slugTooLong)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, e.slugInvalid),
  title: z.string({ error: e.titleRequired }).trim().min(1, e.titleRequired).max(PRODUCT_LIMITS.titleMax, e.titleTooLong),
  categoryId: z.coerce.number({ error: e.categoryRequired }).int(e.categoryRequired).positive(e.categoryRequired),
  summary: optionalText(PRODUCT_LIMITS.summaryMax, e.summaryTooLong),
  description: optionalText(PRODUCT_LIMITS.descriptionMax, e.descriptionTooLong),
  price,
  minRank: z.coerce.number({ error: e.tierInvalid }).int(e.tierInvalid).min(0, e.tierInvalid),
  gatedVisibility: z.enum(GATED_VISIBILITY, { error: t.errors.invalidChoice }).optional().default('visible'),
  saleStartsAt: z.string().trim().optional(),
  saleEndsAt: z.string().trim().optional(),
  capacity: optionalWhole(1, PRODUCT_LIMITS.capacityMax, e.capacityInvalid),
  limitedEdition: checkbox,
  perMemberLimit: optionalWhole(1, PRODUCT_LIMITS.perMemberLimitMax, e.perMemberLimitInvalid),
  personalisationLabel: z
    .string()
    .trim()
    .max(PRODUCT_LIMITS.personalisationLabelMax, e.personalisationLabelTooLong)
    .optional()
    .transform((v) => v || null),
  personalisationMaxLength: optionalWhole(1, PRODUCT_LIMITS.personalisationLengthMax, e.personalisationLengthInvalid),
  mystery: checkbox,
  published: checkbox,
})

export interface ProductFormContext {
  /** Every tier (rank 0 is "everyone"). */
  tiers: readonly { id: number; rank: number }[]
  categoryIds: readonly number[]
  timeZone: string
  /**
   * Creating: the form's capacity field is read. Editing: capacity is changed by the stock form,
   * so the product's current capacity is given here (a limited edition needs one).
   */
  mode: { kind: 'create' } | { kind: 'edit'; capacity: number | null }
}

/** The field name of a tier's member price. */
export const tierPriceField = (rank: number) => `tierPrice_${rank}`

/**
 * Parses the product editor. On success `capacity` is the new product's capacity (create) or
 * the unchanged current one (edit).
 */
export function parseProductForm(
  formData: FormData,
  context: ProductFormContext,
): FormResult<ProductInput & { capacity: number | null }> {
  const values: Record<string, FormDataEntryValue> = {}
  for (const [key, value] of formData) values[key] = value
  if (context.mode.kind === 'edit') delete values.capacity
  const errors: FieldErrors = {}
  const result = productFields.safeParse(values)
  if (!result.success) {
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message
  }
  const fields = result.success ? result.data : null

  // Member prices: one optional field per paid tier.
  const tierPrices: { tierId: number; priceFen: number }[] = []
  for (const tier of context.tiers) {
    if (tier.rank <= 0) continue
    const name = tierPriceField(tier.rank)
    const raw = formData.get(name)
    if (typeof raw !== 'string' || raw.trim() === '') continue
    const parsed = parseYuan(raw)
    if (!parsed.ok) errors[name] = parsed.error
    else if (parsed.fen === 0) errors[name] = e.priceZero
    else if (fields && parsed.fen >= fields.price) errors[name] = e.memberPriceNotLower
    else tierPrices.push({ tierId: tier.id, priceFen: parsed.fen })
  }

  const saleStartsAt = readDateTime(values.saleStartsAt, context.timeZone, 'saleStartsAt', errors)
  const saleEndsAt = readDateTime(values.saleEndsAt, context.timeZone, 'saleEndsAt', errors)
  if (saleStartsAt && saleEndsAt && saleEndsAt <= saleStartsAt) errors.saleEndsAt ??= e.saleWindowOrder

  if (!fields) return { ok: false, errors }

  if (!context.categoryIds.includes(fields.categoryId)) errors.categoryId ??= e.categoryRequired
  if (!context.tiers.some((tier) => tier.rank === fields.minRank)) errors.minRank ??= e.tierInvalid
  const capacity = context.mode.kind === 'edit' ? context.mode.capacity : fields.capacity
  if (fields.limitedEdition && capacity === null) {
    errors[context.mode.kind === 'edit' ? 'limitedEdition' : 'capacity'] ??= e.limitedNeedsCapacity
  }
  if (fields.personalisationLabel && fields.personalisationMaxLength === null) errors.personalisationMaxLength ??= e.personalisationLengthRequired
  if (!fields.personalisationLabel && fields.personalisationMaxLength !== null) errors.personalisationLabel ??= e.personalisationLabelRequired
  if (fields.mystery && !fields.summary) errors.summary ??= e.mysteryNeedsSummary

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    data: {
      slug: fields.slug,
      title: fields.title,
      categoryId: fields.categoryId,
      summary: fields.summary,
      description: fields.description,
      priceFen: fields.price,
      tierPrices,
      minRank: fields.minRank,
      gatedVisibility: fields.minRank > 0 ? fields.gatedVisibility : 'visible',
      saleStartsAt,
      saleEndsAt,
      capacity,
      limitedEdition: fields.limitedEdition,
      perMemberLimit: fields.perMemberLimit,
      personalisationLabel: fields.personalisationLabel,
      personalisationMaxLength: fields.personalisationLabel ? fields.personalisationMaxLength : null,
      mystery: fields.mystery,
      published: fields.published,
    },
  }
}

function readDateTime(value: FormDataEntryValue | undefined, timeZone: string, field: string, errors: FieldErrors) {
  if (typeof value !== 'string' || value.trim() === '') return null
  const instant = parseLocalDateTime(value.trim(), timeZone)
  if (!instant) errors[field] ??= t.errors.dateInvalid
  return instant
}

/** The stock form: a new capacity, blank for unlimited. */
export const capacityForm = z.object({
  capacity: optionalWhole(0, PRODUCT_LIMITS.capacityMax, e.capacityInvalid),
})

/** Image actions on the product page: move one up or down, delete one, or set its alt text. */
export const imageActionForm = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('move'),
    imageId: z.coerce.number({ error: t.errors.invalidChoice }).int().positive(),
    direction: z.enum(['up', 'down'], { error: t.errors.invalidChoice }),
  }),
  z.object({ intent: z.literal('delete'), imageId: z.coerce.number({ error: t.errors.invalidChoice }).int().positive() }),
])

/** What the editor's fields show (strings as typed, booleans for checkboxes). */
export interface ProductEditorValues {
  slug: string
  title: string
  categoryId: string
  summary: string
  description: string
  price: string
  /** Member price typed per tier rank. */
  tierPrices: Record<string, string>
  minRank: string
  gatedVisibility: string
  saleStartsAt: string
  saleEndsAt: string
  capacity: string
  limitedEdition: boolean
  perMemberLimit: string
  personalisationLabel: string
  personalisationMaxLength: string
  mystery: boolean
  published: boolean
}

type EditedProduct = Omit<ProductInput, 'tierPrices'> & { tierPrices: readonly { tierRank: number; priceFen: number }[]; capacity: number | null }

/** The editor's fields for a saved product (or a blank form when there is none). */
export function productEditorValues(product: EditedProduct | null, { timeZone, categoryId }: { timeZone: string; categoryId: number | null }): ProductEditorValues {
  const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n))
  return {
    slug: product?.slug ?? '',
    title: product?.title ?? '',
    categoryId: text(product?.categoryId ?? categoryId),
    summary: product?.summary ?? '',
    description: product?.description ?? '',
    price: product ? fenToYuan(product.priceFen) : '',
    tierPrices: Object.fromEntries((product?.tierPrices ?? []).map((tp) => [String(tp.tierRank), fenToYuan(tp.priceFen)])),
    minRank: text(product?.minRank ?? 0),
    gatedVisibility: product?.gatedVisibility ?? 'visible',
    saleStartsAt: product?.saleStartsAt ? toLocalDateTimeValue(product.saleStartsAt, timeZone) : '',
    saleEndsAt: product?.saleEndsAt ? toLocalDateTimeValue(product.saleEndsAt, timeZone) : '',
    capacity: text(product?.capacity),
    limitedEdition: product?.limitedEdition ?? false,
    perMemberLimit: text(product?.perMemberLimit),
    personalisationLabel: product?.personalisationLabel ?? '',
    personalisationMaxLength: text(product?.personalisationMaxLength),
    mystery: product?.mystery ?? false,
    published: product?.published ?? false,
  }
}

/** The editor's fields as submitted, to show them again next to their errors. */
export function submittedEditorValues(formData: FormData): ProductEditorValues {
  const get = (name: string) => {
    const value = formData.get(name)
    return typeof value === 'string' ? value : ''
  }
  const tierPrices: Record<string, string> = {}
  for (const [key, value] of formData) {
    const match = /^tierPrice_(\d+)$/.exec(key)
    if (match && typeof value === 'string') tierPrices[match[1]!] = value
  }
  return {
    slug: get('slug'),
    title: get('title'),
    categoryId: get('categoryId'),
    summary: get('summary'),
    description: get('description'),
    price: get('price'),
    tierPrices,
    minRank: get('minRank'),
    gatedVisibility: get('gatedVisibility'),
    saleStartsAt: get('saleStartsAt'),
    saleEndsAt: get('saleEndsAt'),
    capacity: get('capacity'),
    limitedEdition: get('limitedEdition') === 'on',
    perMemberLimit: get('perMemberLimit'),
    personalisationLabel: get('personalisationLabel'),
    personalisationMaxLength: get('personalisationMaxLength'),
    mystery: get('mystery') === 'on',
    published: get('published') === 'on',
  }
}
