import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, lte, max, sql } from 'drizzle-orm'
import { dailies, memberships, tiers, users, type Daily } from '../../db/schema'
import { checkAccess } from '~/domain/access'
import { normalizeKeyword } from '~/domain/keyword'
import { dailyEmail } from '~/emails/daily'
import { t } from '~/i18n/zh-CN'
import { db, transaction, uniqueViolation, type Executor } from '~/utils/db.server'
import { sendEmails } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { unsubscribeUrl } from '~/utils/unsubscribe.server'
import { deleteMedia } from './media.server'
import { membershipActiveAt } from './membership.server'

export const DAILY_PAGE_SIZE = 20

/** Published and past its publish time: what readers may see (SQL condition). */
export const live = (now: Date) => and(eq(dailies.state, 'published'), lte(dailies.publishAt, now))

/** Lists never carry the body: it is the heavy column, and lists show teasers only. */
const LIST_COLUMNS = { body: false } as const
export type DailyListItem = Omit<Daily, 'body'>

// ---- reading ------------------------------------------------------------------------------

/** Any daily of a date, whatever its state (for staff previews and the editor). */
export function getDailyByDate(date: string) {
  return dailyByDateStatement.execute({ date })
}

// The reads of / and /daily/:date are built once, not on each request (decision 032). Instants
// are bound in milliseconds, as the timestamp_ms columns store them.
const livePlaceholder = and(eq(dailies.state, 'published'), lte(dailies.publishAt, sql.placeholder('now')))
const dailyByDateStatement = db.query.dailies.findFirst({ where: eq(dailies.date, sql.placeholder('date')) }).prepare()
const todayOrLatestStatement = db.query.dailies
  .findFirst({ where: and(livePlaceholder, lte(dailies.date, sql.placeholder('today'))), orderBy: [desc(dailies.date)] })
  .prepare()
const ADJACENT_COLUMNS = { date: true, title: true } as const
const previousLiveStatement = db.query.dailies
  .findFirst({ columns: ADJACENT_COLUMNS, where: and(livePlaceholder, lt(dailies.date, sql.placeholder('date'))), orderBy: [desc(dailies.date)] })
  .prepare()
const nextLiveStatement = db.query.dailies
  .findFirst({ columns: ADJACENT_COLUMNS, where: and(livePlaceholder, gt(dailies.date, sql.placeholder('date'))), orderBy: [asc(dailies.date)] })
  .prepare()

export function getDailyById(id: number) {
  return db.query.dailies.findFirst({ where: eq(dailies.id, id) })
}

/** Today's daily if it is out, else the latest one published before it. */
export function getTodayOrLatestDaily(today: string, now = new Date()) {
  return todayOrLatestStatement.execute({ today, now: now.getTime() })
}

export async function listLiveDailies({ page = 1, now = new Date() }: { page?: number; now?: Date } = {}) {
  const [rows, [total]] = await Promise.all([
    db.query.dailies.findMany({
      columns: LIST_COLUMNS,
      where: live(now),
      orderBy: [desc(dailies.date)],
      limit: DAILY_PAGE_SIZE,
      offset: (page - 1) * DAILY_PAGE_SIZE,
    }),
    db.select({ n: count() }).from(dailies).where(live(now)),
  ])
  return { dailies: rows, total: total?.n ?? 0 }
}

/** The live dailies just before and after a date, for previous / next links. */
export async function adjacentLiveDailies(date: string, now = new Date()) {
  const [previous, next] = await Promise.all([
    previousLiveStatement.execute({ date, now: now.getTime() }),
    nextLiveStatement.execute({ date, now: now.getTime() }),
  ])
  return { previous: previous ?? null, next: next ?? null }
}

/** The dailies of the dates from `from` to `to`, both included, whatever their state: the editor's calendar. */
export function listDailiesBetween(from: string, to: string) {
  return db
    .select({ id: dailies.id, date: dailies.date, title: dailies.title, state: dailies.state })
    .from(dailies)
    .where(and(gte(dailies.date, from), lte(dailies.date, to)))
    .orderBy(asc(dailies.date))
}

