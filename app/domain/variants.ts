// Product variants (decision 047): a product's options (尺码 S/M/L/XL, 颜色 …) and the variants,
// one per combination of their values, each with its own stock, price offset and SKU. Pure and
// small: the product page's pickers run this in the browser. A product without options has no
// variants and sells from its own stock, as before.
import { availableUnits, type StockLevels } from './product'

export interface ProductOption {
  name: string
  values: string[]
}

/** Options a product may have, values an option may have (有赞 and Shopify allow 3 options). */
export const MAX_OPTIONS = 3
export const MAX_OPTION_VALUES = 20
export const MAX_VARIANTS = 60

export interface VariantLevels {
  id: number
  /** One value per option of the product, in the options' order. */
  optionValues: string[]
  priceOffsetFen: number
  stock: StockLevels
}

/** How a chosen variant reads on a line, an order and a receipt: 「尺码：L」, 「尺码：L，颜色：黑」. */
export function variantLabel(options: readonly ProductOption[], values: readonly string[]) {
  return options.map((option, index) => `${option.name}：${values[index] ?? ''}`).join('，')
}

/** The variant with exactly these values, or undefined (some value missing or no such combination). */
export function findVariant<V extends Pick<VariantLevels, 'optionValues'>>(variants: readonly V[], values: readonly (string | null)[]): V | undefined {
  return variants.find((variant) => variant.optionValues.length === values.length && variant.optionValues.every((value, index) => value === values[index]))
}

/**
 * Whether choosing `value` for option `index` can still lead to a variant with units left, given
 * the other options chosen so far (null = not chosen): what marks a picker's value 售罄.
 */
export function valueAvailable(variants: readonly VariantLevels[], index: number, value: string, chosen: readonly (string | null)[]) {
  return variants.some(
    (variant) =>
      variant.optionValues[index] === value &&
      variant.optionValues.every((v, i) => i === index || chosen[i] === null || chosen[i] === undefined || chosen[i] === v) &&
      availableUnits(variant.stock) !== 0
  )
}

/** Every combination of the options' values, in the options' order (the variants an editor starts from). */
export function combinations(options: readonly ProductOption[]): string[][] {
  return options.reduce<string[][]>((combos, option) => combos.flatMap((combo) => option.values.map((value) => [...combo, value])), [[]])
}

/** Units over several stock rows (a product's variants): null capacity anywhere = unlimited. */
export function sumLevels(levels: readonly StockLevels[]): StockLevels {
  return {
    capacity: levels.some((l) => l.capacity === null) ? null : levels.reduce((sum, l) => sum + l.capacity!, 0),
    sold: levels.reduce((sum, l) => sum + l.sold, 0),
    held: levels.reduce((sum, l) => sum + l.held, 0),
  }
}
