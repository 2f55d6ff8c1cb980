import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Field, FormError, SelectField } from '~/components/field'
import { Badge, Button, EmptyState, PageTitle } from '~/components/ui'
import { grantMembershipForm, revokeMembershipForm, setRoleForm } from '~/domain/admin-forms.server'
import { endOfValidityDate, localDate } from '~/domain/time'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { errorsZhCN, fieldsZhCN, rolesZhCN } from '~/i18n/core.zh-CN'
import {
  getTierById,
  grantComplimentaryMembership,
  listTiers,
  membershipsForUserList,
  revokeMembership,
} from '~/models/membership.server'
import { changeRole, getUserById, searchUsers, USERS_PAGE_SIZE } from '~/models/user.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDate, formatValidUntil } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, errors: errorsZhCN, fields: fieldsZhCN, roles: rolesZhCN }

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const url = new URL(request.url)
  const q = url.searchParams.get('q')?.slice(0, 100) ?? ''
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1)
  const [{ users, total }, tiers] = await Promise.all([searchUsers({ query: q, page }), listTiers()])
  const held = await membershipsForUserList(users.map((u) => u.id))
  const timeZone = getEnv().SITE_TIMEZONE
  const nextYear = new Date()
  nextYear.setFullYear(nextYear.getFullYear() + 1)
  return {
    q,
    page,
    pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)),
    total,
    users: users.map((u) => ({
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      createdAt: u.createdAt,
      membership: held.get(u.id)?.current ?? null,
      lapsed: held.get(u.id)?.lapsed ?? null,
    })),
    tiers: tiers.filter((tier) => tier.rank > 0).map((tier) => ({ id: tier.id, name: tier.name, rank: tier.rank })),
    defaultUntil: localDate(nextYear, timeZone),
    timeZone,
  }
}

type ActionData = { userId: number | null; errors: FieldErrors }
const fail = (userId: number | null, errors: FieldErrors, status = 400) => data<ActionData>({ userId, errors }, { status })

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const formData = await request.formData()
  const back = `/admin/users${new URL(request.url).search}`
  const userIdField = Number(formData.get('userId')) || null
  switch (formData.get('intent')) {
    case 'role': {
      const form = parseForm(setRoleForm, formData)
      if (!form.ok) return fail(userIdField, form.errors)
      if (form.data.userId === admin.id) return fail(userIdField, { role: t.errors.cannotDemoteSelf }, 403)
      const user = await changeRole({ ...form.data, actorId: admin.id })
      if (!user) return fail(userIdField, { form: t.errors.userNotFound }, 404)
      return redirectWithFlash(back, { kind: 'success', message: t.admin.roleSaved(user.displayName, t.roles[user.role]) })
    }
    case 'grant': {
      const form = parseForm(grantMembershipForm, formData)
      if (!form.ok) return fail(userIdField, form.errors)
      const { userId, tierId, note } = form.data
      const [user, tier] = await Promise.all([getUserById(userId), getTierById(tierId)])
      if (!user) return fail(userIdField, { form: t.errors.userNotFound }, 404)
      if (!tier || tier.rank <= 0) return fail(userIdField, { tierId: t.errors.invalidChoice })
      const validUntil = endOfValidityDate(form.data.validUntil, getEnv().SITE_TIMEZONE)
      if (!validUntil) return fail(userIdField, { validUntil: t.errors.dateInvalid })
      if (validUntil <= new Date()) return fail(userIdField, { validUntil: t.errors.dateInPast })
      await grantComplimentaryMembership({ userId, tierId, validUntil, note, actorId: admin.id })
      return redirectWithFlash(back, { kind: 'success', message: t.admin.granted(user.displayName, tier.name) })
    }
    case 'revoke-membership': {
      const form = parseForm(revokeMembershipForm, formData)
      if (!form.ok) return fail(userIdField, form.errors)
      const revoked = await revokeMembership({ ...form.data, actorId: admin.id })
      if (!revoked) return fail(userIdField, { form: t.errors.invalidChoice }, 404)
      return redirectWithFlash(back, { kind: 'success', message: t.admin.membershipRevoked })
    }
    default:
      return fail(userIdField, { form: t.errors.invalidChoice })
  }
}

