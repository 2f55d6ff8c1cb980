import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams, useSubmit } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useRootData } from '~/root'
import { DropCountdown, DropTierCard, Remaining, useLiveDrop } from '~/components/drop'
import { DropReminder } from '~/components/drop-reminder'
import { FormError } from '~/components/field'
import { TierList } from '~/components/tier-list'
import { Button, buttonClass, Card, EmptyState, PageTitle } from '~/components/ui'
import { dropTierState, dropWindow, type DropTierState } from '~/domain/drop'
import type { LinePlace } from '~/domain/drop-line'
import type { SeatTerms } from '~/domain/membership-plan'
import { chosenDropTier, dropReturnPath, signInPath } from '~/domain/sign-in-return'
import { buySeatForm, joinWaitlistForm } from '~/domain/drop-forms.server'
import { memberNumberLabel } from '~/emails/drop'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { dropLineZhCN } from '~/i18n/dropLine.zh-CN'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { notificationsZhCN } from '~/i18n/notifications.zh-CN'
import { paymentsZhCN } from '~/i18n/payments.zh-CN'
import { sectionsZhCN } from '~/i18n/sections.zh-CN'
import { shareZhCN } from '~/i18n/share.zh-CN'
import {
  countDropMembers,
  decideSeatUpgrade,
  getCurrentDrop,
  getViewerDropStatus,
  getViewerSeatTerms,
  joinWaitlist,
  listDropTiers,
  placeUpgradeOrder,
  type SeatOrderResult,
  type WaitlistResult,
} from '~/models/drop.server'
import { requestSeat, viewerLinePlace } from '~/models/drop-line.server'
import { listTiers } from '~/models/membership.server'
import { hasDropReminder, requestDropReminder } from '~/models/notification.server'
import { getUser } from '~/utils/auth.server'
import { BUSY_RETRY_AFTER_SECONDS, isDatabaseBusy } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatFen, formatValidUntil } from '~/utils/format'
import { parseForm } from '~/utils/forms'
import { paymentsAvailable } from '~/utils/payments.server'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN, dropLine: dropLineZhCN, errors: errorsZhCN, notifications: notificationsZhCN, payments: paymentsZhCN, sections: sectionsZhCN, share: shareZhCN, site: siteZhCN }

const d = t.drops

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => [
  { title: `${loaded?.drop?.name ?? t.sections.membership.title} · ${t.site.name}` },
  ...shareMeta({
    siteUrl: siteUrlOf(matches),
    path: '/membership',
    title: loaded?.drop?.name ?? t.share.membershipTitle,
    description: t.sections.membership.body,
    image: posterPaths.site,
  }),
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = new Date()
  const timeZone = getEnv().SITE_TIMEZONE
  const [user, tierRows, drop] = await Promise.all([getUser(request, context), listTiers(), getCurrentDrop(now)])
  const dropTierRows = drop ? await listDropTiers(drop.id, now) : []
  // The viewer's plan, and what each tier's seat would be for them (decision 049).
  const planned = user ? await getViewerSeatTerms({ dropId: drop?.id ?? null, userId: user.id, now }, dropTierRows) : null
  const plan = planned?.plan
  const base = {
    serverNow: now.getTime(),
    timeZone,
    signedIn: Boolean(user),
    tiers: tierRows.map(({ id, name, rank, priceFen, description }) => ({ id, name, rank, priceFen, description })),
    mine: plan ? { tierName: plan.tierName, memberNumber: plan.memberNumber, validUntil: plan.validUntil.getTime() } : null,
  }
  if (!drop) return { ...base, drop: null, dropTiers: [], viewer: null }

  const [members, status, reminder, line] = await Promise.all([
    countDropMembers(drop.id),
    user ? getViewerDropStatus({ dropId: drop.id, userId: user.id, now }) : null,
    user ? hasDropReminder({ dropId: drop.id, userId: user.id }) : false,
    // A reload keeps the viewer's place in the waiting room (decision 031).
    user && dropWindow(drop, now) === 'open' ? viewerLinePlace({ dropId: drop.id, userId: user.id, now }) : null,
  ])
  const description = new Map(tierRows.map((tier) => [tier.id, tier.description]))
  // An upgrade offer: the member's seat in this drop (new, or a renewal) → the next tier up.
  const seat = status?.membership
  const from = seat ? dropTierRows.find((row) => row.id === seat.dropTierId) : undefined
  // The one upgrade rule (decideSeatUpgrade), the one placing the order applies: the first tier up it allows.
  const upgrade =
    seat && from
      ? dropTierRows
          .map((row) => ({ row, decision: decideSeatUpgrade(drop, { ...upgradeTier(from), sale: seat.sale, validUntil: seat.validUntil }, upgradeTier(row), now) }))
          .find(({ decision }) => decision.ok)
      : undefined
  return {
    ...base,
    drop: {
      id: drop.id,
      name: drop.name,
      opensAt: drop.opensAt.getTime(),
      closesAt: drop.closesAt.getTime(),
      announcement: drop.announcement,
      members,
    },
    dropTiers: dropTierRows.map((row) => ({
      id: row.id,
      tierName: row.tierName,
      description: description.get(row.tierId) ?? '',
      priceFen: row.priceFen,
      capacity: row.capacity,
      available: row.available,
      validUntilLabel: d.page.validUntil(formatValidUntil(row.validUntil, timeZone)),
    })),
    viewer: status
      ? {
          membership: status.membership
            ? { memberNumber: status.membership.memberNumber, tierName: status.membership.tierName, dropTierId: status.membership.dropTierId }
            : null,
          pendingOrder: status.pendingOrder ? { ...status.pendingOrder, expiresAt: status.pendingOrder.expiresAt.getTime() } : null,
          waitlistedTierIds: status.waitlistedTierIds,
          upgrade: upgrade?.decision.ok
            ? {
                dropTierId: upgrade.row.id,
                tierName: upgrade.row.tierName,
                priceFen: upgrade.decision.priceFen,
                // A renewal moves up from today to its own end, not to the tier's (decision 049).
                renewalUntil: seat?.sale === 'renewal' ? seat.validUntil.getTime() : null,
              }
            : null,
          paidSeat: status.paidSeat,
          seatTerms: Object.fromEntries([...(planned?.terms ?? [])].map(([dropTierId, terms]) => [dropTierId, seatTermsView(terms)])),
          reminder,
          line,
        }
      : null,
  }
}

