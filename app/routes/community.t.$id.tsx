import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import type { ReactNode } from 'react'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { CannotPost, JobBadges, JobDetails, StateBadges } from '~/components/community'
import { FormError, TextAreaField } from '~/components/field'
import { Badge, Button, buttonClass } from '~/components/ui'
import {
  COMMUNITY_LIMITS,
  canDelete,
  canEdit,
  canModerate,
  canRenew,
  canSeeContact,
  canSeeHidden,
  isJobExpired,
  type CommunityViewer,
} from '~/domain/community'
import { replyForm, replyTargetForm } from '~/domain/community-forms.server'
import { MODERATION_INTENTS, type ModerationIntent } from '~/domain/moderation-forms'
import { moderationForm, reportForm } from '~/domain/moderation-forms.server'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { errorsZhCN, pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { moderationZhCN } from '~/i18n/moderation.zh-CN'
import { shareZhCN } from '~/i18n/share.zh-CN'
import { createReply, deleteReply, deleteThread, listReplies, renewJob } from '~/models/community.server'
import { applyModeration, reportContent } from '~/models/moderation.server'
import { requireUser } from '~/utils/auth.server'
import { postingGate, requireVisibleThread } from '~/utils/community.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { renderMarkdown } from '~/utils/markdown.server'
import { retryAfterHeaders } from '~/utils/retry-after'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN, errors: errorsZhCN, moderation: moderationZhCN, pages: pagesZhCN, share: shareZhCN, site: siteZhCN }

const c = t.community

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? [
        { title: `${data.thread.title} · ${data.thread.board.name} · ${t.site.name}` },
        ...shareMeta({
          siteUrl: siteUrlOf(matches),
          path: `/community/t/${data.thread.id}`,
          title: data.thread.title,
          description: t.share.threadDescription(data.thread.board.name),
          image: posterPaths.site,
          type: 'article',
        }),
      ]
    : []

// A 429 tells the client when to try again (Retry-After).
export const headers = retryAfterHeaders

const notFound = () => new Response(t.pages.notFound.body, { status: 404 })

const QUOTE_EXCERPT = 120

function excerpt(body: string) {
  const text = body.replace(/\s+/g, ' ').trim()
  return text.length > QUOTE_EXCERPT ? `${text.slice(0, QUOTE_EXCERPT)}…` : text
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date()
  const { thread, viewer } = await requireVisibleThread(request, params.id, now)
  const timeZone = getEnv().SITE_TIMEZONE
  const rows = await listReplies(thread.id)
  const own = (authorId: number) => viewer !== null && viewer.userId === authorId
  const mayReport = (authorId: number) => viewer !== null && !own(authorId)

  const replies = rows.flatMap(({ reply, authorName, quote }, index) => {
    if (reply.deletedAt) return []
    if (reply.hiddenAt && !canSeeHidden(reply, viewer)) return []
    const quoteVisible = quote && quote.id !== null && !quote.deletedAt && !quote.hiddenAt
    return [
      {
        id: reply.id,
        floor: index + 1,
        authorName,
        createdAt: reply.createdAt,
        edited: reply.editedAt !== null,
        bodyHtml: renderMarkdown(reply.body, 'member'),
        hiddenReason: reply.hiddenAt ? (reply.hiddenReason ?? '') : null,
        quote: reply.quoteReplyId === null ? null : quoteVisible ? { authorName: quote.authorName ?? '', excerpt: excerpt(quote.body ?? '') } : { gone: true as const },
        canEdit: canEdit(reply, viewer, now),
        canDelete: canDelete(reply, viewer),
        canReport: mayReport(reply.authorId) && !reply.hiddenAt,
      },
    ]
  })

  const quoteParam = new URL(request.url).searchParams.get('quote')
  const quoting = quoteParam ? replies.find((r) => String(r.id) === quoteParam && r.hiddenReason === null) : undefined

  const gate = await postingGate(thread.board, viewer, now)
  const replyState = thread.hiddenAt ? 'hidden' : thread.locked ? 'locked' : gate.allowed ? 'open' : 'gated'

  const job =
    thread.board.kind === 'jobs'
      ? {
          jobKind: thread.jobKind,
          city: thread.city,
          remote: thread.remote,
          salaryMin: thread.salaryMin,
          salaryMax: thread.salaryMax,
          expiresAt: thread.expiresAt,
          expired: isJobExpired(thread, now),
          renewed: thread.renewedAt !== null,
          // The contact never leaves the server for anyone who may not see it.
          contact: canSeeContact(viewer) ? thread.contact : null,
          contactVisible: canSeeContact(viewer),
        }
      : null

  return {
    thread: {
      id: thread.id,
      title: thread.title,
      bodyHtml: renderMarkdown(thread.body, 'member'),
      authorName: thread.authorName,
      createdAt: thread.createdAt,
      edited: thread.editedAt !== null,
      board: { slug: thread.board.slug, name: thread.board.name },
      pinned: thread.pinned,
      featured: thread.featured,
      locked: thread.locked,
      hiddenAt: thread.hiddenAt,
      hiddenReason: thread.hiddenAt ? (thread.hiddenReason ?? '') : null,
      job,
      canEdit: canEdit(thread, viewer, now),
      canDelete: canDelete(thread, viewer),
      canRenew: canRenew(thread, viewer),
      canReport: mayReport(thread.authorId) && !thread.hiddenAt,
    },
    replies,
    replyState,
    gate,
    quoting: quoting ? { id: quoting.id, authorName: quoting.authorName } : null,
    moderator: canModerate(viewer),
    timeZone,
  }
}

