import type { LoaderFunctionArgs } from '@remix-run/node'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { lineLength } from '~/models/drop-line.server'
import { getDrop, getDropStats, presentDropStats, type DropStatsView } from '~/models/drop.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

/** The admin's live numbers: the drop's own, and the length of its waiting room (decision 031). */
export type LiveDropStats = DropStatsView & { line: { waiting: number; admitted: number } }

// The live numbers of a drop as JSON: the admin page polls this every few seconds while open.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const id = Number(params.id)
  const drop = Number.isInteger(id) && id > 0 ? await getDrop(id) : undefined
  if (!drop) throw new Response(t.drops.errors.dropNotFound, { status: 404 })
  const now = new Date()
  const [stats, line] = await Promise.all([getDropStats(drop, now), lineLength(drop.id, now)])
  const body: LiveDropStats = { ...presentDropStats(stats), line }
  return Response.json(body, { headers: { 'Cache-Control': 'no-store' } })
}