/** A seat's terms as the page reads them (instants in ms). */
function seatTermsView(terms: SeatTerms) {
  switch (terms.kind) {
    case 'new':
      return { kind: terms.kind }
    case 'renewal':
      return { kind: terms.kind, priceFen: terms.priceFen, from: terms.from.getTime(), until: terms.until.getTime(), memberNumber: terms.memberNumber }
    case 'upgrade':
      return { kind: terms.kind, priceFen: terms.priceFen, until: terms.until.getTime(), memberNumber: terms.memberNumber, creditFen: terms.creditFen, creditDays: terms.creditDays }
    case 'downgrade':
      return { kind: terms.kind, planTierName: terms.planTierName, planUntil: terms.planUntil.getTime() }
  }
}

type SeatTermsView = ReturnType<typeof seatTermsView>

function upgradeTier(row: { id: number; rank: number; priceFen: number }) {
  return { dropTierId: row.id, rank: row.rank, priceFen: row.priceFen }
}

type ActionData =
  | { errors: { form: string }; line?: undefined; dropTierId: number | null }
  /** A place in the waiting room: the page shows it (from the loader) and asks about it. */
  | { errors?: undefined; line: { ticket: string; place: LinePlace }; dropTierId: number }

const SEAT_REFUSALS: Record<Exclude<SeatOrderResult, { ok: true }>['reason'], [status: number, message: string]> = {
  tier_invalid: [400, d.errors.tierInvalid],
  not_open_yet: [403, d.errors.notOpenYet],
  closed: [403, d.errors.closed],
  sold_out: [409, d.errors.soldOut],
  second_seat: [409, d.errors.secondSeat],
  not_member: [403, d.errors.upgradeNotMember],
  not_higher: [400, d.errors.upgradeNotHigher],
  upgrade_pending: [409, d.errors.upgradePending],
  // Replaced by the sentence naming the viewer's plan (downgradeRefusal) when it can be read.
  downgrade: [409, d.errors.secondSeat],
}

const WAITLIST_REFUSALS: Record<Exclude<WaitlistResult, { ok: true }>['reason'], [status: number, message: string]> = {
  tier_invalid: [400, d.errors.tierInvalid],
  not_yet: [403, d.errors.waitlistNotYet],
  not_sold_out: [409, d.errors.waitlistNotSoldOut],
  already: [409, d.errors.waitlistTwice],
  has_seat: [409, d.errors.secondSeat],
}

function refuse([status, message]: [number, string], dropTierId: number | null) {
  return data<ActionData>({ errors: { form: message }, dropTierId }, { status })
}

/** The line's answer to a seat request: still waiting (200, with the ticket), or its verdict (4xx). */
function lineAnswer(line: { ticket: string; place: LinePlace }, dropTierId: number) {
  const { place } = line
  switch (place.state) {
    case 'waiting':
    case 'admitted':
      return data<ActionData>({ line, dropTierId }, { status: 200 })
    case 'full':
      return refuse([409, place.reason === 'sold_out' ? d.errors.soldOut : t.dropLine.outnumbered], dropTierId)
    case 'lapsed':
      return refuse([409, t.dropLine.lapsed], dropTierId)
    case 'used':
      return refuse([409, t.dropLine.used], dropTierId)
    case 'closed':
      return refuse([403, d.errors.closed], dropTierId)
  }
}