export default function AdminUsers() {
  const { q, page, pages, total, users, tiers, defaultUntil, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="space-y-6">
      <PageTitle subtitle={`共 ${total} 位用户`}>{t.admin.usersTitle}</PageTitle>
      <Form method="get" className="flex items-end gap-2" role="search">
        <Field label={t.fields.search} name="q" type="search" defaultValue={q} placeholder={t.admin.searchPlaceholder} className="flex-1" />
        <Button variant="secondary">{t.admin.searchSubmit}</Button>
      </Form>
      {users.length === 0 ? <EmptyState>{t.admin.noUsers}</EmptyState> : null}
      <ul className="space-y-4">
        {users.map((u) => {
          const errors = actionData?.userId === u.id ? actionData.errors : {}
          return (
            <li key={u.id} className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-5" aria-label={u.displayName}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                  <p className="font-semibold text-stone-900">
                    {u.displayName} {u.role !== 'user' ? <Badge tone="amber">{t.roles[u.role]}</Badge> : null}
                  </p>
                  <p className="break-all text-sm text-stone-600">{u.email}</p>
                </div>
                <p className="text-xs text-stone-500">
                  {t.admin.joined} {formatDate(u.createdAt, timeZone)}
                </p>
              </div>
              <p className="mt-2 text-sm">
                {t.admin.activeMembership}：
                {u.membership ? (
                  <>
                    <Badge tone="brand">{u.membership.tierName}</Badge>{' '}
                    <span className="text-stone-600">
                      {t.fields.validUntil} {formatValidUntil(u.membership.validUntil, timeZone)}
                    </span>
                  </>
                ) : (
                  <span className="text-stone-500">
                    {u.lapsed ? t.admin.noneSince(u.lapsed.tierName, formatValidUntil(u.lapsed.validUntil, timeZone)) : t.admin.none}
                  </span>
                )}
              </p>
              <FormError error={errors.form} />
              {/* One action per row: the forms open on demand (and stay open after a refusal). */}
              <details className="group mt-3" open={actionData?.userId === u.id}>
                <summary className="inline-flex cursor-pointer list-none items-center rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-medium text-stone-800 hover:bg-stone-50">
                  {t.admin.manageUser}
                </summary>
                <div className="mt-4 grid gap-4 lg:grid-cols-2">
                  <Form method="post" className="flex items-end gap-2">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="userId" value={u.id} />
                    <SelectField label={t.admin.setRole} name="role" defaultValue={u.role} error={errors.role} className="flex-1">
                      <option value="user">{t.roles.user}</option>
                      <option value="editor">{t.roles.editor}</option>
                      <option value="admin">{t.roles.admin}</option>
                    </SelectField>
                    <Button variant="secondary" disabled={busy}>
                      {t.admin.saveRole}
                    </Button>
                  </Form>
                  <Form method="post" className="grid grid-cols-2 items-end gap-2">
                    <input type="hidden" name="intent" value="grant" />
                    <input type="hidden" name="userId" value={u.id} />
                    {/* A member is offered their own tier: granting it extends, never quietly changes it. */}
                    <SelectField label={t.fields.tier} name="tierId" error={errors.tierId} defaultValue={tiers.find((tier) => tier.rank === u.membership?.rank)?.id ?? tiers[0]?.id}>
                      {tiers.map((tier) => (
                        <option key={tier.id} value={tier.id}>
                          {tier.name}
                        </option>
                      ))}
                    </SelectField>
                    <Field label={t.fields.validUntil} name="validUntil" type="date" defaultValue={defaultUntil} required error={errors.validUntil} />
                    <Field label={t.fields.note} name="note" maxLength={200} error={errors.note} />
                    <Button disabled={busy}>{t.admin.grantSubmit}</Button>
                  </Form>
                </div>
                {u.membership ? (
                  <Form method="post" className="mt-3">
                    <input type="hidden" name="intent" value="revoke-membership" />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="membershipId" value={u.membership.membershipId} />
                    <Button variant="danger" className="px-3 py-1.5" disabled={busy}>
                      {t.admin.revokeMembership}
                    </Button>
                  </Form>
                ) : null}
              </details>
            </li>
          )
        })}
      </ul>
      {pages > 1 ? (
        <nav aria-label="分页" className="flex items-center justify-between text-sm">
          {page > 1 ? <Link to={`?q=${encodeURIComponent(q)}&page=${page - 1}`} className="underline">{t.admin.previous}</Link> : <span />}
          <span>{t.admin.page(page)} / {pages}</span>
          {page < pages ? <Link to={`?q=${encodeURIComponent(q)}&page=${page + 1}`} className="underline">{t.admin.next}</Link> : <span />}
        </nav>
      ) : null}
    </div>
  )
}
