// An editor's page for one daily's 留言: feature (and order), reply as the editor, mark read,
// hide with a reason or restore, and ban an author from posting (the community's ban).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import type { ReactNode } from 'react'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Field, FormError, TextAreaField } from '~/components/field'
import { Badge, Button, buttonClass, EmptyState, PageTitle } from '~/components/ui'
import { commentBanForm, commentModerationForm } from '~/domain/daily-comment-forms.server'
import { COMMENT_MODERATION_INTENTS, DAILY_COMMENT_LIMITS, type CommentModerationIntent } from '~/domain/daily-comments'
import { commentsZhCN } from '~/i18n/comments.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { getDailyById } from '~/models/daily.server'
import { getCommentAuthor, listCommentsForModeration, moderateComment } from '~/models/daily-comment.server'
import { banFromPosting } from '~/models/moderation.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDate, formatDateTime } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { comments: commentsZhCN, daily: dailyZhCN, errors: errorsZhCN, site: siteZhCN }

const a = t.comments.admin
const DAY_MS = 24 * 60 * 60 * 1000

export const meta: MetaFunction = () => [{ title: `${a.title} · ${t.site.name}` }]

async function requireDaily(param: string | undefined) {
  const id = Number(param)
  const daily = Number.isInteger(id) && id > 0 ? await getDailyById(id) : undefined
  if (!daily) throw new Response(t.daily.errors.notFound, { status: 404 })
  return daily
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'editor')
  const daily = await requireDaily(params.id)
  const now = new Date()
  const rows = await listCommentsForModeration(daily.id, now)
  const comments = rows.map((r) => ({
    id: r.id,
    authorName: r.authorName,
    authorEmail: r.authorEmail,
    bannedUntil: r.bannedUntil,
    body: r.body,
    createdAt: r.createdAt,
    likeCount: r.likeCount,
    editorReply: r.editorReply,
    featured: r.featuredOrder !== null,
    hiddenReason: r.hiddenAt ? (r.hiddenReason ?? '') : null,
    isNew: r.reviewedAt === null,
  }))
  return {
    daily: { id: daily.id, date: daily.date, title: daily.title },
    fresh: comments.filter((c) => c.isNew),
    featured: comments.filter((c) => c.featured),
    others: comments.filter((c) => !c.isNew && !c.featured),
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

/** Which 留言's forms the errors belong to. */
type ActionData = { scope: string; errors: FieldErrors }
const fail = (scope: string, errors: FieldErrors, status = 400) => data<ActionData>({ scope, errors }, { status })

const isModerationIntent = (intent: string): intent is CommentModerationIntent => (COMMENT_MODERATION_INTENTS as readonly string[]).includes(intent)

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireRole(request, 'editor')
  const daily = await requireDaily(params.id)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const scope = `comment-${String(formData.get('commentId'))}`
  const now = new Date()
  const back = (commentId: number) => `/admin/posts/${daily.id}/comments#comment-${commentId}`

  if (isModerationIntent(intent)) {
    const form = parseForm(commentModerationForm, formData)
    if (!form.ok) return fail(scope, form.errors)
    const result = await moderateComment({ ...form.data, dailyId: daily.id, actorId: editor.id, now })
    if (!result.ok) return fail(scope, { form: t.comments.errors.commentMissing }, 404)
    return redirectWithFlash(back(form.data.commentId), { kind: 'success', message: a.applied[form.data.intent] })
  }
  if (intent === 'ban') {
    const banScope = `ban-${String(formData.get('commentId'))}`
    const form = parseForm(commentBanForm, formData)
    if (!form.ok) return fail(banScope, form.errors)
    const author = await getCommentAuthor({ commentId: form.data.commentId, dailyId: daily.id })
    if (!author) return fail(banScope, { form: t.comments.errors.commentMissing }, 404)
    await banFromPosting({ userId: author.id, until: new Date(now.getTime() + DAILY_COMMENT_LIMITS.banDays * DAY_MS), reason: form.data.reason, actorId: editor.id })
    return redirectWithFlash(back(form.data.commentId), { kind: 'success', message: a.banned(author.displayName) })
  }
  return fail('page', { form: t.errors.invalidChoice })
}

