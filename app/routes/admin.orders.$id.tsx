import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { OrderLineItem, OrderStateBadge, OrderTimeline, ShippingAddressView, orderMoments } from '~/components/order'
import { Field, FormError, SelectField } from '~/components/field'
import { Badge, Button, Card, PageTitle } from '~/components/ui'
import {
  CARRIERS,
  allowedOrderActions,
  clearFlagForm,
  intentForm,
  refundForm,
  shipmentForm,
} from '~/domain/admin-order-forms'
import { t } from '~/i18n/zh-CN'
import {
  clearOrderFlag,
  getAdminOrder,
  getOrderState,
  markOrderCompleted,
  markOrderShipped,
  updateOrderTracking,
  type OrderActionResult,
} from '~/models/admin-orders.server'
import { requestRefund } from '~/models/payment.server'
import type { OrderState } from '../../db/schema'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

const a = t.adminOrders
const d = a.detail

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${d.title(data.order.id)} · ${t.admin.title} · ${t.site.name}` }] : []

function orderIdOf(param: string | undefined) {
  const id = Number(param)
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response(d.notFound, { status: 404 })
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const found = await getAdminOrder(orderIdOf(params.id))
  if (!found) throw new Response(d.notFound, { status: 404 })
  const { order, buyer, lines, events, history } = found
  return {
    timeZone: getEnv().SITE_TIMEZONE,
    order: {
      id: order.id,
      kind: order.kind,
      totalFen: order.totalFen,
      currency: order.currency,
      flag: order.flag,
      flaggedAt: order.flaggedAt,
      shipping: order.shipping,
      carrier: order.carrier,
      trackingNumber: order.trackingNumber,
      provider: order.provider,
      providerRef: order.providerRef,
      providerPaymentId: order.providerPaymentId,
      expiresAt: order.expiresAt,
      ...orderMoments(order),
      refundAttempts: order.refundAttempts,
      refundError: order.refundError,
    },
    buyer,
    lines: lines.map(({ line, productSlug, personalisationLabel, limitedEdition, capacity }) => ({
      id: line.id,
      title: line.title,
      qty: line.qty,
      unitPriceFen: line.unitPriceFen,
      personalisation: line.personalisation ?? '',
      personalisationLabel,
      numbers: line.numbers,
      slug: productSlug,
      editionSize: limitedEdition ? capacity : null,
    })),
    events: events.map((event) => ({
      id: event.id,
      provider: event.provider,
      eventId: event.eventId,
      type: event.type,
      amountFen: event.amountFen,
      currency: event.currency,
      outcome: event.outcome,
      receivedAt: event.receivedAt,
    })),
    history: history.map(({ entry, actorName }) => ({
      id: entry.id,
      action: entry.action,
      actorName: actorName ?? '—',
      detail: entry.detail,
      createdAt: entry.createdAt,
    })),
  }
}

/** Which form the errors belong to, so they show next to it. */
type ActionData = { scope: string; errors: FieldErrors }
const fail = (scope: string, errors: FieldErrors, status = 400) => data<ActionData>({ scope, errors }, { status })

/** A conditional UPDATE found the order in another state (someone else acted first): 409. */
function conflict(scope: string, state: OrderState) {
  return fail(scope, { form: a.errors.stateChanged(t.orders.states[state]) }, 409)
}

function refused(scope: string, result: Exclude<OrderActionResult, { ok: true }>) {
  if (result.reason === 'not_found') throw new Response(d.notFound, { status: 404 })
  if (scope === 'ship' && result.kind !== 'goods') return fail(scope, { form: a.errors.notGoods }, 409)
  return conflict(scope, result.state)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const orderId = orderIdOf(params.id)
  const formData = await request.formData()
  const intent = parseForm(intentForm, formData)
  if (!intent.ok) return fail('page', { form: intent.errors.intent ?? a.errors.intent })
  const now = new Date()
  const back = `/admin/orders/${orderId}`
  const scope = intent.data.intent
  switch (scope) {
    case 'ship':
    case 'tracking': {
      const form = parseForm(shipmentForm, formData)
      if (!form.ok) return fail(scope, form.errors)
      const change = scope === 'ship' ? markOrderShipped : updateOrderTracking
      const result = await change({ orderId, shipment: form.data, actorId: admin.id, now })
      if (!result.ok) return refused(scope, result)
      return redirectWithFlash(back, { kind: 'success', message: scope === 'ship' ? a.flash.shipped(orderId) : a.flash.trackingSaved(orderId) })
    }
    case 'complete': {
      const result = await markOrderCompleted({ orderId, actorId: admin.id, now })
      if (!result.ok) return refused(scope, result)
      return redirectWithFlash(back, { kind: 'success', message: a.flash.completed(orderId) })
    }
    case 'refund': {
      const form = parseForm(refundForm, formData)
      if (!form.ok) return fail(scope, form.errors)
      // requestRefund moves paid / shipped / completed to 退款中 (audited); the job pays it back.
      const refunding = await requestRefund({ orderId, actorId: admin.id, now })
      if (!refunding) {
        const state = await getOrderState(orderId)
        if (!state) throw new Response(d.notFound, { status: 404 })
        return conflict(scope, state)
      }
      return redirectWithFlash(back, { kind: 'success', message: a.flash.refunding(orderId) })
    }
    case 'clear-flag': {
      const form = parseForm(clearFlagForm, formData)
      if (!form.ok) return fail(scope, form.errors)
      const cleared = await clearOrderFlag({ orderId, note: form.data.note, actorId: admin.id, now })
      if (!cleared) {
        if (!(await getOrderState(orderId))) throw new Response(d.notFound, { status: 404 })
        return fail(scope, { form: a.errors.noFlag }, 409)
      }
      return redirectWithFlash(back, { kind: 'success', message: a.flash.flagCleared(orderId) })
    }
  }
}

function Section({ title, children, className = '' }: { title: string; children: ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <h2 className="mb-3 text-base font-semibold text-stone-900">{title}</h2>
      {children}
    </Card>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex gap-3 py-1.5 text-sm">
      <dt className="w-20 shrink-0 text-stone-500">{label}</dt>
      <dd className="min-w-0 flex-1 break-all text-stone-900">{children}</dd>
    </div>
  )
}

export default function AdminOrder() {
  const { order, buyer, lines, events, history, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errorsFor = (scope: string): FieldErrors => (actionData?.scope === scope ? actionData.errors : {})
  const allowed = allowedOrderActions(order)
  const when = (date: Date | string | number | null) => (date ? formatDateTime(date, timeZone) : '—')
  const address = order.shipping
  const anyAction = allowed.ship || allowed.tracking || allowed.complete || allowed.refund

  const shipmentFields = (scope: 'ship' | 'tracking') => {
    const errors = errorsFor(scope)
    return (
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value={scope} />
        <FormError error={errors.form} />
        <SelectField label={d.carrier} name="carrier" defaultValue={order.carrier ?? ''} required error={errors.carrier}>
          <option value="" disabled>
            {a.actions.chooseCarrier}
          </option>
          {CARRIERS.map((carrier) => (
            <option key={carrier} value={carrier}>
              {carrier}
            </option>
          ))}
        </SelectField>
        <Field
          label={d.trackingNumber}
          name="trackingNumber"
          defaultValue={order.trackingNumber ?? ''}
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          required
          error={errors.trackingNumber}
        />
        <Button className="w-full" variant={scope === 'ship' ? 'primary' : 'secondary'} disabled={busy}>
          {scope === 'ship' ? a.actions.ship : a.actions.saveTracking}
        </Button>
        {scope === 'ship' ? <p className="text-xs text-stone-500">{a.actions.shipHelp}</p> : null}
      </Form>
    )
  }

  return (
    <div className="space-y-5">
      <Link to="/admin/orders" className="text-sm font-medium text-brand-700 hover:underline">
        ← {d.back}
      </Link>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageTitle
          subtitle={
            <span className="flex flex-wrap items-center gap-2">
              <OrderStateBadge state={order.state} />
              {order.kind === 'membership' ? <Badge tone="stone">{a.kinds.membership}</Badge> : null}
              {order.flag ? <Badge tone="red">{a.flags[order.flag] ?? a.unknownFlag(order.flag)}</Badge> : null}
              <span className="text-sm text-stone-500">{when(order.createdAt)}</span>
            </span>
          }
        >
          {d.title(order.id)}
        </PageTitle>
        <p className="mb-6 text-2xl font-bold text-stone-900">{formatFen(order.totalFen)}</p>
      </div>
      <FormError error={errorsFor('page').form} />

      {order.flag ? (
        <section aria-labelledby="flag-title" className="rounded-2xl border border-red-200 bg-red-50 p-4 sm:p-5">
          <h2 id="flag-title" className="font-semibold text-red-900">
            {d.flagTitle}：{a.flags[order.flag] ?? a.unknownFlag(order.flag)}
            <span className="ml-2 text-xs font-normal text-red-800">{when(order.flaggedAt)}</span>
          </h2>
          <p className="mt-1 text-sm text-red-900">{a.flagExplanations[order.flag] ?? a.flagFallback}</p>
          <Form method="post" className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
            <input type="hidden" name="intent" value="clear-flag" />
            <Field
              label={a.actions.clearFlagNote}
              name="note"
              maxLength={200}
              required
              hint={a.actions.clearFlagHelp}
              error={errorsFor('clear-flag').note ?? errorsFor('clear-flag').form}
              className="flex-1"
            />
            <Button variant="secondary" disabled={busy} className="sm:mb-5">
              {a.actions.clearFlag}
            </Button>
          </Form>
        </section>
      ) : null}

      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <Section title={d.lines} className="lg:col-start-1">
          <ul className="divide-y divide-stone-100">
            {lines.map((line) => (
              <OrderLineItem key={line.id} line={line} />
            ))}
          </ul>
          <p className="mt-2 flex justify-between border-t border-stone-200 pt-3 font-semibold">
            <span>{d.total}</span>
            <span>{formatFen(order.totalFen)}</span>
          </p>
        </Section>

        <div className="space-y-5 lg:col-start-2 lg:row-span-5 lg:row-start-1">
          <Section title={a.actions.title}>
            <div className="space-y-5">
              {allowed.ship ? shipmentFields('ship') : null}
              {allowed.tracking ? (
                <details className="group">
                  <summary className="cursor-pointer text-sm font-medium text-brand-700">{a.actions.editTracking}</summary>
                  <div className="mt-3">{shipmentFields('tracking')}</div>
                </details>
              ) : null}
              {allowed.complete ? (
                <Form method="post" className="space-y-1">
                  <input type="hidden" name="intent" value="complete" />
                  <FormError error={errorsFor('complete').form} />
                  <Button className="w-full" disabled={busy}>
                    {a.actions.complete}
                  </Button>
                  <p className="text-xs text-stone-500">{a.actions.completeHelp}</p>
                </Form>
              ) : null}
              {allowed.refund ? (
                <details className="rounded-lg" open={Boolean(errorsFor('refund').form ?? errorsFor('refund').confirm)}>
                  <summary className="cursor-pointer list-none">
                    <span className="inline-flex w-full items-center justify-center rounded-lg border border-red-300 bg-white px-4 py-2.5 text-sm font-semibold text-red-700 hover:bg-red-50">
                      {a.actions.refund}
                    </span>
                  </summary>
                  <Form method="post" className="mt-3 space-y-2 rounded-lg border border-red-200 bg-red-50 p-3">
                    <input type="hidden" name="intent" value="refund" />
                    <input type="hidden" name="confirm" value="yes" />
                    <FormError error={errorsFor('refund').form ?? errorsFor('refund').confirm} />
                    <p className="text-sm text-red-900">
                      {a.actions.refundHelp}
                      {order.state === 'paid' ? a.actions.refundWarningUnshipped : a.actions.refundWarningShipped}
                    </p>
                    <Button variant="danger" className="w-full" disabled={busy}>
                      {a.actions.refundConfirm(formatFen(order.totalFen))}
                    </Button>
                  </Form>
                </details>
              ) : null}
              {order.state === 'refunding' ? (
                <p className="text-sm text-amber-800">
                  {d.refundPending}
                  {order.refundError ? <span className="mt-1 block text-red-700">{d.refundError(order.refundAttempts, order.refundError)}</span> : null}
                </p>
              ) : null}
              {!anyAction && order.state !== 'refunding' ? <p className="text-sm text-stone-500">{a.actions.none}</p> : null}
              {order.kind === 'membership' && order.state === 'paid' ? <p className="text-xs text-stone-500">{d.membershipNote}</p> : null}
            </div>
          </Section>

          {order.carrier || order.trackingNumber ? (
            <Section title={d.tracking}>
              <dl>
                <Row label={d.carrier}>{order.carrier}</Row>
                <Row label={d.trackingNumber}>
                  <span className="font-mono">{order.trackingNumber}</span>
                </Row>
              </dl>
            </Section>
          ) : null}

          <Section title={d.buyer}>
            <dl>
              <Row label={t.fields.displayName}>{buyer.name}</Row>
              <Row label={t.fields.email}>
                <a href={`mailto:${buyer.email}`} className="text-brand-700 hover:underline">
                  {buyer.email}
                </a>
              </Row>
            </dl>
          </Section>

          <Section title={d.shipping}>
            {address ? (
              <div className="text-sm">
                <ShippingAddressView address={address} />
              </div>
            ) : (
              <p className="text-sm text-stone-500">{d.noShipping}</p>
            )}
          </Section>

        </div>

        <Section title={d.timeline} className="lg:col-start-1">
          <OrderTimeline order={order} timeZone={timeZone} />
          {order.state === 'pending' ? (
            <p className="mt-3 text-sm text-stone-600">
              {d.times.expiresAt} {when(order.expiresAt)}
            </p>
          ) : null}
        </Section>

        <Section title={d.payment} className="lg:col-start-1">
          <dl>
            <Row label={d.provider}>{order.provider ? (d.providers[order.provider] ?? order.provider) : d.notPaid}</Row>
            {order.providerRef ? (
              <Row label={d.providerRef}>
                <span className="font-mono text-xs">{order.providerRef}</span>
              </Row>
            ) : null}
            {order.providerPaymentId ? (
              <Row label={d.providerPaymentId}>
                <span className="font-mono text-xs">{order.providerPaymentId}</span>
              </Row>
            ) : null}
          </dl>
          <h3 className="mb-2 mt-4 text-sm font-semibold text-stone-900">{d.events}</h3>
          {events.length === 0 ? (
            <p className="text-sm text-stone-500">{d.noEvents}</p>
          ) : (
            <ul className="divide-y divide-stone-100 text-sm">
              {events.map((event) => (
                <li key={event.id} className="py-2">
                  <p className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium text-stone-900">{d.outcomes[event.outcome] ?? event.outcome}</span>
                    <span className="text-stone-900">
                      {formatFen(event.amountFen)} {event.currency}
                    </span>
                  </p>
                  <p className="text-xs text-stone-500">
                    {when(event.receivedAt)} · {event.type}
                  </p>
                  <p className="break-all font-mono text-xs text-stone-500">{event.eventId}</p>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title={d.history} className="lg:col-start-1">
          {history.length === 0 ? (
            <p className="text-sm text-stone-500">{d.noHistory}</p>
          ) : (
            <ul className="divide-y divide-stone-100 text-sm">
              {history.map((entry) => (
                <li key={entry.id} className="py-2">
                  <p>
                    <span className="font-medium text-stone-900">{a.auditActions[entry.action] ?? entry.action}</span>
                    <span className="text-stone-500"> · {entry.actorName}</span>
                  </p>
                  <p className="break-all text-xs text-stone-500">
                    {when(entry.createdAt)}
                    {historyDetail(entry.detail) ? ` · ${historyDetail(entry.detail)}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </div>
  )
}

/** The human part of an audit entry's detail: carrier and number, the note, the flag. */
function historyDetail(detail: Record<string, unknown>) {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const after = (detail.after ?? detail) as Record<string, unknown>
  return [
    text(after.carrier),
    text(after.trackingNumber),
    typeof detail.flag === 'string' ? (a.flags[detail.flag] ?? detail.flag) : '',
    text(detail.note),
  ]
    .filter(Boolean)
    .join(' · ')
}
