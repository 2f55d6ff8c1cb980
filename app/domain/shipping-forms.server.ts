// The admin's shipping forms (decision 048): the shop's rule (/admin/shipping) and a product's own
// fee (/admin/products/:id). Amounts are typed in 元 and kept in fen; a negative amount is refused
// with a field error, never stored (the tables' CHECKs are the last word).
import type { ShippingRule } from './shipping'
import { yuanToFen } from './drop'
import { t } from '~/i18n/zh-CN'
import type { FieldErrors, FormResult } from '~/utils/forms'

const e = t.shippingAdmin.errors

/** ¥10,000 per parcel is more than any fee; a larger number is a typo. */
const MAX_FEE_FEN = 1_000_000
/** The free-over amount may be larger than a fee, but not absurd. */
const MAX_THRESHOLD_FEN = 100_000_000

/** An amount in 元 ("10", "9.5", "¥12.00") as fen, or the reason it is not one; '' is null. */
function amount(value: FormDataEntryValue | null, max: number): { ok: true; fen: number | null } | { ok: false; error: string } {
  const text = String(value ?? '')
    .trim()
    .replace(/^[¥￥]/u, '')
    .replaceAll(',', '')
  if (text === '') return { ok: true, fen: null }
  if (/^-/u.test(text)) return { ok: false, error: e.negative }
  if (/^\d+\.\d{3,}$/u.test(text)) return { ok: false, error: e.decimals }
  const fen = yuanToFen(text)
  if (fen === null) return { ok: false, error: e.invalid }
  if (fen > max) return { ok: false, error: e.tooHigh }
  return { ok: true, fen }
}

/** The shop's rule: 每单运费 (required, 0 = all free) and 满额包邮 (optional). */
export function parseShippingRuleForm(formData: FormData): FormResult<ShippingRule> {
  const errors: FieldErrors = {}
  const flat = amount(formData.get('flatFee'), MAX_FEE_FEN)
  const freeOver = amount(formData.get('freeOver'), MAX_THRESHOLD_FEN)
  if (!flat.ok) errors.flatFee = flat.error
  else if (flat.fen === null) errors.flatFee = e.feeRequired
  if (!freeOver.ok) errors.freeOver = freeOver.error
  if (!flat.ok || flat.fen === null || !freeOver.ok) return { ok: false, errors }
  return { ok: true, data: { flatFeeFen: flat.fen, freeOverFen: freeOver.fen } }
}

export const PRODUCT_SHIPPING_MODES = ['default', 'free', 'fee'] as const

/** A product's own fee: the shop's rule (null), 包邮 (0) or an amount of its own. */
export function parseProductShippingForm(formData: FormData): FormResult<{ feeFen: number | null }> {
  const mode = formData.get('shippingMode')
  if (mode === 'default') return { ok: true, data: { feeFen: null } }
  if (mode === 'free') return { ok: true, data: { feeFen: 0 } }
  if (mode !== 'fee') return { ok: false, errors: { shippingMode: e.mode } }
  const fee = amount(formData.get('shippingFee'), MAX_FEE_FEN)
  if (!fee.ok) return { ok: false, errors: { shippingFee: fee.error } }
  if (fee.fen === null) return { ok: false, errors: { shippingFee: e.feeRequired } }
  return { ok: true, data: { feeFen: fee.fen } }
}
