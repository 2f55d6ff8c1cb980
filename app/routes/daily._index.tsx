import type { MetaFunction } from '@remix-run/node'
import { EmptyState, PageTitle } from '~/components/ui'
import { t } from '~/i18n/zh-CN'

export const meta: MetaFunction = () => [{ title: `${t.sections.daily.title} · ${t.site.name}` }]

export default function DailyIndex() {
  return (
    <div>
      <PageTitle subtitle={t.sections.daily.body}>{t.sections.daily.title}</PageTitle>
      <EmptyState>{t.sections.daily.empty}</EmptyState>
    </div>
  )
}