export async function action(args: ActionFunctionArgs) {
  try {
    return await act(args)
  } catch (error) {
    // The database stayed busy past the write deadline (decision 037): said on the page, 503.
    if (!isDatabaseBusy(error)) throw error
    return data<ActionData>({ errors: { form: t.dropLine.busy }, dropTierId: null }, { status: 503, headers: { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) } })
  }
}

async function act({ request }: ActionFunctionArgs) {
  // One instant for the whole request: the window is judged at the moment the order arrived.
  const now = new Date()
  const formData = await request.formData()
  const intent = formData.get('intent')
  const user = await getUser(request)
  // Signed out meanwhile (or a page kept from before): to sign in, and back to the tier chosen.
  if (!user) throw redirect(signInPath({ redirectTo: visitorReturn(formData), purchase: intent === 'buy' }))
  if (intent === 'buy') {
    const form = parseForm(buySeatForm, formData)
    if (!form.ok) return refuse([400, d.errors.tierInvalid], null)
    // The ticket of a place in the waiting room, sent back on the buyer's turn (decision 031).
    const ticket = formData.get('ticket')
    if (ticket !== null && (typeof ticket !== 'string' || ticket.length > 200)) return refuse([403, t.dropLine.invalid], form.data.dropTierId)
    if (!paymentsAvailable()) return refuse([503, t.payments.notSetUp], form.data.dropTierId)
    const result = await requestSeat({ ...form.data, userId: user.id, ticket: ticket || null, now })
    if (result.kind === 'held') return redirect(`/pay/${result.orderId}`)
    if (result.kind === 'refused') {
      const refusal = result.reason === 'downgrade' ? await downgradeRefusal({ ...form.data, userId: user.id, now }) : SEAT_REFUSALS[result.reason]
      return refuse(refusal, form.data.dropTierId)
    }
    if (result.kind === 'ticket_invalid') return refuse([403, t.dropLine.invalid], form.data.dropTierId)
    return lineAnswer({ ticket: result.ticket, place: result.place }, form.data.dropTierId)
  }
  if (intent === 'upgrade') {
    const form = parseForm(buySeatForm, formData)
    if (!form.ok) return refuse([400, d.errors.tierInvalid], null)
    if (!paymentsAvailable()) return refuse([503, t.payments.notSetUp], form.data.dropTierId)
    const result = await placeUpgradeOrder({ ...form.data, userId: user.id, now })
    if (result.ok) return redirect(`/pay/${result.orderId}`)
    return refuse(SEAT_REFUSALS[result.reason], form.data.dropTierId)
  }
  if (intent === 'waitlist') {
    const form = parseForm(joinWaitlistForm, formData)
    if (!form.ok) return refuse([400, d.errors.tierInvalid], null)
    const result = await joinWaitlist({ ...form.data, userId: user.id, now })
    if (!result.ok) return refuse(WAITLIST_REFUSALS[result.reason], form.data.dropTierId)
    return redirectWithFlash('/membership', { kind: 'success', message: result.next ? d.page.waitlist.flashJoinedNext : d.page.waitlist.flashJoined })
  }
  if (intent === 'remind') {
    const dropId = Number(formData.get('dropId'))
    if (!Number.isSafeInteger(dropId)) return refuse([400, t.errors.invalidChoice], null)
    const result = await requestDropReminder({ dropId, userId: user.id, now })
    if (!result.ok) return refuse([409, t.notifications.remind.notUpcoming], null)
    return redirectWithFlash('/membership', { kind: 'success', message: t.notifications.remind.flash })
  }
  return refuse([400, t.errors.invalidChoice], null)
}

/** 「你是铁杆会员至 …，亲情会员席位不适合你：到期后可选择亲情会员续费」: the refusal of a lower tier, with the plan it would waste. */
async function downgradeRefusal({ dropId, dropTierId, userId, now }: { dropId: number; dropTierId: number; userId: number; now: Date }): Promise<[number, string]> {
  const rows = await listDropTiers(dropId, now)
  const { terms } = await getViewerSeatTerms({ dropId, userId, now }, rows)
  const chosen = terms.get(dropTierId)
  const tierName = rows.find((row) => row.id === dropTierId)?.tierName
  if (chosen?.kind !== 'downgrade' || !tierName) return SEAT_REFUSALS.downgrade
  return [409, d.page.downgrade(chosen.planTierName, formatValidUntil(chosen.planUntil, getEnv().SITE_TIMEZONE), tierName)]
}

const LOGIN_URL = signInPath({ redirectTo: '/membership' })

