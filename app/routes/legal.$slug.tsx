// /legal/terms and /legal/privacy: the texts readers agree to at sign-up, as an admin last saved
// them (decision 040), rendered through the one markdown sanitiser.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PageTitle } from '~/components/ui'
import { isLegalDocumentSlug } from '~/domain/legal'
import { legalZhCN, pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { getLegalDocument } from '~/models/legal.server'
import { getEnv } from '~/utils/env.server'
import { formatDate } from '~/utils/format'
import { renderMarkdown } from '~/utils/markdown.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { legal: legalZhCN, pages: pagesZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.title} · ${t.site.name}` }] : [])

export async function loader({ params }: LoaderFunctionArgs) {
  const slug = params.slug
  const document = isLegalDocumentSlug(slug) ? await getLegalDocument(slug) : null
  if (!document) throw new Response(t.pages.notFound.body, { status: 404 })
  return {
    title: document.title,
    html: renderMarkdown(document.body, 'staff'),
    updatedAt: formatDate(document.updatedAt, getEnv().SITE_TIMEZONE),
  }
}

export default function LegalDocumentPage() {
  const { title, html, updatedAt } = useLoaderData<typeof loader>()
  return (
    <article className="mx-auto max-w-3xl">
      <PageTitle subtitle={t.legal.updatedAt(updatedAt)}>{title}</PageTitle>
      <div className="prose-zhiyin rounded-2xl border border-stone-200 bg-white p-5 leading-relaxed shadow-sm sm:p-8" dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  )
}
