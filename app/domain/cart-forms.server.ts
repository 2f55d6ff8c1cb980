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

const personalisationField = z
  .string()
  .max(PERSONALISATION_INPUT_MAX, e.personalisationTooLong)
  .optional()
  .transform((v) => (v ?? '').trim())

/** add / buy (the product page's form) and update (a new quantity for a line in the cart). */
export const cartLineForm = z.object({
  productId: productIdField,
  qty: qtyField,
  personalisation: personalisationField,
})

/** The 立即购买 line of a /checkout URL: null when it has none, an error when it is malformed. */
export function parseBuyNow(search: URLSearchParams): { ok: true; line: CartLine } | { ok: false } | null {
  const productId = search.get('buy')
  if (productId === null) return null
  const parsed = cartLineForm.safeParse({ productId, qty: search.get('qty') ?? undefined, personalisation: search.get('p') ?? undefined })
  return parsed.success ? { ok: true, line: parsed.data } : { ok: false }
}

/** remove: one line, named by product and personalisation. */
export const removeFromCartForm = z.object({ productId: productIdField, personalisation: personalisationField })

