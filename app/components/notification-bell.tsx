import { Link } from '@remix-run/react'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { notifications: notificationsZhCN }

/** The header's bell: a link to /notifications with the unread count, named for screen readers. */
export function NotificationBell({ unread }: { unread: number }) {
  const label = t.notifications.bell(unread)
  return (
    <Link
      to="/notifications"
      aria-label={label}
      title={label}
      className="relative flex h-9 w-9 items-center justify-center rounded-full text-stone-700 hover:bg-stone-100 hover:text-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
    >
      <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className="h-5 w-5">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span aria-hidden className="absolute -right-0.5 -top-0.5 min-w-[1.1rem] rounded-full bg-brand-700 px-1 text-center text-[11px] font-semibold leading-[1.1rem] text-white">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  )
}
