// All SQL of 留言 under dailies (docs/decisions/019-daily-comments.md): posting, reading, likes
// and the editor's moderation. Who may post is decided before (utils/daily-comments.server);
// the daily and the 留言 are named together in every query, so an id changed in a form never
// reaches another daily's 留言. Staff actions write their audit entry in the same transaction.
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core'
import { dailies, dailyCommentLikes, dailyComments, postingBans, users } from '../../db/schema'
import { DAILY_COMMENT_LIMITS, type CommentModerationIntent } from '~/domain/daily-comments'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'
import { notify } from '~/utils/notify.server'
import { recordAudit } from './audit.server'
import { waitForRecentPosts, type PostTable } from './rate-limit.server'

const MINUTE_MS = 60_000

const commentPosts: PostTable = { table: dailyComments, author: dailyComments.authorId, createdAt: dailyComments.createdAt }

// ---- posting ---------------------------------------------------------------------------------

export type PostCommentResult =
  | { ok: true; comment: typeof dailyComments.$inferSelect }
  | { ok: false; reason: 'rate_limited'; waitSeconds: number }

/**
 * Leaves a 留言 (already trimmed and checked). At most 6 a minute, counted inside the write
 * transaction that inserts, so parallel requests cannot all slip in.
 */
export async function postComment({ dailyId, authorId, body, now = new Date() }: { dailyId: number; authorId: number; body: string; now?: Date }): Promise<PostCommentResult> {
  return transaction(async (tx) => {
    const wait = await waitForRecentPosts(tx, commentPosts, { authorId, windowMs: MINUTE_MS, limit: DAILY_COMMENT_LIMITS.perMinute, now })
    if (wait !== null) return { ok: false, reason: 'rate_limited', waitSeconds: wait }
    const [comment] = await tx.insert(dailyComments).values({ dailyId, authorId, body, createdAt: now, updatedAt: now }).returning()
    return { ok: true, comment: comment! }
  })
}

// ---- reading ---------------------------------------------------------------------------------

/** A daily's featured 留言 in the editor's order, with whether `viewerId` liked each. */
export function listFeaturedComments(dailyId: number, viewerId: number | null) {
  const likedByMe =
    viewerId === null
      ? sql<number>`0`
      : sql<number>`exists (select 1 from ${dailyCommentLikes} where ${dailyCommentLikes.commentId} = ${dailyComments.id} and ${dailyCommentLikes.userId} = ${viewerId})`
  return db
    .select({
      id: dailyComments.id,
      authorId: dailyComments.authorId,
      authorName: users.displayName,
      body: dailyComments.body,
      createdAt: dailyComments.createdAt,
      likeCount: dailyComments.likeCount,
      editorReply: dailyComments.editorReply,
      likedByMe: likedByMe.mapWith(Boolean),
    })
    .from(dailyComments)
    .innerJoin(users, eq(users.id, dailyComments.authorId))
    .where(and(eq(dailyComments.dailyId, dailyId), isNotNull(dailyComments.featuredAt), isNull(dailyComments.hiddenAt)))
    .orderBy(asc(dailyComments.featuredOrder), asc(dailyComments.id))
}

/** An author's own 留言 under a daily that are not featured (hidden ones included), oldest first. */
export function listOwnUnfeaturedComments(dailyId: number, authorId: number) {
  return db
    .select({ id: dailyComments.id, body: dailyComments.body, createdAt: dailyComments.createdAt, hiddenAt: dailyComments.hiddenAt, hiddenReason: dailyComments.hiddenReason })
    .from(dailyComments)
    .where(and(eq(dailyComments.dailyId, dailyId), eq(dailyComments.authorId, authorId), isNull(dailyComments.featuredAt)))
    .orderBy(asc(dailyComments.id))
}

// ---- likes -----------------------------------------------------------------------------------

export type LikeResult = { ok: true; likeCount: number } | { ok: false; reason: 'already' | 'not_liked' | 'missing' }

/** The like count, recounted in the statement batch that changed the likes. */
const recountLikes = (commentId: number) =>
  db
    .update(dailyComments)
    .set({ likeCount: sql`(select count(*) from ${dailyCommentLikes} where ${dailyCommentLikes.commentId} = ${commentId})` })
    .where(eq(dailyComments.id, commentId))
    .returning({ likeCount: dailyComments.likeCount })

/** Only a visible featured 留言 of this daily can be liked. */
const likeable = (commentId: number, dailyId: number) =>
  and(eq(dailyComments.id, commentId), eq(dailyComments.dailyId, dailyId), isNotNull(dailyComments.featuredAt), isNull(dailyComments.hiddenAt))

/**
 * A reader likes a featured 留言, once: the like and the recount are one batch, and the primary
 * key refuses a second like (two at once included), which then changes nothing.
 */
