import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { moderationZhCN } from '~/i18n/moderation.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { shippingAdminZhCN } from '~/i18n/shippingAdmin.zh-CN'
import { siteSettingsZhCN } from '~/i18n/siteSettings.zh-CN'
import { hasRole, requireRole } from '~/utils/permissions.server'
import { skipReadOnlyActions } from '~/utils/revalidation'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, adminOrders: adminOrdersZhCN, courseAdmin: courseAdminZhCN, drops: dropsZhCN, moderation: moderationZhCN, shop: shopZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.admin.title} · ${t.site.name}` }, { name: 'robots', content: 'noindex' }]

// Every /admin page sits under this guard: staff (editor or admin) only.
// The editor's markdown preview posts as the editor types: no reload of this loader each time.
export const shouldRevalidate = skipReadOnlyActions

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'editor')
  return { isAdmin: hasRole(user.role, 'admin') }
}

export default function AdminLayout() {
  const { isAdmin } = useLoaderData<typeof loader>()
  const links = [
    { to: '/admin', label: t.admin.dashboard, end: true },
    { to: '/admin/posts', label: t.admin.posts, end: false },
    { to: '/admin/courses', label: t.courseAdmin.nav, end: false },
    { to: '/admin/community', label: t.moderation.navLabel, end: false },
    ...(isAdmin
      ? [
          { to: '/admin/drops', label: t.drops.admin.nav, end: false },
          { to: '/admin/orders', label: t.adminOrders.nav, end: false },
          { to: '/admin/payments', label: t.adminOrders.reconciliation.nav, end: false },
          { to: '/admin/products', label: t.shop.admin.nav, end: false },
          { to: '/admin/shipping', label: shippingAdminZhCN.nav, end: false },
          { to: '/admin/users', label: t.admin.users, end: false },
          { to: '/admin/legal', label: t.admin.legal.nav, end: false },
          { to: '/admin/outbox', label: t.admin.outbox, end: false },
          { to: '/admin/settings', label: siteSettingsZhCN.nav, end: false },
        ]
      : []),
  ]
  return (
    <div>
      <p className="mb-2 text-sm font-semibold text-brand-700">{t.admin.title}</p>
      <nav aria-label={t.admin.title} className="-mx-4 mb-6 overflow-x-auto border-b border-stone-200 px-4">
        <ul className="flex gap-1">
          {links.map((link) => (
            <li key={link.to}>
              <NavLink
                to={link.to}
                end={link.end}
                className={({ isActive }) =>
                  `block whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
                    isActive ? 'border-brand-700 text-brand-700' : 'border-transparent text-stone-600 hover:text-stone-900'
                  }`
                }
              >
                {link.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  )
}
