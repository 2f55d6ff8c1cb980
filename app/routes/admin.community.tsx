import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Field, FormError, SelectField, TextAreaField } from '~/components/field'
import { Badge, Button, Card, EmptyState, PageTitle } from '~/components/ui'
import { boardSettingsForm, hideReportedForm, liftBanForm, postingBanForm, reportActionForm } from '~/domain/moderation-forms.server'
import { endOfValidityDate, localDate } from '~/domain/time'
import { errorsZhCN } from '~/i18n/core.zh-CN'
import { moderationZhCN } from '~/i18n/moderation.zh-CN'
import {
  banFromPosting,
  dismissReport,
  getOpenReport,
  getReportedAuthor,
  hideContent,
  liftPostingBan,
  listActiveBans,
  listOpenReports,
} from '~/models/moderation.server'
import { listBoards, updateBoard } from '~/models/community.server'
import { listTiers } from '~/models/membership.server'
import { getUserByEmail, getUserById } from '~/models/user.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDate, formatDateTime } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { hasRole, requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { errors: errorsZhCN, moderation: moderationZhCN }

const DAY_MS = 24 * 60 * 60 * 1000
const AUTHOR_BAN_DAYS = 7

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireRole(request, 'editor')
  const now = new Date()
  const timeZone = getEnv().SITE_TIMEZONE
  const isAdmin = hasRole(staff.role, 'admin')
  const [reports, bans, boards, tiers] = await Promise.all([
    listOpenReports(),
    listActiveBans(now),
    isAdmin ? listBoards() : Promise.resolve([]),
    isAdmin ? listTiers() : Promise.resolve([]),
  ])
  return {
    reports,
    bans,
    boards: boards.map(({ id, name, description, readMinRank, postMinRank }) => ({ id, name, description, readMinRank, postMinRank })),
    tiers: tiers.map(({ rank, name }) => ({ rank, name })),
    timeZone,
    today: localDate(now, timeZone),
    defaultUntil: localDate(new Date(now.getTime() + AUTHOR_BAN_DAYS * DAY_MS), timeZone),
  }
}

/** Which form the errors belong to: a report's row, the ban form, or a ban's row. */
type ActionData = { scope: string; errors: FieldErrors }
const fail = (scope: string, errors: FieldErrors, status = 400) => data<ActionData>({ scope, errors }, { status })

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireRole(request, 'editor')
  const formData = await request.formData()
  const now = new Date()
  const back = '/admin/community'
  const reportScope = `report-${String(formData.get('reportId'))}`
  switch (formData.get('intent')) {
    case 'hide': {
      const form = parseForm(hideReportedForm, formData)
      if (!form.ok) return fail(reportScope, form.errors)
      const report = await getOpenReport(form.data.reportId)
      if (!report) return fail(reportScope, { form: t.moderation.errors.reportNotFound })
      const hidden = await hideContent({
        targetType: report.targetType,
        targetId: report.targetId,
        reason: form.data.reason,
        actorId: staff.id,
        now,
      })
      if (!hidden) return fail(reportScope, { form: t.moderation.errors.contentMissing })
      return redirectWithFlash(back, {
        kind: 'success',
        message: t.moderation.hidden,
      })
    }
    case 'dismiss': {
      const form = parseForm(reportActionForm, formData)
      if (!form.ok) return fail(reportScope, form.errors)
      const report = await dismissReport({
        reportId: form.data.reportId,
        actorId: staff.id,
        now,
      })
      if (!report) return fail(reportScope, { form: t.moderation.errors.reportNotFound })
      return redirectWithFlash(back, {
        kind: 'success',
        message: t.moderation.dismissed,
      })
    }
    case 'ban-author': {
      const form = parseForm(reportActionForm, formData)
      if (!form.ok) return fail(reportScope, form.errors)
      const report = await getOpenReport(form.data.reportId)
      if (!report) return fail(reportScope, { form: t.moderation.errors.reportNotFound })
      const author = await getReportedAuthor(report)
      if (!author) return fail(reportScope, { form: t.moderation.errors.contentMissing })
      const until = new Date(now.getTime() + AUTHOR_BAN_DAYS * DAY_MS)
      await banFromPosting({
        userId: author.id,
        until,
        reason: t.moderation.banFromReport(report.reason),
        actorId: staff.id,
      })
      return redirectWithFlash(back, {
        kind: 'success',
        message: t.moderation.banned(author.displayName),
      })
    }
    case 'ban': {
      const form = parseForm(postingBanForm, formData)
      if (!form.ok) return fail('ban', form.errors)
      const until = endOfValidityDate(form.data.until, getEnv().SITE_TIMEZONE)
      if (!until) return fail('ban', { until: t.errors.dateInvalid })
      if (until <= now) return fail('ban', { until: t.moderation.errors.untilInPast })
      const user = await getUserByEmail(form.data.email)
      if (!user) return fail('ban', { email: t.errors.userNotFound })
      await banFromPosting({
        userId: user.id,
        until,
        reason: form.data.reason,
        actorId: staff.id,
      })
      return redirectWithFlash(back, {
        kind: 'success',
        message: t.moderation.banned(user.displayName),
      })
    }
    case 'lift': {
      const form = parseForm(liftBanForm, formData)
      const scope = `ban-${String(formData.get('userId'))}`
      if (!form.ok) return fail(scope, form.errors)
      const [user, ban] = await Promise.all([
        getUserById(form.data.userId),
        liftPostingBan({ userId: form.data.userId, actorId: staff.id }),
      ])
      if (!ban) return fail(scope, { form: t.moderation.errors.banNotFound })
      return redirectWithFlash(back, {
        kind: 'success',
        message: t.moderation.lifted(user?.displayName ?? ''),
      })
    }
    case 'board': {
      const scope = `board-${String(formData.get('boardId'))}`
      if (!hasRole(staff.role, 'admin')) return fail(scope, { form: t.moderation.boards.adminOnly }, 403)
      const form = parseForm(boardSettingsForm, formData)
      if (!form.ok) return fail(scope, form.errors)
      const ranks = new Set((await listTiers()).map((tier) => tier.rank))
      if (!ranks.has(form.data.readMinRank)) return fail(scope, { readMinRank: t.moderation.boards.unknownRank })
      if (!ranks.has(form.data.postMinRank)) return fail(scope, { postMinRank: t.moderation.boards.unknownRank })
      const board = await updateBoard({ ...form.data, actorId: staff.id })
      if (!board) return fail(scope, { form: t.errors.invalidChoice }, 404)
      return redirectWithFlash(back, { kind: 'success', message: t.moderation.boards.saved(board.name) })
    }
    default:
      return fail('page', { form: t.errors.invalidChoice })
  }
}

