import type { ActionFunctionArgs } from '@remix-run/node'
import { courseAdminZhCN } from '~/i18n/courseAdmin.zh-CN'
import { recordAudit } from '~/models/audit.server'
import { getCourseForEditor, listCourseLearners } from '~/models/course-admin.server'
import { csvResponse, exportOnlyByPost } from '~/utils/csv.server'
import { getEnv } from '~/utils/env.server'
import { formatCsvDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { courseAdmin: courseAdminZhCN }
const l = t.courseAdmin.learners

// Not a GET: anything that makes an admin's browser fetch a URL (an image in a member's post)
// would run the export and write the audit entry below in the admin's name.
export const loader = exportOnlyByPost

/** The readers of a course with their progress, as CSV (UTF-8 with BOM for Excel and WPS). */
export async function action({ request, params }: ActionFunctionArgs) {
  // Names and emails leave the site: admins only, as for the drop's member list.
  const admin = await requireRole(request, 'admin')
  const id = Number(params.id)
  const now = new Date()
  const found = Number.isInteger(id) && id > 0 ? await getCourseForEditor(id, now) : undefined
  if (!found) throw new Response(t.courseAdmin.errors.notFound, { status: 404 })
  const learners = await listCourseLearners(id, now)
  await recordAudit({ actorId: admin.id, action: 'course.export', targetType: 'course', targetId: id, detail: { count: learners.length } })
  const timeZone = getEnv().SITE_TIMEZONE
  async function* rows() {
    for (const learner of learners) {
      yield [learner.name, learner.email, learner.done, learner.released, formatCsvDateTime(learner.lastLearnedAt, timeZone), learner.finished ? l.yes : l.no]
    }
  }
  return csvResponse(l.csvFilename(found.course.slug), l.csvHeader, rows())
}
