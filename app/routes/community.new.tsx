import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ThreadFormFields, type ThreadFormValues } from '~/components/community'
import { FormError } from '~/components/field'
import { Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { decidePost } from '~/domain/community'
import { threadFormFor } from '~/domain/community-forms.server'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { createThread, getBoardBySlug, listBoards } from '~/models/community.server'
import { requireUser } from '~/utils/auth.server'
import { getCommunityViewer } from '~/utils/community.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { formatDateTime } from '~/utils/format'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { retryAfterHeaders } from '~/utils/retry-after'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN, pages: pagesZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.community.newThread} · ${t.site.name}` }]

// A 429 tells the client when to try again (Retry-After).
export const headers = retryAfterHeaders

/** The board named by ?board=, with the signed-in user allowed to post there (else a thrown 403/404). */
async function requirePostableBoard(request: Request, now: Date) {
  await requireUser(request)
  const slug = new URL(request.url).searchParams.get('board') ?? ''
  const board = slug ? await getBoardBySlug(slug) : undefined
  if (slug && !board) throw new Response(t.pages.notFound.body, { status: 404 })
  const { viewer, user } = await getCommunityViewer(request, now)
  if (!board) return { board: null, user: user! }
  const decision = decidePost(board, viewer, now)
  if (!decision.allowed) {
    const message =
      decision.reason === 'banned'
        ? t.community.cannotPost.banned(formatDateTime(decision.until!, getEnv().SITE_TIMEZONE))
        : t.community.cannotPost[decision.reason]
    throw new Response(message, { status: 403 })
  }
  return { board, user: user! }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { board } = await requirePostableBoard(request, new Date())
  if (!board) {
    const boards = await listBoards()
    return { board: null, boards: boards.map((b) => ({ slug: b.slug, name: b.name, description: b.description })) }
  }
  return { board: { slug: board.slug, name: board.name, kind: board.kind }, boards: [] }
}

type ActionData = { errors: FieldErrors; values: ThreadFormValues }

export async function action({ request }: ActionFunctionArgs) {
  const now = new Date()
  const { board, user } = await requirePostableBoard(request, now)
  if (!board) throw new Response(t.community.errors.boardRequired, { status: 400 })
  const formData = await request.formData()
  const values = Object.fromEntries([...formData].map(([key, value]) => [key, String(value)])) as Record<string, string>
  const echo: ThreadFormValues = { ...values, remote: values.remote === 'on' }
  const form = parseForm(threadFormFor(board.kind), formData)
  if (!form.ok) return data<ActionData>({ errors: form.errors, values: echo }, { status: 400 })
  const result = await createThread({ board, authorId: user.id, accountCreatedAt: user.createdAt, input: form.data, now })
  if (!result.ok) {
    return data<ActionData>(
      { errors: { form: t.community.errors.rateLimited(result.waitSeconds) }, values: echo },
      { status: 429, headers: { 'Retry-After': String(result.waitSeconds) } },
    )
  }
  return redirectWithFlash(`/community/t/${result.thread.id}`, { kind: 'success', message: t.community.flash.created })
}

export default function NewThread() {
  const { board, boards } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  if (!board) {
    return (
      <div className="mx-auto max-w-2xl">
        <PageTitle>{t.community.chooseBoard}</PageTitle>
        <ul className="space-y-3">
          {boards.map((b) => (
            <li key={b.slug}>
              <Link to={`/community/new?board=${b.slug}`} className="block rounded-2xl border border-stone-200 bg-white p-4 shadow-sm hover:border-brand-600">
                <span className="font-semibold">{b.name}</span>
                <span className="mt-1 block text-sm text-stone-600">{b.description}</span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    )
  }
  const errors = actionData?.errors ?? {}
  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>{t.community.newThreadIn(board.name)}</PageTitle>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <FormError error={errors.form} />
          <ThreadFormFields boardKind={board.kind} values={actionData?.values} errors={errors} />
          <div className="flex flex-wrap gap-3">
            <Button disabled={busy}>{t.community.form.submitNew}</Button>
            <Link to={`/community/${board.slug}`} className={buttonClass('ghost')}>
              {t.community.form.cancel}
            </Link>
          </div>
        </Form>
      </Card>
    </div>
  )
}
