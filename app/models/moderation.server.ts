// Community moderation: thread flags, hiding, reports and posting bans. Every staff action
// writes its audit entry in the transaction that makes the change.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { postingBans, replies, reports, threads, users, type ReportTarget } from '../../db/schema'
import type { ModerationIntent } from '~/domain/moderation-forms'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'
import { recordAudit } from './audit.server'

export type ThreadFlag = 'pinned' | 'featured' | 'locked'

const FLAG_ACTIONS: Record<ThreadFlag, [on: string, off: string]> = {
  pinned: ['thread.pin', 'thread.unpin'],
  featured: ['thread.feature', 'thread.unfeature'],
  locked: ['thread.lock', 'thread.unlock'],
}

/** Pins, features or locks a thread (or undoes it); undefined when the thread is gone. */
export async function setThreadFlag({
  threadId,
  flag,
  value,
  actorId,
}: {
  threadId: number
  flag: ThreadFlag
  value: boolean
  actorId: number
}) {
  return transaction(async (tx) => {
    const [thread] = await tx
      .update(threads)
      .set({ [flag]: value })
      .where(and(eq(threads.id, threadId), isNull(threads.deletedAt)))
      .returning()
    if (!thread) return undefined
    const action = FLAG_ACTIONS[flag][value ? 0 : 1]
    await recordAudit({ actorId, action, targetType: 'thread', targetId: threadId }, tx)
    return thread
  })
}

interface ContentTarget {
  targetType: ReportTarget
  targetId: number
}

async function resolveOpenReports({ targetType, targetId, actorId, now }: ContentTarget & { actorId: number; now: Date }, tx: Executor) {
  const resolved = await tx
    .update(reports)
    .set({ state: 'resolved', resolvedBy: actorId, resolvedAt: now })
    .where(and(eq(reports.targetType, targetType), eq(reports.targetId, targetId), eq(reports.state, 'open')))
    .returning({ id: reports.id })
  return resolved.map((r) => r.id)
}

/** Sets (hidden) or clears (restored) a thread's or reply's hidden state; undefined when it is gone. */
async function setHidden(
  { targetType, targetId, hiddenAt, hiddenReason }: ContentTarget & { hiddenAt: Date | null; hiddenReason: string | null },
  tx: Executor,
) {
  if (targetType === 'thread') {
    const [row] = await tx
      .update(threads)
      .set({ hiddenAt, hiddenReason })
      .where(and(eq(threads.id, targetId), isNull(threads.deletedAt)))
      .returning({ id: threads.id })
    return row
  }
  const [row] = await tx
    .update(replies)
    .set({ hiddenAt, hiddenReason })
    .where(and(eq(replies.id, targetId), isNull(replies.deletedAt)))
    .returning({ id: replies.id, threadId: replies.threadId })
  // The thread's reply count is what readers see: recount its visible replies.
  if (row) {
    await tx
      .update(threads)
      .set({
        replyCount: sql`(select count(*) from ${replies} where ${replies.threadId} = ${row.threadId} and ${replies.hiddenAt} is null and ${replies.deletedAt} is null)`,
      })
      .where(eq(threads.id, row.threadId))
  }
  return row ? { id: row.id } : undefined
}

/** Hides a thread or reply from readers and resolves the open reports on it. */
export async function hideContent({
  targetType,
  targetId,
  reason,
  actorId,
  now,
}: ContentTarget & { reason: string; actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const row = await setHidden({ targetType, targetId, hiddenAt: now, hiddenReason: reason }, tx)
    if (!row) return undefined
    const resolvedReports = await resolveOpenReports({ targetType, targetId, actorId, now }, tx)
    await recordAudit(
      {
        actorId,
        action: `${targetType}.hide`,
        targetType,
        targetId,
        detail: { reason, resolvedReports },
      },
      tx,
    )
    return row
  })
}

/** Shows a hidden thread or reply again; open reports on it count as handled. */
export async function restoreContent({ targetType, targetId, actorId, now }: ContentTarget & { actorId: number; now: Date }) {
  return transaction(async (tx) => {
    const row = await setHidden({ targetType, targetId, hiddenAt: null, hiddenReason: null }, tx)
    if (!row) return undefined
    const resolvedReports = await resolveOpenReports({ targetType, targetId, actorId, now }, tx)
    await recordAudit(
      {
        actorId,
        action: `${targetType}.restore`,
        targetType,
        targetId,
        detail: { resolvedReports },
      },
      tx,
    )
    return row
  })
}

export type ModerationResult = { ok: true } | { ok: false; reason: 'missing' | 'invalid' }

