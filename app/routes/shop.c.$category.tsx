import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { CategoryChips, ProductGrid } from '~/components/shop'
import { EmptyState, PageTitle } from '~/components/ui'
import { isProductVisible, productCard } from '~/domain/product'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { listTiers } from '~/models/membership.server'
import { listCategories, listShelfProducts } from '~/models/product.server'
import { getViewer } from '~/utils/auth.server'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { pages: pagesZhCN, shop: shopZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? [
        { title: `${data.category.name} · ${t.shop.title} · ${t.site.name}` },
        ...shareMeta({
          siteUrl: siteUrlOf(matches),
          path: `/shop/c/${encodeURIComponent(data.category.slug)}`,
          title: `${data.category.name} · ${t.shop.title}`,
          description: data.category.description,
          image: posterPaths.site,
        }),
      ]
    : []

export async function loader({ request, params }: LoaderFunctionArgs) {
  const categories = await listCategories()
  const category = categories.find((c) => c.slug === params.category)
  if (!category) throw new Response(t.pages.notFound.body, { status: 404 })
  const now = new Date()
  const [viewer, shelf, tiers] = await Promise.all([getViewer(request), listShelfProducts({ categoryId: category.id, now }), listTiers()])
  const tierName = (rank: number) => tiers.find((tier) => tier.rank === rank)?.name ?? t.shop.purchaseBlocked.anyMember
  return {
    categories: categories.map(({ slug, name }) => ({ slug, name })),
    category: { slug: category.slug, name: category.name, description: category.description },
    products: shelf.filter((p) => isProductVisible(p, viewer, now)).map((p) => productCard(p, viewer, now, tierName)),
  }
}

export default function ShopCategory() {
  const { categories, category, products } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div className="space-y-4">
        <PageTitle subtitle={category.description}>{category.name}</PageTitle>
        <CategoryChips categories={categories} active={category.slug} />
      </div>
      {products.length > 0 ? (
        <>
          <p className="text-sm text-stone-500">{t.shop.categoryCount(products.length)}</p>
          <ProductGrid products={products} label={category.name} />
        </>
      ) : (
        <EmptyState>{t.shop.categoryEmpty}</EmptyState>
      )}
    </div>
  )
}
