// What each notification kind is and where it may go (docs/decisions/023-notifications.md): a
// small module without server imports, so /account and the bell can read it.
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }
export const NOTIFICATION_KIND_LIST = ['thread_reply', 'comment_reply', 'order_shipped', 'refund_done', 'drop_opening', 'news', 'mention', 'membership_expiring', 'product_back', 'product_on_sale'] as const
export type NotificationKindName = (typeof NOTIFICATION_KIND_LIST)[number]
export type OptionalChannel = 'email' | 'wechat'

/**
 * The channels a reader may switch per kind (in-site is always on: it is the bell). A shipment
 * and a refund send their own transactional email, so their notifications offer no second one; the news
 * kind is the old 「接收会员招募、商城上新等通知」 email preference.
 */
export const KIND_CHANNELS: Record<NotificationKindName, readonly OptionalChannel[]> = {
  thread_reply: ['email', 'wechat'],
  comment_reply: ['email', 'wechat'],
  order_shipped: ['wechat'],
  refund_done: ['wechat'],
  drop_opening: ['email', 'wechat'],
  news: ['email'],
  mention: ['email', 'wechat'],
  membership_expiring: ['email', 'wechat'],
  product_back: ['email', 'wechat'],
  product_on_sale: ['email', 'wechat'],
}

/** The default when a reader never chose: every offered channel on. */
export function defaultEnabled(kind: NotificationKindName, channel: OptionalChannel) {
  return KIND_CHANNELS[kind].includes(channel)
}

export interface PreferenceRow {
  kind: NotificationKindName
  channel: string
  enabled: boolean
}

/** Whether this reader wants this kind on this channel: their stored choice, else the default. */
export function wantsChannel(rows: readonly PreferenceRow[], kind: NotificationKindName, channel: OptionalChannel) {
  if (!KIND_CHANNELS[kind].includes(channel)) return false
  return rows.find((row) => row.kind === kind && row.channel === channel)?.enabled ?? defaultEnabled(kind, channel)
}

/** Field name of one kind × channel switch in the preferences form. */
export const preferenceField = (kind: NotificationKindName, channel: OptionalChannel) => `${kind}.${channel}`

/** Minutes before a drop opens that readers who asked get their reminder. */
export const DROP_REMINDER_LEAD_MS = 10 * 60_000

/** The data a notification carries: what its title needs, and `path`, the page it opens. */
export type NotificationData = Record<string, string | number>

/** The one sentence a notification says, on the bell's page, in its email and on WeChat. */
export function notificationTitle(kind: NotificationKindName, data: NotificationData): string {
  const title = t.notifications.titles[kind] as (d: NotificationData) => string
  return title(data)
}
