import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { TierList } from '~/components/tier-list'
import { Card, EmptyState, PageTitle } from '~/components/ui'
import { t } from '~/i18n/zh-CN'
import { getActiveMembership, listTiers } from '~/models/membership.server'
import { getUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { formatValidUntil } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: `${t.sections.membership.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  const [tiers, active] = await Promise.all([listTiers(), user ? getActiveMembership(user.id) : undefined])
  return {
    tiers: tiers.map(({ id, name, rank, priceFen, description }) => ({ id, name, rank, priceFen, description })),
    mine: active ? { tierName: active.tier.name, validUntil: active.membership.validUntil } : null,
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

export default function MembershipIndex() {
  const { tiers, mine, timeZone } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageTitle subtitle={t.sections.membership.body}>{t.sections.membership.title}</PageTitle>
      {mine ? (
        <Card className="border-brand-100 bg-brand-50">
          <p className="font-medium text-brand-800">
            {t.sections.membership.yourMembership(mine.tierName, formatValidUntil(mine.validUntil, timeZone))}
          </p>
        </Card>
      ) : null}
      <TierList tiers={tiers} />
      <EmptyState>{t.sections.membership.noDrop}</EmptyState>
    </div>
  )
}
