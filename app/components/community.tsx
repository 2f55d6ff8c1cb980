// Pieces shared by the community pages: search box, thread list and badges, pagination, the
// "post" button (or why not), the job details card and the thread form's fields.
import { Form, Link } from '@remix-run/react'
import { Field, SelectField, TextAreaField } from '~/components/field'
import { Badge, buttonClass } from '~/components/ui'
import { COMMUNITY_LIMITS, type PostDecision } from '~/domain/community'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { formatDateTime } from '~/utils/format'
import type { FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN }

const c = t.community

export function SearchBox({ q, action, label = c.searchLabel }: { q: string; action: string; label?: string }) {
  return (
    <Form method="get" action={action} role="search" className="flex items-end gap-2">
      <Field label={label} name="q" type="search" defaultValue={q} maxLength={50} placeholder={c.searchPlaceholder} className="min-w-0 flex-1" />
      <button type="submit" className={buttonClass('secondary', 'shrink-0')}>
        {c.searchSubmit}
      </button>
    </Form>
  )
}

export interface JobFacts {
  jobKind: string | null
  city: string | null
  remote: boolean
  salaryMin: number | null
  salaryMax: number | null
}

export interface ThreadSummary extends JobFacts {
  id: number
  boardSlug: string
  boardName: string
  title: string
  pinned: boolean
  featured: boolean
  locked: boolean
  hiddenAt: Date | string | null
  replyCount: number
  lastActivityAt: Date | string
  authorName: string
}

function hasSalary(job: JobFacts) {
  return job.salaryMin !== null || job.salaryMax !== null
}

/** The job's kind, place and pay as small badges. */
export function JobBadges({ job }: { job: JobFacts }) {
  if (!job.jobKind) return null
  return (
    <>
      <Badge tone={job.jobKind === 'hiring' ? 'brand' : 'green'}>{c.jobKinds[job.jobKind]}</Badge>
      {job.remote ? <Badge>{c.badges.remote}</Badge> : null}
      {job.city ? <Badge>{job.city}</Badge> : null}
      {hasSalary(job) ? <Badge tone="amber">{c.salary(job.salaryMin, job.salaryMax)}</Badge> : null}
    </>
  )
}

export function StateBadges({ thread }: { thread: { pinned: boolean; featured: boolean; locked: boolean; hiddenAt: Date | string | null } }) {
  return (
    <>
      {thread.pinned ? <Badge tone="red">{c.badges.pinned}</Badge> : null}
      {thread.featured ? <Badge tone="amber">{c.badges.featured}</Badge> : null}
      {thread.locked ? <Badge>{c.badges.locked}</Badge> : null}
      {thread.hiddenAt ? <Badge tone="red">{c.badges.hidden}</Badge> : null}
    </>
  )
}

export function ThreadList({ threads, timeZone, showBoard = false }: { threads: ThreadSummary[]; timeZone: string; showBoard?: boolean }) {
  return (
    <ol className="divide-y divide-stone-100 overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm">
      {threads.map((thread) => (
        <li key={thread.id} className={thread.hiddenAt ? 'bg-red-50/50' : undefined}>
          <Link to={`/community/t/${thread.id}`} className="block px-4 py-3 transition hover:bg-stone-50">
            <p className="flex flex-wrap items-center gap-1.5">
              <StateBadges thread={thread} />
              <JobBadges job={thread} />
            </p>
            <h3 className="mt-1 break-words font-semibold text-stone-900">{thread.title}</h3>
            <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-stone-500">
              {showBoard ? <span>{thread.boardName}</span> : null}
              <span>{thread.authorName}</span>
              <span>
                {c.lastActivity} <time dateTime={new Date(thread.lastActivityAt).toISOString()}>{formatDateTime(thread.lastActivityAt, timeZone)}</time>
              </span>
              <span>{c.replies(thread.replyCount)}</span>
            </p>
          </Link>
        </li>
      ))}
    </ol>
  )
}

