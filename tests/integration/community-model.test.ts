// The community model (app/models/community.server.ts) against this file's real SQLite database:
// what a listing shows and in which order, the posting limits, ownership and the edit window
// enforced in the queries, job renewal, and Chinese full-text search through the FTS5 table.
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { threads, type Board, type User } from '../../db/schema'
import {
  createReply,
  createThread,
  deleteReply,
  deleteThread,
  getThread,
  listReplies,
  listThreads,
  renewJob,
  searchThreads,
  updateReply,
  updateThread,
} from '~/models/community.server'
import { getCommunityViewer } from '~/utils/community.server'
import { db } from '~/utils/db.server'
import {
  insertBoard,
  insertPostingBan,
  insertReply,
  insertThread,
  MINUTE_MS,
  nextCommunitySequence,
  repliesBy,
  replyById,
  seededBoards,
  threadById,
  threadsBy,
} from '../factories/community'
import { requestFor } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie } from '../factories/users'

let jobs: Board
let sharing: Board
let author: User
let other: User

beforeAll(async () => {
  ;({ jobs, sharing } = await seededBoards())
  author = (await createTestUser({ tier: 'qinqing' })).user
  other = (await createTestUser({ tier: 'qinqing' })).user
})

/** A 亲情会员 of their own, so that their posts count towards nobody else's limits. */
async function freshMember() {
  return (await createTestUser({ tier: 'qinqing' })).user
}

const ids = (list: { threads: { id: number }[] }) => list.threads.map((t) => t.id)
const hoursAgo = (h: number) => new Date(Date.now() - h * 60 * MINUTE_MS)

