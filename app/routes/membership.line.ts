import type { ActionFunctionArgs } from '@remix-run/node'
import { dropLineZhCN } from '~/i18n/dropLine.zh-CN'
import { checkPlace } from '~/models/drop-line.server'
import { requireUser } from '~/utils/auth.server'
import { BUSY_RETRY_AFTER_SECONDS, isDatabaseBusy } from '~/utils/db.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { dropLine: dropLineZhCN }

export { postOnly as loader } from '~/utils/post-only.server'

// The page in the drop's waiting room asks here every second or few (decision 031): its place,
// or that it is admitted, or the line's verdict, as JSON codes the page puts into words. Asking
// keeps the place live and may admit it — a write — so it is a POST (the site's Origin check
// covers it), never cached.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData()
  const dropId = Number(form.get('dropId'))
  const ticket = form.get('ticket')
  if (!Number.isSafeInteger(dropId) || dropId <= 0 || typeof ticket !== 'string' || ticket.length > 200) {
    return Response.json({ error: t.dropLine.invalid }, { status: 400 })
  }
  const place = await checkPlace({ dropId, userId: user.id, ticket, now: new Date() }).catch((error: unknown) => {
    if (isDatabaseBusy(error)) return 'busy' as const
    throw error
  })
  // The database stayed busy past the write deadline (decision 037): the page asks again later.
  if (place === 'busy') return Response.json({ error: t.dropLine.busy }, { status: 503, headers: { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) } })
  if (!place) return Response.json({ error: t.dropLine.invalid }, { status: 403 })
  return Response.json(place, { headers: { 'Cache-Control': 'no-store' } })
}
