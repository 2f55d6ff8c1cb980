// 留言 under a daily: the featured ones (everyone), my own not yet featured (only me), and the
// form for a reader who may leave one — or a line saying what to do first. What is in `comments`
// was decided by presentDailyComments; this only shows it. 留言 are plain text, rendered as
// React text (escaped) with their line breaks kept.
import type { ReactNode } from 'react'
import { Link, useFetcher } from '@remix-run/react'
import { FormError, TextAreaField } from '~/components/field'
import { Badge, Button, buttonClass } from '~/components/ui'
import { DAILY_COMMENT_LIMITS, type CommentGateView, type DailyCommentsView, type FeaturedCommentView } from '~/domain/daily-comments'
import { commentsZhCN } from '~/i18n/comments.zh-CN'
import { formatDateTime } from '~/utils/format'
import type { FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { comments: commentsZhCN }

const m = t.comments

type ActionErrors = { errors?: FieldErrors } | undefined

const actionUrl = (date: string) => `/daily/${date}/comments`

function CommentText({ body }: { body: string }) {
  return <p className="whitespace-pre-line break-words leading-relaxed text-stone-800">{body}</p>
}

function Meta({ name, createdAt, timeZone, children }: { name: string; createdAt: Date | string; timeZone: string; children?: ReactNode }) {
  return (
    <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-500">
      <span className="font-medium text-stone-700">{name}</span>
      <time dateTime={new Date(createdAt).toISOString()}>{formatDateTime(createdAt, timeZone)}</time>
      {children}
    </p>
  )
}

function LikeButton({ comment, date }: { comment: FeaturedCommentView; date: string }) {
  const fetcher = useFetcher<ActionErrors>()
  const error = fetcher.state === 'idle' ? fetcher.data?.errors?.form : undefined
  const liked = comment.likedByMe
  return (
    <fetcher.Form method="post" action={actionUrl(date)} className="flex flex-wrap items-center gap-2" preventScrollReset>
      <input type="hidden" name="intent" value={liked ? 'unlike' : 'like'} />
      <input type="hidden" name="commentId" value={comment.id} />
      <Button
        variant="secondary"
        className={`px-3 py-1.5 text-xs ${liked ? 'border-brand-300 bg-brand-50 text-brand-800' : ''}`}
        disabled={fetcher.state !== 'idle'}
        aria-label={liked ? m.unlikeLabel(comment.authorName, comment.likeCount) : m.likeLabel(comment.authorName, comment.likeCount)}
        aria-pressed={liked}
      >
        <span aria-hidden="true">{liked ? '♥' : '♡'}</span>
        {liked ? m.unlike : m.like}
      </Button>
      <span className="text-sm text-stone-500">{m.likeCount(comment.likeCount)}</span>
      {error ? (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  )
}

function FeaturedComment({ comment, date, canLike, timeZone }: { comment: FeaturedCommentView; date: string; canLike: boolean; timeZone: string }) {
  return (
    <li id={`comment-${comment.id}`} className="scroll-mt-20 space-y-2 py-4">
      <Meta name={comment.authorName} createdAt={comment.createdAt} timeZone={timeZone}>
        {comment.mine ? <Badge tone="brand">{m.mineBadge}</Badge> : null}
      </Meta>
      <CommentText body={comment.body} />
      {comment.editorReply ? (
        <div className="rounded-lg border-l-4 border-brand-300 bg-brand-50/60 px-3 py-2">
          <p className="text-xs font-semibold text-brand-800">{m.editorReply}</p>
          <p className="whitespace-pre-line break-words text-sm leading-relaxed text-stone-700">{comment.editorReply}</p>
        </div>
      ) : null}
      {canLike ? (
        <LikeButton comment={comment} date={date} />
      ) : (
        <p className="text-sm text-stone-500">{m.likeCount(comment.likeCount)}</p>
      )}
    </li>
  )
}

function GateNote({ gate, date }: { gate: Exclude<CommentGateView, { allowed: true }>; date: string }) {
  const here = `/daily/${date}#comments`
  return (
    <p role="note" className="flex flex-wrap items-center gap-2 rounded-lg border border-stone-200 bg-stone-50 px-3 py-2 text-sm text-stone-700">
      <span>{gate.reason === 'banned' ? m.gate.banned(gate.until) : m.gate[gate.reason]}</span>
      {gate.reason === 'sign_in_required' ? (
        <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="font-medium text-brand-700 underline">
          {m.gate.signIn}
        </Link>
      ) : null}
      {gate.reason === 'tier_required' ? (
        <Link to="/membership" className="font-medium text-brand-700 underline">
          {m.gate.seeMembership}
        </Link>
      ) : null}
    </p>
  )
}

function CommentForm({ date, resetKey }: { date: string; resetKey: number }) {
  const fetcher = useFetcher<ActionErrors>()
  const errors = (fetcher.state === 'idle' ? fetcher.data?.errors : undefined) ?? {}
  const busy = fetcher.state !== 'idle'
  return (
    <fetcher.Form key={resetKey} method="post" action={actionUrl(date)} className="space-y-3" noValidate preventScrollReset>
      <input type="hidden" name="intent" value="post" />
      <FormError error={errors.form} />
      <TextAreaField
        label={m.form.label}
        name="body"
        rows={3}
        maxLength={DAILY_COMMENT_LIMITS.bodyMax}
        required
        hint={m.form.hint}
        error={errors.body}
      />
      <Button disabled={busy}>{busy ? m.form.sending : m.form.submit}</Button>
    </fetcher.Form>
  )
}

export function DailyComments({ comments, id = 'comments' }: { comments: DailyCommentsView; id?: string }) {
  const { date, featured, mine, gate, canLike, manageUrl, timeZone } = comments
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="mt-10 scroll-mt-20 space-y-5 border-t border-stone-200 pt-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-stone-900">
          {m.featuredCount(featured.length)}
        </h2>
        {manageUrl ? (
          <Link to={manageUrl} className={buttonClass('ghost', 'px-3 py-1.5 text-xs')}>
            {m.manage}
          </Link>
        ) : null}
      </div>

      {mine.length > 0 ? (
        <div className="space-y-2">
          <h3 className="text-sm font-semibold text-stone-700">{m.mineTitle}</h3>
          <ul className="space-y-3">
            {mine.map((comment) => (
              <li key={comment.id} id={`comment-${comment.id}`} className="scroll-mt-20 space-y-2 rounded-xl border border-dashed border-stone-300 bg-white p-3">
                <Meta name={m.mineBadge} createdAt={comment.createdAt} timeZone={timeZone}>
                  {comment.hiddenReason !== null ? <Badge tone="red">{m.hiddenMark(comment.hiddenReason)}</Badge> : <Badge tone="amber">{m.privateMark}</Badge>}
                </Meta>
                <CommentText body={comment.body} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {gate.allowed ? <CommentForm date={date} resetKey={mine.length + featured.length} /> : <GateNote gate={gate} date={date} />}

      {featured.length === 0 ? (
        <p className="text-sm text-stone-500">{m.noneFeatured}</p>
      ) : (
        <ol className="divide-y divide-stone-200">
          {featured.map((comment) => (
            <FeaturedComment key={comment.id} comment={comment} date={date} canLike={canLike} timeZone={timeZone} />
          ))}
        </ol>
      )}
    </section>
  )
}