type ActionData = { intent: string; target: string; errors: FieldErrors }
const fail = (intent: string, target: string, errors: FieldErrors, status = 400, headers?: HeadersInit) =>
  data<ActionData>({ intent, target, errors }, { status, headers })

const isModerationIntent = (intent: string): intent is ModerationIntent => (MODERATION_INTENTS as readonly string[]).includes(intent)

export async function action({ request, params }: ActionFunctionArgs) {
  const now = new Date()
  const user = await requireUser(request)
  const { thread, viewer } = await requireVisibleThread(request, params.id, now)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const here = `/community/t/${thread.id}`

  if (isModerationIntent(intent)) return moderate({ intent, formData, viewer, threadId: thread.id, actorId: user.id, now, here })

  switch (intent) {
    case 'reply': {
      const gate = await postingGate(thread.board, viewer, now)
      if (!gate.allowed) return fail(intent, 'thread', { form: gate.message }, 403)
      const form = parseForm(replyForm, formData)
      if (!form.ok) return fail(intent, 'thread', form.errors)
      const result = await createReply({ threadId: thread.id, authorId: user.id, body: form.data.body, quoteReplyId: form.data.quoteReplyId, now })
      if (!result.ok) {
        if (result.status === 429) {
          return fail(intent, 'thread', { form: c.errors.rateLimited(result.waitSeconds) }, 429, { 'Retry-After': String(result.waitSeconds) })
        }
        if (result.status === 404) throw notFound()
        return fail(intent, 'thread', { form: result.reason === 'locked' ? c.reply.locked : c.reply.hiddenThread }, 409)
      }
      return redirectWithFlash(`${here}#reply-${result.reply.id}`, { kind: 'success', message: c.flash.replied })
    }
    case 'delete-thread': {
      // The query names the author, so this deletes only the viewer's own thread.
      const deleted = await deleteThread({ id: thread.id, authorId: user.id, now })
      if (!deleted) throw new Response(c.errors.notYours, { status: 403 })
      return redirectWithFlash(`/community/${thread.board.slug}`, { kind: 'success', message: c.flash.threadDeleted })
    }
    case 'delete-reply': {
      const form = parseForm(replyTargetForm, formData)
      if (!form.ok) return fail(intent, 'thread', form.errors)
      const deleted = await deleteReply({ id: form.data.replyId, authorId: user.id, now })
      if (!deleted) throw new Response(c.errors.notYours, { status: 403 })
      return redirectWithFlash(`${here}#replies`, { kind: 'success', message: c.flash.replyDeleted })
    }
    case 'renew': {
      const renewed = await renewJob({ id: thread.id, authorId: user.id, now })
      if (!renewed) throw new Response(c.errors.renewUsed, { status: 403 })
      return redirectWithFlash(here, { kind: 'success', message: c.flash.renewed })
    }
    case 'report': {
      const form = parseForm(reportForm, formData)
      const target = `${String(formData.get('targetType'))}-${String(formData.get('targetId'))}`
      if (!form.ok) return fail(intent, target, form.errors)
      const result = await reportContent({ reporterId: user.id, ...form.data, now })
      if (!result.ok) {
        return result.reason === 'already'
          ? fail(intent, target, { form: t.moderation.errors.alreadyReported }, 409)
          : fail(intent, target, { form: t.moderation.errors.contentMissing }, 404)
      }
      return redirectWithFlash(here, { kind: 'success', message: t.moderation.reported })
    }
    default:
      return fail(intent, 'thread', { form: t.errors.invalidChoice })
  }
}

