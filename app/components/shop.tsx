// The catalogue's presentational pieces: product cards and grids, category chips, prices, the
// photo gallery, the sale countdown and the buy form of /shop; the product editor of
// /admin/products. Data comes shaped by the loaders; nothing here decides who may buy.
import { Form, Link, NavLink, useRevalidator } from '@remix-run/react'
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { Countdown } from '~/components/countdown'
import { Field, SelectField, TextAreaField } from '~/components/field'
import { StickyBar } from '~/components/sticky-bar'
import { Badge, Button, buttonClass } from '~/components/ui'
import type { ProductCardView, StockNote } from '~/domain/product'
import type { ProductEditorValues } from '~/domain/product-forms.server'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { formatFen } from '~/utils/format'
import { keepSeparatorsWithPrevious } from '~/utils/line-break'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { shop: shopZhCN }

const s = t.shop

// ---- lists ---------------------------------------------------------------------------------------

export function PriceTag({ priceFen, basePriceFen, size = 'md' }: { priceFen: number; basePriceFen: number | null; size?: 'md' | 'lg' }) {
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-2">
      <span className={`font-bold text-brand-700 tabular-nums ${size === 'lg' ? 'text-3xl' : 'text-base'}`}>{formatFen(priceFen)}</span>
      {basePriceFen !== null ? (
        <del className={`text-stone-500 tabular-nums ${size === 'lg' ? 'text-base' : 'text-xs'}`}>
          <span className="sr-only">{s.price.basePrice}</span>
          {formatFen(basePriceFen)}
        </del>
      ) : null}
    </span>
  )
}

export function CardBadges({ badges }: { badges: ProductCardView['badges'] }) {
  return (
    <>
      {badges.soldOut ? <Badge tone="stone">{s.badges.soldOut}</Badge> : null}
      {badges.heldOut ? <Badge tone="stone">{s.badges.heldOut}</Badge> : null}
      {badges.upcoming ? <Badge tone="amber">{s.badges.upcoming}</Badge> : null}
      {badges.ended ? <Badge tone="stone">{s.badges.ended}</Badge> : null}
      {badges.limited ? <Badge tone="red">{s.badges.limited}</Badge> : null}
      {badges.tierOnly ? <Badge tone="brand">{s.badges.tierOnly(badges.tierOnly)}</Badge> : null}
      {badges.mystery ? <Badge tone="green">{s.badges.mystery}</Badge> : null}
    </>
  )
}

/** The stock line (「限量 500 · 剩 37」, 「已抢光 · 12 件待支付，可能释放」); nothing when there is nothing to say. */
export function StockNoteLine({ note, size = 'xs', className = '' }: { note: StockNote | null; size?: 'xs' | 'sm'; className?: string }) {
  if (!note) return null
  const text = note.kind === 'edition' ? s.product.editionLeft(note.size, note.left) : note.kind === 'held_out' ? s.product.heldOut(note.pending) : s.product.soldOut
  const tone = note.kind === 'edition' ? (note.low ? 'text-red-700' : 'text-stone-600') : 'text-stone-600'
  return <p className={`${size === 'sm' ? 'text-sm font-semibold' : 'text-xs font-medium'} tabular-nums ${tone} ${className}`}>{text}</p>
}

function Thumb({ url, title, className = '' }: { url: string | null; title: string; className?: string }) {
  return url ? (
    <img src={url} alt={title} loading="lazy" decoding="async" width={480} height={480} className={`aspect-square w-full object-cover ${className}`} />
  ) : (
    <div aria-hidden className={`flex aspect-square w-full items-center justify-center bg-stone-100 text-sm text-stone-400 ${className}`}>
      {s.product.noImage}
    </div>
  )
}

export function ProductCard({ product }: { product: ProductCardView }) {
  const dimmed = product.badges.soldOut || product.badges.heldOut || product.badges.ended
  return (
    <li className="group relative flex flex-col overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm transition hover:shadow-md">
      <div className="relative">
        {/* Only the picture fades: the 已售罄 badge on it keeps its full contrast (axe, issue 18). */}
        <div className={dimmed ? 'opacity-60' : undefined}>
          <Thumb url={product.thumbUrl} title={product.title} />
        </div>
        <div className="absolute left-2 top-2 flex flex-wrap gap-1">
          <CardBadges badges={product.badges} />
        </div>
      </div>
      <div className="flex flex-1 flex-col gap-1 p-3">
        <h3 className="line-clamp-2 text-sm font-semibold leading-snug text-stone-900 sm:text-base">
          <Link to={`/shop/p/${product.slug}`} className="after:absolute after:inset-0 hover:text-brand-700">
            {keepSeparatorsWithPrevious(product.title)}
          </Link>
        </h3>
        <p className="line-clamp-2 text-xs leading-relaxed text-stone-500">{product.summary}</p>
        <div className="mt-auto pt-1">
          <PriceTag priceFen={product.priceFen} basePriceFen={product.basePriceFen} />
          {product.stockNote && product.stockNote.kind !== 'sold_out' ? <StockNoteLine note={product.stockNote} className="mt-0.5" /> : null}
        </div>
      </div>
    </li>
  )
}