/** Where a visitor's form on this page comes back to after signing in: the tier they chose. */
function visitorReturn(formData: FormData) {
  const dropTierId = Number(formData.get('dropTierId'))
  return Number.isSafeInteger(dropTierId) && dropTierId > 0 ? dropReturnPath(dropTierId) : '/membership'
}

export default function Membership() {
  const loaded = useLoaderData<typeof loader>()
  if (!loaded.drop) return <NoDrop />
  return <DropPage key={loaded.drop.id} />
}

function NoDrop() {
  const { tiers, mine, timeZone } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageTitle subtitle={t.sections.membership.body}>{t.sections.membership.title}</PageTitle>
      {mine ? <MyPlan plan={mine} timeZone={timeZone} /> : null}
      <TierList tiers={tiers} />
      <EmptyState>{d.page.noDrop}</EmptyState>
    </div>
  )
}

type PlanView = { tierName: string; memberNumber: number | null; validUntil: number }

/** The viewer's current plan: tier, member number, valid until (with renewals already paid). */
function MyPlan({ plan, timeZone, children }: { plan: PlanView; timeZone: string; children?: ReactNode }) {
  return (
    <section aria-labelledby="my-plan-title" className="rounded-2xl border border-brand-100 bg-brand-50 p-5 shadow-sm sm:p-6">
      <h2 id="my-plan-title" className="text-sm font-semibold text-brand-700">
        {d.page.plan.title}
      </h2>
      <p className="mt-1 text-lg font-bold text-brand-900">
        {plan.tierName}
        <span className="mx-2 text-brand-300" aria-hidden>
          ·
        </span>
        <span className="text-base font-semibold">{plan.memberNumber === null ? d.page.plan.noNumber : d.page.plan.number(memberNumberLabel(plan.memberNumber))}</span>
      </p>
      <p className="mt-1 text-sm text-brand-800">{d.page.plan.validUntil(formatValidUntil(plan.validUntil, timeZone))}</p>
      {children}
      <Link to="/membership/card" className="mt-2 inline-block text-sm font-medium text-brand-700 underline underline-offset-4">
        {d.page.mine.card}
      </Link>
    </section>
  )
}