describe('listing threads', () => {
  it('shows pinned threads first, then the rest by latest activity', async () => {
    const board = await insertBoard()
    const quiet = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(30) })
    const busy = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(1) })
    const pinned = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(100), pinned: true })
    const middling = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(5) })

    const list = await listThreads({ boardId: board.id })

    expect(ids(list)).toEqual([pinned.id, busy.id, middling.id, quiet.id])
    expect(list.total).toBe(4)
  })

  it('a reply lifts an old thread above newer ones', async () => {
    const board = await insertBoard()
    const old = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(48) })
    const recent = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(2) })
    expect(ids(await listThreads({ boardId: board.id }))).toEqual([recent.id, old.id])

    const replier = await freshMember()
    const reply = await createReply({ threadId: old.id, authorId: replier.id, body: '顶一下' })
    expect(reply.ok).toBe(true)

    expect(ids(await listThreads({ boardId: board.id }))).toEqual([old.id, recent.id])
  })

  it('shows 20 threads a page, newest activity first, and the total of all pages', async () => {
    const board = await insertBoard()
    const inserted = []
    for (let i = 0; i < 23; i++) {
      inserted.push(await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(100 - i) }))
    }
    const newestFirst = inserted.map((t) => t.id).reverse()

    const page1 = await listThreads({ boardId: board.id })
    const page2 = await listThreads({ boardId: board.id, page: 2 })
    const page3 = await listThreads({ boardId: board.id, page: 3 })

    expect(ids(page1)).toEqual(newestFirst.slice(0, 20))
    expect(ids(page2)).toEqual(newestFirst.slice(20))
    expect(ids(page3)).toEqual([])
    expect([page1.total, page2.total]).toEqual([23, 23])
  })

  it('the featured filter shows only featured threads', async () => {
    const board = await insertBoard()
    const featured = await insertThread({ boardId: board.id, authorId: author.id, featured: true })
    await insertThread({ boardId: board.id, authorId: author.id })

    const list = await listThreads({ boardId: board.id, featured: true })

    expect(ids(list)).toEqual([featured.id])
    expect(list.total).toBe(1)
  })

  it('hidden threads are left out of the listing unless staff ask for them', async () => {
    const board = await insertBoard()
    const visible = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(2) })
    const hidden = await insertThread({ boardId: board.id, authorId: author.id, lastActivityAt: hoursAgo(1), hiddenAt: hoursAgo(1), hiddenReason: '广告' })

    expect(ids(await listThreads({ boardId: board.id }))).toEqual([visible.id])
    expect(ids(await listThreads({ boardId: board.id, includeHidden: true }))).toEqual([hidden.id, visible.id])
  })

  it('deleted threads are left out for everyone, staff included', async () => {
    const board = await insertBoard()
    const kept = await insertThread({ boardId: board.id, authorId: author.id })
    await insertThread({ boardId: board.id, authorId: author.id, deletedAt: hoursAgo(1) })

    expect(ids(await listThreads({ boardId: board.id }))).toEqual([kept.id])
    expect(ids(await listThreads({ boardId: board.id, includeHidden: true }))).toEqual([kept.id])
  })

  it('an expired job thread leaves the listing but its page still finds it', async () => {
    const board = await insertBoard({ kind: 'jobs' })
    const open = await insertThread({ boardId: board.id, authorId: author.id, jobKind: 'hiring', expiresAt: new Date(Date.now() + DAY_MS) })
    const expired = await insertThread({ boardId: board.id, authorId: author.id, jobKind: 'hiring', expiresAt: hoursAgo(1), contact: '微信 expired-hr' })

    const list = await listThreads({ boardId: board.id })

    expect(ids(list)).toEqual([open.id])
    expect(list.total).toBe(1)
    const page = await getThread(expired.id)
    expect(page).toMatchObject({ id: expired.id, contact: '微信 expired-hr', board: { id: board.id, kind: 'jobs' } })
  })

  it('a job thread leaves the listing at its expiry instant', async () => {
    const board = await insertBoard({ kind: 'jobs' })
    const expiresAt = new Date(Date.now() + 10 * DAY_MS)
    const job = await insertThread({ boardId: board.id, authorId: author.id, jobKind: 'seeking', expiresAt })

    expect(ids(await listThreads({ boardId: board.id, now: new Date(expiresAt.getTime() - 1) }))).toEqual([job.id])
    expect(ids(await listThreads({ boardId: board.id, now: expiresAt }))).toEqual([])
  })

  it('without a board, the listing spans boards and names each thread’s board and author', async () => {
    const a = await insertBoard()
    const b = await insertBoard()
    const featuredA = await insertThread({ boardId: a.id, authorId: author.id, featured: true, lastActivityAt: hoursAgo(2) })
    const featuredB = await insertThread({ boardId: b.id, authorId: other.id, featured: true, lastActivityAt: hoursAgo(1) })

    const list = await listThreads({ featured: true })

    const mine = list.threads.filter((t) => t.id === featuredA.id || t.id === featuredB.id)
    expect(mine).toEqual([
      expect.objectContaining({ id: featuredB.id, boardSlug: b.slug, boardName: b.name, authorName: other.displayName }),
      expect.objectContaining({ id: featuredA.id, boardSlug: a.slug, boardName: a.name, authorName: author.displayName }),
    ])
  })
})