// ---- page --------------------------------------------------------------------------------------

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>
type CommentRow = LoaderData['fresh'][number]

const SMALL = 'px-3 py-1.5 text-xs'

function IntentButton({ intent, commentId, label, variant = 'secondary' }: { intent: CommentModerationIntent; commentId: number; label?: string; variant?: 'secondary' | 'danger' | 'primary' }) {
  const busy = useNavigation().state !== 'idle'
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="commentId" value={commentId} />
      <Button variant={variant} className={SMALL} disabled={busy} aria-label={label}>
        {a.intents[intent]}
      </Button>
    </Form>
  )
}

/** A collapsed form (no script needed): the summary is the button that opens it. */
function Disclosure({ label, open, children }: { label: string; open: boolean; children: ReactNode }) {
  return (
    <details className="w-full sm:w-auto" open={open || undefined}>
      <summary className={buttonClass('ghost', `${SMALL} cursor-pointer list-none [&::-webkit-details-marker]:hidden`)}>{label}</summary>
      <div className="mt-2 w-full rounded-lg border border-stone-200 bg-stone-50 p-3 sm:min-w-[20rem]">{children}</div>
    </details>
  )
}

function CommentCard({ comment, position, count, timeZone }: { comment: CommentRow; position: number | null; count: number; timeZone: string }) {
  const actionData = useActionData<typeof action>()
  const errors = actionData?.scope === `comment-${comment.id}` ? actionData.errors : {}
  const banErrors = actionData?.scope === `ban-${comment.id}` ? actionData.errors : {}
  const busy = useNavigation().state !== 'idle'
  const hidden = comment.hiddenReason !== null
  return (
    <li id={`comment-${comment.id}`} className="scroll-mt-20 space-y-3 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
      <p className="flex flex-wrap items-center gap-2 text-xs text-stone-500">
        {comment.isNew ? <Badge tone="amber">{a.badges.new}</Badge> : null}
        {comment.featured ? <Badge tone="green">{a.badges.featured}</Badge> : null}
        {hidden ? <Badge tone="red">{a.badges.hidden}</Badge> : null}
        {comment.bannedUntil ? <Badge tone="red">{`${a.badges.banned} · ${formatDate(comment.bannedUntil, timeZone)}`}</Badge> : null}
        <span className="break-all font-medium text-stone-700">{a.author(comment.authorName, comment.authorEmail)}</span>
        <time dateTime={new Date(comment.createdAt).toISOString()}>{formatDateTime(comment.createdAt, timeZone)}</time>
        {comment.featured ? <span>{a.likes(comment.likeCount)}</span> : null}
      </p>
      <p className="whitespace-pre-line break-words text-stone-900">{comment.body}</p>
      {hidden ? <p className="text-sm text-red-800">{t.comments.hiddenMark(comment.hiddenReason ?? '')}</p> : null}
      {comment.editorReply ? (
        <div className="rounded-lg border-l-4 border-brand-300 bg-brand-50/60 px-3 py-2">
          <p className="text-xs font-semibold text-brand-800">{t.comments.editorReply}</p>
          <p className="whitespace-pre-line break-words text-sm text-stone-700">{comment.editorReply}</p>
        </div>
      ) : null}
      <FormError error={errors.form ?? errors.commentId ?? errors.intent} />
      <div className="flex flex-wrap items-start gap-2">
        {comment.featured && position !== null ? (
          <>
            {position > 1 ? <IntentButton intent="up" commentId={comment.id} label={a.upLabel(position)} /> : null}
            {position < count ? <IntentButton intent="down" commentId={comment.id} label={a.downLabel(position)} /> : null}
            <IntentButton intent="unfeature" commentId={comment.id} />
          </>
        ) : null}
        {!comment.featured && !hidden ? <IntentButton intent="feature" commentId={comment.id} variant="primary" /> : null}
        {comment.isNew ? <IntentButton intent="read" commentId={comment.id} /> : null}
        {hidden ? <IntentButton intent="restore" commentId={comment.id} /> : null}
        {comment.editorReply ? <IntentButton intent="delete-reply" commentId={comment.id} variant="danger" /> : null}
      </div>
      <div className="flex flex-wrap items-start gap-2">
        <Disclosure label={comment.editorReply ? a.replyEdit : a.replyWrite} open={Boolean(errors.reply)}>
          <Form method="post" className="space-y-2" noValidate>
            <input type="hidden" name="intent" value="reply" />
            <input type="hidden" name="commentId" value={comment.id} />
            <TextAreaField label={a.replyLabel} name="reply" rows={3} maxLength={DAILY_COMMENT_LIMITS.replyMax} defaultValue={comment.editorReply ?? ''} error={errors.reply} />
            <Button className={SMALL} disabled={busy}>
              {a.intents.reply}
            </Button>
          </Form>
        </Disclosure>
        {hidden ? null : (
          <Disclosure label={a.intents.hide} open={Boolean(errors.reason)}>
            <Form method="post" className="space-y-2" noValidate>
              <input type="hidden" name="intent" value="hide" />
              <input type="hidden" name="commentId" value={comment.id} />
              <Field label={a.hideReason} name="reason" maxLength={DAILY_COMMENT_LIMITS.reasonMax} required error={errors.reason} />
              <Button variant="danger" className={SMALL} disabled={busy}>
                {a.intents.hide}
              </Button>
            </Form>
          </Disclosure>
        )}
        <Disclosure label={a.intents.ban} open={Object.keys(banErrors).length > 0}>
          <Form method="post" className="space-y-2" noValidate>
            <input type="hidden" name="intent" value="ban" />
            <input type="hidden" name="commentId" value={comment.id} />
            <FormError error={banErrors.form ?? banErrors.commentId} />
            <Field label={a.banReason} name="reason" maxLength={DAILY_COMMENT_LIMITS.reasonMax} required error={banErrors.reason} />
            <Button variant="danger" className={SMALL} disabled={busy}>
              {a.intents.ban}
            </Button>
          </Form>
        </Disclosure>
      </div>
    </li>
  )
}