function DropPage() {
  const loaded = useLoaderData<typeof loader>()
  const drop = loaded.drop!
  const { viewer, signedIn, timeZone } = loaded
  const actionData = useActionData<typeof action>()
  const revalidator = useRevalidator()
  const lastRevalidation = useRef(0)
  const revalidate = useCallback(() => {
    // The client's clock may be a hair ahead of the server's: at most one retry a second.
    if (revalidator.state !== 'idle' || Date.now() - lastRevalidation.current < 1000) return
    lastRevalidation.current = Date.now()
    revalidator.revalidate()
  }, [revalidator])
  const initialSeats = useMemo(() => Object.fromEntries(loaded.dropTiers.map((tier) => [tier.id, tier.available])), [loaded.dropTiers])
  const { now, seats, window } = useLiveDrop({ drop, serverNow: loaded.serverNow, initialSeats, onStale: revalidate })
  const loaderWindow = dropWindow({ opensAt: new Date(drop.opensAt), closesAt: new Date(drop.closesAt) }, new Date(loaded.serverNow))

  // The window turned (countdown reached zero, or the drop closed): ask the server for the page.
  useEffect(() => {
    if (window && window !== loaderWindow) revalidate()
  }, [window, loaderWindow, revalidate, now])

  const windowText = d.page.window(formatDateTime(drop.opensAt, timeZone), formatDateTime(drop.closesAt, timeZone))
  const formError = actionData && actionData.dropTierId === null ? actionData.errors?.form : undefined
  const hasSeat = Boolean(viewer?.membership || viewer?.paidSeat || (viewer?.pendingOrder && !viewer.pendingOrder.upgrade))
  const paymentsMode = useRootData()?.payments.mode
  // A refused turn (say 已满 from the core) ends the place: the page shows the refusal on the tier.
  const line = window === 'open' && !hasSeat && !actionData?.errors ? viewer?.line ?? null : null
  const place = useLinePlace(drop.id, line)
  // While the buyer holds a place, the place is their choice: no second buy button competes with it.
  const inLine = line !== null && (place.state === 'waiting' || place.state === 'admitted')
  // The tier a visitor pressed 抢席位 on before signing in (decision 040).
  const [searchParams] = useSearchParams()
  const chosenTier = chosenDropTier(searchParams)

  return (
    <div className="space-y-6">
      <PageTitle subtitle={windowText}>{drop.name}</PageTitle>

      <section
        aria-label={d.states[window ?? 'closed']}
        className="rounded-3xl bg-gradient-to-br from-brand-700 to-brand-800 px-5 py-7 text-white shadow-md sm:px-8"
      >
        <p className="flex items-center gap-2 text-sm font-semibold">
          <span className={`inline-block h-2 w-2 rounded-full ${window === 'open' ? 'animate-pulse bg-green-300' : window === 'upcoming' ? 'bg-amber-300' : 'bg-stone-300'}`} aria-hidden />
          {d.states[window ?? 'closed']}
        </p>
        {window === 'upcoming' ? (
          <div className="mt-4 space-y-4">
            <DropCountdown opensAt={drop.opensAt} now={now} />
            <p className="text-sm leading-relaxed text-brand-50">{d.page.upcomingHint}</p>
            {viewer ? <DropReminder dropId={drop.id} on={viewer.reminder} /> : null}
          </div>
        ) : window === 'open' ? (
          <div className="mt-3 space-y-3">
            <p className="text-lg font-semibold">
              {d.page.closesIn} <Remaining until={drop.closesAt} now={now} className="text-2xl font-bold" />
            </p>
            <p className="text-sm leading-relaxed text-brand-50">{d.page.openHint}</p>
          </div>
        ) : (
          <div className="mt-3 space-y-2">
            <h2 className="text-xl font-bold">{d.page.closedTitle}</h2>
            <p className="text-sm text-brand-50">{d.page.closedBody(drop.members)}</p>
          </div>
        )}
      </section>

      <FormError error={formError} />
      {window === 'open' && paymentsMode === 'none' ? (
        <p className="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">{t.payments.notSetUp}</p>
      ) : null}
      {line ? <LinePanel dropId={drop.id} line={line} place={place} /> : null}
      <ViewerPanel now={now} />
      {!signedIn && window !== 'closed' ? (
        <p className="text-sm text-stone-600">
          <Link to={LOGIN_URL} className="mr-1 font-medium text-brand-700 underline underline-offset-4">
            {d.page.loginLink}
          </Link>
          {d.page.loginHint}
          <Link to="/signup" className="ml-1 font-medium text-brand-700 underline underline-offset-4">
            {d.page.signup}
          </Link>
        </p>
      ) : null}

      {window === 'closed' ? (
        <ClosedDrop />
      ) : (
        <section aria-labelledby="drop-tiers-title" className="space-y-3">
          <div className="flex items-baseline justify-between">
            <h2 id="drop-tiers-title" className="text-lg font-bold text-stone-900">
              {d.page.tiersTitle}
            </h2>
            {window === 'open' ? <p className="text-xs text-stone-500">{d.page.seatsLive}</p> : null}
          </div>
          <ul className="grid gap-4 sm:grid-cols-2">
            {loaded.dropTiers.map((tier) => {
              const available = seats[tier.id] ?? tier.available
              const state = dropTierState(window ?? 'closed', available)
              return (
                <DropTierCard key={tier.id} tier={{ ...tier, available }} state={state} chosen={signedIn && tier.id === chosenTier}>
                  {actionData?.dropTierId === tier.id ? <FormError error={actionData.errors?.form} /> : null}
                  <TierAction
                    dropId={drop.id}
                    tier={tier}
                    state={state}
                    signedIn={signedIn}
                    hasSeat={hasSeat || inLine}
                    waitlisted={viewer?.waitlistedTierIds.includes(tier.id) ?? false}
                    terms={viewer?.seatTerms[tier.id]}
                    timeZone={timeZone}
                  />
                </DropTierCard>
              )
            })}
          </ul>
        </section>
      )}
    </div>
  )
}