describe('starting a thread', () => {
  const t0 = new Date('2030-03-01T09:00:00Z')
  const after = (ms: number) => new Date(t0.getTime() + ms)
  const oldAccount = new Date(t0.getTime() - 30 * DAY_MS)
  const input = (title: string) => ({ title, body: `${title}的正文` })

  it('stores the thread with its board, author and activity time', async () => {
    const member = await freshMember()
    const result = await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input('第一次发帖'), now: t0 })

    expect(result).toMatchObject({ ok: true, thread: { boardId: sharing.id, authorId: member.id, title: '第一次发帖', replyCount: 0 } })
    const [stored] = await threadsBy(member.id)
    expect(stored).toMatchObject({ title: '第一次发帖', body: '第一次发帖的正文', lastActivityAt: t0, createdAt: t0, expiresAt: null })
  })

  it('a job thread keeps its job fields and expires after the chosen days; a sharing thread drops them', async () => {
    const member = await freshMember()
    const jobInput = { ...input('招聘后端'), jobKind: 'hiring' as const, city: '杭州', remote: true, salaryMin: 20, salaryMax: 30, contact: 'hr@example.com', expiresInDays: 14 }

    const job = await createThread({ board: jobs, authorId: member.id, accountCreatedAt: oldAccount, input: jobInput, now: t0 })
    const share = await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: jobInput, now: after(2 * MINUTE_MS) })

    expect(job.ok && share.ok).toBe(true)
    const storedJob = await threadById(job.ok ? job.thread.id : -1)
    expect(storedJob).toMatchObject({ jobKind: 'hiring', city: '杭州', remote: true, salaryMin: 20, salaryMax: 30, contact: 'hr@example.com', expiresAt: after(14 * DAY_MS) })
    const storedShare = await threadById(share.ok ? share.thread.id : -1)
    expect(storedShare).toMatchObject({ jobKind: null, city: null, remote: false, salaryMin: null, salaryMax: null, contact: null, expiresAt: null })
  })

  it('a second thread within a minute is refused with the seconds to wait, and not stored', async () => {
    const member = await freshMember()
    const first = await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input('一分钟内第一帖'), now: t0 })
    expect(first.ok).toBe(true)

    const second = await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input('一分钟内第二帖'), now: after(20_000) })

    expect(second).toEqual({ ok: false, status: 429, waitSeconds: 40 })
    expect((await threadsBy(member.id)).map((t) => t.title)).toEqual(['一分钟内第一帖'])
  })

  it('a minute later the next thread is accepted', async () => {
    const member = await freshMember()
    await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input('先发'), now: t0 })

    const next = await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input('后发'), now: after(MINUTE_MS + 1) })

    expect(next.ok).toBe(true)
    expect(await threadsBy(member.id)).toHaveLength(2)
  })

  it('an account younger than a day starts at most 3 threads in 24 hours', async () => {
    const member = await freshMember()
    const accountCreatedAt = new Date(t0.getTime() - 60 * MINUTE_MS)
    const results = []
    for (let i = 0; i < 4; i++) {
      results.push(await createThread({ board: sharing, authorId: member.id, accountCreatedAt, input: input(`新账号第${i + 1}帖`), now: after(i * 2 * MINUTE_MS) }))
    }

    expect(results.map((r) => r.ok)).toEqual([true, true, true, false])
    // The first thread leaves the 24-hour window 6 minutes after t0 + 24 h.
    expect(results[3]).toEqual({ ok: false, status: 429, waitSeconds: DAY_MS / 1000 - 6 * 60 })
    expect(await threadsBy(member.id)).toHaveLength(3)
  })

  it('an account older than a day is not held to 3 threads a day', async () => {
    const member = await freshMember()
    const results = []
    for (let i = 0; i < 5; i++) {
      results.push(await createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input(`老账号第${i + 1}帖`), now: after(i * 2 * MINUTE_MS) }))
    }

    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true])
    expect(await threadsBy(member.id)).toHaveLength(5)
  })

  it('once the account is a day old, its fourth thread that day goes through', async () => {
    const member = await freshMember()
    const accountCreatedAt = new Date(t0.getTime() - 23 * 60 * MINUTE_MS)
    for (let i = 0; i < 3; i++) {
      await createThread({ board: sharing, authorId: member.id, accountCreatedAt, input: input(`满一天前第${i + 1}帖`), now: after(i * 2 * MINUTE_MS) })
    }

    const fourth = await createThread({ board: sharing, authorId: member.id, accountCreatedAt, input: input('满一天后'), now: after(60 * MINUTE_MS) })

    expect(fourth.ok).toBe(true)
    expect(await threadsBy(member.id)).toHaveLength(4)
  })

  it('five simultaneous submissions by one member store exactly one thread', async () => {
    const member = await freshMember()
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => createThread({ board: sharing, authorId: member.id, accountCreatedAt: oldAccount, input: input(`并发第${i}帖`), now: t0 })),
    )

    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.status === 429)).toHaveLength(4)
    expect(await threadsBy(member.id)).toHaveLength(1)
  })
})

