import type { MetaFunction } from '@remix-run/node'
import { EmptyState, PageTitle } from '~/components/ui'
import { t } from '~/i18n/zh-CN'

export const meta: MetaFunction = () => [{ title: `${t.sections.community.title} · ${t.site.name}` }]

export default function CommunityIndex() {
  return (
    <div>
      <PageTitle subtitle={t.sections.community.body}>{t.sections.community.title}</PageTitle>
      <EmptyState>{t.sections.community.empty}</EmptyState>
    </div>
  )
}
