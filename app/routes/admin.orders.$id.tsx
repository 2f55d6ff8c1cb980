import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { OrderLineItem, OrderStateBadge, ShippingAddressView } from '~/components/order'
import { OrderTimeline, orderMoments } from '~/components/order-timeline'
import { Field, FormError, SelectField } from '~/components/field'
import { Badge, Button, Card, PageTitle } from '~/components/ui'
import { OrderShippingFee } from '~/components/shipping-fee'
import {
  CARRIERS,
  allowedOrderActions,
} from '~/domain/admin-order-forms'
import { shipsGoods } from '~/domain/order'
import { clearFlagForm, intentForm, refundForm, refundPaymentForm, retryRefundForm, shipmentForm } from '~/domain/admin-order-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { fieldsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { ordersZhCN } from '~/i18n/orders.zh-CN'
import {
  getAdminOrder,
  getOrderState,
  markOrderCompleted,
  markOrderShipped,
  updateOrderTracking,
  type OrderActionResult,
} from '~/models/admin-orders.server'
import { clearOrderFlag } from '~/models/order-flags.server'
import { refundExtraPayment, requestRefund, retryRefund } from '~/models/commerce.server'
import type { OrderState } from '../../db/schema'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, adminOrders: adminOrdersZhCN, fields: fieldsZhCN, orders: ordersZhCN, site: siteZhCN }

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
  const { order, buyer, lines, flags, payments, refunds, history } = found
  return {
    timeZone: getEnv().SITE_TIMEZONE,
    order: {
      id: order.id,
      totalFen: order.totalFen,
      shippingFeeFen: order.shippingFeeFen,
      currency: order.currency,
      shipping: order.shipping,
      carrier: order.carrier,
      trackingNumber: order.trackingNumber,
      provider: order.provider,
      providerPaymentId: order.providerPaymentId,
      expiresAt: order.expiresAt,
      ...orderMoments(order),
    },
    flags,
    buyer,
    lines: lines.map(({ line, productSlug, personalisationLabel, limitedEdition, capacity }) => ({
      id: line.id,
      title: line.title,
      variantLabel: line.variantLabel,
      qty: line.qty,
      unitPriceFen: line.unitPriceFen,
      personalisation: line.personalisation ?? '',
      personalisationLabel,
      numbers: line.numbers,
      slug: productSlug,
      editionSize: limitedEdition ? capacity : null,
    })),
    payments: payments.map((event) => ({
      id: event.id,
      provider: event.provider,
      eventId: event.eventId,
      type: event.type,
      amountFen: event.amountFen,
      currency: event.currency,
      outcome: event.outcome,
      error: event.error,
      providerPaymentId: event.providerPaymentId,
      receivedAt: event.receivedAt,
      extra: event.extra,
      refundState: event.refund?.state ?? null,
    })),
    refunds: refunds.map((refund) => ({
      id: refund.id,
      reason: refund.reason,
      state: refund.state,
      amountFen: refund.amountFen,
      attempts: refund.attempts,
      lastError: refund.lastError,
      createdAt: refund.createdAt,
      refundedAt: refund.refundedAt,
      providerRefundId: refund.providerRefundId,
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
      if (!form.ok) return fail(`${scope}:${String(formData.get('flagId'))}`, form.errors)
      const cleared = await clearOrderFlag({ orderId, flagId: form.data.flagId, note: form.data.note, actorId: admin.id, now })
      if (!cleared) {
        if (!(await getOrderState(orderId))) throw new Response(d.notFound, { status: 404 })
        return fail(`${scope}:${form.data.flagId}`, { form: a.errors.noFlag }, 409)
      }
      return redirectWithFlash(back, { kind: 'success', message: a.flash.flagCleared(orderId) })
    }
    case 'refund-payment': {
      const form = parseForm(refundPaymentForm, formData)
      if (!form.ok) return fail(`${scope}:${String(formData.get('paymentEventId'))}`, form.errors)
      const refund = await refundExtraPayment({ orderId, paymentEventId: form.data.paymentEventId, actorId: admin.id, now })
      if (!refund) {
        if (!(await getOrderState(orderId))) throw new Response(d.notFound, { status: 404 })
        return fail(`${scope}:${form.data.paymentEventId}`, { form: a.errors.notExtraPayment }, 409)
      }
      return redirectWithFlash(back, { kind: 'success', message: a.flash.paymentRefunding(orderId) })
    }
    case 'retry-refund': {
      const form = parseForm(retryRefundForm, formData)
      if (!form.ok) return fail(scope, form.errors)
      const refund = await retryRefund({ orderId, refundId: form.data.refundId, actorId: admin.id, now })
      if (!refund) {
        if (!(await getOrderState(orderId))) throw new Response(d.notFound, { status: 404 })
        return fail(scope, { form: a.errors.notRetryable }, 409)
      }
      return redirectWithFlash(back, { kind: 'success', message: a.flash.refundRetried(orderId) })
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
  const { order, buyer, lines, flags, payments, refunds, history, timeZone } = useLoaderData<typeof loader>()
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
              {order.kind === 'goods' ? null : <Badge tone="stone">{a.kinds[order.kind]}</Badge>}
              {flags.map((flag) => (
                <Badge key={flag.id} tone="red">
                  {a.flags[flag.flag] ?? a.unknownFlag(flag.flag)}
                </Badge>
              ))}
              <span className="text-sm text-stone-500">{when(order.createdAt)}</span>
            </span>
          }
        >
          {d.title(order.id)}
        </PageTitle>
        <p className="mb-6 text-2xl font-bold text-stone-900">{formatFen(order.totalFen)}</p>
      </div>
      <FormError error={errorsFor('page').form} />

      {flags.map((flag) => {
        const scope = `clear-flag:${flag.id}`
        return (
          <section key={flag.id} aria-labelledby={`flag-${flag.id}`} className="rounded-2xl border border-red-200 bg-red-50 p-4 sm:p-5">
            <h2 id={`flag-${flag.id}`} className="font-semibold text-red-900">
              {d.flagTitle}：{a.flags[flag.flag] ?? a.unknownFlag(flag.flag)}
              <span className="ml-2 text-xs font-normal text-red-800">{when(flag.raisedAt)}</span>
            </h2>
            <p className="mt-1 text-sm text-red-900">{a.flagExplanations[flag.flag] ?? a.flagFallback}</p>
            <Form method="post" className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
              <input type="hidden" name="intent" value="clear-flag" />
              <input type="hidden" name="flagId" value={flag.id} />
              <Field
                label={a.actions.clearFlagNote}
                name="note"
                maxLength={200}
                required
                hint={a.actions.clearFlagHelp}
                error={errorsFor(scope).note ?? errorsFor(scope).form ?? errorsFor(scope).flagId}
                className="flex-1"
              />
              <Button variant="secondary" disabled={busy} className="sm:mb-5">
                {a.actions.clearFlag}
              </Button>
            </Form>
          </section>
        )
      })}

      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <Section title={d.lines} className="lg:col-start-1">
          <ul className="divide-y divide-stone-100">
            {lines.map((line) => (
              <OrderLineItem key={line.id} line={line} />
            ))}
          </ul>
          <OrderShippingFee kind={order.kind} feeFen={order.shippingFeeFen} className="mt-2 border-t border-stone-200 pt-3" />
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
              {order.state === 'refunding' ? <p className="text-sm text-amber-800">{d.refundPending}</p> : null}
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

          {/* A course or a seat ships nothing: no address to show (decision 051). */}
          {shipsGoods(order.kind) ? (
            <Section title={d.shipping}>
              {address ? (
                <div className="text-sm">
                  <ShippingAddressView address={address} />
                </div>
              ) : (
                <p className="text-sm text-stone-500">{d.noShipping}</p>
              )}
            </Section>
          ) : null}

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
            {order.providerPaymentId ? (
              <Row label={d.providerPaymentId}>
                <span className="font-mono text-xs">{order.providerPaymentId}</span>
              </Row>
            ) : null}
          </dl>
          <h3 className="mb-2 mt-4 text-sm font-semibold text-stone-900">{d.payments}</h3>
          {payments.length === 0 ? (
            <p className="text-sm text-stone-500">{d.noEvents}</p>
          ) : (
            <ul className="divide-y divide-stone-100 text-sm">
              {payments.map((payment) => {
                const scope = `refund-payment:${payment.id}`
                return (
                  <li key={payment.id} className="py-2">
                    <p className="flex flex-wrap items-center justify-between gap-2">
                      <span className="font-medium text-stone-900">{d.outcomes[payment.outcome] ?? payment.outcome}</span>
                      <span className="text-stone-900">
                        {formatFen(payment.amountFen)} {payment.currency}
                      </span>
                    </p>
                    <p className="text-xs text-stone-500">
                      {when(payment.receivedAt)} · {payment.type}
                      {payment.refundState ? ` · ${d.paymentRefund(d.refundStates[payment.refundState] ?? payment.refundState)}` : ''}
                    </p>
                    <p className="break-all font-mono text-xs text-stone-500">
                      {payment.eventId}
                      {payment.providerPaymentId ? ` · ${payment.providerPaymentId}` : ''}
                    </p>
                    {payment.error ? <p className="mt-1 break-all text-xs text-red-700">{payment.error}</p> : null}
                    {payment.extra && !payment.refundState ? (
                      <Form method="post" className="mt-2 space-y-1">
                        <input type="hidden" name="intent" value="refund-payment" />
                        <input type="hidden" name="paymentEventId" value={payment.id} />
                        <input type="hidden" name="confirm" value="yes" />
                        <FormError error={errorsFor(scope).form ?? errorsFor(scope).paymentEventId} />
                        <Button variant="danger" disabled={busy}>
                          {a.actions.refundPayment(formatFen(payment.amountFen))}
                        </Button>
                        <p className="text-xs text-stone-500">{a.actions.refundPaymentHelp}</p>
                      </Form>
                    ) : null}
                  </li>
                )
              })}
            </ul>
          )}
          <h3 className="mb-2 mt-4 text-sm font-semibold text-stone-900">{d.refunds}</h3>
          <FormError error={errorsFor('retry-refund').form ?? errorsFor('retry-refund').refundId} />
          {refunds.length === 0 ? (
            <p className="text-sm text-stone-500">{d.noRefunds}</p>
          ) : (
            <ul className="divide-y divide-stone-100 text-sm">
              {refunds.map((refund) => (
                <li key={refund.id} className="py-2">
                  <p className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium text-stone-900">
                      {d.refundReasons[refund.reason] ?? refund.reason} · {d.refundStates[refund.state] ?? refund.state}
                    </span>
                    <span className="text-stone-900">{formatFen(refund.amountFen)}</span>
                  </p>
                  <p className="text-xs text-stone-500">
                    {when(refund.createdAt)}
                    {refund.refundedAt ? ` → ${when(refund.refundedAt)}` : ''} · {d.refundAttempts(refund.attempts)}
                    {refund.providerRefundId ? ` · ${refund.providerRefundId}` : ''}
                  </p>
                  {refund.lastError && refund.state !== 'succeeded' ? <p className="mt-1 break-all text-xs text-red-700">{refund.lastError}</p> : null}
                  {(refund.state === 'pending' || refund.state === 'failed') && refund.attempts > 0 ? (
                    <Form method="post" className="mt-2">
                      <input type="hidden" name="intent" value="retry-refund" />
                      <input type="hidden" name="refundId" value={refund.id} />
                      <Button variant="secondary" disabled={busy}>
                        {a.actions.retryRefund}
                      </Button>
                    </Form>
                  ) : null}
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
