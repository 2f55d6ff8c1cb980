// /admin/legal: the two texts readers agree to at sign-up, each with its last change (decision 040).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Card, PageTitle, buttonClass } from '~/components/ui'
import { legalPath } from '~/domain/legal'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { listLegalDocuments } from '~/models/legal.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN }
const l = t.admin.legal

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const timeZone = getEnv().SITE_TIMEZONE
  const documents = await listLegalDocuments()
  return { documents: documents.map((d) => ({ slug: d.slug, title: d.title, updatedAt: formatDateTime(d.updatedAt, timeZone) })) }
}

export default function AdminLegal() {
  const { documents } = useLoaderData<typeof loader>()
  return (
    <div className="max-w-3xl">
      <PageTitle subtitle={l.help}>{l.title}</PageTitle>
      <ul className="space-y-3">
        {documents.map((document) => (
          <li key={document.slug}>
            <Card className="flex flex-wrap items-center justify-between gap-3">
              <div className="min-w-0">
                <h2 className="font-semibold text-stone-900">{document.title}</h2>
                <p className="text-sm text-stone-500">{l.updatedAt(document.updatedAt)}</p>
              </div>
              <div className="flex gap-2">
                <Link to={legalPath(document.slug)} className={buttonClass('ghost')}>
                  {l.view}
                </Link>
                <Link to={`/admin/legal/${document.slug}`} className={buttonClass('primary')} aria-label={`${l.edit}${document.title}`}>
                  {l.edit}
                </Link>
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  )
}