function TierAction({
  dropId,
  tier,
  state,
  signedIn,
  hasSeat,
  waitlisted,
  terms,
  timeZone,
}: {
  dropId: number
  tier: { id: number; tierName: string }
  state: DropTierState
  signedIn: boolean
  hasSeat: boolean
  waitlisted: boolean
  /** What this seat would be for the viewer: new, a renewal, an upgrade, or a downgrade explained. */
  terms: SeatTermsView | undefined
  timeZone: string
}) {
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' && navigation.formData?.get('dropTierId') === String(tier.id)
  // A lower tier than the plan in force is explained, never offered as a plain 抢 (decision 049),
  // already before the drop opens.
  if (signedIn && !hasSeat && state !== 'closed' && terms?.kind === 'downgrade') {
    return (
      <p className="rounded-lg border border-stone-200 bg-stone-50 px-3 py-2 text-sm leading-relaxed text-stone-700">
        {d.page.downgrade(terms.planTierName, formatValidUntil(terms.planUntil, timeZone), tier.tierName)}
      </p>
    )
  }
  if (state === 'upcoming' || state === 'closed') return null
  if (!signedIn) {
    // The same 抢席位 a member sees; it leads to sign in first and back to this tier (decision 040).
    const open = state === 'open'
    return (
      <Link to={signInPath({ redirectTo: dropReturnPath(tier.id), purchase: open })} className={buttonClass(open ? 'primary' : 'secondary', open ? 'w-full py-3 text-base' : 'w-full')}>
        {open ? d.page.buy(tier.tierName) : d.page.waitlist.loginToJoin}
      </Link>
    )
  }
  if (hasSeat) return null
  if (state === 'open' && (terms?.kind === 'renewal' || terms?.kind === 'upgrade')) {
    return (
      <Form method="post" className="space-y-2">
        <input type="hidden" name="dropId" value={dropId} />
        <input type="hidden" name="dropTierId" value={tier.id} />
        <SeatTermsNote terms={terms} tierName={tier.tierName} timeZone={timeZone} />
        <Button name="intent" value="buy" className="w-full py-3 text-base" disabled={submitting}>
          {submitting
            ? d.page.renew.submitting
            : terms.kind === 'renewal'
              ? d.page.renew.submit(tier.tierName, formatFen(terms.priceFen))
              : d.page.planUpgrade.submit(tier.tierName, formatFen(terms.priceFen))}
        </Button>
      </Form>
    )
  }
  if (state === 'open') {
    return (
      <Form method="post">
        <input type="hidden" name="dropId" value={dropId} />
        <input type="hidden" name="dropTierId" value={tier.id} />
        <Button name="intent" value="buy" className="w-full py-3 text-base" disabled={submitting}>
          {submitting ? d.page.buying : d.page.buy(tier.tierName)}
        </Button>
      </Form>
    )
  }
  if (waitlisted) return <p className="rounded-lg bg-stone-50 px-3 py-2 text-sm text-stone-700">{d.page.waitlist.joined}</p>
  return (
    <Form method="post" className="space-y-2">
      <input type="hidden" name="dropId" value={dropId} />
      <input type="hidden" name="dropTierId" value={tier.id} />
      <Button name="intent" value="waitlist" variant="secondary" className="w-full" disabled={submitting}>
        {d.page.waitlist.join}
      </Button>
      <p className="text-xs leading-relaxed text-stone-500">{d.page.waitlist.help}</p>
    </Form>
  )
}

/** What a renewal or an upgrade from the viewer's plan gives, said before they pay. */
function SeatTermsNote({ terms, tierName, timeZone }: { terms: Extract<SeatTermsView, { kind: 'renewal' | 'upgrade' }>; tierName: string; timeZone: string }) {
  const planTier = useLoaderData<typeof loader>().mine?.tierName ?? ''
  const number = terms.memberNumber === null ? d.page.renew.newNumber : d.page.renew.number(memberNumberLabel(terms.memberNumber))
  const lines =
    terms.kind === 'renewal'
      ? [d.page.renew.period(formatValidUntil(terms.from, timeZone), formatValidUntil(terms.until, timeZone)), number]
      : [
          d.page.planUpgrade.period(tierName, formatValidUntil(terms.until, timeZone)),
          terms.creditFen > 0 ? `${d.page.planUpgrade.credit(planTier, terms.creditDays, formatFen(terms.creditFen))}${d.page.planUpgrade.rule}` : d.page.planUpgrade.noCredit(planTier),
          number,
        ]
  return (
    <ul className="space-y-1 text-sm leading-relaxed text-stone-700">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  )
}

type LineView = { ticket: string; dropTierId: number; place: LinePlace }
type PlaceSeen = LinePlace | { state: 'invalid' }
const NO_PLACE: PlaceSeen = { state: 'closed' }

/**
 * The viewer's place in the waiting room, kept up to date: the page asks /membership/line when
 * the last answer says to (every second near the front, every few further back), which also keeps
 * the place from lapsing. Stops once the place is admitted or ended.
 */