const FLAG_INTENTS: Partial<Record<ModerationIntent, [ThreadFlag, boolean]>> = {
  pin: ['pinned', true],
  unpin: ['pinned', false],
  feature: ['featured', true],
  unfeature: ['featured', false],
  lock: ['locked', true],
  unlock: ['locked', false],
}

/** The one entry point for a thread page's staff buttons (validated by `moderationForm`). */
export async function applyModeration({
  intent,
  targetType,
  targetId,
  reason = '',
  actorId,
  now,
}: ContentTarget & {
  intent: ModerationIntent
  reason?: string
  actorId: number
  now: Date
}): Promise<ModerationResult> {
  const flag = FLAG_INTENTS[intent]
  let done: unknown
  if (flag) {
    if (targetType !== 'thread') return { ok: false, reason: 'invalid' }
    done = await setThreadFlag({
      threadId: targetId,
      flag: flag[0],
      value: flag[1],
      actorId,
    })
  } else if (intent === 'hide') {
    if (reason.trim() === '') return { ok: false, reason: 'invalid' }
    done = await hideContent({
      targetType,
      targetId,
      reason: reason.trim(),
      actorId,
      now,
    })
  } else {
    done = await restoreContent({ targetType, targetId, actorId, now })
  }
  return done ? { ok: true } : { ok: false, reason: 'missing' }
}

// ---- posting bans -----------------------------------------------------------------------------

/** Bans a user from posting until an instant; a second ban replaces the first. */
export async function banFromPosting({ userId, until, reason, actorId }: { userId: number; until: Date; reason: string; actorId: number }) {
  return transaction(async (tx) => {
    const [ban] = await tx
      .insert(postingBans)
      .values({ userId, until, reason, bannedBy: actorId })
      .onConflictDoUpdate({
        target: postingBans.userId,
        set: {
          until,
          reason,
          bannedBy: actorId,
          createdAt: sql`(unixepoch('subsec') * 1000)`,
        },
      })
      .returning()
    await recordAudit(
      {
        actorId,
        action: 'posting_ban.set',
        targetType: 'user',
        targetId: userId,
        detail: { until: until.toISOString(), reason },
      },
      tx,
    )
    return ban!
  })
}

/** Ends a user's posting ban; undefined when there was none. */
export async function liftPostingBan({ userId, actorId }: { userId: number; actorId: number }) {
  return transaction(async (tx) => {
    const [ban] = await tx.delete(postingBans).where(eq(postingBans.userId, userId)).returning()
    if (!ban) return undefined
    await recordAudit(
      {
        actorId,
        action: 'posting_ban.lift',
        targetType: 'user',
        targetId: userId,
        detail: { until: ban.until.toISOString() },
      },
      tx,
    )
    return ban
  })
}

/** The ban in force for a user at `now`, if any (an expired row counts as none). */
export function getPostingBan(userId: number, now: Date) {
  return db.query.postingBans.findFirst({
    where: and(eq(postingBans.userId, userId), gt(postingBans.until, now)),
  })
}

export function listActiveBans(now: Date) {
  return db
    .select({
      userId: postingBans.userId,
      until: postingBans.until,
      reason: postingBans.reason,
      createdAt: postingBans.createdAt,
      displayName: users.displayName,
      email: users.email,
    })
    .from(postingBans)
    .innerJoin(users, eq(users.id, postingBans.userId))
    .where(gt(postingBans.until, now))
    .orderBy(asc(postingBans.until))
}

// ---- reports ----------------------------------------------------------------------------------

export type ReportResult = { ok: true } | { ok: false; reason: 'already' | 'missing' }


/** Visible content only: a reply counts as gone when its thread is hidden or deleted. */
function visibleTarget({ targetType, targetId }: ContentTarget) {
  return targetType === 'thread'
    ? sql`exists (select 1 from ${threads} where ${threads.id} = ${targetId} and ${threads.hiddenAt} is null and ${threads.deletedAt} is null)`
    : sql`exists (select 1 from ${replies} inner join ${threads} on ${threads.id} = ${replies.threadId}
        where ${replies.id} = ${targetId} and ${replies.hiddenAt} is null and ${replies.deletedAt} is null
        and ${threads.hiddenAt} is null and ${threads.deletedAt} is null)`
}

/**
 * A reader reports a thread or reply, once: the unique index decides "already reported", and
 * the insert only happens while the target is visible, in one statement.
 */
