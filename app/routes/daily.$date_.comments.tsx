// Where 留言 and likes under a daily are POSTed (intent=post|like|unlike). The daily page's forms
// are fetcher forms: with script, a refusal comes back to the form in place. Without script the
// browser lands here on a refusal, and this route's small page says why (same 4xx status) with
// a link back to the daily. Success always redirects to the daily's 留言 with a flash.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError } from '~/components/field'
import { Card, PageTitle } from '~/components/ui'
import { isCalendarDate, isDailyLive } from '~/domain/daily'
import { commentForm, likeForm } from '~/domain/daily-comment-forms.server'
import { commentsZhCN } from '~/i18n/comments.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { getDailyByDate } from '~/models/daily.server'
import { likeComment, postComment, unlikeComment } from '~/models/daily-comment.server'
import { decideComment } from '~/utils/daily-comments.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { getKeywordReader } from '~/utils/keyword-reply.server'
import { retryAfterHeaders } from '~/utils/retry-after'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { comments: commentsZhCN, errors: errorsZhCN, site: siteZhCN }

const m = t.comments

export const meta: MetaFunction = () => [{ title: `${m.failed.title} · ${t.site.name}` }]

// A 429 tells the client when to try again (Retry-After).
export const headers = retryAfterHeaders

export function loader({ params }: LoaderFunctionArgs) {
  return { date: isCalendarDate(params.date ?? '') ? params.date! : null }
}

export type CommentActionData = { intent: string; errors: FieldErrors }
const fail = (intent: string, errors: FieldErrors, status: number, headers?: HeadersInit) => data<CommentActionData>({ intent, errors }, { status, headers })

export async function action({ request, params }: ActionFunctionArgs) {
  const now = new Date()
  const date = params.date ?? ''
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const daily = isCalendarDate(date) ? await getDailyByDate(date) : undefined
  // Drafts and future dailies take no 留言, not even from staff.
  if (!daily || !isDailyLive(daily, now)) return fail(intent, { form: m.errors.dailyMissing }, 404)
  const reader = await getKeywordReader(request)
  if (reader.userId === null) return fail(intent, { form: intent === 'post' ? m.errors.signInRequired : m.errors.signInToLike }, 401)
  const back = `/daily/${daily.date}`

  switch (intent) {
    case 'post': {
      const gate = await decideComment(reader, daily, now)
      if (!gate.allowed) {
        const message =
          gate.reason === 'banned'
            ? m.errors.banned(formatDateTime(gate.until, getEnv().SITE_TIMEZONE))
            : gate.reason === 'tier_required'
              ? m.errors.tierRequired
              : gate.reason === 'keyword_required'
                ? m.errors.keywordRequired
                : gate.reason === 'not_live'
                  ? m.errors.dailyMissing
                  : m.errors.signInRequired
        return fail(intent, { form: message }, 403)
      }
      const form = parseForm(commentForm, formData)
      if (!form.ok) return fail(intent, form.errors, 400)
      const result = await postComment({ dailyId: daily.id, authorId: reader.userId, body: form.data.body, now })
      if (!result.ok) {
        return fail(intent, { form: m.errors.rateLimited(result.waitSeconds) }, 429, { 'Retry-After': String(result.waitSeconds) })
      }
      return redirectWithFlash(`${back}#comment-${result.comment.id}`, { kind: 'success', message: m.flash.posted })
    }
    case 'like':
    case 'unlike': {
      const form = parseForm(likeForm, formData)
      if (!form.ok) return fail(intent, form.errors, 400)
      const input = { commentId: form.data.commentId, dailyId: daily.id, userId: reader.userId }
      const result = intent === 'like' ? await likeComment({ ...input, now }) : await unlikeComment(input)
      if (!result.ok) {
        if (result.reason === 'already') return fail(intent, { form: m.errors.alreadyLiked }, 409)
        if (result.reason === 'not_liked') return fail(intent, { form: m.errors.notLiked }, 409)
        return fail(intent, { form: m.errors.notFeatured }, 404)
      }
      return redirectWithFlash(`${back}#comment-${form.data.commentId}`, { kind: 'success', message: intent === 'like' ? m.flash.liked : m.flash.unliked })
    }
    default:
      return fail(intent, { form: t.errors.invalidChoice }, 400)
  }
}

/** Seen only without script, after a refused POST (or when this address is opened directly). */
export default function CommentRefused() {
  const { date } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>()
  const back = date ? `/daily/${date}#comments` : '/daily'
  const message = failed ? (failed.errors.form ?? failed.errors.body ?? failed.errors.commentId) : undefined
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>{failed ? m.failed.title : m.title}</PageTitle>
      <Card className="space-y-4">
        {message ? <FormError error={message} /> : <p className="text-stone-700">{m.failed.empty}</p>}
        <Link to={back} className="inline-block font-medium text-brand-700 underline">
          {m.failed.back}
        </Link>
      </Card>
    </div>
  )
}
