// The 运费 line of an order of goods (the buyer's and the admin's order pages) shows the fee the order
// stored when it was placed, or 包邮 (decision 048). Orders of other kinds ship nothing and show none.
import { Form } from '@remix-run/react'
import { Field } from '~/components/field'
import { Button } from '~/components/ui'
import { shippingZhCN } from '~/i18n/shipping.zh-CN'
import { shippingAdminZhCN } from '~/i18n/shippingAdmin.zh-CN'
import { formatFen } from '~/utils/format'

export function OrderShippingFee({ kind, feeFen, className = '' }: { kind: string; feeFen: number; className?: string }) {
  if (kind !== 'goods') return null
  return (
    <p className={`flex justify-between text-sm text-stone-600 ${className}`}>
      <span>{shippingZhCN.fee}</span>
      <span className="tabular-nums">{shippingZhCN.amount(feeFen > 0 ? formatFen(feeFen) : null)}</span>
    </p>
  )
}

export interface ProductShippingValues {
  mode: 'default' | 'free' | 'fee'
  /** The product's own fee in 元, when it has one. */
  fee: string
  /** The shop's rule in words, for the 「按店铺规则」 choice. */
  rule: string
}

/**
 * The product's own shipping fee on its admin page (its own form, intent 「shipping」): the shop's
 * rule, 包邮, or an amount of its own.
 */
export function ProductShippingForm({ values, errors, busy }: { values: ProductShippingValues; errors: Partial<Record<string, string>>; busy: boolean }) {
  const s = shippingAdminZhCN
  const choices = [
    { value: 'default', label: s.modeDefault(values.rule) },
    { value: 'free', label: s.modeFree },
    { value: 'fee', label: s.modeFee },
  ] as const
  return (
    <Form method="post" noValidate className="grid gap-3">
      <input type="hidden" name="intent" value="shipping" />
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-stone-700">{s.productMode}</legend>
        <div className="grid gap-1.5">
          {choices.map((choice) => (
            <label key={choice.value} className="flex items-center gap-2 text-sm text-stone-800">
              <input type="radio" name="shippingMode" value={choice.value} defaultChecked={values.mode === choice.value} className="size-4 accent-brand-700" />
              {choice.label}
            </label>
          ))}
        </div>
        {errors.shippingMode ? (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {errors.shippingMode}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
        <Field label={s.productFee} name="shippingFee" inputMode="decimal" defaultValue={values.fee} error={errors.shippingFee} />
        <Button type="submit" variant="secondary" disabled={busy} className="sm:mt-6">
          {s.productSave}
        </Button>
      </div>
    </Form>
  )
}
