import { data as dataWithStatus, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { BuyForm, CardBadges, DisabledBuy, PriceTag, ProductGallery, PurchaseBlocked, SaleCountdown, StockNoteLine } from '~/components/shop'
import { StickyBar } from '~/components/sticky-bar'
import { VariantPicker } from '~/components/variant-picker'
import { findVariant, valueAvailable } from '~/domain/variants'
import { Badge, buttonClass } from '~/components/ui'
import { checkAccess, isStaff } from '~/domain/access'
import {
  checkPurchase,
  isProductVisible,
  maxOrderQuantity,
  mediaUrl,
  memberPrices,
  priceForViewer,
  purchaseBlockMessage,
  saleWindowState,
  stockNote,
  stockState,
} from '~/domain/product'
import { errorsZhCN, pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { productUnitsOwned } from '~/models/cart.server'
import { listTiers } from '~/models/membership.server'
import { getProductForSale, listProductImages } from '~/models/product.server'
import { getShippingRule, productShippingText } from '~/models/shipping.server'
import { getUser, getViewer, requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { keepSeparatorsWithPrevious } from '~/utils/line-break'
import { renderMarkdown } from '~/utils/markdown.server'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'
import { BUY_FORM_ID, signInPath } from '~/domain/sign-in-return'
import { PosterButton } from '~/components/poster-button'
import { ProductAlertButton } from '~/components/product-alert'
import { productAlertKind } from '~/domain/product-alert'
import { hasProductAlert, setProductAlert } from '~/models/product-alert.server'
import { redirectWithFlash } from '~/utils/flash.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { errors: errorsZhCN, notifications: notificationsZhCN, pages: pagesZhCN, shop: shopZhCN, site: siteZhCN }

const s = t.shop

/** Where a submission without a choice scrolls to (the bar's buttons are far from the pickers on a phone). */
const PICKER_ID = 'variant-picker'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? [
        { title: `${data.product.title} · ${t.shop.title} · ${t.site.name}` },
        ...shareMeta({
          siteUrl: siteUrlOf(matches),
          path: `/shop/p/${encodeURIComponent(data.product.slug)}`,
          title: data.product.title,
          description: data.product.summary,
          image: data.images[0]?.largeUrl ?? posterPaths.product(data.product.slug),
          type: 'product',
        }),
      ]
    : []

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date()
  // Stock is read as it stands now: a lapsed hold counts as free, released or not (decision 029).
  const [viewer, product] = await Promise.all([getViewer(request), getProductForSale(params.slug ?? '', undefined, now)])
  // Unknown, unpublished and hidden-below-tier products do not exist for this viewer.
  if (!product || !isProductVisible(product, viewer, now)) throw new Response(t.pages.notFound.body, { status: 404 })
  const user = await getUser(request)
  const [images, tiers, owned, shippingRule] = await Promise.all([
    listProductImages(product.id),
    listTiers(),
    // What the per-member limit has already counted for this buyer (held or bought), across variants.
    user && product.perMemberLimit !== null ? productUnitsOwned({ userId: user.id, product, now }) : 0,
    getShippingRule(),
  ])
  const timeZone = getEnv().SITE_TIMEZONE
  const tierName = (rank: number) => tiers.find((tier) => tier.rank === rank)?.name ?? s.purchaseBlocked.anyMember

  const alertKind = productAlertKind(product, now)
  const alertOn = alertKind && user ? await hasProductAlert({ productId: product.id, userId: user.id, kind: alertKind }) : false

  const price = priceForViewer(product, viewer, now)
  const window = saleWindowState(product, now)
  const stock = stockState(product.stock)
  const note = stockNote(product, product.stock)
  const purchase = checkPurchase(product, viewer, now)
  // The tier rule on its own, so a 铁杆-only item that opens tomorrow says both.
  const access = checkAccess({ minRank: product.minRank }, viewer, now)
  const tierBlock = access.granted
    ? null
    : {
        message: purchaseBlockMessage({ allowed: false, reason: access.reason, requiredRank: access.requiredRank }, tierName(access.requiredRank)),
        showLogin: access.reason === 'sign_in_required',
        showJoin: true,
      }

  return {
    serverNow: now.toISOString(),
    product: {
      id: product.id,
      slug: product.slug,
      title: product.title,
      summary: product.summary,
      mystery: product.mystery,
      // A mystery item's contents are revealed only to its buyers, on their order page.
      descriptionHtml: product.mystery || !product.description ? null : renderMarkdown(product.description, 'staff'),
      category: { slug: product.category.slug, name: product.category.name },
      editionSize: product.limitedEdition ? product.stock.capacity : null,
      perMemberLimit: product.perMemberLimit,
      personalisation:
        product.personalisationLabel && product.personalisationMaxLength
          ? { label: product.personalisationLabel, maxLength: product.personalisationMaxLength }
          : null,
      published: product.published,
      hiddenBelowTier: product.gatedVisibility === 'hidden' && product.minRank > 0 ? tierName(product.minRank) : null,
    },
    images: images.map((image) => ({ thumbUrl: mediaUrl(image.thumbMediaId), largeUrl: mediaUrl(image.largeMediaId), alt: image.alt })),
    price: {
      priceFen: price,
      basePriceFen: price < product.priceFen ? product.priceFen : null,
      memberPrices: memberPrices(product).map((tp) => ({ label: s.price.memberPrice(tierName(tp.tierRank), formatFen(tp.priceFen)), applies: tp.priceFen === price })),
    },
    // 「运费 ¥10 · 满 ¥199 包邮」 or 「包邮」 (decision 048); checkout charges by the same rule.
    shippingNote: productShippingText(shippingRule, product.shippingFeeFen, price),
    badges: {
      limited: product.limitedEdition,
      tierOnly: product.minRank > 0 ? tierName(product.minRank) : null,
      soldOut: note?.kind === 'sold_out',
      heldOut: note?.kind === 'held_out',
      upcoming: window === 'upcoming',
      ended: window === 'ended',
      mystery: product.mystery,
    },
    stock,
    stockNote: note,
    // A product with options sells through its variants: the pickers and what follows a choice (decision 047).
    options: product.options,
    variants: product.variants.map((variant) => ({
      id: variant.id,
      optionValues: variant.optionValues,
      priceOffsetFen: variant.priceOffsetFen,
      stock: { capacity: variant.stock.capacity, sold: variant.stock.sold, held: variant.stock.held },
      maxQty: maxOrderQuantity(product, variant.stock, owned),
    })),
    sale: {
      state: window,
      startsAt: product.saleStartsAt,
      startsAtLabel: product.saleStartsAt ? formatDateTime(product.saleStartsAt, timeZone) : null,
      endsAtLabel: product.saleEndsAt ? formatDateTime(product.saleEndsAt, timeZone) : null,
    },
    alert: alertKind ? { kind: alertKind, on: alertOn } : null,
    canBuy: purchase.allowed && stock.kind !== 'sold_out',
    maxQty: maxOrderQuantity(product, product.stock, owned),
    owned,
    tierBlock,
    canEdit: viewer !== null && viewer.role === 'admin',
    isStaffPreview: !product.published && viewer !== null && isStaff(viewer.role),
  }
}

/** 到货提醒 / 开售提醒: visitors are sent to sign in first (requireUser). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const form = await request.formData()
  const product = await getProductForSale(params.slug ?? '')
  if (!product) throw new Response(t.pages.notFound.body, { status: 404 })
  if (form.get('intent') !== 'alert') return dataWithStatus({ alertError: t.errors.invalidChoice }, { status: 400 })
  const result = await setProductAlert({ productId: product.id, userId: user.id, on: form.get('on') === '1', now: new Date() })
  if (!result.ok) {
    if (result.reason === 'not_found') throw new Response(t.pages.notFound.body, { status: 404 })
    return dataWithStatus({ alertError: t.notifications.productAlert.nothingToWaitFor }, { status: 409 })
  }
  const a = t.notifications.productAlert
  return redirectWithFlash(`/shop/p/${encodeURIComponent(product.slug)}`, { kind: 'success', message: result.on ? a.flashOn : a.flashOff })
}

export default function ProductPage() {
  const data = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const actionData = useActionData<typeof action>()
  const { product, price, sale } = data
  // A product with options (decision 047): price, stock and quantity follow the chosen variant.
  const [chosen, setChosen] = useState<(string | null)[]>(() => {
    const back = data.variants.find((variant) => String(variant.id) === searchParams.get('v'))
    return data.options.map((_, index) => back?.optionValues[index] ?? null)
  })
  const [pickError, setPickError] = useState<string | null>(null)
  const hasVariants = data.variants.length > 0
  const variant = hasVariants ? findVariant(data.variants, chosen) : undefined
  const offsets = data.variants.map((v) => v.priceOffsetFen)
  const offset = variant ? variant.priceOffsetFen : offsets.length > 0 ? Math.min(...offsets) : 0
  const priceFrom = hasVariants && !variant && new Set(offsets).size > 1
  const stock = variant ? stockState(variant.stock) : data.stock
  const choose = (index: number, value: string) => {
    setPickError(null)
    setChosen((previous) => {
      const next = previous.map((v, i) => (i === index ? value : v))
      // A choice elsewhere that this one leaves without units is undone, not kept half-valid.
      return next.map((v, i) => (i !== index && v !== null && !valueAvailable(data.variants, i, v, next) ? null : v))
    })
  }
  const requireChoice = (event: FormEvent<HTMLFormElement>) => {
    if (!hasVariants || variant) return
    event.preventDefault()
    const missing = data.options.filter((_, i) => chosen[i] === null)
    setPickError(s.variants.choose((missing.length > 0 ? missing : data.options).map((option) => option.name).join('、')))
    document.getElementById(PICKER_ID)?.scrollIntoView({ block: 'center' })
  }
  const loginHref = signInPath({ redirectTo: `/shop/p/${product.slug}`, purchase: true })
  // Back from signing in to buy (decision 040): the buy form as the visitor filled it.
  const initial = { qty: Number.parseInt(searchParams.get('qty') ?? '1', 10) || 1, personalisation: searchParams.get('p') ?? '' }

  // On a phone the price and the action stay on screen in a bar at the bottom (issue 18,
  // decision 043): the buy form's own buttons when the viewer can buy (BuyForm renders them),
  // otherwise the same disabled label or way in as the page, whose copy is then hidden there.
  const barSummary = (
    <div className="leading-tight">
      <PriceTag priceFen={price.priceFen + offset} basePriceFen={null} />
      {priceFrom ? <span className="ml-0.5 text-xs text-stone-500">{s.variants.from}</span> : null}
      {data.stockNote?.kind === 'edition' ? <StockNoteLine note={data.stockNote} /> : null}
      {stock.kind === 'low' && data.stockNote?.kind !== 'edition' ? <p className="text-xs font-semibold text-red-700">{s.product.stockLow(stock.left)}</p> : null}
    </div>
  )
  const disabled = (label: string) => (
    <>
      <div className="hidden md:block">
        <DisabledBuy label={label} />
      </div>
      <StickyBar label={s.buy.bar} summary={barSummary}>
        <DisabledBuy label={label} className="px-6" />
      </StickyBar>
    </>
  )
  const blockedBar = (block: NonNullable<typeof data.tierBlock>) => (
    <StickyBar label={s.buy.bar} summary={barSummary}>
      {block.showLogin ? (
        <Link to={loginHref} className={buttonClass('primary', 'px-6')}>
          {s.buy.loginToBuy}
        </Link>
      ) : (
        <Link to="/membership" className={buttonClass('primary', 'px-6')}>
          {s.product.joinCta}
        </Link>
      )}
    </StickyBar>
  )

  let buyArea
  if (!product.published) buyArea = disabled(s.badges.draft)
  else if (sale.state === 'upcoming' && sale.startsAt && sale.startsAtLabel)
    buyArea = (
      <>
        <SaleCountdown startsAt={sale.startsAt} startsAtLabel={sale.startsAtLabel} serverNow={data.serverNow} />
        {data.tierBlock ? <PurchaseBlocked {...data.tierBlock} loginHref={loginHref} /> : null}
        <StickyBar label={s.buy.bar} summary={barSummary}>
          <DisabledBuy label={s.buy.upcoming} className="px-6" />
        </StickyBar>
      </>
    )
  else if (sale.state === 'ended') buyArea = disabled(s.buy.ended)
  else if (stock.kind === 'sold_out') buyArea = disabled(stock.pending > 0 ? s.buy.heldOut : s.buy.soldOut)
  else if (data.tierBlock)
    buyArea = (
      <>
        <PurchaseBlocked {...data.tierBlock} loginHref={loginHref} />
        {blockedBar(data.tierBlock)}
      </>
    )
  else if (data.canBuy && data.maxQty === 0) buyArea = disabled(s.buy.limitReached)
  else if (data.canBuy)
    buyArea = (
      <BuyForm
        id={BUY_FORM_ID}
        productId={product.id}
        maxQty={variant ? variant.maxQty : data.maxQty}
        personalisation={product.personalisation}
        initial={initial}
        barSummary={barSummary}
        onSubmit={requireChoice}
        picker={
          hasVariants ? (
            <div id={PICKER_ID} className="scroll-mt-40">
              <VariantPicker options={data.options} variants={data.variants} chosen={chosen} onChoose={choose} error={pickError} />
            </div>
          ) : null
        }
      />
    )

  return (
    <article className="mx-auto max-w-5xl">
      <nav aria-label={s.product.category} className="mb-4 text-sm text-stone-500">
        <Link to="/shop" className="hover:text-brand-700 hover:underline">
          {s.title}
        </Link>
        <span aria-hidden className="mx-1.5">
          /
        </span>
        <Link to={`/shop/c/${product.category.slug}`} className="hover:text-brand-700 hover:underline">
          {product.category.name}
        </Link>
      </nav>
      {data.isStaffPreview ? <p className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{s.product.draftNotice}</p> : null}

      <div className="grid gap-6 md:grid-cols-2 md:gap-10">
        <ProductGallery images={data.images} title={product.title} />

        <div className="space-y-5">
          <header className="space-y-2">
            <div className="flex flex-wrap gap-1.5">
              <CardBadges badges={data.badges} />
            </div>
            <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">{keepSeparatorsWithPrevious(product.title)}</h1>
            {product.summary ? <p className="leading-relaxed text-stone-600">{product.summary}</p> : null}
          </header>

          <section aria-label={s.price.yourPrice} className="space-y-1.5">
            <PriceTag priceFen={price.priceFen + offset} basePriceFen={price.basePriceFen === null ? null : price.basePriceFen + offset} size="lg" />
            {priceFrom ? <span className="ml-1 text-sm text-stone-500">{s.variants.from}</span> : null}
            {price.memberPrices.length > 0 ? (
              <ul className="flex flex-wrap gap-1.5" aria-label={s.price.memberPricesTitle}>
                {price.memberPrices.map((mp) => (
                  <li key={mp.label}>
                    <Badge tone={mp.applies ? 'brand' : 'stone'}>{mp.label}</Badge>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          <ul className="space-y-1 text-sm text-stone-700">
            {data.stockNote ? (
              <li>
                <StockNoteLine note={data.stockNote} size="sm" />
              </li>
            ) : null}
            {stock.kind === 'low' && data.stockNote?.kind !== 'edition' ? <li className="font-semibold text-red-700">{s.product.stockLow(stock.left)}</li> : null}
            {variant && stock.kind === 'plenty' ? <li>{s.variants.left(stock.left)}</li> : null}
            {product.editionSize !== null ? <li>{data.stockNote?.kind === 'edition' ? s.product.numbered : s.product.edition(product.editionSize)}</li> : null}
            <li>{data.shippingNote}</li>
            {product.perMemberLimit !== null ? (
              <li>{data.owned > 0 ? s.product.perMemberOwned(data.owned, product.perMemberLimit) : s.product.perMemberLimit(product.perMemberLimit)}</li>
            ) : null}
            {sale.state === 'on_sale' && sale.endsAtLabel ? <li>{s.product.endsAt(sale.endsAtLabel)}</li> : null}
            {sale.state === 'ended' && sale.endsAtLabel ? <li>{s.product.endedAt(sale.endsAtLabel)}</li> : null}
            {product.hiddenBelowTier ? <li className="text-stone-500">{s.product.hiddenNotice(product.hiddenBelowTier)}</li> : null}
          </ul>

          {product.mystery ? (
            <div className="rounded-xl border border-green-200 bg-green-50 p-4">
              <p className="font-semibold text-green-900">{s.product.mysteryNotice}</p>
              <p className="mt-1 text-sm text-green-900">{s.product.mysteryHelp}</p>
            </div>
          ) : null}

          <div className="space-y-3">
            {buyArea}
            {data.alert ? <ProductAlertButton kind={data.alert.kind} on={data.alert.on} error={actionData?.alertError} /> : null}
          </div>
          {product.published ? <PosterButton href={posterPaths.product(product.slug)} className="mt-4" /> : null}

          {data.canEdit ? (
            <p className="text-sm">
              <Link to={`/admin/products/${product.id}`} className="text-brand-700 underline">
                {s.product.edit}
              </Link>
            </p>
          ) : null}
        </div>
      </div>

      {product.descriptionHtml ? (
        <section aria-labelledby="product-description" className="mt-10 max-w-3xl">
          <h2 id="product-description" className="mb-4 border-b border-stone-200 pb-2 text-lg font-semibold text-stone-900">
            {s.product.description}
          </h2>
          <div className="prose-zhiyin" dangerouslySetInnerHTML={{ __html: product.descriptionHtml }} />
        </section>
      ) : null}
    </article>
  )
}