describe('replying', () => {
  const t0 = new Date('2030-04-01T09:00:00Z')
  const after = (ms: number) => new Date(t0.getTime() + ms)

  async function openThread(values: Partial<typeof threads.$inferInsert> = {}) {
    return insertThread({ boardId: sharing.id, authorId: author.id, ...values })
  }

  it('a reply is stored, counted on the thread and moves its latest activity', async () => {
    const thread = await openThread()
    const member = await freshMember()

    const result = await createReply({ threadId: thread.id, authorId: member.id, body: '说得好', now: t0 })

    expect(result).toMatchObject({ ok: true, reply: { threadId: thread.id, authorId: member.id, body: '说得好', quoteReplyId: null } })
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 1, lastActivityAt: t0 })
    const listed = await listReplies(thread.id)
    expect(listed.map((r) => [r.reply.body, r.authorName])).toEqual([['说得好', member.displayName]])
  })

  it('six replies a minute go through; the seventh is refused with the seconds to wait', async () => {
    const thread = await openThread()
    const member = await freshMember()
    const results = []
    for (let i = 0; i < 7; i++) {
      results.push(await createReply({ threadId: thread.id, authorId: member.id, body: `第${i + 1}条回复`, now: after(i * 5_000) }))
    }

    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true, false])
    // The first reply (t0) leaves the one-minute window at t0 + 60 s; the seventh came at t0 + 30 s.
    expect(results[6]).toEqual({ ok: false, status: 429, waitSeconds: 30 })
    expect(await repliesBy(member.id)).toHaveLength(6)
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 6, lastActivityAt: after(25_000) })

    const later = await createReply({ threadId: thread.id, authorId: member.id, body: '一分钟后', now: after(MINUTE_MS + 1_000) })
    expect(later.ok).toBe(true)
  })

  it('a member told to wait N seconds may reply again exactly N seconds later', async () => {
    const thread = await openThread()
    const member = await freshMember()
    for (let i = 0; i < 6; i++) await createReply({ threadId: thread.id, authorId: member.id, body: `第${i + 1}条`, now: after(i * 1_000) })
    const refused = await createReply({ threadId: thread.id, authorId: member.id, body: '太快了', now: after(10_000) })
    expect(refused).toEqual({ ok: false, status: 429, waitSeconds: 50 })

    const retried = await createReply({ threadId: thread.id, authorId: member.id, body: '等够了', now: after(10_000 + 50_000) })

    expect(retried.ok).toBe(true)
    expect(await repliesBy(member.id)).toHaveLength(7)
  })

  it('a locked thread refuses replies and stores none', async () => {
    const thread = await openThread({ locked: true })
    const member = await freshMember()

    expect(await createReply({ threadId: thread.id, authorId: member.id, body: '还能回吗', now: t0 })).toEqual({ ok: false, status: 409, reason: 'locked' })
    expect(await repliesBy(member.id)).toEqual([])
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 0 })
  })

  it('a hidden thread refuses replies and stores none', async () => {
    const thread = await openThread({ hiddenAt: hoursAgo(1), hiddenReason: '广告' })
    const member = await freshMember()

    expect(await createReply({ threadId: thread.id, authorId: member.id, body: '隐藏了吗', now: t0 })).toEqual({ ok: false, status: 409, reason: 'hidden' })
    expect(await repliesBy(member.id)).toEqual([])
  })

  it('a deleted or missing thread answers 404 and stores nothing', async () => {
    const thread = await openThread({ deletedAt: hoursAgo(1) })
    const member = await freshMember()

    expect(await createReply({ threadId: thread.id, authorId: member.id, body: '删了吗', now: t0 })).toEqual({ ok: false, status: 404, reason: 'missing' })
    expect(await createReply({ threadId: 999_999, authorId: member.id, body: '不存在', now: t0 })).toEqual({ ok: false, status: 404, reason: 'missing' })
    expect(await repliesBy(member.id)).toEqual([])
  })

  it('quoting a reply of the same thread keeps the quote; a reply from another thread is dropped', async () => {
    const thread = await openThread()
    const elsewhere = await openThread()
    const sameThreadReply = await insertReply({ threadId: thread.id, authorId: other.id, body: '同一帖里的话' })
    const foreignReply = await insertReply({ threadId: elsewhere.id, authorId: other.id, body: '别的帖子里的话' })
    const member = await freshMember()

    const kept = await createReply({ threadId: thread.id, authorId: member.id, body: '引用本帖', quoteReplyId: sameThreadReply.id, now: t0 })
    const dropped = await createReply({ threadId: thread.id, authorId: member.id, body: '引用别帖', quoteReplyId: foreignReply.id, now: after(1_000) })

    expect(kept.ok && (await replyById(kept.reply.id))?.quoteReplyId).toBe(sameThreadReply.id)
    expect(dropped.ok && (await replyById(dropped.reply.id))?.quoteReplyId).toBeNull()
    const listed = await listReplies(thread.id)
    const quoteOf = (body: string) => listed.find((r) => r.reply.body === body)?.quote
    expect(quoteOf('引用本帖')).toMatchObject({ id: sameThreadReply.id, body: '同一帖里的话', authorName: other.displayName })
    expect(quoteOf('引用别帖')).toMatchObject({ id: null, body: null })
  })

  it('quoting a hidden reply is dropped', async () => {
    const thread = await openThread()
    const hiddenReply = await insertReply({ threadId: thread.id, authorId: other.id, hiddenAt: hoursAgo(1) })
    const member = await freshMember()

    const result = await createReply({ threadId: thread.id, authorId: member.id, body: '引用被隐藏的', quoteReplyId: hiddenReply.id, now: t0 })

    expect(result.ok && (await replyById(result.reply.id))?.quoteReplyId).toBeNull()
  })
})