export async function likeComment({ commentId, dailyId, userId, now = new Date() }: { commentId: number; dailyId: number; userId: number; now?: Date }): Promise<LikeResult> {
  try {
    const [inserted, recounted] = await db.batch([
      db
        .insert(dailyCommentLikes)
        .select(
          db
            .select({ commentId: dailyComments.id, userId: sql<number>`${userId}`.as('user_id'), createdAt: sql<number>`${now.getTime()}`.as('created_at') })
            .from(dailyComments)
            .where(likeable(commentId, dailyId)),
        )
        .returning({ commentId: dailyCommentLikes.commentId }),
      recountLikes(commentId),
    ])
    if (inserted.length === 0) return { ok: false, reason: 'missing' }
    return { ok: true, likeCount: recounted[0]?.likeCount ?? 0 }
  } catch (error) {
    if (uniqueViolation(error) !== null) return { ok: false, reason: 'already' }
    throw error
  }
}

/** Takes a like back (any 留言 of this daily the reader liked). */
export async function unlikeComment({ commentId, dailyId, userId }: { commentId: number; dailyId: number; userId: number }): Promise<LikeResult> {
  const [deleted, recounted] = await db.batch([
    db
      .delete(dailyCommentLikes)
      .where(
        and(
          eq(dailyCommentLikes.commentId, commentId),
          eq(dailyCommentLikes.userId, userId),
          sql`exists (select 1 from ${dailyComments} where ${dailyComments.id} = ${commentId} and ${dailyComments.dailyId} = ${dailyId})`,
        ),
      )
      .returning({ commentId: dailyCommentLikes.commentId }),
    recountLikes(commentId),
  ])
  if (deleted.length === 0) return { ok: false, reason: 'not_liked' }
  return { ok: true, likeCount: recounted[0]?.likeCount ?? 0 }
}

// ---- the editor's side -----------------------------------------------------------------------

/** New (not yet reviewed) 留言 per daily, for the dailies listed. */
export async function countNewComments(dailyIds: number[]) {
  if (dailyIds.length === 0) return new Map<number, number>()
  const rows = await db
    .select({ dailyId: dailyComments.dailyId, n: count() })
    .from(dailyComments)
    .where(and(inArray(dailyComments.dailyId, dailyIds), isNull(dailyComments.reviewedAt)))
    .groupBy(dailyComments.dailyId)
  return new Map(rows.map((r) => [r.dailyId, r.n]))
}

/** Every 留言 of a daily with its author and their ban in force, for the moderation page. */
export function listCommentsForModeration(dailyId: number, now: Date) {
  return db
    .select({
      id: dailyComments.id,
      authorId: dailyComments.authorId,
      authorName: users.displayName,
      authorEmail: users.email,
      bannedUntil: postingBans.until,
      body: dailyComments.body,
      createdAt: dailyComments.createdAt,
      featuredOrder: dailyComments.featuredOrder,
      likeCount: dailyComments.likeCount,
      editorReply: dailyComments.editorReply,
      reviewedAt: dailyComments.reviewedAt,
      hiddenAt: dailyComments.hiddenAt,
      hiddenReason: dailyComments.hiddenReason,
    })
    .from(dailyComments)
    .innerJoin(users, eq(users.id, dailyComments.authorId))
    .leftJoin(postingBans, and(eq(postingBans.userId, dailyComments.authorId), gt(postingBans.until, now)))
    .where(eq(dailyComments.dailyId, dailyId))
    .orderBy(asc(dailyComments.featuredOrder), desc(dailyComments.id))
}

export type ModeratedComment = Awaited<ReturnType<typeof listCommentsForModeration>>[number]

/** The author of one 留言 of this daily, if it exists. */
export async function getCommentAuthor({ commentId, dailyId }: { commentId: number; dailyId: number }) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(dailyComments)
    .innerJoin(users, eq(users.id, dailyComments.authorId))
    .where(and(eq(dailyComments.id, commentId), eq(dailyComments.dailyId, dailyId)))
  return row
}

export type CommentModerationResult = { ok: true } | { ok: false; reason: 'missing' }

const thisComment = (commentId: number, dailyId: number) => and(eq(dailyComments.id, commentId), eq(dailyComments.dailyId, dailyId))
// Any decision by an editor counts as reviewing the 留言 (it leaves the "new" count).
const reviewed = (now: Date) => sql`coalesce(${dailyComments.reviewedAt}, ${now.getTime()})`

