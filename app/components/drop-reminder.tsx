import { Form, useNavigation } from '@remix-run/react'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }

const r = t.notifications.remind

/** 「开启提醒」 on the drop page before it opens: one reminder ten minutes before opening. */
export function DropReminder({ dropId, on }: { dropId: number; on: boolean }) {
  const submitting = useNavigation().formData?.get('intent') === 'remind'
  if (on) {
    return (
      <p className="rounded-lg bg-white/15 px-3 py-2 text-sm font-medium text-white">
        {r.on}
      </p>
    )
  }
  return (
    <Form method="post" className="space-y-2">
      <input type="hidden" name="dropId" value={dropId} />
      <button
        type="submit"
        name="intent"
        value="remind"
        disabled={submitting}
        className="rounded-lg bg-white px-4 py-2 text-sm font-semibold text-brand-800 shadow-sm hover:bg-brand-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white disabled:opacity-60"
      >
        {r.button}
      </button>
      <p className="text-xs leading-relaxed text-brand-50">{r.help}</p>
    </Form>
  )
}
