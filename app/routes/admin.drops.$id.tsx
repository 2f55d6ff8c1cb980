import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { AuditLine } from '~/components/audit-line'
import { DropForm, DropStateBadge, SalesChart, type DropFormTier } from '~/components/drop'
import { Field, FormError } from '~/components/field'
import { Button, Card, PageTitle } from '~/components/ui'
import { describeAudit } from '~/domain/audit-sentence'
import { dropWindow, fenToYuan, lastValidDate, toLocalDateTimeValue } from '~/domain/drop'
import { extendDropForm, parseDropForm, parseOpenDropEditForm } from '~/domain/drop-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { errorsZhCN } from '~/i18n/core.zh-CN'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import {
  applyWindowAction,
  getDrop,
  getDropStats,
  listDropAudit,
  listDropTiers,
  presentDropStats,
  updateOpenDrop,
  updateUpcomingDrop,
} from '~/models/drop.server'
import { lineLength } from '~/models/drop-line.server'
import { listTiers } from '~/models/membership.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'
import type { LiveDropStats } from './admin.drops.$id.stats'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, drops: dropsZhCN, errors: errorsZhCN }

const a = t.drops.admin

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.drop.name ?? a.title} · ${t.admin.title}` }]

function dropIdOf(param: string | undefined) {
  const id = Number(param)
  if (!Number.isInteger(id) || id <= 0) throw new Response(t.drops.errors.dropNotFound, { status: 404 })
  return id
}

async function requireDrop(param: string | undefined) {
  const drop = await getDrop(dropIdOf(param))
  if (!drop) throw new Response(t.drops.errors.dropNotFound, { status: 404 })
  return drop
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const drop = await requireDrop(params.id)
  const now = new Date()
  const timeZone = getEnv().SITE_TIMEZONE
  const window = dropWindow(drop, now)
  const [stats, dropTierRows, tierRows, audit, line] = await Promise.all([
    getDropStats(drop, now),
    listDropTiers(drop.id, now),
    listTiers(),
    listDropAudit(drop.id),
    lineLength(drop.id, now),
  ])
  // Before opening every paid tier can be offered; afterwards the drop's tiers are fixed.
  const formTiers: DropFormTier[] = (window === 'upcoming' ? tierRows.filter((tier) => tier.rank > 0) : tierRows.filter((tier) => dropTierRows.some((row) => row.tierId === tier.id))).map(
    (tier) => {
      const row = dropTierRows.find((r) => r.tierId === tier.id)
      return {
        tierId: tier.id,
        name: tier.name,
        offered: Boolean(row),
        price: fenToYuan(row?.priceFen ?? tier.priceFen),
        capacity: row ? String(row.capacity) : '',
        validUntil: row ? lastValidDate(row.validUntil, timeZone) : '',
        taken: row ? row.sold + row.held : 0,
      }
    },
  )
  return {
    drop: {
      id: drop.id,
      name: drop.name,
      window,
      opensAt: formatDateTime(drop.opensAt, timeZone),
      closesAt: formatDateTime(drop.closesAt, timeZone),
    },
    form: {
      values: {
        name: drop.name,
        opensAt: toLocalDateTimeValue(drop.opensAt, timeZone),
        closesAt: toLocalDateTimeValue(drop.closesAt, timeZone),
        announcement: drop.announcement,
      },
      tiers: formTiers,
    },
    extendDefault: toLocalDateTimeValue(new Date(Math.max(drop.closesAt.getTime(), now.getTime()) + 60 * 60_000), timeZone),
    stats: { ...presentDropStats(stats), line } satisfies LiveDropStats,
    audit: audit.map((entry) => ({
      id: entry.id,
      ...describeAudit({ ...entry, targetType: 'drop', targetId: String(drop.id) }, { timeZone, actionLabels: a.auditActions }),
      actorName: entry.actorName ?? '—',
      at: formatDateTime(entry.createdAt, timeZone),
    })),
    timeZone,
  }
}

type ActionData = { scope: 'edit' | 'window'; errors: FieldErrors }
const fail = (scope: ActionData['scope'], errors: FieldErrors, status = 400) => data<ActionData>({ scope, errors }, { status })

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const drop = await requireDrop(params.id)
  const now = new Date()
  const timeZone = getEnv().SITE_TIMEZONE
  const formData = await request.formData()
  const back = `/admin/drops/${drop.id}`
  const intent = formData.get('intent')
  switch (intent) {
    case 'edit': {
      if (dropWindow(drop, now) === 'upcoming') {
        const tiers = (await listTiers()).filter((tier) => tier.rank > 0)
        const form = parseDropForm(formData, { tierIds: tiers.map((tier) => tier.id), timeZone })
        if (!form.ok) return fail('edit', form.errors)
        const result = await updateUpcomingDrop({ dropId: drop.id, input: form.data, actorId: admin.id, now })
        if (!result.ok) return fail('edit', result.errors)
      } else {
        const dropTierRows = await listDropTiers(drop.id, now)
        const form = parseOpenDropEditForm(formData, { tierIds: dropTierRows.map((row) => row.tierId), timeZone })
        if (!form.ok) return fail('edit', form.errors)
        const result = await updateOpenDrop({ dropId: drop.id, input: form.data, actorId: admin.id, now })
        if (!result.ok) return fail('edit', result.errors)
      }
      return redirectWithFlash(back, { kind: 'success', message: a.saved })
    }
    case 'open_now':
    case 'close_now': {
      const result = await applyWindowAction({ dropId: drop.id, action: intent, actorId: admin.id, now })
      if (!result.ok) return fail('window', result.errors)
      return redirectWithFlash(back, { kind: 'success', message: intent === 'open_now' ? a.opened : a.closed })
    }
    case 'extend': {
      const form = parseForm(extendDropForm(timeZone), formData)
      if (!form.ok) return fail('window', form.errors)
      const result = await applyWindowAction({ dropId: drop.id, action: 'extend', closesAt: form.data.closesAt, actorId: admin.id, now })
      if (!result.ok) return fail('window', result.errors)
      return redirectWithFlash(back, { kind: 'success', message: a.extended(formatDateTime(result.drop.closesAt, timeZone)) })
    }
    default:
      return fail('edit', { form: t.errors.invalidChoice })
  }
}

/**
 * Polls the live numbers every few seconds until the drop has closed. When the window changes
 * (the scheduled opening or closing passes), the whole page is reloaded for its new state.
 */
function useLiveStats(dropId: number, initial: LiveDropStats) {
  const [stats, setStats] = useState(initial)
  const revalidator = useRevalidator()
  useEffect(() => setStats(initial), [initial])
  const watching = stats.window !== 'closed'
  useEffect(() => {
    if (!watching) return
    let cancelled = false
    const poll = async () => {
      try {
        const response = await fetch(`/admin/drops/${dropId}/stats`, { cache: 'no-store' })
        if (!response.ok || cancelled) return
        const next = (await response.json()) as LiveDropStats
        setStats(next)
        if (next.window !== initial.window) revalidator.revalidate()
      } catch {
        // The next poll tries again.
      }
    }
    // poll() catches its own failures: nothing is left to await.
    const timer = setInterval(() => void poll(), 5_000)
    return () => {
      cancelled = true
      clearInterval(timer)
    }
    // revalidator changes identity on every navigation state; the poll needs only its method.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dropId, watching, initial.window])
  return stats
}

export default function AdminDrop() {
  const { drop, form, stats: initialStats, audit, extendDefault, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const stats = useLiveStats(drop.id, initialStats)
  const busy = navigation.state === 'submitting'
  const editErrors = actionData?.scope === 'edit' ? actionData.errors : {}
  const windowErrors = actionData?.scope === 'window' ? actionData.errors : {}
  return (
    <div className="space-y-6">
      <Link to="/admin/drops" className="text-sm font-medium text-brand-700 hover:underline">
        ← {a.back}
      </Link>
      <PageTitle
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <DropStateBadge state={drop.window} />
            <span>
              {drop.opensAt} — {drop.closesAt}
            </span>
          </span>
        }
      >
        {drop.name}
      </PageTitle>

      <Card>
        <FormError error={windowErrors.form} />
        <div className="flex flex-wrap items-end gap-3">
          {drop.window === 'upcoming' ? (
            <Form method="post" onSubmit={(event) => !confirm(a.openNowConfirm) && event.preventDefault()}>
              <Button name="intent" value="open_now" disabled={busy}>
                {a.openNow}
              </Button>
            </Form>
          ) : null}
          {drop.window === 'open' ? (
            <Form method="post">
              <Button name="intent" value="close_now" variant="danger" disabled={busy}>
                {a.closeNow}
              </Button>
            </Form>
          ) : null}
          {drop.window !== 'upcoming' ? (
            <Form method="post" className="flex flex-wrap items-end gap-2">
              <Field label={a.fields.extendTo} name="closesAt" type="datetime-local" defaultValue={extendDefault} error={windowErrors.closesAt} />
              <Button name="intent" value="extend" variant="secondary" disabled={busy}>
                {a.extend}
              </Button>
            </Form>
          ) : null}
          {/* A document post: the browser downloads the file and stays here. */}
          <Form method="post" action={`/admin/drops/${drop.id}/csv`} reloadDocument className="ml-auto">
            <Button variant="secondary">{a.exportCsv}</Button>
          </Form>
        </div>
      </Card>

      <section aria-labelledby="live-title" className="space-y-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="live-title" className="text-lg font-bold text-stone-900">
            {a.live}
          </h2>
          {stats.window === 'open' ? <p className="text-xs text-stone-500">{a.chartRefreshing}</p> : null}
        </div>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <Stat label={a.revenue} value={formatFen(stats.revenueFen)} />
          <Stat label={a.members} value={stats.members.toLocaleString('zh-CN')} />
          <Stat label={a.paid} value={stats.tiers.reduce((sum, tier) => sum + tier.sold, 0).toLocaleString('zh-CN')} />
          <Stat label={a.held} value={stats.tiers.reduce((sum, tier) => sum + tier.held, 0).toLocaleString('zh-CN')} />
          {/* The waiting room (decision 031): who waits, and who has been let through and is buying. */}
          <Stat label={a.lineWaiting} value={stats.line.waiting.toLocaleString('zh-CN')} />
          <Stat label={a.lineAdmitted} value={stats.line.admitted.toLocaleString('zh-CN')} />
        </dl>
        {/* Phones: one card per tier, every figure in view (the table was cut off at 375 px). */}
        <ul aria-label={a.tiers} className="space-y-3 md:hidden">
          {stats.tiers.map((tier) => (
            <li key={tier.id} className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
              <p className="flex items-baseline justify-between gap-2">
                <span className="font-semibold text-stone-900">{tier.tierName}</span>
                <span className="text-sm tabular-nums text-stone-600">{formatFen(tier.priceFen)}</span>
              </p>
              <dl className="mt-2 grid grid-cols-3 gap-2 text-center text-xs">
                {[
                  [a.capacity, tier.capacity, 'text-stone-900'],
                  [a.paid, tier.sold, 'text-green-800'],
                  [a.held, tier.held, 'text-amber-800'],
                  [a.available, tier.available, 'text-stone-900'],
                  [a.waitlist, tier.waiting, 'text-stone-900'],
                ].map(([label, value, tone]) => (
                  <div key={String(label)} className="rounded-lg bg-stone-50 py-1.5">
                    <dt className="text-stone-600">{label}</dt>
                    <dd className={`font-semibold tabular-nums ${tone}`}>{Number(value).toLocaleString('zh-CN')}</dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ul>
        {/* Wider screens: a table, in a region a keyboard can reach and scroll (axe: scrollable-region-focusable). */}
        <div role="region" aria-label={a.tiers} tabIndex={0} className="hidden overflow-x-auto rounded-2xl border border-stone-200 bg-white shadow-sm md:block">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <thead className="bg-stone-50 text-stone-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">{a.tiers}</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">{a.price}</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">{a.capacity}</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">{a.paid}</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">{a.held}</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">{a.available}</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">{a.waitlist}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100 tabular-nums">
              {stats.tiers.map((tier) => (
                <tr key={tier.id}>
                  <th scope="row" className="px-4 py-2 font-semibold text-stone-900">{tier.tierName}</th>
                  <td className="px-4 py-2 text-right">{formatFen(tier.priceFen)}</td>
                  <td className="px-4 py-2 text-right">{tier.capacity.toLocaleString('zh-CN')}</td>
                  <td className="px-4 py-2 text-right font-semibold text-green-800">{tier.sold.toLocaleString('zh-CN')}</td>
                  <td className="px-4 py-2 text-right text-amber-800">{tier.held.toLocaleString('zh-CN')}</td>
                  <td className="px-4 py-2 text-right">{tier.available.toLocaleString('zh-CN')}</td>
                  <td className="px-4 py-2 text-right text-stone-600">{tier.waiting.toLocaleString('zh-CN')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Card>
          <h3 className="mb-3 font-semibold text-stone-900">{a.chartTitle}</h3>
          {stats.sales && stats.sales.points.length > 0 ? (
            <SalesChart points={stats.sales.points} from={stats.sales.from} to={stats.sales.to} timeZone={timeZone} />
          ) : (
            <p className="text-sm text-stone-500">{a.chartEmpty}</p>
          )}
        </Card>
      </section>

      <Card>
        <h2 className="mb-4 text-lg font-bold text-stone-900">{a.edit}</h2>
        <Form method="post" noValidate>
          <DropForm
            key={drop.window}
            values={form.values}
            tiers={form.tiers}
            errors={editErrors}
            locked={drop.window !== 'upcoming'}
            submitLabel={a.save}
            submitting={busy}
            intent="edit"
          />
        </Form>
      </Card>

      <Card>
        <h2 className="mb-3 text-lg font-bold text-stone-900">{a.history}</h2>
        {audit.length === 0 ? (
          <p className="text-sm text-stone-500">{t.admin.noAudit}</p>
        ) : (
          <ol className="divide-y divide-stone-100 text-sm">
            {audit.map((entry) => (
              <li key={entry.id} className="py-2">
                <AuditLine entry={entry} ownPage />
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  )
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-2xl border border-stone-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="mt-1 text-xl font-bold tabular-nums text-stone-900">{value}</dd>
    </div>
  )
}