export async function listDailiesForStaff({ page = 1 }: { page?: number } = {}) {
  const [rows, [total]] = await Promise.all([
    db.query.dailies.findMany({
      columns: LIST_COLUMNS,
      orderBy: [desc(dailies.date)],
      limit: DAILY_PAGE_SIZE,
      offset: (page - 1) * DAILY_PAGE_SIZE,
    }),
    db.select({ n: count() }).from(dailies),
  ])
  return { dailies: rows, total: total?.n ?? 0 }
}

// ---- writing (editors) --------------------------------------------------------------------

export interface DailyInput {
  date: string
  title: string
  keyword: string
  teaser: string
  body: string
  transcript: string
  voicePublic: boolean
  minRank: number
  publishAt: Date
  audioId: string | null
  coverId: string | null
}

export type SaveResult = { ok: true; daily: Daily } | { ok: false; errors: Partial<Record<keyof DailyInput | 'form', string>> }

/** Field errors for a save the unique indexes refused (one date, one published keyword). */
function conflictErrors(error: unknown) {
  const constraint = uniqueViolation(error)
  if (constraint === null) return null
  if (constraint.includes('dailies.date')) return { date: t.daily.errors.dateTaken }
  if (constraint.includes('dailies.keyword_key')) return { keyword: t.daily.errors.keywordTaken }
  return { form: t.daily.errors.conflict }
}

/** A published daily already uses this keyword (the unique index enforces it on publish too). */
async function keywordTaken(keywordKey: string, exceptId: number | null, executor: Executor = db) {
  const row = await executor.query.dailies.findFirst({
    columns: { id: true },
    where: and(eq(dailies.keywordKey, keywordKey), inArray(dailies.state, ['published', 'scheduled'])),
  })
  return row !== undefined && row.id !== exceptId
}

export async function createDaily(input: DailyInput, authorId: number, now = new Date()): Promise<SaveResult> {
  const keywordKey = normalizeKeyword(input.keyword)
  if (await keywordTaken(keywordKey, null)) return { ok: false, errors: { keyword: t.daily.errors.keywordTaken } }
  try {
    const [daily] = await db
      .insert(dailies)
      .values({ ...input, keywordKey, authorId, state: 'draft', updatedAt: now, createdAt: now })
      .returning()
    return { ok: true, daily: daily! }
  } catch (error) {
    const errors = conflictErrors(error)
    if (errors) return { ok: false, errors }
    throw error
  }
}

/** Saves an edit; a replaced audio clip or cover is deleted once the change has committed. */
export async function updateDaily(id: number, input: DailyInput, now = new Date()): Promise<SaveResult> {
  const before = await getDailyById(id)
  if (!before) return { ok: false, errors: { form: t.daily.errors.notFound } }
  const keywordKey = normalizeKeyword(input.keyword)
  if (await keywordTaken(keywordKey, id)) return { ok: false, errors: { keyword: t.daily.errors.keywordTaken } }
  // A daily already out stays out: an edit never moves its publish time later (an early
  // "publish now" may have put it before the date's usual hour).
  const publishAt =
    before.state === 'published' && before.publishAt < input.publishAt ? before.publishAt : input.publishAt
  let daily: Daily | undefined
  try {
    ;[daily] = await db
      .update(dailies)
      .set({ ...input, publishAt, keywordKey, updatedAt: now })
      .where(eq(dailies.id, id))
      .returning()
  } catch (error) {
    const errors = conflictErrors(error)
    if (errors) return { ok: false, errors }
    throw error
  }
  for (const old of [before.audioId, before.coverId]) {
    if (old && old !== input.audioId && old !== input.coverId) await deleteMedia(old)
  }
  return { ok: true, daily: daily! }
}

/** Queues a daily for the scheduler, which publishes it at its publish time. */
export async function scheduleDaily(id: number, now = new Date()) {
  const [row] = await db
    .update(dailies)
    .set({ state: 'scheduled', updatedAt: now })
    .where(and(eq(dailies.id, id), eq(dailies.state, 'draft')))
    .returning()
  return row
}

/** Back to draft: readers no longer see it (the email, once sent, is not sent again). */
export async function unpublishDaily(id: number, now = new Date()) {
  const [row] = await db
    .update(dailies)
    .set({ state: 'draft', publishedAt: null, updatedAt: now })
    .where(and(eq(dailies.id, id), inArray(dailies.state, ['scheduled', 'published'])))
    .returning()
  return row
}