describe('editing and deleting: only the author, edits only for 15 minutes', () => {
  const now = new Date('2030-05-01T09:00:00Z')
  const minutesBefore = (m: number) => new Date(now.getTime() - m * MINUTE_MS)
  const edit = { title: '改过的标题', body: '改过的正文' }

  it('the author edits their thread within 15 minutes; the edit is stored and marked', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id, createdAt: minutesBefore(14) })

    const updated = await updateThread({ id: thread.id, authorId: author.id, input: edit, now })

    expect(updated).toMatchObject({ id: thread.id, title: '改过的标题', body: '改过的正文', editedAt: now })
    expect(await threadById(thread.id)).toMatchObject({ title: '改过的标题', editedAt: now })
  })

  it('someone else editing the thread gets nothing and the thread is unchanged', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id, createdAt: minutesBefore(1) })

    expect(await updateThread({ id: thread.id, authorId: other.id, input: edit, now })).toBeUndefined()
    expect(await threadById(thread.id)).toMatchObject({ title: thread.title, body: thread.body, editedAt: null })
  })

  it('the author editing a thread after 15 minutes gets nothing and the thread is unchanged', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id, createdAt: minutesBefore(16) })

    expect(await updateThread({ id: thread.id, authorId: author.id, input: edit, now })).toBeUndefined()
    expect(await threadById(thread.id)).toMatchObject({ title: thread.title, body: thread.body, editedAt: null })
  })

  it('editing a job thread keeps its expiry', async () => {
    const expiresAt = new Date(now.getTime() + 20 * DAY_MS)
    const thread = await insertThread({ boardId: jobs.id, authorId: author.id, createdAt: minutesBefore(5), jobKind: 'hiring', contact: '旧联系方式', expiresAt })

    await updateThread({ id: thread.id, authorId: author.id, input: { ...edit, jobKind: 'hiring', contact: '新联系方式', expiresInDays: 90 }, now })

    expect(await threadById(thread.id)).toMatchObject({ title: '改过的标题', contact: '新联系方式', expiresAt })
  })

  it('the author edits their reply within 15 minutes; someone else or a late edit gets nothing', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id })
    const fresh = await insertReply({ threadId: thread.id, authorId: author.id, body: '原来的回复', createdAt: minutesBefore(10) })
    const old = await insertReply({ threadId: thread.id, authorId: author.id, body: '很久以前的回复', createdAt: minutesBefore(16) })

    expect(await updateReply({ id: fresh.id, authorId: other.id, body: '别人改的', now })).toBeUndefined()
    expect(await updateReply({ id: old.id, authorId: author.id, body: '太晚了', now })).toBeUndefined()
    expect(await updateReply({ id: fresh.id, authorId: author.id, body: '作者改的', now })).toMatchObject({ body: '作者改的', editedAt: now })

    expect(await replyById(fresh.id)).toMatchObject({ body: '作者改的', editedAt: now })
    expect(await replyById(old.id)).toMatchObject({ body: '很久以前的回复', editedAt: null })
  })

  it('someone else deleting a thread gets false and the thread stays listed', async () => {
    const board = await insertBoard()
    const thread = await insertThread({ boardId: board.id, authorId: author.id })

    expect(await deleteThread({ id: thread.id, authorId: other.id, now })).toBe(false)
    expect(await threadById(thread.id)).toMatchObject({ deletedAt: null })
    expect(ids(await listThreads({ boardId: board.id }))).toEqual([thread.id])
  })

  it('the author deletes their thread, at any age: it leaves the listing and cannot be deleted twice', async () => {
    const board = await insertBoard()
    const thread = await insertThread({ boardId: board.id, authorId: author.id })

    expect(await deleteThread({ id: thread.id, authorId: author.id, now })).toBe(true)
    expect(await threadById(thread.id)).toMatchObject({ deletedAt: now })
    expect(ids(await listThreads({ boardId: board.id }))).toEqual([])
    expect(await deleteThread({ id: thread.id, authorId: author.id, now })).toBe(false)
  })

  it('someone else deleting a reply gets false; the author’s delete marks it and lowers the reply count once', async () => {
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id })
    const member = await freshMember()
    const first = await createReply({ threadId: thread.id, authorId: member.id, body: '第一条', now: minutesBefore(30) })
    await createReply({ threadId: thread.id, authorId: member.id, body: '第二条', now: minutesBefore(20) })
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 2 })
    const replyId = first.ok ? first.reply.id : -1

    expect(await deleteReply({ id: replyId, authorId: other.id, now })).toBe(false)
    expect(await replyById(replyId)).toMatchObject({ deletedAt: null })
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 2 })

    expect(await deleteReply({ id: replyId, authorId: member.id, now })).toBe(true)
    expect(await replyById(replyId)).toMatchObject({ deletedAt: now })
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 1 })

    expect(await deleteReply({ id: replyId, authorId: member.id, now })).toBe(false)
    expect(await threadById(thread.id)).toMatchObject({ replyCount: 1 })
  })
})

