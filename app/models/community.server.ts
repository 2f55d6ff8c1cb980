// All SQL of the community boards: threads, replies, listing, search. Moderation (flags, hiding,
// reports, bans) is in moderation.server.ts. Ownership and time windows are checked in the
// queries themselves, so changing an id in a form never reaches someone else's post.
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { boards, replies, threads, users, type Board, type JobKind } from '../../db/schema'
import { COMMUNITY_LIMITS, jobExpiry } from '~/domain/community'
import { db, transaction } from '~/utils/db.server'
import { notify } from '~/utils/notify.server'
import { recordAudit } from './audit.server'
import { notifyMentions } from './mention.server'
import { waitForRecentPosts, type PostTable } from './rate-limit.server'

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS

export function listBoards() {
  return db.query.boards.findMany({ orderBy: [asc(boards.sortOrder), asc(boards.id)] })
}

/** An admin edits a board's name, description and who may read and post, audited together. */
export async function updateBoard({
  boardId,
  name,
  description,
  readMinRank,
  postMinRank,
  actorId,
}: {
  boardId: number
  name: string
  description: string
  readMinRank: number
  postMinRank: number
  actorId: number
}) {
  return transaction(async (tx) => {
    const [board] = await tx
      .update(boards)
      .set({ name, description, readMinRank, postMinRank })
      .where(eq(boards.id, boardId))
      .returning()
    if (board) {
      await recordAudit(
        { actorId, action: 'board.update', targetType: 'board', targetId: boardId, detail: { name, readMinRank, postMinRank } },
        tx,
      )
    }
    return board
  })
}

export function getBoardBySlug(slug: string) {
  return db.query.boards.findFirst({ where: eq(boards.slug, slug) })
}

// ---- listing ---------------------------------------------------------------------------------

const listColumns = {
  id: threads.id,
  boardId: threads.boardId,
  boardSlug: boards.slug,
  boardName: boards.name,
  title: threads.title,
  jobKind: threads.jobKind,
  city: threads.city,
  remote: threads.remote,
  salaryMin: threads.salaryMin,
  salaryMax: threads.salaryMax,
  expiresAt: threads.expiresAt,
  pinned: threads.pinned,
  featured: threads.featured,
  locked: threads.locked,
  hiddenAt: threads.hiddenAt,
  replyCount: threads.replyCount,
  lastActivityAt: threads.lastActivityAt,
  createdAt: threads.createdAt,
  authorId: threads.authorId,
  authorName: users.displayName,
}

export interface ListOptions {
  boardId?: number
  /** Only these boards (the ones the viewer may read), applied before paging. */
  boardIds?: number[]
  featured?: boolean
  page?: number
  now?: Date
  /** Staff see hidden threads in lists (marked); everyone else does not. */
  includeHidden?: boolean
}

function listConditions({ boardId, boardIds, featured, now = new Date(), includeHidden = false }: ListOptions): SQL[] {
  const conditions: SQL[] = [isNull(threads.deletedAt)]
  if (boardId !== undefined) conditions.push(eq(threads.boardId, boardId))
  if (boardIds !== undefined) conditions.push(boardIds.length > 0 ? inArray(threads.boardId, boardIds) : sql`0`)
  if (featured) conditions.push(eq(threads.featured, true))
  if (!includeHidden) conditions.push(isNull(threads.hiddenAt))
  // Expired job threads leave the listing (they stay reachable by link).
  conditions.push(or(isNull(threads.expiresAt), gt(threads.expiresAt, now))!)
  return conditions
}

/** Latest activity first, pinned threads on top, 20 per page. */
export function listThreads(options: ListOptions) {
  return runList(and(...listConditions(options))!, options.page ?? 1)
}

/**
 * Search titles and bodies. Three characters or more use the FTS5 trigram index (any
 * substring, Chinese included); shorter queries — many Chinese words are two characters —
 * fall back to LIKE over the same columns.
 */
export function searchThreads({ q, ...options }: ListOptions & { q: string }) {
  const query = q.trim().slice(0, 50)
  const conditions = listConditions(options)
  if ([...query].length >= 3) {
    const phrase = `"${query.replace(/"/g, '""')}"`
    conditions.push(sql`${threads.id} in (select rowid from thread_search where thread_search match ${phrase})`)
  } else {
    const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    conditions.push(sql`(${threads.title} like ${pattern} escape '\\' or ${threads.body} like ${pattern} escape '\\')`)
  }
  return runList(and(...conditions)!, options.page ?? 1)
}

async function runList(where: SQL, page: number) {
  const [rows, [total]] = await Promise.all([
    db
      .select(listColumns)
      .from(threads)
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .innerJoin(users, eq(users.id, threads.authorId))
      .where(where)
      .orderBy(desc(threads.pinned), desc(threads.lastActivityAt))
      .limit(COMMUNITY_LIMITS.pageSize)
      .offset((page - 1) * COMMUNITY_LIMITS.pageSize),
    db.select({ n: count() }).from(threads).where(where),
  ])
  return { threads: rows, total: total?.n ?? 0 }
}

