// 支付对账 (issue 14): the last comparisons of each provider's daily bill with our records, what
// they found, and a form to reconcile a day by hand (app/models/reconciliation.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { FormError } from '~/components/field'
import { Badge, Button, Card, EmptyState, PageTitle } from '~/components/ui'
import { isCalendarDate } from '~/domain/daily'
import { addDays, localDate } from '~/domain/time'
import { adminOrdersZhCN } from '~/i18n/adminOrders.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { canReconcile, listReconciliationRuns, reconcile } from '~/models/reconciliation.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { parseForm } from '~/utils/forms'
import { configuredProviders, type LiveProviderName } from '~/utils/payments.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { adminOrders: adminOrdersZhCN, site: siteZhCN }

const r = t.adminOrders.reconciliation

export const meta: MetaFunction = () => [{ title: `${r.title} · ${t.site.name}` }]

/** The live providers that publish a bill. */
function reconcilable(): LiveProviderName[] {
  return configuredProviders().filter((name) => canReconcile(name))
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    providers: reconcilable(),
    yesterday: addDays(localDate(new Date(), timeZone), -1)!,
    runs: await listReconciliationRuns(),
    timeZone,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const providers = reconcilable()
  const yesterday = addDays(localDate(new Date(), getEnv().SITE_TIMEZONE), -1)!
  const form = parseForm(
    z.object({
      provider: z.string().refine((value): value is LiveProviderName => (providers as string[]).includes(value), r.errors.provider),
      billDate: z
        .string()
        .trim()
        .refine((value) => isCalendarDate(value), r.errors.billDate)
        // ISO dates compare as strings.
        .refine((value) => value <= yesterday, r.errors.future),
    }),
    await request.formData(),
  )
  if (!form.ok) return data({ errors: form.errors }, { status: 400 })
  const result = await reconcile({ provider: form.data.provider as LiveProviderName, billDate: form.data.billDate, trigger: 'admin', requestedBy: admin.id })
  if (!result?.ok) return redirectWithFlash('/admin/payments', { kind: 'error', message: r.failedFlash(result?.error ?? '') })
  return redirectWithFlash('/admin/payments', { kind: 'success', message: r.doneFlash(result.billLines, result.findings.length) })
}

const STATE_TONE = { running: 'amber', done: 'green', failed: 'red' } as const

export default function AdminPayments() {
  const { providers, yesterday, runs, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors = actionData?.errors ?? {}
  return (
    <div className="space-y-6">
      <PageTitle subtitle={r.subtitle}>{r.title}</PageTitle>
      <Card>
        {providers.length === 0 ? (
          <p className="text-sm text-stone-600">{r.noProviders}</p>
        ) : (
          <Form method="post" className="flex flex-wrap items-end gap-3" noValidate>
            <label className="text-sm">
              <span className="mb-1 block font-medium text-stone-800">{r.provider}</span>
              <select name="provider" className="rounded-lg border border-stone-300 px-3 py-2" aria-invalid={errors.provider ? true : undefined}>
                {providers.map((name) => (
                  <option key={name} value={name}>
                    {r.providers[name] ?? name}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              <span className="mb-1 block font-medium text-stone-800">{r.billDate}</span>
              <input type="date" name="billDate" defaultValue={yesterday} max={yesterday} className="rounded-lg border border-stone-300 px-3 py-2" aria-invalid={errors.billDate ? true : undefined} />
            </label>
            <Button disabled={busy}>{r.run}</Button>
            <div className="w-full">
              <FormError error={errors.provider ?? errors.billDate ?? errors.form} />
            </div>
          </Form>
        )}
      </Card>

      <section>
        <h2 className="mb-3 text-lg font-semibold text-stone-900">{r.runs}</h2>
        {runs.length === 0 ? (
          <EmptyState>{r.noRuns}</EmptyState>
        ) : (
          <ul className="space-y-3">
            {runs.map((run) => (
              <li key={run.id} className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
                <p className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium text-stone-900">
                    {r.providers[run.provider] ?? run.provider} · {run.billDate}
                  </span>
                  <span className="flex items-center gap-2 text-xs text-stone-500">
                    {r.triggers[run.trigger]} · {formatDateTime(run.startedAt, timeZone)}
                    <Badge tone={STATE_TONE[run.state]}>{r.states[run.state]}</Badge>
                  </span>
                </p>
                {run.state === 'failed' ? (
                  <p className="mt-2 break-all text-sm text-red-700">{run.error}</p>
                ) : (
                  <p className="mt-1 text-sm text-stone-600">{r.summary(run.billLines, run.matched, run.findingCount)}</p>
                )}
                {run.findings.length > 0 ? (
                  <ul className="mt-3 divide-y divide-stone-100 text-sm">
                    {run.findings.map((finding) => (
                      <li key={finding.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                        <span>
                          <Badge tone={finding.kind === 'missing_ours' ? 'amber' : 'red'}>{r.findingKinds[finding.kind] ?? finding.kind}</Badge>{' '}
                          {finding.orderId ? (
                            <Link to={`/admin/orders/${finding.orderId}`} className="text-brand-700 underline">
                              {r.order(finding.orderId)}
                            </Link>
                          ) : null}{' '}
                          <span className="break-all text-xs text-stone-500">{finding.providerPaymentId ?? finding.outTradeNo}</span>
                        </span>
                        <span className="text-stone-700">
                          {r.theirs} {finding.theirAmountFen === null ? '—' : formatFen(finding.theirAmountFen)} · {r.ours}{' '}
                          {finding.ourAmountFen === null ? '—' : formatFen(finding.ourAmountFen)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
