import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { DailyArticle } from '~/components/daily'
import { ProductGrid, ShelfSection } from '~/components/shop'
import { TierList } from '~/components/tier-list'
import { buttonClass, Card } from '~/components/ui'
import { isDailyLive, todayIn } from '~/domain/daily'
import { dropWindow } from '~/domain/drop'
import { isProductVisible, productCard } from '~/domain/product'
import { spokenTime } from '~/domain/site-settings'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { homeZhCN } from '~/i18n/home.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { getTodayOrLatestDaily } from '~/models/daily.server'
import { getCurrentDrop } from '~/models/drop.server'
import { listTiers } from '~/models/membership.server'
import { listNewThisWeek } from '~/models/product.server'
import { getSiteSettings } from '~/models/site-settings.server'
import { useRootData } from '~/root'
import { readDaily } from '~/utils/daily-view.server'
import { getKeywordReader, keywordBoxAction } from '~/utils/keyword-reply.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime } from '~/utils/format'
import { dailyShareMeta, posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, drops: dropsZhCN, home: homeZhCN, shop: shopZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const siteUrl = siteUrlOf(matches)
  const daily = data?.daily?.daily
  return [
    { title: `${t.site.name} · ${t.site.tagline}` },
    ...(daily
      ? dailyShareMeta(siteUrl, daily, '/')
      : shareMeta({ siteUrl, path: '/', title: t.site.name, description: t.site.description, image: posterPaths.site })),
  ]
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = new Date()
  const today = todayIn(getEnv().SITE_TIMEZONE, now)
  const [tiers, daily, reader, drop, fresh, settings] = await Promise.all([
    listTiers(),
    getTodayOrLatestDaily(today, now),
    getKeywordReader(request, context),
    getCurrentDrop(now),
    listNewThisWeek({ now, timeZone: getEnv().SITE_TIMEZONE }),
    getSiteSettings(now.getTime()),
  ])
  const viewer = reader.viewer
  const dropState = drop ? dropWindow(drop, now) : null
  const tierName = (rank: number) => tiers.find((tier) => tier.rank === rank)?.name ?? t.shop.purchaseBlocked.anyMember
  return {
    // The drop banner: while a drop is announced or open.
    drop:
      drop && dropState !== 'closed'
        ? { name: drop.name, open: dropState === 'open', opensAt: formatDateTime(drop.opensAt, getEnv().SITE_TIMEZONE) }
        : null,
    today,
    // 「每天早上 6:30」: the site's publish time, as readers say it (no leading zero).
    publishTime: spokenTime(settings.publishTime),
    newThisWeek: fresh
      .filter((product) => isProductVisible(product, viewer, now))
      .slice(0, NEW_ON_HOME)
      .map((product) => productCard(product, viewer, now, tierName)),
    daily: daily ? await readDaily(reader, daily, { now, tiers, isLive: isDailyLive(daily, now) }) : null,
    tiers: tiers.map(({ id, name, rank, priceFen, description }) => ({ id, name, rank, priceFen, description })),
  }
}

/** The keyword box under today's voice answers here, in place. */
export async function action({ request }: ActionFunctionArgs) {
  const now = new Date()
  const daily = await getTodayOrLatestDaily(todayIn(getEnv().SITE_TIMEZONE, now), now)
  const formData = await request.formData()
  return keywordBoxAction(request, formData, { path: '/', dailyId: daily?.id ?? null })
}

// 本周上新 on the home page: one row of the shop's newest.
const NEW_ON_HOME = 4

const SECTIONS = [
  { to: '/daily', ...t.home.sections.daily },
  { to: '/community', ...t.home.sections.community },
  { to: '/shop', ...t.home.sections.shop },
  { to: '/membership', ...t.home.sections.membership },
] as const

export default function Home() {
  const { today, daily, tiers, drop, newThisWeek, publishTime } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>()
  const user = useRootData()?.user
  return (
    <div className="space-y-10">
      <h1 className="sr-only">{`${t.site.name} · ${t.site.tagline}`}</h1>
      {drop ? (
        <Link
          to="/membership"
          className="flex flex-wrap items-center justify-between gap-3 rounded-2xl bg-gradient-to-r from-brand-700 to-brand-800 px-5 py-4 text-white shadow-md hover:from-brand-800"
        >
          <span>
            <span className="block text-sm text-brand-50">{drop.open ? t.drops.banner.open : t.drops.banner.upcoming(drop.opensAt)}</span>
            <span className="block text-lg font-bold">{drop.name}</span>
          </span>
          <span className="rounded-lg bg-white px-3 py-1.5 text-sm font-semibold text-brand-800">{t.drops.banner.cta}</span>
        </Link>
      ) : null}
      {daily ? (
        <Card className="mx-auto max-w-2xl">
          <p className="mb-3 text-sm font-semibold text-brand-700">{daily.daily.date === today ? t.daily.today : t.daily.latest}</p>
          <DailyArticle daily={daily.daily} reading={{ ...daily.reading, keyword: failed?.keyword }} replyTo="/?index" headingLevel={2} />
        </Card>
      ) : null}

      {newThisWeek.length > 0 ? (
        <ShelfSection id="home-new" title={t.shop.newThisWeek}>
          <ProductGrid products={newThisWeek} label={t.shop.newThisWeek} />
          <p className="text-right">
            <Link to="/shop" className="text-sm font-medium text-brand-700 hover:underline">
              {t.home.moreInShop}
            </Link>
          </p>
        </ShelfSection>
      ) : null}

      {user ? null : (
        <section className="rounded-3xl bg-gradient-to-br from-brand-700 to-brand-800 px-6 py-10 text-white shadow-md sm:px-10 sm:py-14">
          <h2 className="text-3xl font-bold leading-tight sm:text-4xl">{t.home.heroTitle}</h2>
          <p className="mt-4 max-w-xl text-base leading-relaxed text-brand-50 sm:text-lg">{t.home.heroBody}</p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link to="/signup" className={buttonClass('secondary', 'border-transparent text-brand-800')}>
              {t.home.ctaSignup}
            </Link>
            <Link to="/membership" className={buttonClass('ghost', 'border border-white/40 text-white hover:bg-white/10')}>
              {t.home.ctaMembership}
            </Link>
          </div>
        </section>
      )}

      <ul className="grid gap-4 sm:grid-cols-2">
        {SECTIONS.map((s) => (
          <li key={s.to}>
            <Link to={s.to} className="flex h-full gap-4 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm transition hover:border-brand-600">
              <span aria-hidden className="flex h-11 w-11 shrink-0 items-center justify-center rounded-xl bg-brand-100 text-lg font-bold text-brand-800">
                {s.icon}
              </span>
              <span>
                <span className="block text-lg font-semibold text-stone-900">{s.title}</span>
                <span className="mt-1 block text-sm leading-relaxed text-stone-600">{s.body.replace('{time}', publishTime)}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>

      <section>
        <h2 className="mb-4 text-xl font-bold text-stone-900">{t.home.tiersTitle}</h2>
        <TierList tiers={tiers} />
      </section>
    </div>
  )
}
