import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CannotPost, SearchBox, ThreadList } from '~/components/community'
import { EmptyState, PageTitle, buttonClass } from '~/components/ui'
import { canModerate, canReadBoard } from '~/domain/community'
import { communityZhCN } from '~/i18n/community.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { listBoards, listThreads, searchThreads } from '~/models/community.server'
import { getCommunityViewer, postingGate } from '~/utils/community.server'
import { getEnv } from '~/utils/env.server'
import { posterPaths, shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { community: communityZhCN, site: siteZhCN }

export const meta: MetaFunction = ({ matches }) => [
  { title: `${t.community.title} · ${t.site.name}` },
  ...shareMeta({ siteUrl: siteUrlOf(matches), path: '/community', title: `${t.community.title} · ${t.site.name}`, description: t.community.subtitle, image: posterPaths.site }),
]

const LATEST_PER_BOARD = 3

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 50)
  const now = new Date()
  const [{ viewer }, boards] = await Promise.all([getCommunityViewer(request, now), listBoards()])
  const includeHidden = canModerate(viewer)
  const readable = boards.filter((board) => canReadBoard(board, viewer))
  const readableIds = new Set(readable.map((board) => board.id))
  const summaries = await Promise.all(
    boards.map(async (board) => {
      const canRead = readableIds.has(board.id)
      const list = canRead ? await listThreads({ boardId: board.id, now, includeHidden }) : { threads: [], total: 0 }
      return {
        slug: board.slug,
        name: board.name,
        description: board.description,
        canRead,
        total: list.total,
        latest: list.threads.slice(0, LATEST_PER_BOARD),
      }
    }),
  )
  // Who may post, said before anyone tries (decision 040): the 发帖 button when some board takes
  // this viewer's threads, otherwise what the most open board asks for and how to get it.
  const byOpenness = [...boards].sort((a, b) => a.postMinRank - b.postMinRank)
  const gates = await Promise.all(byOpenness.map((board) => postingGate(board, viewer, now)))
  const postGate = gates.find((gate) => gate.allowed) ?? gates[0] ?? null
  // Only the boards this viewer may read are searched, before paging.
  const search = q ? await searchThreads({ q, boardIds: [...readableIds], now, includeHidden }) : null
  return {
    q,
    boards: summaries,
    results: search?.threads ?? null,
    resultTotal: search?.total ?? 0,
    postGate,
    timeZone: getEnv().SITE_TIMEZONE,
  }
}

export default function CommunityIndex() {
  const { q, boards, results, resultTotal, postGate, timeZone } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageTitle subtitle={t.community.subtitle}>{t.community.title}</PageTitle>
      {postGate?.allowed ? (
        <Link to="/community/new" className={buttonClass('primary')}>
          {t.community.newThread}
        </Link>
      ) : postGate ? (
        <CannotPost gate={postGate} loginRedirect="/community" />
      ) : null}
      <SearchBox q={q} action="/community" />

      {results ? (
        <section aria-labelledby="search-results" className="space-y-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="search-results" className="text-lg font-semibold">
              {t.community.searchResults(q, resultTotal)}
            </h2>
            <Link to="/community" className="text-sm text-stone-600 underline">
              {t.community.clearSearch}
            </Link>
          </div>
          {results.length === 0 ? <EmptyState>{t.community.noResults}</EmptyState> : <ThreadList threads={results} timeZone={timeZone} showBoard />}
        </section>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        {boards.map((board) => (
          <section key={board.slug} aria-labelledby={`board-${board.slug}`} className="flex min-w-0 flex-col rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-5">
            <div className="flex items-baseline justify-between gap-3">
              <h2 id={`board-${board.slug}`} className="text-xl font-bold text-stone-900">
                <Link to={`/community/${board.slug}`} className="hover:text-brand-700">
                  {board.name}
                </Link>
              </h2>
              {board.canRead ? <span className="shrink-0 text-sm text-stone-500">{t.community.threadCount(board.total)}</span> : null}
            </div>
            <p className="mt-1 text-sm leading-relaxed text-stone-600">{board.description}</p>
            {board.canRead ? (
              board.latest.length > 0 ? (
                <>
                  <h3 className="sr-only">{t.community.latest}</h3>
                  <ul className="mt-3 divide-y divide-stone-100 text-sm">
                    {board.latest.map((thread) => (
                      <li key={thread.id} className="flex items-baseline justify-between gap-3 py-2">
                        <Link to={`/community/t/${thread.id}`} className="min-w-0 truncate text-stone-800 hover:text-brand-700 hover:underline">
                          {thread.title}
                        </Link>
                        <span className="shrink-0 text-xs text-stone-500">{t.community.replies(thread.replyCount)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <p className="mt-3 text-sm text-stone-500">{t.community.boardEmpty}</p>
              )
            ) : (
              <p className="mt-3 text-sm text-stone-500">{t.community.readRestricted}</p>
            )}
            <Link to={`/community/${board.slug}`} className="mt-auto pt-3 text-sm font-medium text-brand-700 underline">
              {t.community.enterBoard(board.name)} →
            </Link>
          </section>
        ))}
      </div>
    </div>
  )
}
