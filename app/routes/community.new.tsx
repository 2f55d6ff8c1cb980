import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { CannotPost, ThreadFormFields, type ThreadFormValues } from '~/components/community'
import { FormError } from '~/components/field'
import { Button, Card, PageTitle, buttonClass } from '~/components/ui'
import { threadFormFor } from '~/domain/community-forms.server'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { createThread, getBoardBySlug, listBoards } from '~/models/community.server'
import { requireUser } from '~/utils/auth.server'
import { getCommunityViewer, postingGate } from '~/utils/community.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { retryAfterHeaders } from '~/utils/retry-after'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN, pages: pagesZhCN, site: siteZhCN }

export const meta: MetaFunction = () => [{ title: `${t.community.newThread} · ${t.site.name}` }]

// A 429 tells the client when to try again (Retry-After).
export const headers = retryAfterHeaders

/**
 * The signed-in author and the board named by ?board= (null when none is named yet, a thrown 404
 * for an unknown one), with what this author is told about posting there (decision 040).
 */
async function loadBoard(request: Request, now: Date) {
  const user = await requireUser(request)
  const slug = new URL(request.url).searchParams.get('board') ?? ''
  const board = slug ? await getBoardBySlug(slug) : undefined
  if (slug && !board) throw new Response(t.pages.notFound.body, { status: 404 })
  const { viewer } = await getCommunityViewer(request, now)
  return { user, viewer, board: board ?? null, gate: board ? await postingGate(board, viewer, now) : null }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date()
  const { viewer, board, gate } = await loadBoard(request, now)
  if (!board || !gate) {
    // Every board, each saying before it is picked whether this author may post there.
    const boards = await Promise.all(
      (await listBoards()).map(async (b) => ({ slug: b.slug, name: b.name, description: b.description, gate: await postingGate(b, viewer, now) })),
    )
    return { board: null, gate: null, boards }
  }
  const found = { board: { slug: board.slug, name: board.name, kind: board.kind }, gate, boards: [] }
  // A board this author may not post on: the page says who may and how to join, answered 403.
  return gate.allowed ? found : data(found, { status: 403 })
}

type ActionData = { errors: FieldErrors; values: ThreadFormValues }

export async function action({ request }: ActionFunctionArgs) {
  const now = new Date()
  const { board, gate, user } = await loadBoard(request, now)
  if (!board || !gate) throw new Response(t.community.errors.boardRequired, { status: 400 })
  const formData = await request.formData()
  const values = Object.fromEntries([...formData].map(([key, value]) => [key, String(value)])) as Record<string, string>
  const echo: ThreadFormValues = { ...values, remote: values.remote === 'on' }
  // Refused on the form, with what was written kept, rather than on a page of its own.
  if (!gate.allowed) return data<ActionData>({ errors: { form: gate.message }, values: echo }, { status: 403 })
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
  const { board, gate, boards } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  if (!board || !gate) {
    return (
      <div className="mx-auto max-w-2xl">
        <PageTitle>{t.community.chooseBoard}</PageTitle>
        <ul className="space-y-3">
          {boards.map((b) =>
            b.gate.allowed ? (
              <li key={b.slug}>
                <Link to={`/community/new?board=${b.slug}`} className="block rounded-2xl border border-stone-200 bg-white p-4 shadow-sm hover:border-brand-600">
                  <span className="font-semibold">{b.name}</span>
                  <span className="mt-1 block text-sm text-stone-600">{b.description}</span>
                </Link>
              </li>
            ) : (
              // Not a link: picking it would only meet a refusal. Who may post, and how to join.
              <li key={b.slug} className="space-y-3 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
                <div>
                  <span className="font-semibold text-stone-700">{b.name}</span>
                  <span className="mt-1 block text-sm text-stone-600">{b.description}</span>
                </div>
                <CannotPost gate={b.gate} loginRedirect="/community/new" />
              </li>
            ),
          )}
        </ul>
      </div>
    )
  }
  const errors = actionData?.errors ?? {}
  // The form only for an author who may post, or to give back a refused one with its text.
  const showForm = gate.allowed || actionData !== undefined
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <PageTitle>{t.community.newThreadIn(board.name)}</PageTitle>
      {gate.allowed ? null : <CannotPost gate={gate} loginRedirect={`/community/new?board=${board.slug}`} />}
      {showForm ? (
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
      ) : (
        <p>
          <Link to={`/community/${board.slug}`} className="text-sm text-stone-600 underline">
            {t.community.backToBoard(board.name)}
          </Link>
        </p>
      )}
    </div>
  )
}