describe('renewing a job post', () => {
  const now = new Date('2030-06-01T09:00:00Z')

  it('the author renews once: 30 more days from now; the second renewal gets nothing', async () => {
    const job = await insertThread({ boardId: jobs.id, authorId: author.id, jobKind: 'hiring', expiresAt: new Date(now.getTime() - DAY_MS) })

    const renewed = await renewJob({ id: job.id, authorId: author.id, now })
    expect(renewed).toMatchObject({ id: job.id, expiresAt: new Date(now.getTime() + 30 * DAY_MS), renewedAt: now, lastActivityAt: now })

    const later = new Date(now.getTime() + 29 * DAY_MS)
    expect(await renewJob({ id: job.id, authorId: author.id, now: later })).toBeUndefined()
    expect(await threadById(job.id)).toMatchObject({ expiresAt: new Date(now.getTime() + 30 * DAY_MS), renewedAt: now })
  })

  it('a renewed job is back in the listing', async () => {
    const board = await insertBoard({ kind: 'jobs' })
    const job = await insertThread({ boardId: board.id, authorId: author.id, jobKind: 'seeking', expiresAt: hoursAgo(1) })
    expect(ids(await listThreads({ boardId: board.id }))).toEqual([])

    await renewJob({ id: job.id, authorId: author.id })

    expect(ids(await listThreads({ boardId: board.id }))).toEqual([job.id])
  })

  it('a job post still running is extended from its expiry, not cut short to 30 days from now (issue 18)', async () => {
    const expiresAt = new Date(now.getTime() + 80 * DAY_MS)
    const job = await insertThread({ boardId: jobs.id, authorId: author.id, jobKind: 'hiring', expiresAt })

    const renewed = await renewJob({ id: job.id, authorId: author.id, now })
    expect(renewed).toMatchObject({ expiresAt: new Date(expiresAt.getTime() + 30 * DAY_MS), renewedAt: now })
  })

  it('someone else cannot renew a job post, and a thread that is not a job cannot be renewed', async () => {
    const expiresAt = new Date(now.getTime() - DAY_MS)
    const job = await insertThread({ boardId: jobs.id, authorId: author.id, jobKind: 'hiring', expiresAt })
    const share = await insertThread({ boardId: sharing.id, authorId: author.id })

    expect(await renewJob({ id: job.id, authorId: other.id, now })).toBeUndefined()
    expect(await renewJob({ id: share.id, authorId: author.id, now })).toBeUndefined()
    expect(await threadById(job.id)).toMatchObject({ expiresAt, renewedAt: null })
    expect(await threadById(share.id)).toMatchObject({ expiresAt: null, renewedAt: null })
  })
})