export function ProductGrid({ products, label }: { products: readonly ProductCardView[]; label?: string }) {
  return (
    <ul aria-label={label} className="grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-3 lg:grid-cols-4">
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </ul>
  )
}

export function CategoryChips({ categories, active }: { categories: readonly { slug: string; name: string }[]; active: string | null }) {
  const chip = (isActive: boolean) =>
    `block whitespace-nowrap rounded-full border px-3.5 py-1.5 text-sm font-medium transition ${
      isActive ? 'border-brand-700 bg-brand-700 text-white' : 'border-stone-300 bg-white text-stone-700 hover:border-brand-600 hover:text-brand-700'
    }`
  return (
    <nav aria-label={s.categoriesLabel} className="-mx-4 overflow-x-auto px-4 pb-1">
      <ul className="flex gap-2">
        <li>
          <NavLink to="/shop" end className={() => chip(active === null)}>
            {s.allCategories}
          </NavLink>
        </li>
        {categories.map((category) => (
          <li key={category.slug}>
            <NavLink to={`/shop/c/${category.slug}`} className={() => chip(active === category.slug)}>
              {category.name}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function ShelfSection({ id, title, hint, children }: { id: string; title: string; hint?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div className="flex items-baseline justify-between gap-3">
        <h2 id={id} className="text-xl font-bold text-stone-900">
          {title}
        </h2>
        {hint ? <span className="text-xs text-stone-500">{hint}</span> : null}
      </div>
      {children}
    </section>
  )
}

// ---- product page --------------------------------------------------------------------------------

export interface GalleryImage {
  thumbUrl: string
  largeUrl: string
  alt: string
}

/**
 * The large photo with thumbnails under it; tapping a thumbnail shows it, tapping the large
 * photo opens it full screen. Without JavaScript the large photo is a plain link to the file.
 */
export function ProductGallery({ images, title }: { images: readonly GalleryImage[]; title: string }) {
  const [selected, setSelected] = useState(0)
  const dialog = useRef<HTMLDialogElement>(null)
  const current = images[selected]
  if (!current) {
    return (
      <div aria-label={s.product.images} className="overflow-hidden rounded-2xl border border-stone-200 bg-white">
        <Thumb url={null} title={title} />
      </div>
    )
  }
  return (
    <div aria-label={s.product.images} className="space-y-2">
      <a
        href={current.largeUrl}
        onClick={(event) => {
          if (!dialog.current?.showModal) return
          event.preventDefault()
          dialog.current.showModal()
        }}
        className="block overflow-hidden rounded-2xl border border-stone-200 bg-white"
      >
        <img src={current.largeUrl} alt={current.alt || title} width={1200} height={1200} className="aspect-square w-full object-cover" />
      </a>
      {images.length > 1 ? (
        <ul className="flex gap-2 overflow-x-auto pb-1">
          {images.map((image, index) => (
            <li key={image.thumbUrl} className="shrink-0">
              <button
                type="button"
                onClick={() => setSelected(index)}
                aria-label={s.product.showImage(index + 1)}
                aria-pressed={index === selected}
                className={`block h-16 w-16 overflow-hidden rounded-lg border-2 ${index === selected ? 'border-brand-700' : 'border-transparent'}`}
              >
                <img src={image.thumbUrl} alt="" loading="lazy" width={64} height={64} className="h-full w-full object-cover" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <dialog
        ref={dialog}
        onClick={(event) => {
          if (event.target === dialog.current) dialog.current.close()
        }}
        className="m-auto max-h-[95vh] max-w-[95vw] rounded-2xl bg-transparent p-0 backdrop:bg-black/80"
      >
        <form method="dialog" className="text-right">
          <button type="submit" className={buttonClass('secondary', 'mb-2 px-3 py-1.5')}>
            {s.product.closeImage}
          </button>
        </form>
        <img src={current.largeUrl} alt={current.alt || title} className="max-h-[85vh] w-auto rounded-xl" />
      </dialog>
    </div>
  )
}

/** 即将开售 with a live countdown corrected by the server's clock; reloads the page at zero. */
export function SaleCountdown({ startsAt, startsAtLabel, serverNow }: { startsAt: string | Date; startsAtLabel: string; serverNow: string | Date }) {
  const revalidator = useRevalidator()
  const [opened, setOpened] = useState(false)
  const onDone = useCallback(() => {
    setOpened(true)
    revalidator.revalidate()
    // revalidate is stable enough for a one-shot call at zero.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  return (
    <div className="rounded-xl border border-amber-200 bg-amber-50 p-4">
      <p className="text-sm font-semibold text-amber-900">{s.product.upcoming}</p>
      <p className="mt-1 text-sm text-amber-900">{s.product.upcomingAt(startsAtLabel)}</p>
      <p className="mt-2 flex items-baseline gap-2 text-amber-900">
        <span className="text-sm">{s.product.countdown}</span>
        <Countdown until={startsAt} serverNow={serverNow} onDone={onDone} className="text-2xl font-bold" />
      </p>
      {opened ? <p className="mt-2 text-sm text-amber-900">{s.product.onSaleNow}</p> : null}
    </div>
  )
}

/** The reason a viewer cannot buy, with the way in (sign in, see membership). */
/** Why this viewer cannot buy, with the way in: `loginHref` is the route's (signInPath, decision 040). */
export function PurchaseBlocked({ message, showLogin, showJoin, loginHref }: { message: string; showLogin: boolean; showJoin: boolean; loginHref: string }) {
  return (
    <div className="rounded-xl border border-brand-100 bg-brand-50 p-4">
      <p className="font-medium text-brand-800">{message}</p>
      {showLogin || showJoin ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {showLogin ? (
            <Link to={loginHref} className={buttonClass('secondary', 'px-3 py-1.5')}>
              {s.product.loginCta}
            </Link>
          ) : null}
          {showJoin ? (
            <Link to="/membership" className={buttonClass('primary', 'px-3 py-1.5')}>
              {s.product.joinCta}
            </Link>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}

/**
 * − [n] +: a number input the buttons step between `min` and `max`. Without JavaScript the input
 * alone works (the buttons stay disabled until the page is hydrated); the server checks the
 * quantity again either way.
 */
export function QuantityStepper({ name, label, min = 1, max, defaultValue }: { name: string; label: string; min?: number; max: number; defaultValue: number }) {
  const id = useId()
  const [value, setValue] = useState(String(defaultValue))
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const n = Number.parseInt(value, 10)
  const current = Number.isFinite(n) ? n : min
  const step = (delta: number) => setValue(String(Math.min(max, Math.max(min, current + delta))))
  const stepButton = 'flex h-11 w-11 items-center justify-center text-xl text-stone-700 transition hover:bg-stone-100 disabled:cursor-not-allowed disabled:text-stone-300'
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-700">
        {label}
      </label>
      <div className="inline-flex items-stretch overflow-hidden rounded-lg border border-stone-300 bg-white shadow-sm focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-600/30">
        <button type="button" aria-label={s.buy.stepDown} aria-controls={id} disabled={!hydrated || current <= min} onClick={() => step(-1)} className={stepButton}>
          <span aria-hidden>−</span>
        </button>
        <input
          id={id}
          type="number"
          name={name}
          min={min}
          max={max}
          step={1}
          inputMode="numeric"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          className="w-14 border-x border-stone-300 text-center text-base tabular-nums focus:outline-none [appearance:textfield] [&::-webkit-inner-spin-button]:appearance-none [&::-webkit-outer-spin-button]:appearance-none"
        />
        <button type="button" aria-label={s.buy.stepUp} aria-controls={id} disabled={!hydrated || current >= max} onClick={() => step(1)} className={stepButton}>
          <span aria-hidden>+</span>
        </button>
      </div>
    </div>
  )
}

/**
 * Quantity, personalisation and the two buttons, posted to /cart (intent add or buy). The
 * character counter counts code points, as the server does. On a phone the buttons are in a bar
 * at the bottom of the screen, with `barSummary` (the price) beside them: still this form's.
 */
export function BuyForm({
  productId,
  maxQty,
  personalisation,
  initial,
  id,
  barSummary,
  picker,
  onSubmit,
}: {
  /** The form's id: where a buyer back from signing in lands (the route's BUY_FORM_ID). */
  id?: string
  /** The option pickers of a product with variants (decision 047), above the quantity. */
  picker?: ReactNode
  /** Lets the page stop a submission that lacks a choice (it says why). */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void
  productId: number
  maxQty: number
  personalisation: { label: string; maxLength: number } | null
  /** The form as a visitor left it before signing in (decision 040): quantity and personalisation. */
  initial?: { qty: number; personalisation: string }
  barSummary: ReactNode
}) {
  const [text, setText] = useState(initial?.personalisation ?? '')
  const max = Math.max(1, maxQty)
  const initialQty = Math.min(max, Math.max(1, initial?.qty ?? 1))
  const count = [...text.trim()].length
  const over = personalisation !== null && count > personalisation.maxLength
  const buttons = (
    <>
      <Button type="submit" name="intent" value="add" variant="secondary" disabled={over}>
        {s.buy.addToCart}
      </Button>
      <Button type="submit" name="intent" value="buy" disabled={over}>
        {s.buy.buyNow}
      </Button>
    </>
  )
  return (
    <Form method="post" action="/cart" id={id} className="scroll-mt-40 space-y-4" onSubmit={onSubmit}>
      <input type="hidden" name="productId" value={productId} />
      {picker}
      <QuantityStepper name="qty" label={s.buy.quantity} max={max} defaultValue={initialQty} />
      {personalisation ? (
        <div>
          <Field
            label={personalisation.label}
            name="personalisation"
            value={text}
            onChange={(event) => setText(event.target.value)}
            autoComplete="off"
            error={over ? s.personalisation.tooLong(personalisation.label, personalisation.maxLength) : undefined}
            hint={s.buy.personalisationHint(personalisation.maxLength)}
          />
          <p className={`mt-1 text-right text-xs tabular-nums ${over ? 'text-red-700' : 'text-stone-500'}`} aria-live="polite">
            {s.buy.personalisationCount(count, personalisation.maxLength)}
          </p>
        </div>
      ) : null}
      {/* One set of buttons on each screen: in the page from md up, in the bar below it. */}
      <div className="hidden grid-cols-2 gap-3 md:grid">{buttons}</div>
      <StickyBar label={s.buy.bar} summary={barSummary}>
        {buttons}
      </StickyBar>
    </Form>
  )
}

export function DisabledBuy({ label, className = 'w-full' }: { label: string; className?: string }) {
  return (
    <button type="button" disabled className={buttonClass('secondary', className)}>
      {label}
    </button>
  )
}

// ---- admin editor --------------------------------------------------------------------------------

export type EditorDefaults = ProductEditorValues

export function Checkbox({
  name,
  label,
  defaultChecked = false,
  value,
  error,
}: {
  name: string
  label: string
  defaultChecked?: boolean
  value?: string
  error?: string
}) {
  return (
    <div>
      <label className="flex items-start gap-2 text-sm text-stone-800">
        <input type="checkbox" name={name} value={value} defaultChecked={defaultChecked} className="mt-0.5 h-4 w-4 shrink-0 accent-brand-700" aria-invalid={error ? true : undefined} />
        <span>{label}</span>
      </label>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6">
      {/* Floated, the legend sits inside the card like the other cards' headings. */}
      <legend className="float-left mb-4 w-full text-base font-semibold text-stone-900">{legend}</legend>
      <div className="clear-both space-y-4">{children}</div>
    </fieldset>
  )
}

/** The product editor: every field with its label, hint and error; capacity only when creating. */
export function ProductEditor({
  defaults,
  errors,
  categories,
  tiers,
  timeZone,
  mode,
  submitting,
}: {
  defaults: EditorDefaults
  errors: Partial<Record<string, string>>
  categories: readonly { id: number; name: string }[]
  tiers: readonly { rank: number; name: string }[]
  timeZone: string
  mode: 'create' | 'edit'
  submitting: boolean
}) {
  const f = s.admin.fields
  const paidTiers = tiers.filter((tier) => tier.rank > 0)
  return (
    <Form method="post" className="space-y-5" noValidate>
      <input type="hidden" name="intent" value="save" />
      <Fieldset legend={s.admin.sections.basics}>
        <Field label={f.title} name="title" defaultValue={defaults.title} error={errors.title} required maxLength={60} />
        <Field
          label={f.slug}
          name="slug"
          defaultValue={defaults.slug}
          error={errors.slug}
          hint={f.slugHint}
          required
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
        />
        <SelectField label={f.category} name="categoryId" defaultValue={defaults.categoryId} error={errors.categoryId}>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </SelectField>
        <Field label={f.summary} name="summary" defaultValue={defaults.summary} error={errors.summary} hint={f.summaryHint} maxLength={200} />
        <TextAreaField
          label={f.description}
          name="description"
          defaultValue={defaults.description}
          error={errors.description}
          hint={f.descriptionHint}
          rows={8}
          controlClassName="font-mono text-sm"
        />
      </Fieldset>

      <Fieldset legend={s.admin.sections.pricing}>
        <Field label={f.price} name="price" defaultValue={defaults.price} error={errors.price} hint={f.priceHint} inputMode="decimal" required className="max-w-xs" />
        <div className="grid gap-4 sm:grid-cols-2">
          {paidTiers.map((tier) => (
            <Field
              key={tier.rank}
              label={f.tierPrice(tier.name)}
              name={`tierPrice_${tier.rank}`}
              defaultValue={defaults.tierPrices[String(tier.rank)] ?? ''}
              error={errors[`tierPrice_${tier.rank}`]}
              hint={f.tierPriceHint}
              inputMode="decimal"
            />
          ))}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={f.minRank} name="minRank" defaultValue={defaults.minRank} error={errors.minRank}>
            {tiers.map((tier) => (
              <option key={tier.rank} value={tier.rank}>
                {tier.rank === 0 ? f.everyone : f.tierAndAbove(tier.name)}
              </option>
            ))}
          </SelectField>
          <SelectField label={f.gatedVisibility} name="gatedVisibility" defaultValue={defaults.gatedVisibility} error={errors.gatedVisibility}>
            <option value="visible">{f.gatedVisible}</option>
            <option value="hidden">{f.gatedHidden}</option>
          </SelectField>
        </div>
      </Fieldset>

      <Fieldset legend={s.admin.sections.sale}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={f.saleStartsAt} name="saleStartsAt" type="datetime-local" defaultValue={defaults.saleStartsAt} error={errors.saleStartsAt} hint={f.saleHint(timeZone)} />
          <Field label={f.saleEndsAt} name="saleEndsAt" type="datetime-local" defaultValue={defaults.saleEndsAt} error={errors.saleEndsAt} hint={f.saleHint(timeZone)} />
        </div>
      </Fieldset>

      <Fieldset legend={s.admin.sections.stock}>
        {mode === 'create' ? (
          <Field label={f.capacity} name="capacity" defaultValue={defaults.capacity} error={errors.capacity} hint={f.capacityHint} inputMode="numeric" className="max-w-xs" />
        ) : null}
        <Checkbox name="limitedEdition" label={f.limitedEdition} defaultChecked={defaults.limitedEdition} error={errors.limitedEdition} />
        <Field label={f.perMemberLimit} name="perMemberLimit" defaultValue={defaults.perMemberLimit} error={errors.perMemberLimit} inputMode="numeric" className="max-w-xs" />
      </Fieldset>

      <Fieldset legend={s.admin.sections.options}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={f.personalisationLabel} name="personalisationLabel" defaultValue={defaults.personalisationLabel} error={errors.personalisationLabel} hint={f.personalisationLabelHint} />
          <Field
            label={f.personalisationMaxLength}
            name="personalisationMaxLength"
            defaultValue={defaults.personalisationMaxLength}
            error={errors.personalisationMaxLength}
            hint={f.personalisationMaxLengthHint}
            inputMode="numeric"
          />
        </div>
        <Checkbox name="mystery" label={f.mystery} defaultChecked={defaults.mystery} error={errors.mystery} />
      </Fieldset>

      <div className="flex flex-col gap-4 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm sm:flex-row sm:items-center sm:justify-between sm:p-6">
        <Checkbox name="published" label={f.published} defaultChecked={defaults.published} error={errors.published} />
        <Button type="submit" disabled={submitting} className="w-full sm:w-auto">
          {mode === 'create' ? s.admin.createSubmit : s.admin.save}
        </Button>
      </div>
    </Form>
  )
}

/** A small label + value pair for the stock summary. */
export function Stat({ label, value, tone = 'stone' }: { label: string; value: ReactNode; tone?: 'stone' | 'green' | 'amber' }) {
  const tones = { stone: 'text-stone-900', green: 'text-green-700', amber: 'text-amber-700' }
  return (
    <div className="rounded-xl bg-stone-50 px-3 py-2">
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tones[tone]}`}>{value}</dd>
    </div>
  )
}