async function moderate({
  intent,
  formData,
  viewer,
  threadId,
  actorId,
  now,
  here,
}: {
  intent: ModerationIntent
  formData: FormData
  viewer: CommunityViewer
  threadId: number
  actorId: number
  now: Date
  here: string
}) {
  if (!canModerate(viewer)) throw new Response(c.errors.staffOnly, { status: 403 })
  const form = parseForm(moderationForm, formData)
  const target = `${String(formData.get('targetType'))}-${String(formData.get('targetId'))}`
  if (!form.ok) return fail(intent, target, form.errors)
  // A thread button acts on this page's thread only.
  if (form.data.targetType === 'thread' && form.data.targetId !== threadId) return fail(intent, target, { form: t.errors.invalidChoice })
  const result = await applyModeration({ ...form.data, actorId, now })
  if (!result.ok) {
    return result.reason === 'missing'
      ? fail(intent, target, { form: t.moderation.errors.contentMissing }, 404)
      : fail(intent, target, { form: t.errors.invalidChoice })
  }
  return redirectWithFlash(here, { kind: 'success', message: t.moderation.applied[form.data.intent] })
}

// ---- page --------------------------------------------------------------------------------------

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>
type ReplyView = LoaderData['replies'][number]

function useErrorsFor(intent: string, target: string): FieldErrors {
  const actionData = useActionData<typeof action>()
  return actionData && actionData.intent === intent && actionData.target === target ? actionData.errors : {}
}

function Meta({ authorName, createdAt, edited, timeZone }: { authorName: string; createdAt: Date; edited: boolean; timeZone: string }) {
  return (
    <p className="flex flex-wrap gap-x-2 text-sm text-stone-500">
      <span className="font-medium text-stone-700">{authorName}</span>
      <span>
        {c.postedAt} <time dateTime={new Date(createdAt).toISOString()}>{formatDateTime(createdAt, timeZone)}</time>
        {edited ? c.editedMark : null}
      </span>
    </p>
  )
}

function HiddenNotice({ reason }: { reason: string }) {
  return (
    <p role="note" className="flex flex-wrap items-center gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      <Badge tone="red">{c.badges.hidden}</Badge>
      <span>{c.hiddenNotice(reason)}</span>
    </p>
  )
}

const SMALL = 'px-3 py-1.5 text-xs'

/** A collapsed form (no script needed): the summary is the button that opens it. */
function Disclosure({ label, open, children }: { label: string; open: boolean; children: ReactNode }) {
  return (
    <details className="group" open={open || undefined}>
      <summary className={buttonClass('ghost', `${SMALL} cursor-pointer list-none [&::-webkit-details-marker]:hidden`)}>{label}</summary>
      <div className="mt-2 w-full min-w-[16rem] rounded-lg border border-stone-200 bg-stone-50 p-3">{children}</div>
    </details>
  )
}

function DeleteForm({ targetType, targetId }: { targetType: 'thread' | 'reply'; targetId: number }) {
  const busy = useNavigation().state !== 'idle'
  return (
    <Disclosure label={targetType === 'thread' ? c.actions.deleteThread : c.actions.deleteReply} open={false}>
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value={targetType === 'thread' ? 'delete-thread' : 'delete-reply'} />
        {targetType === 'reply' ? <input type="hidden" name="replyId" value={targetId} /> : null}
        <p className="text-sm text-stone-700">{targetType === 'thread' ? c.actions.confirmDeleteThread : c.actions.confirmDeleteReply}</p>
        <Button variant="danger" className={SMALL} disabled={busy}>
          {c.actions.confirmDelete}
        </Button>
      </Form>
    </Disclosure>
  )
}

function ReportForm({ targetType, targetId }: { targetType: 'thread' | 'reply'; targetId: number }) {
  const errors = useErrorsFor('report', `${targetType}-${targetId}`)
  const busy = useNavigation().state !== 'idle'
  const hasErrors = Object.keys(errors).length > 0
  return (
    <Disclosure label={targetType === 'thread' ? c.actions.reportThread : c.actions.reportReply} open={hasErrors}>
      <Form method="post" className="space-y-2" noValidate>
        <input type="hidden" name="intent" value="report" />
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        <FormError error={errors.form} />
        <TextAreaField label={c.actions.reportReason} name="reason" rows={2} maxLength={200} required error={errors.reason} />
        <Button variant="secondary" className={SMALL} disabled={busy}>
          {c.actions.reportSubmit}
        </Button>
      </Form>
    </Disclosure>
  )
}

function ModerationButton({ intent, targetType, targetId }: { intent: ModerationIntent; targetType: 'thread' | 'reply'; targetId: number }) {
  const busy = useNavigation().state !== 'idle'
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <Button variant="secondary" className={SMALL} disabled={busy}>
        {t.moderation.intents[intent]}
      </Button>
    </Form>
  )
}

