import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Badge, Button, EmptyState, PageTitle } from '~/components/ui'
import { notificationTitle } from '~/domain/notification'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '~/models/notification.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { errors: errorsZhCN, notifications: notificationsZhCN, site: siteZhCN }

const n = t.notifications

export const meta: MetaFunction = () => [{ title: `${n.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const rows = await listNotifications(user.id)
  return {
    timeZone: getEnv().SITE_TIMEZONE,
    notifications: rows.map((row) => ({
      id: row.id,
      title: notificationTitle(row.kind, row.data),
      path: String(row.data.path ?? '/'),
      read: row.readAt !== null,
      createdAt: row.createdAt.getTime(),
    })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData()
  if (form.get('intent') === 'read-all') {
    await markAllNotificationsRead({ userId: user.id })
    return redirectWithFlash('/notifications', { kind: 'success', message: n.allRead })
  }
  const id = Number(form.get('id'))
  // Only the signed-in reader's own notification changes (ownership is in the query).
  if (form.get('intent') !== 'read' || !Number.isInteger(id) || !(await markNotificationRead({ id, userId: user.id }))) {
    return redirectWithFlash('/notifications', { kind: 'error', message: t.errors.invalidChoice })
  }
  return redirectWithFlash('/notifications', { kind: 'success', message: n.marked })
}

export default function Notifications() {
  const { notifications, timeZone } = useLoaderData<typeof loader>()
  const unread = notifications.some((item) => !item.read)
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageTitle>{n.title}</PageTitle>
        {unread ? (
          <Form method="post">
            <Button name="intent" value="read-all" variant="secondary">
              {n.markAllRead}
            </Button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <EmptyState>{n.empty}</EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm" aria-label={n.title}>
          {notifications.map((item) => (
            <li key={item.id} className={`flex flex-wrap items-start justify-between gap-3 px-4 py-3 ${item.read ? '' : 'bg-brand-50/60'}`}>
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2">
                  {item.read ? null : <Badge tone="brand">{n.unread}</Badge>}
                  <Link to={item.path} className="font-medium text-stone-900 underline-offset-4 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-700">
                    {item.title}
                  </Link>
                </p>
                <p className="mt-1 text-xs text-stone-500">{formatDateTime(item.createdAt, timeZone)}</p>
              </div>
              {item.read ? null : (
                <Form method="post">
                  <input type="hidden" name="id" value={item.id} />
                  <Button name="intent" value="read" variant="secondary" className="px-3 py-1 text-sm">
                    {n.markRead}
                  </Button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