/** Previous / next links that keep the other query parameters. */
export function Pagination({ page, pages, params }: { page: number; pages: number; params: Record<string, string | undefined> }) {
  if (pages <= 1) return null
  const href = (p: number) => {
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(params)) if (value) search.set(key, value)
    if (p > 1) search.set('page', String(p))
    const query = search.toString()
    return query ? `?${query}` : '?'
  }
  return (
    <nav aria-label={c.pagination} className="flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link to={href(page - 1)} className="underline">
          ← {c.newer}
        </Link>
      ) : (
        <span />
      )}
      <span className="text-stone-500">{c.page(page, pages)}</span>
      {page < pages ? (
        <Link to={href(page + 1)} className="underline">
          {c.older} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  )
}

/** What decidePost said, ready to show: allowed, or the reason (a ban's end already formatted). */
export type PostGateView =
  | { allowed: true }
  | {
      allowed: false
      reason: 'sign_in_required' | 'membership_required' | 'banned'
      /** Who may post, or why this reader may not, said before they try. */
      message: string
      /** A visitor is offered 登录; anyone below the board's tier 开通会员 (→ /membership). */
      signIn: boolean
      join: boolean
    }

/**
 * Turns decidePost's answer into what a reader is told (decision 040): 「亲情会员及以上可发帖和回复」
 * when the board needs a tier (to a visitor too: signing in alone would not be enough), a ban's end,
 * or 「登录后即可发帖和回复」 on a board open to every account. The actions answer with the same message.
 */
export function presentGate(decision: PostDecision, { timeZone, tierName }: { timeZone: string; tierName: string | null }): PostGateView {
  if (decision.allowed) return { allowed: true }
  if (decision.reason === 'banned') {
    return { allowed: false, reason: 'banned', message: c.cannotPost.banned(decision.until ? formatDateTime(decision.until, timeZone) : ''), signIn: false, join: false }
  }
  const signIn = decision.reason === 'sign_in_required'
  const message = tierName ? c.cannotPost.tierRequired(tierName) : c.cannotPost.sign_in_required
  return { allowed: false, reason: decision.reason, message, signIn, join: tierName !== null }
}

/** The 发帖 button, or who may post here and how to become one. */
export function PostGate({ gate, boardSlug, loginRedirect }: { gate: PostGateView; boardSlug: string; loginRedirect: string }) {
  if (gate.allowed) {
    return (
      <Link to={`/community/new?board=${boardSlug}`} className={buttonClass('primary')}>
        {c.newThread}
      </Link>
    )
  }
  return <CannotPost gate={gate} loginRedirect={loginRedirect} />
}

export function CannotPost({ gate, loginRedirect }: { gate: Extract<PostGateView, { allowed: false }>; loginRedirect: string }) {
  return (
    <p role="note" className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-stone-800">
      <span className="font-medium">{gate.message}</span>
      {gate.join ? (
        <Link to="/membership" className="font-medium text-brand-700 underline">
          {c.joinToPost}
        </Link>
      ) : null}
      {gate.signIn ? (
        <Link to={`/login?redirectTo=${encodeURIComponent(loginRedirect)}`} className="font-medium text-brand-700 underline">
          {gate.join ? c.signInIfMember : c.signInToPost}
        </Link>
      ) : null}
    </p>
  )
}

export interface JobDetailsView extends JobFacts {
  expiresAt: Date | string | null
  expired: boolean
  renewed: boolean
  /** Present only when the viewer may see it (canSeeContact); otherwise never sent. */
  contact: string | null
  contactVisible: boolean
}