export type ThreadListItem = Awaited<ReturnType<typeof listThreads>>['threads'][number]

// ---- one thread ----------------------------------------------------------------------------------

/** A thread with its board and author name, whatever its state (the route decides who sees it). */
export async function getThread(id: number) {
  const [row] = await db
    .select({ thread: threads, board: boards, authorName: users.displayName })
    .from(threads)
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .innerJoin(users, eq(users.id, threads.authorId))
    .where(eq(threads.id, id))
    .limit(1)
  return row ? { ...row.thread, board: row.board, authorName: row.authorName } : undefined
}

export type ThreadWithBoard = NonNullable<Awaited<ReturnType<typeof getThread>>>

/** Replies oldest first (flat), with author names and the quoted reply's author and text. */
export async function listReplies(threadId: number) {
  const quoted = alias(replies, 'quoted')
  const quotedAuthor = alias(users, 'quoted_author')
  return db
    .select({
      reply: replies,
      authorName: users.displayName,
      quote: { id: quoted.id, body: quoted.body, hiddenAt: quoted.hiddenAt, deletedAt: quoted.deletedAt, authorName: quotedAuthor.displayName },
    })
    .from(replies)
    .innerJoin(users, eq(users.id, replies.authorId))
    .leftJoin(quoted, eq(quoted.id, replies.quoteReplyId))
    .leftJoin(quotedAuthor, eq(quotedAuthor.id, quoted.authorId))
    .where(eq(replies.threadId, threadId))
    .orderBy(asc(replies.id))
}

// ---- writing -------------------------------------------------------------------------------------

export interface ThreadInput {
  title: string
  body: string
  jobKind?: JobKind | null
  city?: string | null
  remote?: boolean
  salaryMin?: number | null
  salaryMax?: number | null
  contact?: string | null
  expiresInDays?: number | null
}

export type RateLimited = { ok: false; status: 429; waitSeconds: number }

const threadPosts: PostTable = { table: threads, author: threads.authorId, createdAt: threads.createdAt }
const replyPosts: PostTable = { table: replies, author: replies.authorId, createdAt: replies.createdAt }

function jobFields(board: Board, input: ThreadInput, now: Date) {
  if (board.kind !== 'jobs') return { jobKind: null, city: null, remote: false, salaryMin: null, salaryMax: null, contact: null, expiresAt: null }
  return {
    jobKind: input.jobKind ?? null,
    city: input.city ?? null,
    remote: input.remote ?? false,
    salaryMin: input.salaryMin ?? null,
    salaryMax: input.salaryMax ?? null,
    contact: input.contact ?? null,
    expiresAt: jobExpiry(now, input.expiresInDays ?? COMMUNITY_LIMITS.jobDefaultDays),
  }
}

/**
 * Starts a thread. The limits (1 a minute; 3 a day for accounts younger than a day) are
 * checked inside the write transaction that inserts, so parallel requests cannot both slip in.
 */
export async function createThread({
  board,
  authorId,
  accountCreatedAt,
  input,
  now = new Date(),
}: {
  board: Board
  authorId: number
  accountCreatedAt: Date
  input: ThreadInput
  now?: Date
}) {
  return transaction(async (tx) => {
    const perMinute = await waitForRecentPosts(tx, threadPosts, { authorId, windowMs: MINUTE_MS, limit: COMMUNITY_LIMITS.threadsPerMinute, now })
    if (perMinute !== null) return { ok: false, status: 429, waitSeconds: perMinute } satisfies RateLimited
    if (now.getTime() - accountCreatedAt.getTime() < COMMUNITY_LIMITS.newAccountMs) {
      const perDay = await waitForRecentPosts(tx, threadPosts, { authorId, windowMs: DAY_MS, limit: COMMUNITY_LIMITS.newAccountThreadsPerDay, now })
      if (perDay !== null) return { ok: false, status: 429, waitSeconds: perDay } satisfies RateLimited
    }
    const [thread] = await tx
      .insert(threads)
      .values({ boardId: board.id, authorId, title: input.title, body: input.body, ...jobFields(board, input, now), lastActivityAt: now, createdAt: now })
      .returning()
    const [author] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, authorId))
    const post = { text: input.body, authorId, authorName: author?.name ?? '', board, threadTitle: input.title, path: `/community/t/${thread!.id}` }
    await notifyMentions(tx, { ...post, key: `thread:${thread!.id}`, alreadyNotified: [] }, now)
    return { ok: true as const, thread: thread! }
  })
}

