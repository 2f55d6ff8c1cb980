import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Pagination, PostGate, SearchBox, ThreadList } from '~/components/community'
import { EmptyState, PageTitle } from '~/components/ui'
import { COMMUNITY_LIMITS, canModerate, canReadBoard } from '~/domain/community'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { pagesZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { getBoardBySlug, listThreads, searchThreads } from '~/models/community.server'
import { getCommunityViewer, postingGate } from '~/utils/community.server'
import { getEnv } from '~/utils/env.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN, pages: pagesZhCN, site: siteZhCN }

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.board.name} · ${t.community.title} · ${t.site.name}` }, { name: 'description', content: data.board.description }] : []

export async function loader({ request, params }: LoaderFunctionArgs) {
  const board = await getBoardBySlug(params.board ?? '')
  if (!board) throw new Response(t.pages.notFound.body, { status: 404 })
  const now = new Date()
  const { viewer } = await getCommunityViewer(request, now)
  if (!canReadBoard(board, viewer)) throw new Response(t.community.readRestricted, { status: 403 })

  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 50)
  const tab = url.searchParams.get('tab') === 'featured' ? 'featured' : 'all'
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1)
  const options = { boardId: board.id, featured: tab === 'featured', page, now, includeHidden: canModerate(viewer) }
  const { threads, total } = q ? await searchThreads({ ...options, q }) : await listThreads(options)
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    board: { slug: board.slug, name: board.name, description: board.description },
    q,
    tab,
    page,
    pages: Math.max(1, Math.ceil(total / COMMUNITY_LIMITS.pageSize)),
    total,
    threads,
    gate: await postingGate(board, viewer, now),
    timeZone,
  }
}

export default function BoardPage() {
  const { board, q, tab, page, pages, total, threads, gate, timeZone } = useLoaderData<typeof loader>()
  const base = `/community/${board.slug}`
  const tabClass = (active: boolean) =>
    `rounded-full px-4 py-1.5 text-sm font-medium ${active ? 'bg-brand-700 text-white' : 'text-stone-700 hover:bg-stone-100'}`
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <nav aria-label={t.community.title} className="text-sm text-stone-500">
        <Link to="/community" className="underline">
          {t.community.title}
        </Link>{' '}
        / {board.name}
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <PageTitle subtitle={board.description}>{board.name}</PageTitle>
      </div>
      <PostGate gate={gate} boardSlug={board.slug} loginRedirect={base} />
      <SearchBox q={q} action={base} label={`${t.community.searchLabel}（${board.name}）`} />

      <nav aria-label={t.community.tabs.label} className="flex gap-2">
        <Link to={base} className={tabClass(tab === 'all')} aria-current={tab === 'all' ? 'page' : undefined}>
          {t.community.tabs.all}
        </Link>
        <Link to={`${base}?tab=featured`} className={tabClass(tab === 'featured')} aria-current={tab === 'featured' ? 'page' : undefined}>
          {t.community.tabs.featured}
        </Link>
      </nav>

      {q ? (
        <p className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-stone-600">
          <span>{t.community.searchResults(q, total)}</span>
          <Link to={tab === 'featured' ? `${base}?tab=featured` : base} className="underline">
            {t.community.clearSearch}
          </Link>
        </p>
      ) : null}

      {threads.length === 0 ? (
        <EmptyState>{q ? t.community.noResults : tab === 'featured' ? t.community.featuredEmpty : t.community.boardEmpty}</EmptyState>
      ) : (
        <ThreadList threads={threads} timeZone={timeZone} />
      )}
      <Pagination page={page} pages={pages} params={{ q: q || undefined, tab: tab === 'featured' ? 'featured' : undefined }} />
    </div>
  )
}
