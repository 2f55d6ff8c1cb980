// Orders as buyers (and staff) see them: the state badge, edition numbers, and a cart / order line
// with its picture (the status timeline is order-timeline.tsx: the cart and checkout, which load
// this file, never draw it). Presentational: data in, markup out.
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { OrderKind, OrderState, ShippingAddress } from '../../db/schema'
import { Badge, type BadgeTone } from '~/components/ui'
import { formatAddressLine } from '~/domain/address'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import { formatFen } from '~/utils/format'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { orders: ordersZhCN }

const o = t.orders

// One colour per state, so a list of orders reads at a glance (issue 18): waiting on the buyer
// amber, moving blue → violet → green, money going back rose then teal once returned, closed
// grey (cancelled filled, lapsed outlined).
const STATE_TONES: Record<OrderState, BadgeTone> = {
  pending: 'amber',
  paid: 'blue',
  shipped: 'violet',
  completed: 'green',
  cancelled: 'stone',
  expired: 'outline',
  refunding: 'rose',
  refunded: 'teal',
}

export function OrderStateBadge({ state }: { state: OrderState }) {
  return <Badge tone={STATE_TONES[state]}>{o.states[state]}</Badge>
}

/** 「No. 37 / 500」 for each number of a line (`of` = the edition size; null = unnumbered size). */
export function EditionNumbers({ numbers, of }: { numbers: readonly number[]; of: number | null }) {
  if (numbers.length === 0) return null
  return (
    <p className="mt-1 flex flex-wrap items-center gap-1.5">
      <span className="sr-only">{o.detail.editionLabel}</span>
      {numbers.map((n) => (
        <span key={n} className="rounded-md border border-brand-600/30 bg-brand-50 px-2 py-0.5 text-xs font-semibold tabular-nums text-brand-800">
          {o.detail.edition(n, of)}
        </span>
      ))}
    </p>
  )
}

/** What every line view shows: title, link, personalisation, price and quantity. */
interface LineBasics {
  /** The product's page, while it has one. */
  slug: string | null
  title: string
  /** The variant chosen (「尺码：L」), or null for a product without options (decision 047). */
  variantLabel: string | null
  personalisation: string
  personalisationLabel: string | null
  qty: number
  unitPriceFen: number
}

/** What a cart or checkout page shows of one line. */
export interface CartLineData extends LineBasics {
  key: string
  productId: number
  variantId: number | null
  /** The product's base price: struck through when the viewer's price is lower. */
  basePriceFen: number
  coverThumbId: string | null
  /** Units left when few are (「仅剩 N 件」), else null. */
  lowStock: number | null
  perMemberLimit: number | null
  /** Why it cannot be bought now, or null. */
  problem: string | null
}

const THUMB_BOXES = { sm: 'h-12 w-12', md: 'h-16 w-16 sm:h-20 sm:w-20' } as const

export function ProductThumb({ mediaId, size = 'md' }: { mediaId: string | null; size?: 'sm' | 'md' }) {
  return <OrderThumb picture={{ src: mediaId ? `/media/${mediaId}` : null, kind: 'goods' }} size={size} />
}

/** The picture of an order or of its line: a product's photo or a course's cover, and the kind that says what to draw without one. */
export interface OrderPicture {
  src: string | null
  kind: OrderKind
}

/**
 * An order's picture. Without one, goods keep the empty tile of a product without photos; a
 * course or a seat gets the course cover's gradient with its kind's name (「课程」, 「会员」), so a
 * virtual order never looks like a missing photo.
 */
export function OrderThumb({ picture, size = 'md' }: { picture: OrderPicture; size?: 'sm' | 'md' }) {
  const box = THUMB_BOXES[size]
  if (picture.src) {
    return <img src={picture.src} alt="" loading="lazy" className={`${box} shrink-0 rounded-lg border border-stone-200 bg-stone-100 object-cover`} />
  }
  if (picture.kind === 'goods') return <span aria-hidden className={`${box} shrink-0 rounded-lg border border-stone-200 bg-stone-100`} />
  return (
    <span
      aria-hidden
      data-fallback={picture.kind}
      className={`${box} flex shrink-0 items-center justify-center rounded-lg bg-gradient-to-br from-brand-700 to-stone-800 text-xs font-semibold tracking-wider text-white`}
    >
      {o.thumb[picture.kind]}
    </span>
  )
}

