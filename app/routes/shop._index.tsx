import type { MetaFunction } from '@remix-run/node'
import { EmptyState, PageTitle } from '~/components/ui'
import { t } from '~/i18n/zh-CN'

export const meta: MetaFunction = () => [{ title: `${t.sections.shop.title} · ${t.site.name}` }]

export default function ShopIndex() {
  return (
    <div>
      <PageTitle subtitle={t.sections.shop.body}>{t.sections.shop.title}</PageTitle>
      <EmptyState>{t.sections.shop.empty}</EmptyState>
    </div>
  )
}
