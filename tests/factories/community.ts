// Boards, threads, replies and posting bans, written straight to the test database so that each
// test states only what it is about. Writes that a test is *about* go through the model instead.
import { eq } from 'drizzle-orm'
import { boards, postingBans, replies, threads, users, type Board, type BoardKind, type Reply, type Thread } from '../../db/schema'
import { seedBoards } from '../../db/seed'
import { databaseHandle, db } from '~/utils/db.server'
import { DAY_MS } from './users'

export const MINUTE_MS = 60_000

/** The two seeded boards (招聘求职 `jobs` and 分享 `sharing`), seeding them on first use. */
export async function seededBoards() {
  await seedBoards(databaseHandle)
  const jobs = await db.query.boards.findFirst({ where: eq(boards.slug, 'jobs') })
  const sharing = await db.query.boards.findFirst({ where: eq(boards.slug, 'sharing') })
  if (!jobs || !sharing) throw new Error('the seeded boards are missing')
  return { jobs, sharing }
}

let sequence = 0

/** A number no other community row of this test file uses: for slugs and unique sentences. */
export function nextCommunitySequence() {
  return ++sequence
}

/** A board of its own, so that a listing test sees only the threads it wrote. */
export async function insertBoard(values: Partial<typeof boards.$inferInsert> & { kind?: BoardKind } = {}): Promise<Board> {
  const n = nextCommunitySequence()
  const [row] = await db
    .insert(boards)
    .values({ slug: `board-${n}`, kind: 'sharing', name: `测试版块${n}`, readMinRank: 0, postMinRank: 1, sortOrder: 100 + n, ...values })
    .returning()
  return row!
}

/**
 * A thread row. It was posted a year ago unless told otherwise, so it never counts towards
 * its author's rate limits; lastActivityAt defaults to its createdAt.
 */
export async function insertThread(
  values: Partial<typeof threads.$inferInsert> & Pick<typeof threads.$inferInsert, 'boardId' | 'authorId'>,
): Promise<Thread> {
  const n = nextCommunitySequence()
  const createdAt = values.createdAt ?? new Date(Date.now() - 365 * DAY_MS)
  const [row] = await db
    .insert(threads)
    .values({ title: `测试帖子${n}`, body: `测试帖子${n}的正文`, lastActivityAt: createdAt, ...values, createdAt })
    .returning()
  return row!
}

/** A reply row, posted a year ago unless told otherwise (the thread's counters are not touched). */
export async function insertReply(values: Partial<typeof replies.$inferInsert> & Pick<typeof replies.$inferInsert, 'threadId' | 'authorId'>): Promise<Reply> {
  const n = nextCommunitySequence()
  const [row] = await db
    .insert(replies)
    .values({ body: `测试回复${n}`, createdAt: new Date(Date.now() - 365 * DAY_MS), ...values })
    .returning()
  return row!
}

export async function threadById(id: number) {
  return db.query.threads.findFirst({ where: eq(threads.id, id) })
}

export async function replyById(id: number) {
  return db.query.replies.findFirst({ where: eq(replies.id, id) })
}

export function threadsBy(authorId: number) {
  return db.select().from(threads).where(eq(threads.authorId, authorId))
}

export function repliesBy(authorId: number) {
  return db.select().from(replies).where(eq(replies.authorId, authorId))
}

/** A posting-ban row until `until` (the moderation model's own path is tested in moderation.test.ts). */
export async function insertPostingBan(userId: number, until: Date, reason = '发布广告') {
  await db.insert(postingBans).values({ userId, until, reason })
}

/** Makes an account `days` old, past the new-account limits when days ≥ 1. */
export async function ageAccount(userId: number, days: number) {
  await db
    .update(users)
    .set({ createdAt: new Date(Date.now() - days * DAY_MS) })
    .where(eq(users.id, userId))
}

/** The fields of the new-thread form on a sharing board, valid unless overridden. */
export function sharingForm(overrides: Record<string, string> = {}): Record<string, string> {
  const n = nextCommunitySequence()
  return { title: `表单帖子${n}`, body: `表单帖子${n}的正文`, ...overrides }
}

/** The fields of the new-thread form on a jobs board, valid unless overridden. */
export function jobForm(overrides: Record<string, string> = {}): Record<string, string> {
  const n = nextCommunitySequence()
  return {
    title: `招聘第${n}位工程师`,
    body: `第${n}个岗位的职责与要求`,
    jobKind: 'hiring',
    city: '上海',
    salaryMin: '20000',
    salaryMax: '30000',
    contact: `hr${n}@example.com`,
    expiresInDays: '30',
    ...overrides,
  }
}