export default function AdminCommunity() {
  const { reports, bans, boards, tiers, timeZone, today, defaultUntil } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errorsFor = (scope: string) => (actionData?.scope === scope ? actionData.errors : {})
  const banErrors = errorsFor('ban')
  return (
    <div className="space-y-8">
      <PageTitle subtitle={t.moderation.subtitle}>{t.moderation.title}</PageTitle>
      <FormError error={errorsFor('page').form} />

      <section aria-labelledby="reports-title" className="space-y-4">
        <h2 id="reports-title" className="text-lg font-semibold text-stone-900">
          {t.moderation.reportsTitle} <Badge tone={reports.length ? 'red' : 'stone'}>{reports.length}</Badge>
        </h2>
        {reports.length === 0 ? <EmptyState>{t.moderation.noReports}</EmptyState> : null}
        <ul className="space-y-4">
          {reports.map((r) => {
            const errors = errorsFor(`report-${r.id}`)
            const heading = r.targetType === 'thread' ? r.threadTitle : r.excerpt
            return (
              <li
                key={r.id}
                aria-label={`${t.moderation.reportReason}：${r.reason}`}
                className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-5"
              >
                <div className="flex flex-wrap items-center gap-2 text-xs text-stone-500">
                  <Badge tone="amber">{r.targetType === 'thread' ? t.moderation.targetThread : t.moderation.targetReply}</Badge>
                  {r.hidden ? <Badge tone="stone">{t.moderation.hiddenBadge}</Badge> : null}
                  {r.deleted ? <Badge tone="red">{t.moderation.deletedBadge}</Badge> : null}
                  <span>{formatDateTime(r.createdAt, timeZone)}</span>
                  <span>{t.moderation.reportedBy(r.reporterName)}</span>
                </div>
                <p className="mt-2 break-words font-semibold text-stone-900">{heading}</p>
                {r.targetType === 'thread' && r.excerpt ? (
                  <p className="mt-1 line-clamp-2 break-words text-sm text-stone-600">{r.excerpt}</p>
                ) : null}
                {r.targetType === 'reply' && r.threadTitle ? (
                  <p className="mt-1 text-sm text-stone-600">{t.moderation.inThread(r.threadTitle)}</p>
                ) : null}
                <p className="mt-1 text-sm text-stone-600">
                  {r.authorName ? t.moderation.author(r.authorName) : null}
                  {r.threadId ? (
                    <>
                      {' · '}
                      <Link to={`/community/t/${r.threadId}`} className="font-medium text-brand-700 underline">
                        {t.moderation.view}
                      </Link>
                    </>
                  ) : null}
                </p>
                <p className="mt-2 rounded-lg bg-stone-50 px-3 py-2 text-sm text-stone-800">
                  {t.moderation.reportReason}：{r.reason}
                </p>
                <FormError error={errors.form ?? errors.reportId} />
                <div className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
                  <Form method="post" className="flex flex-1 items-end gap-2">
                    <input type="hidden" name="intent" value="hide" />
                    <input type="hidden" name="reportId" value={r.id} />
                    <Field
                      label={t.moderation.hideReason}
                      name="reason"
                      defaultValue={r.reason}
                      maxLength={200}
                      required
                      error={errors.reason}
                      className="flex-1"
                    />
                    <Button disabled={busy || r.hidden}>{t.moderation.hide}</Button>
                  </Form>
                  <div className="flex gap-2">
                    <Form method="post">
                      <input type="hidden" name="intent" value="dismiss" />
                      <input type="hidden" name="reportId" value={r.id} />
                      <Button variant="secondary" disabled={busy}>
                        {t.moderation.dismiss}
                      </Button>
                    </Form>
                    {r.authorId ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="ban-author" />
                        <input type="hidden" name="reportId" value={r.id} />
                        <Button variant="danger" disabled={busy}>
                          {t.moderation.banAuthor}
                        </Button>
                      </Form>
                    ) : null}
                  </div>
                </div>
              </li>
            )
          })}
        </ul>
      </section>

      <Card>
        <h2 className="mb-4 text-lg font-semibold text-stone-900">{t.moderation.banTitle}</h2>
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="ban" />
          <Field label={t.moderation.banEmail} name="email" type="email" autoComplete="off" required error={banErrors.email} />
          <Field
            label={t.moderation.banUntil}
            name="until"
            type="date"
            min={today}
            defaultValue={defaultUntil}
            required
            error={banErrors.until}
          />
          <Field label={t.moderation.banReason} name="reason" maxLength={200} required error={banErrors.reason} className="sm:col-span-2" />
          <FormError error={banErrors.form} />
          <div className="sm:col-span-2">
            <Button variant="danger" disabled={busy}>
              {t.moderation.banSubmit}
            </Button>
          </div>
        </Form>
      </Card>

      <section aria-labelledby="bans-title" className="space-y-3">
        <h2 id="bans-title" className="text-lg font-semibold text-stone-900">
          {t.moderation.bansTitle}
        </h2>
        {bans.length === 0 ? <EmptyState>{t.moderation.noBans}</EmptyState> : null}
        {bans.length > 0 ? (
          <ul className="divide-y divide-stone-200 rounded-2xl border border-stone-200 bg-white">
            {bans.map((b) => {
              const errors = errorsFor(`ban-${b.userId}`)
              return (
                <li key={b.userId} className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between">
                  <div className="min-w-0">
                    <p className="font-medium text-stone-900">
                      {b.displayName} <span className="break-all text-sm font-normal text-stone-500">{b.email}</span>
                    </p>
                    <p className="text-sm text-stone-600">
                      {t.moderation.bannedUntil(formatDate(b.until, timeZone))} · {b.reason}
                    </p>
                    <FormError error={errors.form ?? errors.userId} />
                  </div>
                  <Form method="post">
                    <input type="hidden" name="intent" value="lift" />
                    <input type="hidden" name="userId" value={b.userId} />
                    <Button variant="secondary" className="px-3 py-1.5" disabled={busy} aria-label={t.moderation.liftLabel(b.displayName)}>
                      {t.moderation.lift}
                    </Button>
                  </Form>
                </li>
              )
            })}
          </ul>
        ) : null}
      </section>

      {boards.length > 0 ? (
        <section aria-labelledby="boards-title" className="space-y-4">
          <div>
            <h2 id="boards-title" className="text-lg font-semibold text-stone-900">
              {t.moderation.boards.title}
            </h2>
            <p className="text-sm text-stone-600">{t.moderation.boards.help}</p>
          </div>
          {boards.map((board) => {
            const errors = errorsFor(`board-${board.id}`)
            const rankOptions = tiers.map((tier) => (
              <option key={tier.rank} value={tier.rank}>
                {tier.rank === 0 ? t.moderation.boards.everyone : tier.name}
              </option>
            ))
            return (
              <Form key={board.id} method="post" className="space-y-3 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm" aria-label={board.name}>
                <input type="hidden" name="intent" value="board" />
                <input type="hidden" name="boardId" value={board.id} />
                <FormError error={errors.form} />
                <Field label={t.moderation.boards.name} name="name" defaultValue={board.name} maxLength={20} required error={errors.name} />
                <TextAreaField label={t.moderation.boards.description} name="description" defaultValue={board.description} rows={2} maxLength={200} error={errors.description} />
                <div className="grid gap-3 sm:grid-cols-2">
                  <SelectField label={t.moderation.boards.readMinRank} name="readMinRank" defaultValue={String(board.readMinRank)} error={errors.readMinRank}>
                    {rankOptions}
                  </SelectField>
                  <SelectField label={t.moderation.boards.postMinRank} name="postMinRank" defaultValue={String(board.postMinRank)} error={errors.postMinRank}>
                    {rankOptions}
                  </SelectField>
                </div>
                <Button variant="secondary" disabled={busy}>
                  {t.moderation.boards.save}
                </Button>
              </Form>
            )
          })}
        </section>
      ) : null}
    </div>
  )
}
