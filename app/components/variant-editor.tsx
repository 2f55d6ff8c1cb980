// The product editor's 规格 card (decision 047): the options (name and values, up to three), and
// once saved, one row per variant with its stock, price offset and SKU. Two forms, each working
// without JavaScript: saving the options makes the rows; the rows are then saved together.
import { Form } from '@remix-run/react'
import { Field } from '~/components/field'
import { Button, Card } from '~/components/ui'
import { MAX_OPTIONS, type ProductOption } from '~/domain/variants'
import { variantAdminZhCN } from '~/i18n/variantAdmin.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const v = variantAdminZhCN

export interface VariantRow {
  id: number
  label: string
  capacity: number | null
  sold: number
  held: number
  offsetYuan: string
  sku: string
}

export function VariantEditor({
  options,
  rows,
  optionErrors,
  variantErrors,
  busy,
}: {
  options: readonly ProductOption[]
  rows: readonly VariantRow[]
  optionErrors: Partial<Record<string, string>>
  variantErrors: Partial<Record<string, string>>
  busy: boolean
}) {
  return (
    <Card>
      <h2 className="mb-1 text-base font-semibold text-stone-900">{v.title}</h2>
      <p className="mb-4 text-sm text-stone-600">{v.hint}</p>
      <Form method="post" className="space-y-3" noValidate>
        <input type="hidden" name="intent" value="options" />
        {optionErrors.options ? (
          <p role="alert" className="text-sm text-red-700">
            {optionErrors.options}
          </p>
        ) : null}
        {Array.from({ length: MAX_OPTIONS }, (_, index) => (
          <div key={index} className="grid gap-3 sm:grid-cols-[10rem_1fr]">
            <Field
              label={v.optionName(index + 1)}
              name={`optionName${index}`}
              defaultValue={options[index]?.name ?? ''}
              error={optionErrors[`optionName${index}`]}
              hint={index === 0 ? v.optionNameHint : undefined}
            />
            <Field
              label={v.optionValues(index + 1)}
              name={`optionValues${index}`}
              defaultValue={options[index]?.values.join('、') ?? ''}
              error={optionErrors[`optionValues${index}`]}
              hint={index === 0 ? v.optionValuesHint : undefined}
            />
          </div>
        ))}
        <Button type="submit" variant="secondary" disabled={busy}>
          {v.saveOptions}
        </Button>
      </Form>

      <h3 className="mb-2 mt-6 text-sm font-semibold text-stone-900">{v.table}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-stone-500">{v.none}</p>
      ) : (
        <Form method="post" className="space-y-3" noValidate>
          <input type="hidden" name="intent" value="variants" />
          {variantErrors.variants || variantErrors.form ? (
            <p role="alert" className="text-sm text-red-700">
              {variantErrors.variants ?? variantErrors.form}
            </p>
          ) : null}
          <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200">
            {rows.map((row) => (
              <li key={row.id} className="grid gap-3 p-3 sm:grid-cols-[7rem_1fr_1fr_1fr] sm:items-start">
                <div className="pt-1">
                  <p className="font-medium text-stone-900">{row.label}</p>
                  <p className="text-xs text-stone-500">{v.stock(row.sold, row.held)}</p>
                </div>
                <Field
                  label={`${row.label} ${v.capacity}`}
                  name={`capacity-${row.id}`}
                  defaultValue={row.capacity === null ? '' : String(row.capacity)}
                  inputMode="numeric"
                  error={variantErrors[`capacity-${row.id}`]}
                  hint={v.capacityHint}
                />
                <Field label={`${row.label} ${v.offset}`} name={`offset-${row.id}`} defaultValue={row.offsetYuan} error={variantErrors[`offset-${row.id}`]} hint={v.offsetHint} />
                <Field label={`${row.label} ${v.sku}`} name={`sku-${row.id}`} defaultValue={row.sku} autoComplete="off" error={variantErrors[`sku-${row.id}`]} />
              </li>
            ))}
          </ul>
          <Button type="submit" disabled={busy}>
            {v.saveVariants}
          </Button>
        </Form>
      )}
    </Card>
  )
}