export function PersonalisationNote({ label, text }: { label: string | null; text: string }) {
  if (!text) return null
  return <p className="mt-0.5 break-all text-sm text-stone-600">{label ? `${label}：「${text}」` : o.detail.personalisation(text)}</p>
}

/** A line's title (linked to its product while it has a page), personalisation, unit price × qty and subtotal. */
function LineSummary({
  line,
  basePriceFen,
  mutedTitle = false,
}: {
  line: LineBasics
  /** Struck through after the price when the line's price is lower. */
  basePriceFen?: number
  mutedTitle?: boolean
}) {
  const discounted = basePriceFen !== undefined && line.unitPriceFen < basePriceFen
  return (
    <div className="flex items-start justify-between gap-3">
      <div className="min-w-0">
        {line.slug ? (
          <Link to={`/shop/p/${line.slug}`} className="font-medium text-stone-900 hover:text-brand-700">
            {line.title}
          </Link>
        ) : (
          <p className={`font-medium ${mutedTitle ? 'text-stone-500' : 'text-stone-900'}`}>{line.title}</p>
        )}
        {line.variantLabel ? <p className="mt-0.5 text-sm text-stone-600">{line.variantLabel}</p> : null}
        <PersonalisationNote label={line.personalisationLabel} text={line.personalisation} />
        <p className="mt-0.5 text-sm text-stone-500">
          {formatFen(line.unitPriceFen)}
          {discounted ? <s className="ml-1.5 text-stone-500">{formatFen(basePriceFen)}</s> : null} × {line.qty}
        </p>
      </div>
      <p className="shrink-0 font-semibold text-stone-900">{formatFen(line.unitPriceFen * line.qty)}</p>
    </div>
  )
}

/** A cart line: photo, title, personalisation, price and subtotal; `children` are its controls. */
export function CartLineView({ line, compact = false, children }: { line: CartLineData; compact?: boolean; children?: ReactNode }) {
  return (
    <div className="flex gap-3">
      <ProductThumb mediaId={line.coverThumbId} size={compact ? 'sm' : 'md'} />
      <div className="min-w-0 flex-1">
        <LineSummary line={line} basePriceFen={line.basePriceFen} mutedTitle />
        {line.problem ? (
          <p className="mt-2 inline-flex rounded-md bg-red-50 px-2 py-1 text-sm text-red-800">{line.problem}</p>
        ) : line.lowStock !== null || line.perMemberLimit !== null ? (
          <p className={`mt-1 text-xs ${line.lowStock !== null ? 'text-amber-800' : 'text-stone-500'}`}>
            {[line.lowStock !== null ? o.cart.left(line.lowStock) : null, line.perMemberLimit !== null ? o.cart.perMemberLimit(line.perMemberLimit) : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
        ) : null}
        {children}
      </div>
    </div>
  )
}

/** What an order page (the buyer's or the admin's) shows of one line. */
export interface OrderLineData extends LineBasics {
  id: number
  numbers: number[]
  /** The edition size after each number, or null for numbers that stand alone. */
  editionSize: number | null
  /** Omitted where the page shows no pictures. */
  picture?: OrderPicture
}

/** An ordered line: picture (when given), title, personalisation, price, subtotal and its numbers. */
export function OrderLineItem({ line }: { line: OrderLineData }) {
  return (
    <li className="flex gap-3 py-3">
      {line.picture ? <OrderThumb picture={line.picture} /> : null}
      <div className="min-w-0 flex-1">
        <LineSummary line={line} />
        <EditionNumbers numbers={line.numbers} of={line.editionSize} />
      </div>
    </li>
  )
}

/** The shipping address: recipient and phone, then the address on one line. */
export function ShippingAddressView({ address }: { address: ShippingAddress }) {
  return (
    <>
      <p className="text-stone-900">
        {address.name}
        <span className="ml-3 text-stone-600">{address.phone}</span>
      </p>
      <p className="mt-1 break-words text-stone-700">{formatAddressLine(address)}</p>
    </>
  )
}