/** Replies to a thread that is open (not locked, hidden or deleted); at most 6 a minute. */
export async function createReply({
  threadId,
  authorId,
  body,
  quoteReplyId = null,
  now = new Date(),
}: {
  threadId: number
  authorId: number
  body: string
  quoteReplyId?: number | null
  now?: Date
}) {
  return transaction(async (tx) => {
    const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).limit(1)
    if (!thread || thread.deletedAt) return { ok: false as const, status: 404 as const, reason: 'missing' as const }
    if (thread.hiddenAt) return { ok: false as const, status: 409 as const, reason: 'hidden' as const }
    if (thread.locked) return { ok: false as const, status: 409 as const, reason: 'locked' as const }
    const wait = await waitForRecentPosts(tx, replyPosts, { authorId, windowMs: MINUTE_MS, limit: COMMUNITY_LIMITS.repliesPerMinute, now })
    if (wait !== null) return { ok: false, status: 429, waitSeconds: wait } satisfies RateLimited
    // A quote must be of a visible reply in the same thread.
    let quote: number | null = null
    if (quoteReplyId !== null) {
      const [quoted] = await tx
        .select({ id: replies.id })
        .from(replies)
        .where(and(eq(replies.id, quoteReplyId), eq(replies.threadId, threadId), isNull(replies.hiddenAt), isNull(replies.deletedAt)))
      quote = quoted?.id ?? null
    }
    const [reply] = await tx.insert(replies).values({ threadId, authorId, body, quoteReplyId: quote, createdAt: now }).returning()
    await tx
      .update(threads)
      .set({ replyCount: sql`${threads.replyCount} + 1`, lastActivityAt: now })
      .where(eq(threads.id, threadId))
    const [replier] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, authorId))
    if (thread.authorId !== authorId) {
      const data = { path: `/community/t/${threadId}`, replier: replier?.name ?? '', threadTitle: thread.title }
      await notify(tx, { userId: thread.authorId, kind: 'thread_reply', key: `reply:${reply!.id}`, data }, now)
    }
    // The thread's author mentioned in a reply already hears of it as thread_reply: one notification.
    const [board] = await tx.select().from(boards).where(eq(boards.id, thread.boardId))
    const post = { text: body, authorId, authorName: replier?.name ?? '', board: board!, threadTitle: thread.title, path: `/community/t/${threadId}` }
    await notifyMentions(tx, { ...post, key: `reply:${reply!.id}`, alreadyNotified: [thread.authorId] }, now)
    return { ok: true as const, reply: reply! }
  })
}

const editableSince = (now: Date) => new Date(now.getTime() - COMMUNITY_LIMITS.editWindowMs)

/** The author's edit within 15 minutes; undefined when it is not theirs or the window passed. */
export async function updateThread({ id, authorId, input, now = new Date() }: { id: number; authorId: number; input: ThreadInput; now?: Date }) {
  const thread = await getThread(id)
  if (!thread) return undefined
  const { expiresAt: _keep, ...fields } = jobFields(thread.board, input, now)
  const [row] = await db
    .update(threads)
    .set({ title: input.title, body: input.body, ...fields, editedAt: now })
    .where(and(eq(threads.id, id), eq(threads.authorId, authorId), isNull(threads.deletedAt), gte(threads.createdAt, editableSince(now))))
    .returning()
  return row
}

/** The author deletes their own thread (kept for moderation, gone for readers). */
export async function deleteThread({ id, authorId, now = new Date() }: { id: number; authorId: number; now?: Date }) {
  const rows = await db
    .update(threads)
    .set({ deletedAt: now })
    .where(and(eq(threads.id, id), eq(threads.authorId, authorId), isNull(threads.deletedAt)))
    .returning({ id: threads.id })
  return rows.length > 0
}

export async function updateReply({ id, authorId, body, now = new Date() }: { id: number; authorId: number; body: string; now?: Date }) {
  const [row] = await db
    .update(replies)
    .set({ body, editedAt: now })
    .where(and(eq(replies.id, id), eq(replies.authorId, authorId), isNull(replies.deletedAt), gte(replies.createdAt, editableSince(now))))
    .returning()
  return row
}

export async function deleteReply({ id, authorId, now = new Date() }: { id: number; authorId: number; now?: Date }) {
  return transaction(async (tx) => {
    const [row] = await tx
      .update(replies)
      .set({ deletedAt: now })
      .where(and(eq(replies.id, id), eq(replies.authorId, authorId), isNull(replies.deletedAt)))
      .returning({ threadId: replies.threadId })
    if (!row) return false
    await tx.update(threads).set({ replyCount: sql`max(${threads.replyCount} - 1, 0)` }).where(eq(threads.id, row.threadId))
    return true
  })
}

/**
 * The author renews a job post once: it runs the default period more, from its current expiry
 * (a 90-day post renewed on day 10 runs 120 days), or from now if it has lapsed.
 */
export async function renewJob({ id, authorId, now = new Date() }: { id: number; authorId: number; now?: Date }) {
  const [row] = await db
    .update(threads)
    .set({ expiresAt: sql`max(${threads.expiresAt}, ${now.getTime()}) + ${COMMUNITY_LIMITS.jobDefaultDays * DAY_MS}`, renewedAt: now, lastActivityAt: now })
    .where(and(eq(threads.id, id), eq(threads.authorId, authorId), isNull(threads.renewedAt), isNull(threads.deletedAt), sql`${threads.expiresAt} is not null`))
    .returning()
  return row
}