function useLinePlace(dropId: number, line: LineView | null): PlaceSeen {
  const [seen, setSeen] = useState<{ ticket: string; place: PlaceSeen } | null>(null)
  const place = useMemo<PlaceSeen>(() => (line ? (seen?.ticket === line.ticket ? seen.place : line.place) : NO_PLACE), [line, seen])
  const ticket = line?.ticket
  useEffect(() => {
    if (!ticket || place.state !== 'waiting') return
    let cancelled = false
    const timer = setTimeout(() => {
      const ask = async (): Promise<PlaceSeen> => {
        const response = await fetch('/membership/line', { method: 'POST', body: new URLSearchParams({ dropId: String(dropId), ticket }) })
        if (response.status === 400 || response.status === 403) return { state: 'invalid' }
        if (!response.ok) throw new Error(`line: ${response.status}`)
        return (await response.json()) as LinePlace
      }
      ask().then(
        (next) => !cancelled && setSeen({ ticket, place: next }),
        // Unreachable for a moment: ask again after the same pause (a new object restarts this effect).
        () => !cancelled && setSeen({ ticket, place: { ...place } }),
      )
    }, place.pollMs)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [dropId, ticket, place])
  return place
}

/** Where the viewer stands in line, 「前面还有 N 人 · 预计 M 秒」; on their turn the seat is bought for them. */
function LinePanel({ dropId, line, place }: { dropId: number; line: LineView; place: PlaceSeen }) {
  const { dropTiers } = useLoaderData<typeof loader>()
  const submit = useSubmit()
  const submitted = useRef<string | null>(null)
  const tierName = dropTiers.find((tier) => tier.id === line.dropTierId)?.tierName ?? ''
  // The buyer chose the tier when joining: their turn buys it, once per ticket.
  useEffect(() => {
    if (place.state !== 'admitted' || submitted.current === line.ticket) return
    submitted.current = line.ticket
    submit({ intent: 'buy', dropId: String(dropId), dropTierId: String(line.dropTierId), ticket: line.ticket }, { method: 'post' })
  }, [place.state, line, dropId, submit])
  const ended = place.state !== 'waiting' && place.state !== 'admitted'
  return (
    <section aria-label={t.dropLine.title} className="rounded-2xl border border-brand-100 bg-white p-5 shadow-sm sm:p-6">
      <p className="flex items-center gap-2 text-sm font-semibold text-brand-700">
        <span className={`inline-block h-2 w-2 shrink-0 rounded-full ${ended ? 'bg-stone-400' : 'bg-brand-600 motion-safe:animate-pulse'}`} aria-hidden />
        {t.dropLine.title}
      </p>
      <p className="mt-2 text-xl font-bold text-stone-900" role="status" aria-live="polite">
        {lineText(place)}
      </p>
      {ended ? null : <p className="mt-2 text-sm text-stone-600">{t.dropLine.chosen(tierName)}</p>}
      {place.state === 'waiting' ? (
        <>
          <p className="mt-1 text-xs text-stone-500">{t.dropLine.keepOpen}</p>
          {/* Without JavaScript nothing asks for the page: the buyer asks, and on their turn this buys. */}
          <noscript>
            <Form method="post" className="mt-3 flex flex-wrap items-center gap-3">
              <input type="hidden" name="dropId" value={dropId} />
              <input type="hidden" name="dropTierId" value={line.dropTierId} />
              <input type="hidden" name="ticket" value={line.ticket} />
              <Button name="intent" value="buy" variant="secondary">
                {t.dropLine.refresh}
              </Button>
              <span className="text-xs text-stone-500">{t.dropLine.noScript}</span>
            </Form>
          </noscript>
        </>
      ) : null}
      {place.state === 'lapsed' || place.state === 'used' || place.state === 'invalid' ? (
        <Form method="post" className="mt-3">
          <input type="hidden" name="dropId" value={dropId} />
          <input type="hidden" name="dropTierId" value={line.dropTierId} />
          <Button name="intent" value="buy">
            {d.page.buy(tierName)}
          </Button>
        </Form>
      ) : null}
    </section>
  )
}

function lineText(place: PlaceSeen) {
  switch (place.state) {
    case 'waiting':
      return `${place.ahead > 0 ? t.dropLine.ahead(place.ahead) : t.dropLine.next} · ${place.etaSeconds === null ? t.dropLine.etaUnknown : t.dropLine.eta(place.etaSeconds)}`
    case 'admitted':
      return t.dropLine.admitted
    case 'full':
      return place.reason === 'sold_out' ? d.errors.soldOut : t.dropLine.outnumbered
    case 'lapsed':
      return t.dropLine.lapsed
    case 'used':
      return t.dropLine.used
    case 'invalid':
      return t.dropLine.invalid
    case 'closed':
      return t.dropLine.closed
  }
}

/** The viewer's own situation in this drop: a seat to pay for, their number, an upgrade. */
function ViewerPanel({ now }: { now: number }) {
  const { viewer, drop, mine, timeZone, dropTiers } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (!drop) return null
  const blocks: ReactNode[] = []
  const pending = viewer?.pendingOrder
  if (pending) {
    blocks.push(
      <section key="pending" aria-label={pending.upgrade ? d.page.mine.pendingUpgrade : d.page.mine.pending} className="rounded-2xl border border-amber-200 bg-amber-50 p-5 shadow-sm sm:p-6">
        <p className="font-semibold text-amber-900">{pending.upgrade ? d.page.mine.pendingUpgrade : d.page.mine.pending}</p>
        <p className="mt-1 text-sm text-amber-900">{pending.title}</p>
        <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-amber-900">
            {d.page.mine.timeLeft} <Remaining until={pending.expiresAt} now={now} className="text-lg font-bold" />
          </p>
          <Link to={`/pay/${pending.id}`} className={buttonClass('primary')}>
            {d.page.mine.pay}
          </Link>
        </div>
      </section>,
    )
  }
  const member = viewer?.membership
  if (member) {
    const upgrade = viewer.upgrade
    const upgradeSeats = upgrade ? dropTiers.find((tier) => tier.id === upgrade.dropTierId)?.available ?? 0 : 0
    const isOpen = now >= drop.opensAt && now < drop.closesAt
    blocks.push(
      <section key="member" aria-label={d.page.mine.card} className="rounded-2xl border border-brand-100 bg-brand-50 p-5 shadow-sm sm:p-6">
        <p className="text-lg font-bold text-brand-800">
          {d.page.mine.member(member.memberNumber === null ? '—' : memberNumberLabel(member.memberNumber), member.tierName)}
        </p>
        {mine ? <p className="mt-1 text-sm text-brand-800">{d.page.plan.validUntil(formatValidUntil(mine.validUntil, timeZone))}</p> : null}
        <Link to="/membership/card" className="mt-1 inline-block text-sm font-medium text-brand-700 underline underline-offset-4">
          {d.page.mine.card}
        </Link>
        {upgrade && isOpen && !(pending?.upgrade ?? false) ? (
          <div className="mt-4 border-t border-brand-100 pt-4">
            <h2 className="font-semibold text-stone-900">{d.page.upgrade.title(upgrade.tierName)}</h2>
            <p className="mt-1 text-sm text-stone-700">
              {d.page.upgrade.body(formatFen(upgrade.priceFen), member.memberNumber === null ? '—' : memberNumberLabel(member.memberNumber))}
            </p>
            {upgrade.renewalUntil === null ? null : (
              <p className="mt-1 text-sm text-stone-700">{d.page.upgrade.renewal(upgrade.tierName, formatValidUntil(upgrade.renewalUntil, timeZone))}</p>
            )}
            {actionData?.dropTierId === upgrade.dropTierId ? (
              <div className="mt-2">
                <FormError error={actionData.errors?.form} />
              </div>
            ) : null}
            {upgradeSeats > 0 ? (
              <Form method="post" className="mt-3">
                <input type="hidden" name="dropId" value={drop.id} />
                <input type="hidden" name="dropTierId" value={upgrade.dropTierId} />
                <Button name="intent" value="upgrade">
                  {d.page.upgrade.submit(formatFen(upgrade.priceFen))}
                </Button>
              </Form>
            ) : (
              <p className="mt-2 text-sm text-stone-600">{d.page.upgrade.soldOut}</p>
            )}
          </div>
        ) : null}
      </section>,
    )
  } else if (mine) {
    const offered = Object.values(viewer?.seatTerms ?? {})
    const isOpen = now >= drop.opensAt && now < drop.closesAt
    const upgradeTo = dropTiers.find((tier) => viewer?.seatTerms[tier.id]?.kind === 'upgrade')
    const hint = viewer?.paidSeat
      ? d.page.plan.paidSeat(viewer.paidSeat.title)
      : !isOpen || pending
        ? null
        : offered.some((terms) => terms.kind === 'renewal')
          ? d.page.plan.renewHint
          : upgradeTo
            ? d.page.plan.upgradeHint(upgradeTo.tierName)
            : null
    blocks.push(
      <MyPlan key="mine" plan={mine} timeZone={timeZone}>
        {hint ? <p className="mt-2 text-sm text-stone-700">{hint}</p> : null}
      </MyPlan>,
    )
  }
  return blocks.length > 0 ? <div className="space-y-4">{blocks}</div> : null
}

function ClosedDrop() {
  const { drop, dropTiers, signedIn, viewer, tiers } = useLoaderData<typeof loader>()
  if (!drop) return null
  const first = dropTiers[0]
  // Anyone on this drop's waitlist (of any tier) hears about the next drop.
  const waiting = (viewer?.waitlistedTierIds.length ?? 0) > 0
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="text-lg font-bold text-stone-900">{d.page.nextDrop}</h2>
        <p className="mt-2 whitespace-pre-line leading-relaxed text-stone-700">{drop.announcement || d.page.noAnnouncement}</p>
        {first ? (
          <div className="mt-4">
            {!signedIn ? (
              <Link to={LOGIN_URL} className={buttonClass('secondary')}>
                {d.page.waitlist.loginToJoinNext}
              </Link>
            ) : waiting ? (
              <p className="rounded-lg bg-stone-50 px-3 py-2 text-sm text-stone-700">{d.page.waitlist.joinedNext}</p>
            ) : (
              <Form method="post">
                <input type="hidden" name="dropId" value={drop.id} />
                <input type="hidden" name="dropTierId" value={first.id} />
                <Button name="intent" value="waitlist" variant="secondary">
                  {d.page.waitlist.joinNext}
                </Button>
              </Form>
            )}
          </div>
        ) : null}
      </Card>
      <section aria-labelledby="tiers-title" className="space-y-3">
        <h2 id="tiers-title" className="text-lg font-bold text-stone-900">
          {d.page.tiersTitle}
        </h2>
        <TierList tiers={tiers} />
      </section>
    </div>
  )
}