function ModerationControls({
  targetType,
  targetId,
  flags,
  hidden,
}: {
  targetType: 'thread' | 'reply'
  targetId: number
  flags?: { pinned: boolean; featured: boolean; locked: boolean }
  hidden: boolean
}) {
  const errors = { ...useErrorsFor('hide', `${targetType}-${targetId}`) }
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="flex flex-wrap items-start gap-2 rounded-lg border border-amber-200 bg-amber-50/60 p-2" aria-label={c.actions.moderation} role="group">
      <span className="self-center px-1 text-xs font-semibold text-amber-900">{c.actions.moderation}</span>
      {flags ? (
        <>
          <ModerationButton intent={flags.pinned ? 'unpin' : 'pin'} targetType={targetType} targetId={targetId} />
          <ModerationButton intent={flags.featured ? 'unfeature' : 'feature'} targetType={targetType} targetId={targetId} />
          <ModerationButton intent={flags.locked ? 'unlock' : 'lock'} targetType={targetType} targetId={targetId} />
        </>
      ) : null}
      {hidden ? (
        <ModerationButton intent="restore" targetType={targetType} targetId={targetId} />
      ) : (
        <Disclosure label={t.moderation.intents.hide} open={Object.keys(errors).length > 0}>
          <Form method="post" className="space-y-2" noValidate>
            <input type="hidden" name="intent" value="hide" />
            <input type="hidden" name="targetType" value={targetType} />
            <input type="hidden" name="targetId" value={targetId} />
            <FormError error={errors.form} />
            <TextAreaField label={c.actions.hideReason} name="reason" rows={2} maxLength={200} required error={errors.reason} />
            <Button variant="danger" className={SMALL} disabled={busy}>
              {c.actions.hideSubmit}
            </Button>
          </Form>
        </Disclosure>
      )}
    </div>
  )
}

function ReplyItem({ reply, threadId, moderator, canQuote, timeZone }: { reply: ReplyView; threadId: number; moderator: boolean; canQuote: boolean; timeZone: string }) {
  return (
    <li id={`reply-${reply.id}`} className={`scroll-mt-20 space-y-2 py-4 ${reply.hiddenReason !== null ? 'opacity-80' : ''}`}>
      <div className="flex items-baseline justify-between gap-2">
        <Meta authorName={reply.authorName} createdAt={reply.createdAt} edited={reply.edited} timeZone={timeZone} />
        <a href={`#reply-${reply.id}`} className="shrink-0 text-xs text-stone-500">
          {c.reply.floor(reply.floor)}
        </a>
      </div>
      {reply.hiddenReason !== null ? <HiddenNotice reason={reply.hiddenReason} /> : null}
      {reply.quote ? (
        <blockquote className="border-l-4 border-stone-300 bg-stone-50 px-3 py-2 text-sm text-stone-600">
          {'gone' in reply.quote ? (
            <span className="italic">{c.reply.quoteGone}</span>
          ) : (
            <>
              <span className="font-medium text-stone-700">{c.reply.quoted(reply.quote.authorName)}</span> {reply.quote.excerpt}
            </>
          )}
        </blockquote>
      ) : null}
      <div className="prose-zhiyin break-words" dangerouslySetInnerHTML={{ __html: reply.bodyHtml }} />
      <div className="flex flex-wrap items-start gap-1">
        {canQuote && reply.hiddenReason === null ? (
          <Link
            to={`?quote=${reply.id}#reply-form`}
            preventScrollReset
            className={buttonClass('ghost', SMALL)}
            aria-label={c.reply.quoteLabel(reply.authorName)}
          >
            {c.reply.quote}
          </Link>
        ) : null}
        {reply.canEdit ? (
          <Link to={`/community/t/${threadId}/edit?reply=${reply.id}`} className={buttonClass('ghost', SMALL)}>
            {c.actions.editReply}
          </Link>
        ) : null}
        {reply.canDelete ? <DeleteForm targetType="reply" targetId={reply.id} /> : null}
        {reply.canReport ? <ReportForm targetType="reply" targetId={reply.id} /> : null}
      </div>
      {moderator ? <ModerationControls targetType="reply" targetId={reply.id} hidden={reply.hiddenReason !== null} /> : null}
    </li>
  )
}

