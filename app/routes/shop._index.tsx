import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CategoryChips, ProductGrid, ShelfSection } from '~/components/shop'
import { EmptyState, PageTitle } from '~/components/ui'
import { isProductVisible, productCard, secondShelf } from '~/domain/product'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { listTiers } from '~/models/membership.server'
import { listCategories, listHottest, listNewThisWeek, listShelfProducts } from '~/models/product.server'
import { getViewer } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { shop: shopZhCN, site: siteZhCN }

export const meta: MetaFunction = ({ matches }) => [
  { title: `${t.shop.title} · ${t.site.name}` },
  ...shareMeta({ siteUrl: siteUrlOf(matches), path: '/shop', title: `${t.shop.title} · ${t.site.name}`, description: t.shop.subtitle, image: posterPaths.site }),
]

const HOTTEST_COUNT = 8

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = new Date()
  const viewer = await getViewer(request, context)
  const [categories, fresh, hottest, tiers] = await Promise.all([
    listCategories(),
    listNewThisWeek({ now, timeZone: getEnv().SITE_TIMEZONE }),
    listHottest({ now }),
    listTiers(),
  ])
  const tierName = (rank: number) => tiers.find((tier) => tier.rank === rank)?.name ?? t.shop.purchaseBlocked.anyMember
  const forViewer = (list: typeof fresh) => list.filter((p) => isProductVisible(p, viewer, now)).map((p) => productCard(p, viewer, now, tierName))

  const newThisWeek = forViewer(fresh)
  // The two shelves never show the same item (issue 18). Nothing else paid in the window: the
  // newest products stand in, under their own heading.
  let second = secondShelf({ newThisWeek, hottest: forViewer(hottest), newest: [], count: HOTTEST_COUNT })
  if (second.items.length === 0) {
    second = secondShelf({ newThisWeek, hottest: [], newest: forViewer(await listShelfProducts({ now })), count: HOTTEST_COUNT })
  }
  return {
    categories: categories.map(({ slug, name, description }) => ({ slug, name, description })),
    newThisWeek,
    hottest: second.items,
    hotIsNewest: second.kind === 'newest',
  }
}

export default function ShopIndex() {
  const { categories, newThisWeek, hottest, hotIsNewest } = useLoaderData<typeof loader>()
  const empty = newThisWeek.length === 0 && hottest.length === 0
  return (
    <div className="space-y-8">
      <div className="space-y-4">
        <PageTitle subtitle={t.shop.subtitle}>{t.shop.title}</PageTitle>
        <CategoryChips categories={categories} active={null} />
      </div>
      {empty ? (
        <EmptyState>{t.shop.empty}</EmptyState>
      ) : (
        <>
          <ShelfSection id="new-this-week" title={t.shop.newThisWeek}>
            {newThisWeek.length > 0 ? <ProductGrid products={newThisWeek} label={t.shop.newThisWeek} /> : <EmptyState>{t.shop.newThisWeekEmpty}</EmptyState>}
          </ShelfSection>
          {hottest.length > 0 ? (
            <ShelfSection id="hottest" title={hotIsNewest ? t.shop.newest : t.shop.hottest} hint={hotIsNewest ? undefined : t.shop.hottestHint}>
              <ProductGrid products={hottest} label={hotIsNewest ? t.shop.newest : t.shop.hottest} />
            </ShelfSection>
          ) : null}
        </>
      )}
      <ShelfSection id="categories" title={t.shop.browseCategories}>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {categories.map((category) => (
            <li key={category.slug}>
              <Link
                to={`/shop/c/${category.slug}`}
                className="block h-full rounded-2xl border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-600"
              >
                <span className="block font-semibold text-stone-900">{category.name}</span>
                <span className="mt-1 block text-sm leading-relaxed text-stone-600">{category.description}</span>
              </Link>
            </li>
          ))}
        </ul>
      </ShelfSection>
    </div>
  )
}
