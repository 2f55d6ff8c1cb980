import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { HeaderIconLink } from './header-icon-link'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }

/** The header's bell: a link to /notifications with the unread count, named for screen readers. */
export function NotificationBell({ unread }: { unread: number }) {
  return (
    <HeaderIconLink to="/notifications" label={t.notifications.bell(unread)} count={unread}>
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </HeaderIconLink>
  )
}
