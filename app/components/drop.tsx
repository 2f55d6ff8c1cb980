// The membership drop's pieces: a clock that follows the server's, the countdown, live seats,
// tier cards and the admin's sales-per-minute chart.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { clockOffsetMs, countdownParts, dropWindow, secondsToOpen, type DropTierState, type DropWindow } from '~/domain/drop'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { formatClock, formatFen } from '~/utils/format'
import { formatRemaining, useServerClock } from './countdown'
import { Field, FormError, TextAreaField } from './field'
import { Badge, Button } from './ui'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

const d = t.drops

export interface LiveSeatsPayload {
  serverNow: number
  dropId: number | null
  window: DropWindow | null
  tiers: { id: number; available: number; capacity: number }[]
}

/** Seats refresh this often while a drop is open; the clock is re-synced this often before. */
const OPEN_POLL_MS = 3_000
const UPCOMING_POLL_MS = 15_000

/**
 * The server's time as this browser can best tell, ticking every second, and the seats left,
 * fetched every few seconds while the drop is open. The loader's `serverNow` gives a first
 * offset; every fetch of /membership/seats refines it (midpoint of the request). `onStale` is
 * called when the server's answer no longer matches the page (window changed, another drop),
 * so the page can revalidate.
 */
export function useLiveDrop({
  drop,
  serverNow,
  initialSeats,
  onStale,
}: {
  drop: { id: number; opensAt: number; closesAt: number } | null
  serverNow: number
  initialSeats: Record<number, number>
  onStale: () => void
}) {
  const { now, refineOffset } = useServerClock(serverNow)
  const [seats, setSeats] = useState(initialSeats)
  const staleRef = useRef(onStale)
  staleRef.current = onStale

  // A new loader answer (revalidation) brings fresh seats.
  useEffect(() => setSeats(initialSeats), [initialSeats])

  const window = drop ? dropWindow({ opensAt: new Date(drop.opensAt), closesAt: new Date(drop.closesAt) }, new Date(now)) : null
  const dropId = drop?.id ?? null

  useEffect(() => {
    if (dropId === null || window === 'closed' || window === null) return
    let cancelled = false
    const poll = async () => {
      const sentAt = Date.now()
      try {
        const response = await fetch('/membership/seats', { cache: 'no-store', headers: { Accept: 'application/json' } })
        if (!response.ok || cancelled) return
        const payload = (await response.json()) as LiveSeatsPayload
        const receivedAt = Date.now()
        refineOffset(clockOffsetMs({ serverNow: payload.serverNow, sentAt, receivedAt }))
        // Another drop, or the admin opened / closed it early: the page itself is out of date.
        if (payload.dropId !== dropId || payload.window !== window) staleRef.current()
        if (payload.dropId !== dropId) return
        setSeats(Object.fromEntries(payload.tiers.map((tier) => [tier.id, tier.available])))
      } catch {
        // Offline for a moment: the next poll tries again.
      }
    }
    void poll()
    const timer = setInterval(() => void poll(), window === 'open' ? OPEN_POLL_MS : UPCOMING_POLL_MS)
    return () => {
      cancelled = true
      clearInterval(timer)
    }
  }, [dropId, window, refineOffset])

  return { now, seats, window }
}

/** 即将开启: days, hours, minutes and seconds until the drop opens, by the server's clock. */
export function DropCountdown({ opensAt, now }: { opensAt: number; now: number }) {
  const parts = countdownParts(secondsToOpen({ opensAt: new Date(opensAt) }, new Date(now)))
  const units = [
    [parts.days, d.page.countdown.days],
    [parts.hours, d.page.countdown.hours],
    [parts.minutes, d.page.countdown.minutes],
    [parts.seconds, d.page.countdown.seconds],
  ] as const
  return (
    <div role="timer" aria-live="off" aria-label={d.page.countdownLabel(parts.days, parts.hours, parts.minutes, parts.seconds)}>
      <p className="text-sm font-medium text-brand-50">{d.page.opensIn}</p>
      <ol className="mt-2 grid grid-cols-4 gap-2 sm:max-w-md" aria-hidden>
        {units.map(([value, unit]) => (
          <li key={unit} className="rounded-xl bg-white/15 px-2 py-3 text-center ring-1 ring-white/20">
            <span className="block text-3xl font-bold tabular-nums sm:text-4xl">{String(value).padStart(2, '0')}</span>
            <span className="mt-1 block text-xs text-brand-50">{unit}</span>
          </li>
        ))}
      </ol>
    </div>
  )
}