/** Swaps a featured 留言 with its neighbour above or below; false at either end. */
async function moveFeatured(tx: Executor, { commentId, dailyId, direction }: { commentId: number; dailyId: number; direction: 'up' | 'down' }) {
  const [current] = await tx
    .select({ order: dailyComments.featuredOrder })
    .from(dailyComments)
    .where(and(thisComment(commentId, dailyId), isNotNull(dailyComments.featuredAt)))
  if (current?.order == null) return false
  const [neighbour] = await tx
    .select({ id: dailyComments.id, order: dailyComments.featuredOrder })
    .from(dailyComments)
    .where(
      and(
        eq(dailyComments.dailyId, dailyId),
        isNotNull(dailyComments.featuredAt),
        direction === 'up' ? lt(dailyComments.featuredOrder, current.order) : gt(dailyComments.featuredOrder, current.order),
      ),
    )
    .orderBy(direction === 'up' ? desc(dailyComments.featuredOrder) : asc(dailyComments.featuredOrder))
    .limit(1)
  if (!neighbour) return false
  await tx.update(dailyComments).set({ featuredOrder: neighbour.order }).where(eq(dailyComments.id, commentId))
  await tx.update(dailyComments).set({ featuredOrder: current.order }).where(eq(dailyComments.id, neighbour.id))
  return true
}

/** The one change each intent makes: the row it updated (or whether a move happened). */
async function applyIntent(
  tx: Executor,
  { intent, commentId, dailyId, reply, reason, actorId, now }: { intent: CommentModerationIntent; commentId: number; dailyId: number; reply: string; reason: string; actorId: number; now: Date },
) {
  const update = async (set: SQLiteUpdateSetSource<typeof dailyComments>, extra = sql`1`) => {
    const rows = await tx
      .update(dailyComments)
      .set({ ...set, updatedAt: now })
      .where(and(thisComment(commentId, dailyId), extra))
      .returning({ id: dailyComments.id })
    return rows.length > 0
  }
  switch (intent) {
    case 'feature':
      // Last in the editor's order; a hidden 留言 must be restored first.
      return update(
        {
          featuredAt: now,
          featuredOrder: sql`(select coalesce(max(${dailyComments.featuredOrder}), 0) + 1 from ${dailyComments} where ${dailyComments.dailyId} = ${dailyId})`,
          reviewedAt: reviewed(now),
        },
        sql`${dailyComments.featuredAt} is null and ${dailyComments.hiddenAt} is null`,
      )
    case 'unfeature':
      return update({ featuredAt: null, featuredOrder: null }, sql`${dailyComments.featuredAt} is not null`)
    case 'up':
    case 'down':
      return moveFeatured(tx, { commentId, dailyId, direction: intent })
    case 'read':
      return update({ reviewedAt: reviewed(now) })
    case 'reply':
      return update({ editorReply: reply, editorReplyBy: actorId, editorReplyAt: now, reviewedAt: reviewed(now) })
    case 'delete-reply':
      return update({ editorReply: null, editorReplyBy: null, editorReplyAt: null }, sql`${dailyComments.editorReply} is not null`)
    case 'hide':
      return update(
        { hiddenAt: now, hiddenReason: reason, featuredAt: null, featuredOrder: null, reviewedAt: reviewed(now) },
        sql`${dailyComments.hiddenAt} is null`,
      )
    case 'restore':
      return update({ hiddenAt: null, hiddenReason: null }, sql`${dailyComments.hiddenAt} is not null`)
  }
}

/** Tells the 留言's author the editor replied: once per 留言, however often the reply is edited. */
async function notifyEditorReply(tx: Executor, { commentId, now }: { commentId: number; now: Date }) {
  const [row] = await tx
    .select({ authorId: dailyComments.authorId, date: dailies.date, title: dailies.title })
    .from(dailyComments)
    .innerJoin(dailies, eq(dailies.id, dailyComments.dailyId))
    .where(eq(dailyComments.id, commentId))
  if (!row) return
  const data = { path: `/daily/${row.date}/comments`, dailyTitle: row.title }
  await notify(tx, { userId: row.authorId, kind: 'comment_reply', key: `comment:${commentId}`, data }, now)
}

/** The one entry point for the moderation page's buttons (validated by commentModerationForm). */
export async function moderateComment(input: {
  intent: CommentModerationIntent
  commentId: number
  dailyId: number
  reply: string
  reason: string
  actorId: number
  now: Date
}): Promise<CommentModerationResult> {
  return transaction(async (tx) => {
    const done = await applyIntent(tx, input)
    if (!done) return { ok: false, reason: 'missing' }
    if (input.intent === 'reply') await notifyEditorReply(tx, input)
    const detail = input.intent === 'hide' ? { dailyId: input.dailyId, reason: input.reason } : input.intent === 'reply' ? { dailyId: input.dailyId, reply: input.reply } : { dailyId: input.dailyId }
    await recordAudit({ actorId: input.actorId, action: `daily_comment.${input.intent}`, targetType: 'daily_comment', targetId: input.commentId, detail }, tx)
    return { ok: true }
  })
}
