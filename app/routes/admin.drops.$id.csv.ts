import type { ActionFunctionArgs } from '@remix-run/node'
import { memberNumberLabel } from '~/emails/drop'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { recordAudit } from '~/models/audit.server'
import { getDrop, listDropMembersAfter, type DropMemberCursor } from '~/models/drop.server'
import { csvResponse, exportOnlyByPost } from '~/utils/csv.server'
import { getEnv } from '~/utils/env.server'
import { fenToYuanString, formatCsvDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

const a = t.drops.admin
const PAGE = 500

/** The drop's members in number order, each once (新开, 续费 or 升级), read a page at a time as the download is consumed. */
async function* memberRows(dropId: number, timeZone: string) {
  let after: DropMemberCursor | null = null
  for (;;) {
    const page = await listDropMembersAfter(dropId, after, PAGE)
    for (const m of page) {
      yield [memberNumberLabel(m.memberNumber), m.name, m.email, m.tierName, a.csvSales[m.sale], formatCsvDateTime(m.paidAt, timeZone), fenToYuanString(m.amountFen)]
    }
    if (page.length < PAGE) return
    after = page.at(-1)!
  }
}

// Not a GET: anything that makes an admin's browser fetch a URL (an image in a member's post)
// would run the export and write the audit entry below in the admin's name.
export const loader = exportOnlyByPost

// The members of a drop as CSV (UTF-8 with BOM for Excel and WPS), streamed.
export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const id = Number(params.id)
  const drop = Number.isInteger(id) && id > 0 ? await getDrop(id) : undefined
  if (!drop) throw new Response(t.drops.errors.dropNotFound, { status: 404 })
  // Members' names and emails leave the site: that is on the record too.
  await recordAudit({ actorId: admin.id, action: 'drop.export', targetType: 'drop', targetId: drop.id })
  return csvResponse(a.csvFilename(drop.name), a.csvHeader, memberRows(drop.id, getEnv().SITE_TIMEZONE))
}