export function JobDetails({ job, timeZone }: { job: JobDetailsView; timeZone: string }) {
  const j = c.job
  return (
    <section aria-labelledby="job-details" className="rounded-2xl border border-brand-100 bg-brand-50/40 p-4">
      <h2 id="job-details" className="mb-3 font-semibold text-stone-900">
        {j.title}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-stone-500">{j.kind}</dt>
        <dd>{job.jobKind ? c.jobKinds[job.jobKind] : '—'}</dd>
        <dt className="text-stone-500">{j.city}</dt>
        <dd>{[job.city, job.remote ? c.badges.remote : null].filter(Boolean).join(' · ') || '—'}</dd>
        <dt className="text-stone-500">{j.salary}</dt>
        <dd>{c.salary(job.salaryMin, job.salaryMax)}</dd>
        <dt className="text-stone-500">{j.expires}</dt>
        <dd>
          {job.expiresAt ? (
            job.expired ? (
              <Badge tone="red">{j.expiredAt(formatDateTime(job.expiresAt, timeZone))}</Badge>
            ) : (
              formatDateTime(job.expiresAt, timeZone)
            )
          ) : (
            '—'
          )}
          {job.renewed ? <span className="ml-2 text-xs text-stone-500">{j.renewed}</span> : null}
        </dd>
        <dt className="text-stone-500">{j.contact}</dt>
        <dd className="break-all" data-testid="job-contact">
          {job.contactVisible ? job.contact : <Badge tone="brand">{j.contactMembersOnly}</Badge>}
        </dd>
      </dl>
    </section>
  )
}

/** What the form shows: the thread being edited, or what was just submitted (as typed). */
export interface ThreadFormValues {
  title?: string
  body?: string
  jobKind?: string | null
  city?: string | null
  remote?: boolean
  salaryMin?: number | string | null
  salaryMax?: number | string | null
  contact?: string | null
  expiresInDays?: string
}

/** Title and body, and for a jobs board the job fields; every control labelled. */
export function ThreadFormFields({
  boardKind,
  values = {},
  errors = {},
  editing = false,
}: {
  boardKind: string
  values?: ThreadFormValues
  errors?: FieldErrors
  editing?: boolean
}) {
  const f = c.form
  const isJobs = boardKind === 'jobs'
  return (
    <>
      <Field label={f.title} name="title" defaultValue={values.title} maxLength={COMMUNITY_LIMITS.titleMax} required hint={f.titleHint} error={errors.title} />
      {isJobs ? (
        <>
          <SelectField label={f.kind} name="jobKind" defaultValue={values.jobKind ?? 'hiring'} error={errors.jobKind}>
            <option value="hiring">{c.jobKinds.hiring}</option>
            <option value="seeking">{c.jobKinds.seeking}</option>
          </SelectField>
          <div className="grid gap-3 sm:grid-cols-2 sm:items-end">
            <Field label={f.city} name="city" defaultValue={values.city ?? ''} maxLength={40} hint={f.cityHint} error={errors.city} />
            <label className="flex items-center gap-3 py-2.5">
              <input type="checkbox" name="remote" defaultChecked={values.remote ?? false} className="h-4 w-4 accent-brand-700" />
              <span>{f.remote}</span>
            </label>
          </div>
          <div className="grid grid-cols-2 gap-3">
            <Field label={f.salaryMin} name="salaryMin" inputMode="numeric" pattern="[0-9]*" defaultValue={values.salaryMin ?? ''} error={errors.salaryMin} />
            <Field label={f.salaryMax} name="salaryMax" inputMode="numeric" pattern="[0-9]*" defaultValue={values.salaryMax ?? ''} error={errors.salaryMax} />
          </div>
          <Field label={f.contact} name="contact" defaultValue={values.contact ?? ''} maxLength={200} required hint={f.contactHint} error={errors.contact} />
          {editing ? null : (
            <Field
              label={f.expiresInDays}
              name="expiresInDays"
              type="number"
              min={1}
              max={COMMUNITY_LIMITS.jobMaxDays}
              defaultValue={values.expiresInDays ?? COMMUNITY_LIMITS.jobDefaultDays}
              hint={f.expiresHint}
              error={errors.expiresInDays}
            />
          )}
        </>
      ) : null}
      <TextAreaField
        label={f.body}
        name="body"
        defaultValue={values.body}
        rows={12}
        maxLength={COMMUNITY_LIMITS.bodyMax}
        required
        hint={f.bodyHint}
        error={errors.body}
      />
    </>
  )
}