describe('the community viewer', () => {
  it('the viewer of a signed-in member carries their rank and the end of their ban; a visitor is null', async () => {
    const { user: tiegan } = await createTestUser({ tier: 'tiegan' })
    const until = new Date(Date.now() + 2 * DAY_MS)
    await insertPostingBan(tiegan.id, until)
    const { cookie } = await signedInCookie(tiegan.id)

    const signedIn = await getCommunityViewer(requestFor('/community', { cookie }))
    expect(signedIn.viewer).toEqual({ userId: tiegan.id, role: 'user', rank: 2, bannedUntil: until })

    const visitor = await getCommunityViewer(requestFor('/community'))
    expect(visitor).toEqual({ viewer: null, user: null })
  })

  it('a member whose ban ended has no ban in their viewer', async () => {
    const member = await freshMember()
    await insertPostingBan(member.id, hoursAgo(1))
    const { cookie } = await signedInCookie(member.id)

    const { viewer } = await getCommunityViewer(requestFor('/community', { cookie }))

    expect(viewer).toEqual({ userId: member.id, role: 'user', rank: 1, bannedUntil: null })
  })
})

describe('searching threads in Chinese', () => {
  let frontend: number
  let remote: number
  let feynman: number
  let searchBoardA: Board
  let searchBoardB: Board

  beforeAll(async () => {
    searchBoardA = await insertBoard({ kind: 'jobs' })
    searchBoardB = await insertBoard()
    const inAMonth = new Date(Date.now() + 30 * DAY_MS)
    frontend = (
      await insertThread({
        boardId: searchBoardA.id,
        authorId: author.id,
        title: '招聘前端工程师',
        body: '熟悉 TypeScript 与 React，一起学习成长。',
        jobKind: 'hiring',
        expiresAt: inAMonth,
        lastActivityAt: hoursAgo(3),
      })
    ).id
    remote = (await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: '远程办公心得', body: '居家三年，学习了如何安排时间。', lastActivityAt: hoursAgo(2) })).id
    feynman = (await insertThread({ boardId: searchBoardB.id, authorId: other.id, title: '读书笔记：费曼学习法', body: '把学到的讲给别人听。', lastActivityAt: hoursAgo(1) })).id
  })

  const search = async (q: string, boardId?: number) => ids(await searchThreads({ q, boardId }))

  it('a three-character query finds the title that contains it (full-text, trigram)', async () => {
    expect(await search('前端工')).toEqual([frontend])
  })

  it('a two-character query finds it too (the short-query fallback)', async () => {
    expect(await search('远程')).toEqual([remote])
    expect(await search('费曼')).toEqual([feynman])
  })

  it('a single character finds every thread containing it', async () => {
    expect(await search('笔')).toEqual([feynman])
  })

  it('a query found only in bodies finds the thread, whatever the letter case', async () => {
    expect(await search('typescript')).toEqual([frontend])
    expect(await search('TYPESCRIPT')).toEqual([frontend])
    expect(await search('安排时间')).toEqual([remote])
  })

  it('a longer query spanning punctuation finds the title', async () => {
    expect(await search('笔记：费曼学习')).toEqual([feynman])
  })

  it('across boards a word finds every thread with it, latest activity first; within a board only that board’s', async () => {
    expect(await search('学习')).toEqual([feynman, remote, frontend])
    expect(await search('学习', searchBoardB.id)).toEqual([feynman, remote])
    expect(await search('学习', searchBoardA.id)).toEqual([frontend])
    expect(await search('前端工', searchBoardB.id)).toEqual([])
  })

  it('text in no thread finds nothing', async () => {
    expect(await search('区块链')).toEqual([])
    expect(await search('量子')).toEqual([])
  })

  it('FTS and LIKE syntax in the query is searched as plain text and never throws', async () => {
    for (const q of ['"', '*', 'AND', '(', ')', '"前端', '前端*', '前端 OR 远程', 'NEAR(前端 远程)', '学习" OR "远程', '%', '_', '\\', '%%%', '费曼 AND 学习', '^招聘', 'title:招聘']) {
      await expect(searchThreads({ q }), `query ${q}`).resolves.toMatchObject({ threads: [], total: 0 })
    }
  })

  it('an edited title is found by its new text and no longer by its old', async () => {
    const thread = await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: '周末露营装备清单', body: '帐篷与睡袋。', createdAt: new Date(Date.now() - MINUTE_MS) })
    expect(await search('露营装备')).toEqual([thread.id])

    const updated = await updateThread({ id: thread.id, authorId: author.id, input: { title: '冬季滑雪装备清单', body: '雪板与雪镜。' } })
    expect(updated).toBeDefined()

    expect(await search('滑雪装备')).toEqual([thread.id])
    expect(await search('滑雪')).toEqual([thread.id])
    expect(await search('雪板与')).toEqual([thread.id])
    expect(await search('露营装备')).toEqual([])
    expect(await search('帐篷与睡袋')).toEqual([])
  })

  it('hidden and deleted threads are not found; staff searching with hidden ones see the hidden but never the deleted', async () => {
    const hidden = await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: '被隐藏的潜水艇帖子', hiddenAt: hoursAgo(1) })
    await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: '被删除的潜水艇帖子', deletedAt: hoursAgo(1) })

    expect(await search('潜水艇帖')).toEqual([])
    expect(await search('潜水')).toEqual([])
    expect(ids(await searchThreads({ q: '潜水艇帖', includeHidden: true }))).toEqual([hidden.id])
    expect(ids(await searchThreads({ q: '潜水', includeHidden: true }))).toEqual([hidden.id])
  })

  it('an author-deleted thread disappears from search', async () => {
    const thread = await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: '马上要删的热气球帖子' })
    expect(await search('热气球')).toEqual([thread.id])

    expect(await deleteThread({ id: thread.id, authorId: author.id })).toBe(true)

    expect(await search('热气球帖')).toEqual([])
    expect(await search('热气球')).toEqual([])
  })

  it('a thread row removed from the database leaves no search entry behind, and search keeps working', async () => {
    const thread = await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: '将被清除的飞艇帖子', body: '飞艇的正文' })
    expect(await search('飞艇帖子')).toEqual([thread.id])

    await db.delete(threads).where(eq(threads.id, thread.id))
    const n = nextCommunitySequence()
    const successor = await insertThread({ boardId: searchBoardB.id, authorId: author.id, title: `后来的第${n}个帖子`, body: '别的内容' })

    expect(await search('飞艇帖子')).toEqual([])
    expect(await search('飞艇的正文')).toEqual([])
    expect(await search(`后来的第${n}个`)).toEqual([successor.id])
    // The index agrees with the table it indexes.
    await expect(db.run(sql`insert into thread_search(thread_search, rank) values ('integrity-check', 1)`)).resolves.toBeDefined()
  })

  it('search pages hold 20 results and count them all', async () => {
    const board = await insertBoard()
    for (let i = 0; i < 21; i++) {
      await insertThread({ boardId: board.id, authorId: author.id, title: `第${i}篇关于风筝的帖子`, lastActivityAt: hoursAgo(50 - i) })
    }
    const page1 = await searchThreads({ q: '关于风筝', boardId: board.id })
    const page2 = await searchThreads({ q: '关于风筝', boardId: board.id, page: 2 })

    expect(page1.threads).toHaveLength(20)
    expect(page1.threads[0]?.title).toBe('第20篇关于风筝的帖子')
    expect(page2.threads.map((t) => t.title)).toEqual(['第0篇关于风筝的帖子'])
    expect(page1.total).toBe(21)
  })
})
