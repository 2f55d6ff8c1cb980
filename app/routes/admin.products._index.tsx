import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Badge, buttonClass, EmptyState, PageTitle } from '~/components/ui'
import { adminProductStatus, availableUnits, type AdminProductStatus } from '~/domain/product'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { listTiers } from '~/models/membership.server'
import { listProductsForAdmin } from '~/models/product.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, shop: shopZhCN, site: siteZhCN }

const a = t.shop.admin

export const meta: MetaFunction = () => [{ title: `${a.listTitle} · ${t.admin.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const now = new Date()
  const [rows, tiers] = await Promise.all([listProductsForAdmin(now), listTiers()])
  const tierName = (rank: number) => tiers.find((tier) => tier.rank === rank)?.name ?? String(rank)
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    products: rows.map((p) => {
      const available = availableUnits(p)
      const status = adminProductStatus({ ...p, available }, now)
      return {
        id: p.id,
        slug: p.slug,
        title: p.title,
        categoryName: p.categoryName,
        priceFen: p.priceFen,
        status,
        startsAt: status === 'upcoming' && p.saleStartsAt ? formatDateTime(p.saleStartsAt, timeZone) : null,
        // Hidden from readers below its tier, not merely marked for them.
        hiddenBelow: p.gatedVisibility === 'hidden' && p.minRank > 0 ? tierName(p.minRank) : null,
        limitedEdition: p.limitedEdition,
        sold: p.sold,
        held: p.held,
        available,
        capacity: p.capacity,
      }
    }),
  }
}

const STATUS_TONE: Record<AdminProductStatus, 'green' | 'amber' | 'red' | 'stone'> = {
  draft: 'stone',
  upcoming: 'amber',
  on_sale: 'green',
  sold_out: 'red',
  ended: 'stone',
}

/** A product's status badges: its sale (with the opening time when it is to come), hidden, limited. */
function StatusBadges({ product: p }: { product: ReturnType<typeof useLoaderData<typeof loader>>['products'][number] }) {
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      <Badge tone={STATUS_TONE[p.status]}>{a.status[p.status]}</Badge>
      {p.startsAt ? <span className="text-xs text-stone-600">{a.startsAt(p.startsAt)}</span> : null}
      {p.hiddenBelow !== null ? <Badge tone="stone">{a.hiddenBelow(p.hiddenBelow)}</Badge> : null}
      {p.limitedEdition ? <Badge tone="red">{t.shop.badges.limited}</Badge> : null}
    </span>
  )
}

export default function AdminProducts() {
  const { products } = useLoaderData<typeof loader>()
  const c = a.columns
  const count = (n: number | null) => (n === null ? a.unlimited : String(n))
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-3">
        <PageTitle subtitle={a.listSubtitle}>{a.listTitle}</PageTitle>
        <Link to="/admin/products/new" className={buttonClass('primary', 'shrink-0')}>
          {a.create}
        </Link>
      </div>
      {products.length === 0 ? (
        <EmptyState>{a.empty}</EmptyState>
      ) : (
        <>
          {/* Phones: one card per product. */}
          <ul className="space-y-3 md:hidden">
            {products.map((p) => (
              <li key={p.id}>
                <Link to={`/admin/products/${p.id}`} className="block rounded-2xl border border-stone-200 bg-white p-4 shadow-sm hover:border-brand-600">
                  <StatusBadges product={p} />
                  <span className="mt-1 block text-xs text-stone-500">{p.categoryName}</span>
                  <span className="block font-medium text-stone-900">{p.title}</span>
                  <span className="block text-sm font-semibold text-brand-700 tabular-nums">{formatFen(p.priceFen)}</span>
                  <dl className="mt-2 grid grid-cols-4 gap-2 text-center text-xs">
                    {[
                      [c.sold, p.sold],
                      [c.held, p.held],
                      [c.available, count(p.available)],
                      [c.capacity, count(p.capacity)],
                    ].map(([label, value]) => (
                      <div key={String(label)} className="rounded-lg bg-stone-50 py-1.5">
                        <dt className="text-stone-500">{label}</dt>
                        <dd className="font-semibold tabular-nums text-stone-900">{value}</dd>
                      </div>
                    ))}
                  </dl>
                </Link>
              </li>
            ))}
          </ul>
          {/* Wider screens: a table. */}
          <div className="hidden overflow-x-auto rounded-2xl border border-stone-200 bg-white shadow-sm md:block">
            <table className="w-full text-sm">
              <thead className="bg-stone-50 text-left text-xs text-stone-500">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">{c.product}</th>
                  <th scope="col" className="px-3 py-2 font-medium">{c.state}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{c.price}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{c.sold}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{c.held}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{c.available}</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">{c.capacity}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {products.map((p) => (
                  <tr key={p.id} className="hover:bg-stone-50">
                    <td className="px-4 py-2.5">
                      <Link to={`/admin/products/${p.id}`} className="font-medium text-stone-900 hover:text-brand-700 hover:underline">
                        {p.title}
                      </Link>
                      <span className="block text-xs text-stone-500">
                        {p.categoryName} · {p.slug}
                      </span>
                    </td>
                    <td className="px-3 py-2.5">
                      <StatusBadges product={p} />
                    </td>
                    <td className="px-3 py-2.5 text-right tabular-nums">{formatFen(p.priceFen)}</td>
                    <td className="px-3 py-2.5 text-right tabular-nums">{p.sold}</td>
                    <td className="px-3 py-2.5 text-right tabular-nums">{p.held}</td>
                    <td className="px-3 py-2.5 text-right tabular-nums">{count(p.available)}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{count(p.capacity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}
