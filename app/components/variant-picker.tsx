// The product page's option pickers (decision 047): one button per value, as 有赞 and Shopify
// show them. Each is a radio input named `option<N>` dressed as a button, so the choice posts
// with the buy form without JavaScript; with it, values that cannot lead to a variant with units
// left (given the other choices) are disabled and marked 售罄, and the page's price and stock
// follow the chosen variant.
import { valueAvailable, type ProductOption, type VariantLevels } from '~/domain/variants'
import { shopZhCN } from '~/i18n/shop.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const s = shopZhCN

export function VariantPicker({
  options,
  variants,
  chosen,
  onChoose,
  error,
}: {
  options: readonly ProductOption[]
  variants: readonly VariantLevels[]
  /** The value chosen for each option, null where none is yet. */
  chosen: readonly (string | null)[]
  onChoose: (index: number, value: string) => void
  /** Why the form cannot be sent yet (「请选择尺码」), shown above the pickers. */
  error?: string | null
}) {
  return (
    <div className="space-y-4">
      {error ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
      {options.map((option, index) => (
        <fieldset key={option.name}>
          <legend className="mb-2 text-sm font-medium text-stone-700">{option.name}</legend>
          <div className="flex flex-wrap gap-2">
            {option.values.map((value) => {
              const available = valueAvailable(variants, index, value, chosen)
              return (
                <label key={value} className="relative">
                  <input
                    type="radio"
                    name={`option${index}`}
                    value={value}
                    checked={chosen[index] === value}
                    disabled={!available}
                    onChange={() => onChoose(index, value)}
                    className="peer sr-only"
                  />
                  <span
                    className={`inline-flex min-h-11 min-w-12 cursor-pointer items-center justify-center gap-1 rounded-lg border px-3 text-sm transition peer-checked:border-brand-700 peer-checked:bg-brand-50 peer-checked:font-semibold peer-checked:text-brand-800 peer-focus-visible:ring-2 peer-focus-visible:ring-brand-600/40 ${
                      available ? 'border-stone-300 bg-white text-stone-800 hover:border-brand-600' : 'cursor-not-allowed border-dashed border-stone-300 bg-stone-50 text-stone-600'
                    }`}
                  >
                    <span className={available ? undefined : 'line-through'}>{value}</span>
                    {available ? null : <span className="text-xs">{s.variants.soldOut}</span>}
                  </span>
                </label>
              )
            })}
          </div>
        </fieldset>
      ))}
    </div>
  )
}
