import { sectionsZhCN } from '~/i18n/sections.zh-CN'
import { formatFen } from '~/utils/format'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { sections: sectionsZhCN }

export interface TierSummary {
  id: number
  name: string
  rank: number
  priceFen: number
  description: string
}

/** The member tiers as cards, lowest rank first (the free tier is left out). */
export function TierList({ tiers }: { tiers: TierSummary[] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2">
      {tiers
        .filter((tier) => tier.rank > 0)
        .map((tier) => (
          <li key={tier.id} className="rounded-2xl border border-brand-100 bg-white p-5 shadow-sm">
            <p className="text-lg font-bold text-stone-900">{tier.name}</p>
            <p className="mt-1 text-2xl font-bold text-brand-700">
              {formatFen(tier.priceFen)}
              <span className="ml-1 text-sm font-normal text-stone-500">{t.sections.membership.perYear}</span>
            </p>
            <p className="mt-3 text-sm leading-relaxed text-stone-600">{tier.description}</p>
          </li>
        ))}
    </ul>
  )
}
