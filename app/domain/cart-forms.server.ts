// What the cart actions and the 立即购买 link accept. .server: zod schemas are module-level code
// the client bundle cannot drop (decision 028); the cart's rules are in cart-forms.ts.
import { z } from 'zod'
import { PERSONALISATION_INPUT_MAX, type CartLine } from './cart-forms'
import { MAX_QTY_PER_LINE } from './product'
import { t } from '~/i18n/zh-CN'

const e = t.orders.cart.errors

/** 1..99 written as plain digits: "0", "-1", "1.5", "1e3", "１", "" and "abc" are all refused. */
export const qtyField = z
  .string({ error: e.qty })
  .trim()
  .regex(/^\d{1,3}$/, e.qty)
  .transform(Number)
  .pipe(z.number().int(e.qty).min(1, e.qty).max(MAX_QTY_PER_LINE, e.qty))

const productIdField = z
  .string({ error: e.unavailable })
  .trim()
  .regex(/^[1-9]\d{0,9}$/, e.unavailable)
  .transform(Number)

/** A variant's id from a hidden field or the 立即购买 link; absent or empty = none chosen. */
const variantIdField = z
  .string({ error: e.unavailable })
  .trim()
  .regex(/^([1-9]\d{0,9})?$/, e.unavailable)
  .optional()
  .transform((value) => (value ? Number(value) : null))

const personalisationField = z
  .string()
  .max(PERSONALISATION_INPUT_MAX, e.personalisationTooLong)
  .optional()
  .transform((v) => (v ?? '').trim())

/** add / buy (the product page's form) and update (a new quantity for a line in the cart). */
export const cartLineForm = z.object({
  productId: productIdField,
  variantId: variantIdField,
  qty: qtyField,
  personalisation: personalisationField,
})

/** The 立即购买 line of a /checkout URL: null when it has none, an error when it is malformed. */
export function parseBuyNow(search: URLSearchParams): { ok: true; line: CartLine } | { ok: false } | null {
  const productId = search.get('buy')
  if (productId === null) return null
  const parsed = cartLineForm.safeParse({ productId, variantId: search.get('v') ?? undefined, qty: search.get('qty') ?? undefined, personalisation: search.get('p') ?? undefined })
  return parsed.success ? { ok: true, line: parsed.data } : { ok: false }
}

/** remove: one line, named by product and personalisation. */
export const removeFromCartForm = z.object({ productId: productIdField, variantId: variantIdField, personalisation: personalisationField })

/**
 * The product page's option pickers (`option0`, `option1` …, one value each, decision 047): the
 * variant they name, resolved by the caller against the product. An option not chosen is null.
 */
export function chosenOptionValues(formData: FormData, optionCount: number): (string | null)[] {
  return Array.from({ length: optionCount }, (_, index) => {
    const value = formData.get(`option${index}`)
    return typeof value === 'string' && value !== '' ? value : null
  })
}

