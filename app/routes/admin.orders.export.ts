import type { ActionFunctionArgs } from '@remix-run/node'
import { placedBetween } from '~/domain/admin-order-forms'
import { parseOrderFilters } from '~/domain/admin-order-forms.server'
import { localDate } from '~/domain/time'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { exportOrderRows } from '~/models/admin-orders.server'
import { csvResponse } from '~/utils/csv.server'
import { getEnv } from '~/utils/env.server'
import { exportOnlyByPost } from '~/utils/csv.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { adminOrders: adminOrdersZhCN }

const a = t.adminOrders

// Not a GET: anything that makes an admin's browser fetch a URL (an image in a member's post)
// would run the export in the admin's name.
export const loader = exportOnlyByPost

// The filtered orders as CSV (the same query parameters as /admin/orders, in the form's
// action), streamed from the database a page at a time.
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, 'admin')
  const parsed = parseOrderFilters(new URL(request.url).searchParams)
  if (!parsed.ok) {
    const reasons = Object.values(parsed.errors).join('；')
    throw new Response(`${a.filters.invalid}${reasons}`, { status: 400 })
  }
  const { page: _page, ...filters } = parsed.data
  const timeZone = getEnv().SITE_TIMEZONE
  const rows = exportOrderRows({ selection: { ...filters, ...placedBetween(filters, timeZone) }, timeZone })
  return csvResponse(a.exportFilename(localDate(new Date(), timeZone)), a.csvHeader, rows)
}
