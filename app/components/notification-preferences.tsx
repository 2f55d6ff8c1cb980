import { Form } from '@remix-run/react'
import { Button, Card } from '~/components/ui'
import { preferenceField, type NotificationKindName, type OptionalChannel } from '~/domain/notification'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }

const n = t.notifications
const SLOTS: readonly OptionalChannel[] = ['email', 'wechat']

export interface NotificationPreferencesProps {
  kinds: { kind: NotificationKindName; channels: { channel: OptionalChannel; enabled: boolean }[] }[]
  wechatLinked: boolean
  busy: boolean
}

/** /account's card: per kind, a switch for each channel it offers (the bell is always on). */
export function NotificationPreferences({ kinds, wechatLinked, busy }: NotificationPreferencesProps) {
  return (
    <Card>
      <h2 id="notification-prefs-title" className="text-lg font-semibold">
        {n.prefsTitle}
      </h2>
      <p className="mt-1 text-sm text-stone-600">
        {n.prefsHelp}
        {wechatLinked ? null : ` ${n.prefsWechatUnlinked}`}
      </p>
      <Form method="post" className="mt-4 space-y-3" aria-labelledby="notification-prefs-title">
        <input type="hidden" name="intent" value="notifications" />
        <ul className="divide-y divide-stone-100 rounded-xl border border-stone-200">
          {kinds.map(({ kind, channels }) => (
            <li key={kind}>
              <fieldset className="flex items-center justify-between gap-3 px-3 py-2.5">
                <legend className="float-left min-w-0 text-sm text-stone-800">{n.kinds[kind]}</legend>
                {/* Fixed slots, so the 邮件 and 微信 switches line up down the card. */}
                <span className="flex shrink-0">
                  {SLOTS.map((slot) => {
                    const choice = channels.find((c) => c.channel === slot)
                    return (
                      <span key={slot} className="w-16 text-right">
                        {choice ? (
                          <label className="inline-flex items-center gap-1.5 text-sm text-stone-700">
                            <input
                              type="checkbox"
                              name={preferenceField(kind, slot)}
                              defaultChecked={choice.enabled}
                              className="h-4 w-4 accent-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
                            />
                            {n.channels[slot]}
                          </label>
                        ) : null}
                      </span>
                    )
                  })}
                </span>
              </fieldset>
            </li>
          ))}
        </ul>
        <Button variant="secondary" disabled={busy}>
          {n.prefsSave}
        </Button>
      </Form>
    </Card>
  )
}
