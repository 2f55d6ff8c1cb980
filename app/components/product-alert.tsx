import { Form, useNavigation } from '@remix-run/react'
import type { ProductAlertKindName } from '~/domain/product-alert'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }

const a = t.notifications.productAlert

/** 「到货提醒」 on a sold-out product, 「开售提醒」 before its sale: pressing again turns it off. */
export function ProductAlertButton({ kind, on, error }: { kind: ProductAlertKindName; on: boolean; error?: string }) {
  const submitting = useNavigation().formData?.get('intent') === 'alert'
  return (
    <Form method="post" className="space-y-2" preventScrollReset>
      <input type="hidden" name="on" value={on ? '0' : '1'} />
      {on ? (
        <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm font-medium text-brand-800">{kind === 'back' ? a.backOn : a.onSaleOn}</p>
      ) : null}
      <button
        type="submit"
        name="intent"
        value="alert"
        disabled={submitting}
        aria-pressed={on}
        className={
          on
            ? 'w-full rounded-lg border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-700 hover:bg-stone-50 disabled:opacity-60'
            : 'w-full rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 disabled:opacity-60'
        }
      >
        {on ? a.cancel : kind === 'back' ? a.back : a.onSale}
      </button>
      {on ? null : <p className="text-xs leading-relaxed text-stone-500">{a.help}</p>}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Form>
  )
}
