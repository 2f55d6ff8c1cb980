// Validation of the product editor's two variant forms (decision 047): the options (a name and
// its values, up to MAX_OPTIONS) and each variant's stock, price offset (元, may be negative) and
// SKU. Every field's error comes back at once, keyed by field name; nothing is stored on any.
// .server: kept out of the browser's script with the other form modules (decision 028).
import { yuanToFen } from './drop'
import { PRODUCT_LIMITS } from './product-forms.server'
import { MAX_OPTION_VALUES, MAX_OPTIONS, MAX_VARIANTS, combinations, type ProductOption } from './variants'
import { t } from '~/i18n/zh-CN'
import type { FieldErrors, FormResult } from '~/utils/forms'
import type { VariantInput } from '~/models/variant.server'

const e = t.variantAdmin.errors

const OPTION_NAME_MAX = 10
const OPTION_VALUE_MAX = 20
const SKU_PATTERN = /^[A-Za-z0-9_-]{1,40}$/

const text = (formData: FormData, name: string) => {
  const value = formData.get(name)
  return typeof value === 'string' ? value.trim() : ''
}

/** Values typed in one field, separated by commas (either width), 顿号 or new lines. */
function splitValues(typed: string) {
  return typed
    .split(/[,，、\n]/)
    .map((value) => value.trim())
    .filter((value) => value !== '')
}

/** `optionName<N>` and `optionValues<N>` for N < MAX_OPTIONS; a row left empty is no option. */
export function parseOptionsForm(formData: FormData): FormResult<ProductOption[]> {
  const errors: FieldErrors = {}
  const options: ProductOption[] = []
  for (let index = 0; index < MAX_OPTIONS; index++) {
    const name = text(formData, `optionName${index}`)
    const values = splitValues(text(formData, `optionValues${index}`))
    if (name === '' && values.length === 0) continue
    if (name === '') errors[`optionName${index}`] = e.optionNameRequired
    else if ([...name].length > OPTION_NAME_MAX) errors[`optionName${index}`] = e.optionNameTooLong
    else if (options.some((option) => option.name === name)) errors[`optionName${index}`] = e.optionNameTaken
    const repeated = values.find((value, i) => values.indexOf(value) !== i)
    if (values.length === 0) errors[`optionValues${index}`] = e.optionValuesRequired(name || `${index + 1}`)
    else if (values.some((value) => [...value].length > OPTION_VALUE_MAX)) errors[`optionValues${index}`] = e.optionValueTooLong
    else if (repeated !== undefined) errors[`optionValues${index}`] = e.optionValueRepeated(repeated)
    else if (values.length > MAX_OPTION_VALUES) errors[`optionValues${index}`] = e.tooManyValues(MAX_OPTION_VALUES)
    options.push({ name, values })
  }
  if (Object.keys(errors).length === 0 && combinations(options).length > MAX_VARIANTS && options.length > 0) errors.options = e.tooManyVariants(MAX_VARIANTS)
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, data: options }
}

/** An offset typed in 元, with an optional sign: "20", "+20", "-10", "12.50"; empty is 0. */
export function parseOffset(typed: string): number | null {
  const value = typed
    .replace(/^[¥￥]/, '')
    .replaceAll(',', '')
    .trim()
  if (value === '') return 0
  const sign = value.startsWith('-') ? -1 : 1
  const fen = yuanToFen(value.replace(/^[+-]/, ''))
  if (fen === null || fen > PRODUCT_LIMITS.priceMaxFen) return null
  return sign * fen
}

/** `capacity-<id>`, `offset-<id>` and `sku-<id>` for each of the product's variants (`ids`). */
export function parseVariantsForm(formData: FormData, ids: readonly number[]): FormResult<VariantInput[]> {
  const errors: FieldErrors = {}
  const rows: VariantInput[] = []
  const skus = new Map<string, number>()
  for (const id of ids) {
    const capacityText = text(formData, `capacity-${id}`)
    let capacity: number | null = null
    if (capacityText !== '') {
      if (!/^\d{1,7}$/.test(capacityText) || Number(capacityText) > PRODUCT_LIMITS.capacityMax) errors[`capacity-${id}`] = e.variantCapacityInvalid
      else capacity = Number(capacityText)
    }
    const offset = parseOffset(text(formData, `offset-${id}`))
    if (offset === null) errors[`offset-${id}`] = e.offsetInvalid
    const sku = text(formData, `sku-${id}`)
    if (sku !== '' && !SKU_PATTERN.test(sku)) errors[`sku-${id}`] = e.skuInvalid
    else if (sku !== '' && skus.has(sku)) errors[`sku-${id}`] = e.skuRepeated
    if (sku !== '') skus.set(sku, id)
    rows.push({
      id,
      capacity,
      priceOffsetFen: offset ?? 0,
      sku: sku === '' ? null : sku,
    })
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, data: rows }
}