function Section({ id, title, empty, comments, ordered = false, timeZone }: { id: string; title: string; empty: string; comments: CommentRow[]; ordered?: boolean; timeZone: string }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold text-stone-900">
        {title} <Badge tone={comments.length ? 'brand' : 'stone'}>{comments.length}</Badge>
      </h2>
      {comments.length === 0 ? <EmptyState>{empty}</EmptyState> : null}
      <ul className="space-y-3">
        {comments.map((comment, index) => (
          <CommentCard key={comment.id} comment={comment} position={ordered ? index + 1 : null} count={comments.length} timeZone={timeZone} />
        ))}
      </ul>
    </section>
  )
}

export default function DailyCommentsAdmin() {
  const { daily, fresh, featured, others, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <PageTitle subtitle={a.subtitle(daily.date, daily.title)}>{a.title}</PageTitle>
        <p className="text-sm text-stone-600">{a.help}</p>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link to="/admin/posts" className="text-brand-700 underline">
            {a.backToList}
          </Link>
          <Link to={`/admin/posts/${daily.id}`} className="text-brand-700 underline">
            {a.editDaily}
          </Link>
          <Link to={`/daily/${daily.date}#comments`} className="text-brand-700 underline">
            {a.viewDaily}
          </Link>
        </p>
        <FormError error={actionData?.scope === 'page' ? actionData.errors.form : undefined} />
      </div>
      <Section id="new-comments" title={a.sections.new} empty={a.empty.new} comments={fresh} timeZone={timeZone} />
      <Section id="featured-comments" title={a.sections.featured} empty={a.empty.featured} comments={featured} ordered timeZone={timeZone} />
      <Section id="other-comments" title={a.sections.others} empty={a.empty.others} comments={others} timeZone={timeZone} />
    </div>
  )
}
