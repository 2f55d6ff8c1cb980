// /admin/orders: what the list's query and the staff actions on one order accept. .server: zod
// schemas are module-level code the client bundle cannot drop (decision 028).
import { z } from 'zod'
import { ADMIN_ORDER_INTENTS, CARRIERS, type OrderFilters } from './admin-order-forms'
import { ORDER_KINDS, ORDER_STATES } from './enums'
import { startOfDateIn } from './time'
import { t } from '~/i18n/zh-CN'
import type { FormResult } from '~/utils/forms'

const a = t.adminOrders

const MAX_PAGE = 100_000

// An empty select or date input submits "": the same as leaving the filter out.
const blank = (v: unknown) => (v === '' ? undefined : v)
const calendarDate = z
  .string()
  .refine((v) => startOfDateIn(v, 'UTC') !== null, a.filters.badDate)
  .optional()

const filterQuery = z.object({
  state: z.preprocess(blank, z.enum(ORDER_STATES, { error: a.filters.badState }).optional()),
  product: z.preprocess(blank, z.string().regex(/^[1-9]\d{0,9}$/, a.filters.badProduct).optional()),
  from: z.preprocess(blank, calendarDate),
  to: z.preprocess(blank, calendarDate),
  kind: z.preprocess(blank, z.enum(ORDER_KINDS, { error: a.filters.badKind }).optional()),
  flagged: z.preprocess(blank, z.enum(['1'], { error: t.errors.invalidChoice }).optional()),
  page: z.preprocess(blank, z.string().regex(/^[1-9]\d{0,5}$/, a.filters.badPage).optional()),
})

/** Reads the filters (and page) from a URL's query; each bad parameter gets its message. */
export function parseOrderFilters(params: URLSearchParams): FormResult<OrderFilters & { page: number }> {
  const values: Record<string, string> = {}
  for (const key of ['state', 'product', 'from', 'to', 'kind', 'flagged', 'page']) {
    const value = params.get(key)
    if (value !== null) values[key] = value.trim()
  }
  const result = filterQuery.safeParse(values)
  const errors: Record<string, string> = {}
  for (const issue of result.error?.issues ?? []) errors[String(issue.path[0] ?? 'form')] ??= issue.message
  // Checked on its own so that it is reported next to any other mistake.
  const { from, to } = values
  if (from && to && !errors.from && !errors.to && to < from) errors.to = a.filters.toBeforeFrom
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors }
  const q = result.data
  return {
    ok: true,
    data: {
      state: q.state ?? null,
      productId: q.product ? Number(q.product) : null,
      from: q.from ?? null,
      to: q.to ?? null,
      kind: q.kind ?? null,
      flagged: q.flagged === '1',
      page: Math.min(Number(q.page ?? 1), MAX_PAGE),
    },
  }
}

export const intentForm = z.object({ intent: z.enum(ADMIN_ORDER_INTENTS, { error: a.errors.intent }) })

/** Mark shipped, or correct the tracking of a shipped order. */
export const shipmentForm = z.object({
  carrier: z.enum(CARRIERS, { error: a.errors.carrier }),
  // Typed numbers often carry spaces ("SF 1234 5678"); the stored form has none, upper case.
  trackingNumber: z
    .string({ error: a.errors.tracking })
    .transform((v) => v.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{6,30}$/, a.errors.tracking)),
})
export type ShipmentInput = z.output<typeof shipmentForm>

/** The refund button only counts after the confirm step. */
export const refundForm = z.object({ confirm: z.literal('yes', { error: a.errors.confirm }) })

const rowId = (message: string) => z.coerce.number({ error: message }).int(message).positive(message).max(Number.MAX_SAFE_INTEGER, message)

export const clearFlagForm = z.object({
  flagId: rowId(a.errors.flagId),
  note: z.string({ error: a.errors.note }).trim().min(1, a.errors.note).max(200, a.errors.note),
})

/** 退回 a payment that was extra to the order (a second one, a wrong amount). */
export const refundPaymentForm = z.object({ paymentEventId: rowId(a.errors.paymentEventId), confirm: z.literal('yes', { error: a.errors.confirm }) })

export const retryRefundForm = z.object({ refundId: rowId(a.errors.refundId) })