function ReplyBox() {
  const { thread, replyState, gate, quoting } = useLoaderData<typeof loader>()
  const errors = useErrorsFor('reply', 'thread')
  const busy = useNavigation().state !== 'idle'
  if (replyState === 'locked' || replyState === 'hidden') {
    return (
      <p role="note" className="rounded-lg border border-stone-200 bg-stone-50 px-3 py-2 text-sm text-stone-700">
        {replyState === 'locked' ? c.reply.locked : c.reply.hiddenThread}
      </p>
    )
  }
  // No reply box for a reader who cannot use it: who may reply, and how to become one. A reply
  // sent anyway (a page from before a membership ended) keeps its form, with the refusal on it.
  const note = gate.allowed ? null : <CannotPost gate={gate} loginRedirect={`/community/t/${thread.id}`} />
  if (!gate.allowed && !errors.form) return note
  return (
    <div className="space-y-3">
      {note}
      <Form method="post" id="reply-form" className="scroll-mt-20 space-y-3" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="reply" />
        {quoting ? (
          <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
            <input type="hidden" name="quoteReplyId" value={quoting.id} />
            <span>{c.reply.quoting(quoting.authorName)}</span>
            <Link to="?" preventScrollReset className="underline">
              {c.reply.cancelQuote}
            </Link>
          </p>
        ) : null}
        <FormError error={errors.form} />
        <TextAreaField label={c.reply.label} name="body" rows={5} maxLength={COMMUNITY_LIMITS.replyMax} required error={errors.body} />
        <Button disabled={busy}>{c.reply.submit}</Button>
      </Form>
    </div>
  )
}

export default function ThreadPage() {
  const { thread, replies, moderator, replyState, timeZone } = useLoaderData<typeof loader>()
  const renewErrors = useErrorsFor('renew', 'thread')
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav aria-label={c.inBoard} className="text-sm text-stone-500">
        <Link to="/community" className="underline">
          {c.title}
        </Link>{' '}
        /{' '}
        <Link to={`/community/${thread.board.slug}`} className="underline">
          {thread.board.name}
        </Link>
      </nav>

      <article className="space-y-4 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-6">
        <header className="space-y-2">
          <p className="flex flex-wrap items-center gap-1.5">
            <StateBadges thread={thread} />
            {thread.job ? <JobBadges job={thread.job} /> : null}
          </p>
          <h1 className="break-words text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">{thread.title}</h1>
          <Meta authorName={thread.authorName} createdAt={thread.createdAt} edited={thread.edited} timeZone={timeZone} />
        </header>
        {thread.hiddenReason !== null ? <HiddenNotice reason={thread.hiddenReason} /> : null}
        {thread.job ? <JobDetails job={thread.job} timeZone={timeZone} /> : null}
        <div className="prose-zhiyin break-words" dangerouslySetInnerHTML={{ __html: thread.bodyHtml }} />

        <div className="flex flex-wrap items-start gap-1 border-t border-stone-100 pt-3">
          {thread.canEdit ? (
            <Link to={`/community/t/${thread.id}/edit`} className={buttonClass('ghost', SMALL)}>
              {c.actions.edit}
            </Link>
          ) : null}
          {thread.canRenew ? (
            <Form method="post">
              <input type="hidden" name="intent" value="renew" />
              <Button variant="ghost" className={SMALL} disabled={busy} title={c.actions.renewHelp}>
                {c.actions.renew}
              </Button>
            </Form>
          ) : null}
          {thread.canDelete ? <DeleteForm targetType="thread" targetId={thread.id} /> : null}
          {thread.canReport ? <ReportForm targetType="thread" targetId={thread.id} /> : null}
        </div>
        <FormError error={renewErrors.form} />
        {moderator ? (
          <ModerationControls
            targetType="thread"
            targetId={thread.id}
            flags={{ pinned: thread.pinned, featured: thread.featured, locked: thread.locked }}
            hidden={thread.hiddenReason !== null}
          />
        ) : null}
      </article>

      <section id="replies" aria-labelledby="replies-title" className="scroll-mt-20 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-6">
        <h2 id="replies-title" className="text-lg font-semibold">
          {c.reply.title} <span className="text-sm font-normal text-stone-500">({replies.length})</span>
        </h2>
        {replies.length === 0 ? (
          <p className="py-4 text-sm text-stone-500">{replyState === 'open' ? c.reply.none : c.replyNone}</p>
        ) : (
          <ol className="divide-y divide-stone-100">
            {replies.map((reply) => (
              <ReplyItem key={reply.id} reply={reply} threadId={thread.id} moderator={moderator} canQuote={replyState === 'open'} timeZone={timeZone} />
            ))}
          </ol>
        )}
        <div className="mt-4 border-t border-stone-100 pt-4">
          <ReplyBox />
        </div>
      </section>
    </div>
  )
}