/**
 * Publishes now: the state change and the daily emails commit together, and only a daily that
 * was not yet published changes, so two clicks or a click racing the scheduler publish once.
 */
export async function publishDailyNow(id: number, now = new Date()) {
  try {
    return await transaction(async (tx) => {
      const [daily] = await tx
        .update(dailies)
        .set({
          state: 'published',
          publishedAt: now,
          publishAt: sql`min(${dailies.publishAt}, ${now.getTime()})`,
          updatedAt: now,
        })
        .where(and(eq(dailies.id, id), inArray(dailies.state, ['draft', 'scheduled'])))
        .returning()
      if (daily) await enqueueDailyEmails(daily, now, tx)
      return { ok: true as const, daily }
    })
  } catch (error) {
    const errors = conflictErrors(error)
    if (errors) return { ok: false as const, errors }
    throw error
  }
}

/**
 * The scheduler's pass: publishes every scheduled daily whose time has come, each in its own
 * transaction with its emails. The conditional UPDATE makes a second pass (or a second
 * process) find nothing to do, so nothing is ever published or mailed twice.
 */
export async function publishDueDailies(now = new Date()) {
  const due = await db
    .select({ id: dailies.id })
    .from(dailies)
    .where(and(eq(dailies.state, 'scheduled'), lte(dailies.publishAt, now)))
    .orderBy(asc(dailies.publishAt))
  const published: Daily[] = []
  for (const { id } of due) {
    try {
      const daily = await transaction(async (tx) => {
        const [row] = await tx
          .update(dailies)
          .set({ state: 'published', publishedAt: now, updatedAt: now })
          .where(and(eq(dailies.id, id), eq(dailies.state, 'scheduled'), lte(dailies.publishAt, now)))
          .returning()
        if (row) await enqueueDailyEmails(row, now, tx)
        return row
      })
      if (daily) published.push(daily)
    } catch (error) {
      console.error(`scheduler: daily ${id} could not be published`, error)
    }
  }
  return published
}

// ---- the daily email ------------------------------------------------------------------------

/** Readers who asked for the daily email, with the rank their active membership gives. */
async function dailyEmailReaders(now: Date, executor: Executor) {
  return executor
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      rank: sql<number>`coalesce(${max(tiers.rank)}, 0)`,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), membershipActiveAt(now)))
    .leftJoin(tiers, eq(tiers.id, memberships.tierId))
    // Bulk mail goes only to addresses proven to be their owners' (docs/decisions/014).
    .where(and(eq(users.emailDaily, true), eq(users.emailVerified, true)))
    .groupBy(users.id)
}

/**
 * One email per opted-in reader: the title, the teaser and the way to the voice (never the
 * keyword or the article), noting when the reader's tier does not open the article. Runs inside
 * the publishing transaction and marks the daily as mailed, so a later re-publish sends nothing.
 */
async function enqueueDailyEmails(daily: Daily, now: Date, tx: Executor) {
  const [marked] = await tx
    .update(dailies)
    .set({ emailedAt: now })
    .where(and(eq(dailies.id, daily.id), isNull(dailies.emailedAt)))
    .returning({ id: dailies.id })
  if (!marked) return 0
  const readers = await dailyEmailReaders(now, tx)
  const siteUrl = getEnv().SITE_URL
  const emails = readers.map((reader) => {
    // The reader's rank stands for their memberships: one period that is active right now.
    const viewer = {
      role: reader.role,
      memberships: reader.rank > 0 ? [{ tierRank: reader.rank, validFrom: now, validUntil: new Date(now.getTime() + 1), revokedAt: null }] : [],
    }
    const access = checkAccess({ minRank: daily.minRank }, viewer, now)
    const unsubscribe = unsubscribeUrl(reader.id)
    const email = dailyEmail({
      daily,
      name: reader.displayName,
      url: `${siteUrl}/daily/${daily.date}`,
      membersOnly: !access.granted,
      unsubscribeUrl: unsubscribe,
    })
    return {
      ...email,
      to: reader.email,
      template: 'daily',
      headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    }
  })
  await sendEmails(emails, tx, now)
  return readers.length
}
