// The author's edit of a thread (or, with ?reply=, of one of their replies) within 15 minutes.
// Nested under community.t.$id, whose page renders this in its place.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ThreadFormFields, type ThreadFormValues } from '~/components/community'
import { FormError, TextAreaField } from '~/components/field'
import { Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { COMMUNITY_LIMITS, canEdit } from '~/domain/community'
import { replyEditForm, threadFormFor } from '~/domain/community-forms.server'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { listReplies, updateReply, updateThread } from '~/models/community.server'
import { requireUser } from '~/utils/auth.server'
import { requireVisibleThread } from '~/utils/community.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseForm, type FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN, pages: pagesZhCN, site: siteZhCN }

const c = t.community

export const meta: MetaFunction = () => [{ title: `${c.form.editTitle} · ${t.site.name}` }]

const notFound = () => new Response(t.pages.notFound.body, { status: 404 })

/** The thread (and reply, for ?reply=) this signed-in author may still edit; else 404/403. */
async function requireEditable(request: Request, idParam: string | undefined, now: Date) {
  await requireUser(request)
  const { thread, viewer, user } = await requireVisibleThread(request, idParam, now)
  const replyParam = new URL(request.url).searchParams.get('reply')
  if (replyParam === null) {
    if (thread.authorId !== user!.id) throw new Response(c.errors.notYours, { status: 403 })
    if (!canEdit(thread, viewer, now)) throw new Response(c.errors.editWindowPassed, { status: 403 })
    return { thread, reply: null, user: user! }
  }
  const row = (await listReplies(thread.id)).find(({ reply }) => String(reply.id) === replyParam && !reply.deletedAt)
  if (!row) throw notFound()
  if (row.reply.authorId !== user!.id) throw new Response(c.errors.notYours, { status: 403 })
  if (!canEdit(row.reply, viewer, now)) throw new Response(c.errors.editWindowPassed, { status: 403 })
  return { thread, reply: row.reply, user: user! }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { thread, reply } = await requireEditable(request, params.id, new Date())
  return {
    threadId: thread.id,
    boardKind: thread.board.kind,
    reply: reply ? { id: reply.id, body: reply.body } : null,
    // Editing a reply needs none of the thread's fields (its contact least of all).
    values: reply ? null : ({
      title: thread.title,
      body: thread.body,
      jobKind: thread.jobKind,
      city: thread.city,
      remote: thread.remote,
      salaryMin: thread.salaryMin,
      salaryMax: thread.salaryMax,
      contact: thread.contact,
    } satisfies ThreadFormValues),
  }
}

type ActionData = { errors: FieldErrors; values: ThreadFormValues }

export async function action({ request, params }: ActionFunctionArgs) {
  const now = new Date()
  const { thread, reply, user } = await requireEditable(request, params.id, now)
  const formData = await request.formData()
  const here = `/community/t/${thread.id}`
  if (reply) {
    const form = parseForm(replyEditForm, formData)
    if (!form.ok) return data<ActionData>({ errors: form.errors, values: { body: String(formData.get('body') ?? '') } }, { status: 400 })
    // The query checks the author and the 15-minute window again.
    const updated = await updateReply({ id: reply.id, authorId: user.id, body: form.data.body, now })
    if (!updated) throw new Response(c.errors.editWindowPassed, { status: 403 })
    return redirectWithFlash(`${here}#reply-${reply.id}`, { kind: 'success', message: c.flash.replyUpdated })
  }
  const form = parseForm(threadFormFor(thread.board.kind, { editing: true }), formData)
  if (!form.ok) {
    const values = Object.fromEntries([...formData].map(([key, value]) => [key, String(value)]))
    return data<ActionData>({ errors: form.errors, values: { ...values, remote: values.remote === 'on' } }, { status: 400 })
  }
  const updated = await updateThread({ id: thread.id, authorId: user.id, input: form.data, now })
  if (!updated) throw new Response(c.errors.editWindowPassed, { status: 403 })
  return redirectWithFlash(here, { kind: 'success', message: c.flash.updated })
}

export default function EditThread() {
  const { threadId, boardKind, reply, values } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors = actionData?.errors ?? {}
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle subtitle={c.form.editWindow}>{reply ? c.form.editReplyTitle : c.form.editTitle}</PageTitle>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormError error={errors.form} />
          {reply ? (
            <>
              <input type="hidden" name="replyId" value={reply.id} />
              <TextAreaField
                label={c.reply.label}
                name="body"
                rows={6}
                maxLength={COMMUNITY_LIMITS.replyMax}
                required
                defaultValue={actionData?.values.body ?? reply.body}
                error={errors.body}
              />
            </>
          ) : (
            <ThreadFormFields boardKind={boardKind} values={actionData?.values ?? values ?? undefined} errors={errors} editing />
          )}
          <div className="flex flex-wrap gap-3">
            <Button disabled={busy}>{c.form.submitEdit}</Button>
            <Link to={`/community/t/${threadId}`} className={buttonClass('ghost')}>
              {c.form.cancel}
            </Link>
          </div>
        </Form>
      </Card>
    </div>
  )
}
