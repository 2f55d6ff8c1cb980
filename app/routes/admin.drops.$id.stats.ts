import type { LoaderFunctionArgs } from '@remix-run/node'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { getDrop, getDropStats, presentDropStats } from '~/models/drop.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

// The live numbers of a drop as JSON: the admin page polls this every few seconds while open.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const id = Number(params.id)
  const drop = Number.isInteger(id) && id > 0 ? await getDrop(id) : undefined
  if (!drop) throw new Response(t.drops.errors.dropNotFound, { status: 404 })
  const stats = presentDropStats(await getDropStats(drop, new Date()))
  return Response.json(stats, { headers: { 'Cache-Control': 'no-store' } })
}