/** "01:02:03" (or "37 天 01:02:03") left until an instant (closing time, a hold's expiry). */
export function Remaining({ until, now, className = '' }: { until: number; now: number; className?: string }) {
  // The same clock as the shop's hold countdown: whole days as days, not 889 hours (issue 18).
  const clock = formatRemaining(Math.max(0, until - now))
  return (
    <span role="timer" aria-live="off" className={`tabular-nums ${className}`}>
      {clock}
    </span>
  )
}

const STATE_TONE: Record<DropTierState, 'amber' | 'green' | 'red' | 'stone'> = {
  upcoming: 'amber',
  open: 'green',
  sold_out: 'red',
  closed: 'stone',
}

export function DropStateBadge({ state }: { state: DropTierState }) {
  return <Badge tone={STATE_TONE[state]}>{d.states[state]}</Badge>
}

export interface DropTierCardData {
  id: number
  tierName: string
  description: string
  priceFen: number
  capacity: number
  available: number
  validUntilLabel: string
}

/** One tier of the drop: price, seats left (live), and what the viewer can do (`children`). */
export function DropTierCard({ tier, state, chosen = false, children }: { tier: DropTierCardData; state: DropTierState; chosen?: boolean; children?: ReactNode }) {
  const taken = tier.capacity > 0 ? Math.min(1, (tier.capacity - tier.available) / tier.capacity) : 1
  // dropTierAnchor (domain/sign-in-return): a buyer back from signing in lands on this heading.
  const headingId = `drop-tier-${tier.id}`
  return (
    <li
      aria-labelledby={headingId}
      className={`flex flex-col rounded-2xl border bg-white p-5 shadow-sm ${chosen ? 'border-brand-600 ring-2 ring-brand-600/40' : 'border-stone-200'}`}
    >
      {chosen ? <p className="mb-2 text-sm font-semibold text-brand-700">{d.page.chosenTier}</p> : null}
      <div className="flex items-start justify-between gap-3">
        <h3 id={headingId} className="scroll-mt-40 text-lg font-bold text-stone-900">
          {tier.tierName}
        </h3>
        <DropStateBadge state={state} />
      </div>
      <p className="mt-1 text-3xl font-bold text-brand-700">
        {formatFen(tier.priceFen)}
        <span className="ml-1 text-sm font-normal text-stone-500">{d.page.perSeat}</span>
      </p>
      {tier.description ? <p className="mt-3 text-sm leading-relaxed text-stone-600">{tier.description}</p> : null}
      <p className="mt-2 text-sm text-stone-500">{tier.validUntilLabel}</p>
      <div className="mt-4">
        <div className="flex items-baseline justify-between text-sm">
          <span className={state === 'sold_out' ? 'font-semibold text-red-700' : 'font-semibold text-stone-800'} aria-live="polite">
            {state === 'sold_out' ? d.page.soldOut : state === 'upcoming' ? d.page.capacity(tier.capacity) : d.page.seatsLeft(tier.available)}
          </span>
          {state === 'open' || state === 'sold_out' ? <span className="text-xs text-stone-500">{d.page.capacity(tier.capacity)}</span> : null}
        </div>
        {state === 'upcoming' ? null : (
          <div className="mt-2 h-2 overflow-hidden rounded-full bg-stone-100" aria-hidden>
            <div className={`h-full rounded-full ${state === 'sold_out' ? 'bg-red-500' : 'bg-brand-600'}`} style={{ width: `${Math.round(taken * 100)}%` }} />
          </div>
        )}
      </div>
      {children ? <div className="mt-5 flex flex-1 flex-col justify-end gap-2">{children}</div> : null}
    </li>
  )
}

export interface ChartMinute {
  minute: number
  seats: number
}

/**
 * Seats sold per minute as an inline SVG bar chart from `from` to `to` (minute starts, ms), with
 * zero bars for quiet minutes. The bars stretch to any width; the labels are HTML, so they stay
 * readable on a phone. Times are labelled in the site time zone.
 */