export async function reportContent({
  reporterId,
  targetType,
  targetId,
  reason,
  now,
}: ContentTarget & {
  reporterId: number
  reason: string
  now: Date
}): Promise<ReportResult> {
  try {
    const inserted = await db.all<{ id: number }>(sql`
      insert into ${reports} (reporter_id, target_type, target_id, reason, state, created_at)
      select ${reporterId}, ${targetType}, ${targetId}, ${reason}, 'open', ${now.getTime()}
      where ${visibleTarget({ targetType, targetId })}
      returning id`)
    return inserted.length > 0 ? { ok: true } : { ok: false, reason: 'missing' }
  } catch (error) {
    if (uniqueViolation(error) !== null) return { ok: false, reason: 'already' }
    throw error
  }
}

const EXCERPT_CHARS = 120

/** Open reports, oldest first, with what the moderator needs to decide in one look. */
export async function listOpenReports() {
  const reporter = alias(users, 'reporter')
  const author = alias(users, 'author')
  const replyThread = alias(threads, 'reply_thread')
  const rows = await db
    .select({
      id: reports.id,
      targetType: reports.targetType,
      targetId: reports.targetId,
      reason: reports.reason,
      createdAt: reports.createdAt,
      reporterId: reports.reporterId,
      reporterName: reporter.displayName,
      threadTitle: threads.title,
      threadExcerpt: sql<string | null>`substr(${threads.body}, 1, ${EXCERPT_CHARS})`,
      threadHiddenAt: threads.hiddenAt,
      threadDeletedAt: threads.deletedAt,
      replyExcerpt: sql<string | null>`substr(${replies.body}, 1, ${EXCERPT_CHARS})`,
      replyHiddenAt: replies.hiddenAt,
      replyDeletedAt: replies.deletedAt,
      replyThreadId: replyThread.id,
      replyThreadTitle: replyThread.title,
      authorId: author.id,
      authorName: author.displayName,
    })
    .from(reports)
    .innerJoin(reporter, eq(reporter.id, reports.reporterId))
    .leftJoin(threads, and(eq(reports.targetType, 'thread'), eq(threads.id, reports.targetId)))
    .leftJoin(replies, and(eq(reports.targetType, 'reply'), eq(replies.id, reports.targetId)))
    .leftJoin(replyThread, eq(replyThread.id, replies.threadId))
    .leftJoin(author, sql`${author.id} = coalesce(${threads.authorId}, ${replies.authorId})`)
    .where(eq(reports.state, 'open'))
    .orderBy(asc(reports.createdAt), asc(reports.id))
  return rows.map((r) => {
    const isThread = r.targetType === 'thread'
    return {
      id: r.id,
      targetType: r.targetType,
      targetId: r.targetId,
      reason: r.reason,
      createdAt: r.createdAt,
      reporterId: r.reporterId,
      reporterName: r.reporterName,
      threadId: isThread ? r.targetId : r.replyThreadId,
      threadTitle: isThread ? r.threadTitle : r.replyThreadTitle,
      excerpt: (isThread ? r.threadExcerpt : r.replyExcerpt) ?? '',
      authorId: r.authorId,
      authorName: r.authorName,
      hidden: (isThread ? r.threadHiddenAt : r.replyHiddenAt) !== null,
      deleted: (isThread ? r.threadDeletedAt : r.replyDeletedAt) !== null,
    }
  })
}
export type OpenReport = Awaited<ReturnType<typeof listOpenReports>>[number]

export function getOpenReport(reportId: number) {
  return db.query.reports.findFirst({
    where: and(eq(reports.id, reportId), eq(reports.state, 'open')),
  })
}

/** The author of a report's target (thread or reply), if it still exists. */
export async function getReportedAuthor(report: ContentTarget) {
  const table = report.targetType === 'thread' ? threads : replies
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(table)
    .innerJoin(users, eq(users.id, table.authorId))
    .where(eq(table.id, report.targetId))
  return row
}

/** Closes an open report without acting on its target; undefined when it is not open. */
export async function dismissReport({ reportId, actorId, now = new Date() }: { reportId: number; actorId: number; now?: Date }) {
  return transaction(async (tx) => {
    const [report] = await tx
      .update(reports)
      .set({ state: 'dismissed', resolvedBy: actorId, resolvedAt: now })
      .where(and(eq(reports.id, reportId), eq(reports.state, 'open')))
      .returning()
    if (!report) return undefined
    await recordAudit(
      {
        actorId,
        action: 'report.dismiss',
        targetType: 'report',
        targetId: reportId,
        detail: { targetType: report.targetType, targetId: report.targetId },
      },
      tx,
    )
    return report
  })
}