export function SalesChart({ points, from, to, timeZone }: { points: ChartMinute[]; from: number; to: number; timeZone: string }) {
  const minutes: ChartMinute[] = []
  const bySlot = new Map(points.map((p) => [p.minute, p.seats]))
  for (let m = from; m <= to; m += 60_000) minutes.push({ minute: m, seats: bySlot.get(m) ?? 0 })
  const max = Math.max(1, ...minutes.map((m) => m.seats))
  const total = minutes.reduce((sum, m) => sum + m.seats, 0)
  const labels = [...new Set([0, Math.floor((minutes.length - 1) / 2), minutes.length - 1])].map((i) => formatClock(minutes[i]!.minute, timeZone))
  const summary = `${d.admin.chartTitle}：${total}`
  return (
    <figure>
      <div className="flex gap-2">
        <div className="flex h-40 flex-col justify-between text-right text-xs tabular-nums text-stone-500" aria-hidden>
          <span>{max}</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${minutes.length} 100`} preserveAspectRatio="none" className="h-40 w-full border-b border-l border-stone-200" role="img" aria-label={summary}>
          <title>{summary}</title>
          {minutes.map((m, i) => (
            <rect key={m.minute} x={i + 0.1} y={100 - (m.seats / max) * 100} width={0.8} height={(m.seats / max) * 100} fill="#c2410c">
              <title>{d.admin.chartLabel(formatClock(m.minute, timeZone), m.seats)}</title>
            </rect>
          ))}
        </svg>
      </div>
      <figcaption className="ml-6 mt-1 flex justify-between text-xs tabular-nums text-stone-500">
        {labels.map((label) => (
          <span key={label}>{label}</span>
        ))}
      </figcaption>
    </figure>
  )
}

export interface DropFormTier {
  tierId: number
  name: string
  offered: boolean
  price: string
  capacity: string
  validUntil: string
  /** Paid + held seats: the floor for the capacity once the drop is open. */
  taken: number
}

export interface DropFormValues {
  name: string
  opensAt: string
  closesAt: string
  announcement: string
}

/**
 * The drop form. `locked` (the drop has opened): the window, prices, validity and tier set are
 * shown read-only (prices and validity are still sent, so a changed one is refused); only the
 * texts and capacities change.
 */
export function DropForm({
  values,
  tiers,
  errors,
  locked,
  submitLabel,
  submitting,
  intent,
}: {
  values: DropFormValues
  tiers: DropFormTier[]
  errors: Partial<Record<string, string>>
  locked: boolean
  submitLabel: string
  submitting: boolean
  intent?: string
}) {
  const f = d.admin.fields
  return (
    <div className="space-y-5">
      <FormError error={errors.form} />
      <Field label={f.name} name="name" defaultValue={values.name} error={errors.name} required maxLength={60} />
      {locked ? (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">{d.admin.editLocked}</p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={f.opensAt} name="opensAt" type="datetime-local" defaultValue={values.opensAt} error={errors.opensAt} required />
          <Field label={f.closesAt} name="closesAt" type="datetime-local" defaultValue={values.closesAt} error={errors.closesAt} required />
        </div>
      )}
      <TextAreaField label={f.announcement} name="announcement" defaultValue={values.announcement} error={errors.announcement} rows={3} maxLength={2000} />
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-stone-800">{d.admin.tiers}</legend>
        <FormError error={errors.tiers} />
        {tiers.map((tier) => (
          <div key={tier.tierId} className="rounded-xl border border-stone-200 bg-stone-50/60 p-4">
            {locked ? (
              <p className="font-semibold text-stone-900">{tier.name}</p>
            ) : (
              <label className="flex items-center gap-2 font-semibold text-stone-900">
                <input type="checkbox" name={`offered_${tier.tierId}`} defaultChecked={tier.offered} className="h-4 w-4 accent-brand-700" />
                {f.offered(tier.name)}
              </label>
            )}
            <div className="mt-3 grid gap-3 sm:grid-cols-3">
              <Field
                label={f.price}
                name={`price_${tier.tierId}`}
                inputMode="decimal"
                defaultValue={tier.price}
                error={errors[`price_${tier.tierId}`]}
                readOnly={locked}
                className={locked ? 'opacity-70' : ''}
              />
              <Field
                label={f.capacity}
                name={`capacity_${tier.tierId}`}
                inputMode="numeric"
                defaultValue={tier.capacity}
                placeholder={f.capacityPlaceholder}
                error={errors[`capacity_${tier.tierId}`]}
                hint={locked ? d.admin.capacityFloor(tier.taken) : undefined}
              />
              <Field
                label={f.validUntil}
                name={`validUntil_${tier.tierId}`}
                type="date"
                defaultValue={tier.validUntil}
                error={errors[`validUntil_${tier.tierId}`]}
                readOnly={locked}
                className={locked ? 'opacity-70' : ''}
              />
            </div>
          </div>
        ))}
      </fieldset>
      <Button name={intent ? 'intent' : undefined} value={intent} disabled={submitting}>
        {submitLabel}
      </Button>
    </div>
  )
}
