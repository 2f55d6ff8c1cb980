import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, boards, postingBans, replies, reports, threads, type User } from '../../db/schema'
import { moderationForm } from '~/domain/moderation-forms.server'
import { localDate } from '~/domain/time'
import { parseForm } from '~/utils/forms'
import {
  applyModeration,
  banFromPosting,
  dismissReport,
  getPostingBan,
  hideContent,
  liftPostingBan,
  listActiveBans,
  listOpenReports,
  reportContent,
  restoreContent,
  setThreadFlag,
} from '~/models/moderation.server'
import * as adminCommunity from '~/routes/admin.community'
import { db } from '~/utils/db.server'
import { countRows } from '../factories/db'
import { readData, readRedirect, requestFor, routeArgs, thrownResponse } from '../factories/requests'
import { createTestUser, DAY_MS, signedInCookie } from '../factories/users'

let boardId: number
let author: User
let reader: User
let otherReader: User
let editor: User
let editorCookie: string
let memberCookie: string
let sequence = 0

beforeAll(async () => {
  const [board] = await db.insert(boards).values({ slug: 'sharing', kind: 'sharing', name: '分享' }).returning()
  boardId = board!.id
  author = (await createTestUser({ tier: 'qinqing', displayName: '发帖人' })).user
  reader = (await createTestUser({ tier: 'qinqing', displayName: '读者甲' })).user
  otherReader = (await createTestUser({ tier: 'tiegan', displayName: '读者乙' })).user
  editor = (await createTestUser({ role: 'editor', displayName: '版主' })).user
  editorCookie = (await signedInCookie(editor.id)).cookie
  memberCookie = (await signedInCookie(reader.id)).cookie
})

async function insertThread(values: Partial<typeof threads.$inferInsert> = {}) {
  const n = ++sequence
  const [row] = await db
    .insert(threads)
    .values({ boardId, authorId: author.id, title: `主题 ${n}`, body: `主题 ${n} 的正文`, lastActivityAt: new Date(), ...values })
    .returning()
  return row!
}

async function insertReply(threadId: number, values: Partial<typeof replies.$inferInsert> = {}) {
  const [row] = await db
    .insert(replies)
    .values({ threadId, authorId: author.id, body: `回复 ${++sequence}`, ...values })
    .returning()
  return row!
}

const threadRow = (id: number) => db.query.threads.findFirst({ where: eq(threads.id, id) })
const auditFor = (action: string, targetId: number) =>
  db.query.auditLog.findMany({ where: and(eq(auditLog.action, action), eq(auditLog.targetId, String(targetId))) })

describe('reporting content', () => {
  it('a reader reports a thread once; a second report by the same reader is "already"', async () => {
    const thread = await insertThread()
    const now = new Date()
    expect(await reportContent({ reporterId: reader.id, targetType: 'thread', targetId: thread.id, reason: '广告', now })).toEqual({
      ok: true,
    })
    expect(await reportContent({ reporterId: reader.id, targetType: 'thread', targetId: thread.id, reason: '还是广告', now })).toEqual({
      ok: false,
      reason: 'already',
    })
    const rows = await db.select().from(reports).where(eq(reports.targetId, thread.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ reporterId: reader.id, targetType: 'thread', reason: '广告', state: 'open' })
  })

  it('another reader may report the same reply', async () => {
    const reply = await insertReply((await insertThread()).id)
    const now = new Date()
    expect(await reportContent({ reporterId: reader.id, targetType: 'reply', targetId: reply.id, reason: '人身攻击', now })).toEqual({
      ok: true,
    })
    expect(await reportContent({ reporterId: otherReader.id, targetType: 'reply', targetId: reply.id, reason: '骂人', now })).toEqual({
      ok: true,
    })
    expect(
      await db
        .select()
        .from(reports)
        .where(and(eq(reports.targetType, 'reply'), eq(reports.targetId, reply.id))),
    ).toHaveLength(2)
  })

  it('two reports sent at the same moment by one reader leave exactly one row', async () => {
    const thread = await insertThread()
    const now = new Date()
    const results = await Promise.all(
      [1, 2, 3].map(() => reportContent({ reporterId: otherReader.id, targetType: 'thread', targetId: thread.id, reason: '重复', now })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.reason === 'already')).toHaveLength(2)
    expect(await db.select().from(reports).where(eq(reports.targetId, thread.id))).toHaveLength(1)
  })

  it('hidden, deleted and missing threads and replies cannot be reported', async () => {
    const now = new Date()
    const hidden = await insertThread({ hiddenAt: now, hiddenReason: '违规' })
    const deleted = await insertThread({ deletedAt: now })
    const live = await insertThread()
    const hiddenReply = await insertReply(live.id, { hiddenAt: now, hiddenReason: '违规' })
    const deletedReply = await insertReply(live.id, { deletedAt: now })
    const replyInHiddenThread = await insertReply(hidden.id)
    const before = await countRows(reports)
    const cases = [
      { targetType: 'thread', targetId: hidden.id },
      { targetType: 'thread', targetId: deleted.id },
      { targetType: 'thread', targetId: 999_999 },
      { targetType: 'reply', targetId: hiddenReply.id },
      { targetType: 'reply', targetId: deletedReply.id },
      { targetType: 'reply', targetId: replyInHiddenThread.id },
      { targetType: 'reply', targetId: 999_999 },
    ] as const
    for (const target of cases) {
      expect(await reportContent({ reporterId: reader.id, ...target, reason: '违规', now }), JSON.stringify(target)).toEqual({
        ok: false,
        reason: 'missing',
      })
    }
    expect(await countRows(reports)).toBe(before)
  })
})

describe('hiding and restoring', () => {
  it('hiding a thread sets hiddenAt and the reason, resolves its open reports and writes an audit entry', async () => {
    const thread = await insertThread()
    const now = new Date()
    await reportContent({ reporterId: reader.id, targetType: 'thread', targetId: thread.id, reason: '广告', now })
    await reportContent({ reporterId: otherReader.id, targetType: 'thread', targetId: thread.id, reason: '广告', now })

    expect(await hideContent({ targetType: 'thread', targetId: thread.id, reason: '广告内容', actorId: editor.id, now })).toBeTruthy()

    expect(await threadRow(thread.id)).toMatchObject({ hiddenAt: now, hiddenReason: '广告内容' })
    const rows = await db
      .select()
      .from(reports)
      .where(and(eq(reports.targetType, 'thread'), eq(reports.targetId, thread.id)))
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(row).toMatchObject({ state: 'resolved', resolvedBy: editor.id, resolvedAt: now })
    const audit = await auditFor('thread.hide', thread.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: editor.id, targetType: 'thread', detail: { reason: '广告内容' } })
    expect((await listOpenReports()).some((r) => r.targetType === 'thread' && r.targetId === thread.id)).toBe(false)
  })

  it('restoring a reply clears the hidden state and is audited', async () => {
    const reply = await insertReply((await insertThread()).id)
    const now = new Date()
    await hideContent({ targetType: 'reply', targetId: reply.id, reason: '引战', actorId: editor.id, now })
    expect(await db.query.replies.findFirst({ where: eq(replies.id, reply.id) })).toMatchObject({ hiddenAt: now, hiddenReason: '引战' })

    expect(await restoreContent({ targetType: 'reply', targetId: reply.id, actorId: editor.id, now })).toBeTruthy()
    expect(await db.query.replies.findFirst({ where: eq(replies.id, reply.id) })).toMatchObject({ hiddenAt: null, hiddenReason: null })
    expect(await auditFor('reply.restore', reply.id)).toHaveLength(1)
    // Restored content can be reported again.
    expect(await reportContent({ reporterId: reader.id, targetType: 'reply', targetId: reply.id, reason: '又来了', now })).toEqual({
      ok: true,
    })
  })

  it('the reply count shows only visible replies: hiding lowers it, hiding twice changes nothing, restoring raises it', async () => {
    const thread = await insertThread()
    const [first] = [await insertReply(thread.id), await insertReply(thread.id)]
    await db.update(threads).set({ replyCount: 2 }).where(eq(threads.id, thread.id))
    const now = new Date()
    await hideContent({ targetType: 'reply', targetId: first.id, reason: '广告', actorId: editor.id, now })
    expect((await threadRow(thread.id))?.replyCount).toBe(1)
    await hideContent({ targetType: 'reply', targetId: first.id, reason: '广告', actorId: editor.id, now })
    expect((await threadRow(thread.id))?.replyCount).toBe(1)
    await restoreContent({ targetType: 'reply', targetId: first.id, actorId: editor.id, now })
    expect((await threadRow(thread.id))?.replyCount).toBe(2)
  })

  it('a deleted thread cannot be hidden, and nothing is audited', async () => {
    const thread = await insertThread({ deletedAt: new Date() })
    expect(
      await hideContent({ targetType: 'thread', targetId: thread.id, reason: '违规', actorId: editor.id, now: new Date() }),
    ).toBeUndefined()
    expect(await auditFor('thread.hide', thread.id)).toHaveLength(0)
  })

  it('dismissing a report closes it without touching the content', async () => {
    const thread = await insertThread()
    await reportContent({ reporterId: reader.id, targetType: 'thread', targetId: thread.id, reason: '看不惯', now: new Date() })
    const [report] = await db.select().from(reports).where(eq(reports.targetId, thread.id))
    expect(await dismissReport({ reportId: report!.id, actorId: editor.id })).toMatchObject({ state: 'dismissed', resolvedBy: editor.id })
    expect(await dismissReport({ reportId: report!.id, actorId: editor.id })).toBeUndefined()
    expect(await threadRow(thread.id)).toMatchObject({ hiddenAt: null })
    expect(await auditFor('report.dismiss', report!.id)).toHaveLength(1)
  })
})

describe('thread flags', () => {
  it('pins, features and locks a thread and undoes it, each with an audit entry', async () => {
    const thread = await insertThread()
    for (const flag of ['pinned', 'featured', 'locked'] as const) {
      expect(await setThreadFlag({ threadId: thread.id, flag, value: true, actorId: editor.id })).toMatchObject({ [flag]: true })
    }
    expect(await threadRow(thread.id)).toMatchObject({ pinned: true, featured: true, locked: true })
    await setThreadFlag({ threadId: thread.id, flag: 'pinned', value: false, actorId: editor.id })
    expect(await threadRow(thread.id)).toMatchObject({ pinned: false, featured: true, locked: true })
    for (const action of ['thread.pin', 'thread.feature', 'thread.lock', 'thread.unpin']) {
      expect(await auditFor(action, thread.id), action).toHaveLength(1)
    }
    expect(await setThreadFlag({ threadId: 999_999, flag: 'locked', value: true, actorId: editor.id })).toBeUndefined()
  })

  it('applyModeration dispatches a thread page form: unfeature, hide with a reason, restore', async () => {
    const thread = await insertThread({ featured: true })
    const now = new Date()
    const post = async (fields: Record<string, string>) => {
      const form = parseForm(moderationForm, new URLSearchParams(fields) as unknown as FormData)
      if (!form.ok) return form
      return applyModeration({ ...form.data, actorId: editor.id, now })
    }
    const target = { targetType: 'thread', targetId: String(thread.id) }
    expect(await post({ intent: 'unfeature', ...target })).toEqual({ ok: true })
    expect(await threadRow(thread.id)).toMatchObject({ featured: false })

    expect(await post({ intent: 'hide', ...target, reason: ' ' })).toMatchObject({ ok: false, errors: { reason: expect.any(String) } })
    expect(await post({ intent: 'lock', targetType: 'reply', targetId: '1' })).toMatchObject({
      ok: false,
      errors: { intent: expect.any(String) },
    })
    expect(await threadRow(thread.id)).toMatchObject({ hiddenAt: null })

    expect(await post({ intent: 'hide', ...target, reason: '跑题' })).toEqual({ ok: true })
    expect(await threadRow(thread.id)).toMatchObject({ hiddenAt: now, hiddenReason: '跑题' })
    expect(await post({ intent: 'restore', ...target })).toEqual({ ok: true })
    expect(await threadRow(thread.id)).toMatchObject({ hiddenAt: null })
    expect(await post({ intent: 'pin', targetType: 'thread', targetId: '999999' })).toEqual({ ok: false, reason: 'missing' })
  })
})

describe('posting bans', () => {
  it('a second ban replaces the first; an expired ban is not in force; lifting removes it', async () => {
    const { user } = await createTestUser()
    const now = new Date()
    await banFromPosting({ userId: user.id, until: new Date(now.getTime() + DAY_MS), reason: '刷屏', actorId: editor.id })
    await banFromPosting({ userId: user.id, until: new Date(now.getTime() + 3 * DAY_MS), reason: '继续刷屏', actorId: editor.id })
    expect(await db.select().from(postingBans).where(eq(postingBans.userId, user.id))).toHaveLength(1)
    expect(await getPostingBan(user.id, now)).toMatchObject({ reason: '继续刷屏', until: new Date(now.getTime() + 3 * DAY_MS) })
    expect(await getPostingBan(user.id, new Date(now.getTime() + 4 * DAY_MS))).toBeUndefined()
    expect((await listActiveBans(now)).find((b) => b.userId === user.id)).toMatchObject({ displayName: user.displayName })
    expect((await listActiveBans(new Date(now.getTime() + 4 * DAY_MS))).some((b) => b.userId === user.id)).toBe(false)
    expect(await auditFor('posting_ban.set', user.id)).toHaveLength(2)

    expect(await liftPostingBan({ userId: user.id, actorId: editor.id })).toBeTruthy()
    expect(await getPostingBan(user.id, now)).toBeUndefined()
    expect(await liftPostingBan({ userId: user.id, actorId: editor.id })).toBeUndefined()
    expect(await auditFor('posting_ban.lift', user.id)).toHaveLength(1)
  })

  it('a ban whose end has passed is not returned', async () => {
    const { user } = await createTestUser()
    const now = new Date()
    await banFromPosting({ userId: user.id, until: new Date(now.getTime() - 1000), reason: '旧账', actorId: editor.id })
    expect(await getPostingBan(user.id, now)).toBeUndefined()
    expect((await listActiveBans(now)).some((b) => b.userId === user.id)).toBe(false)
  })
})

describe('/admin/community', () => {
  const dateInDays = (days: number) => localDate(new Date(Date.now() + days * DAY_MS), 'Asia/Shanghai')
  const communityAction = (cookie: string, form: Record<string, string>) =>
    adminCommunity.action(routeArgs(requestFor('/admin/community', { form, cookie })))
  async function snapshot() {
    return {
      reports: await db.select().from(reports),
      bans: await db.select().from(postingBans),
      threads: await db.select().from(threads),
      audit: await countRows(auditLog),
    }
  }

  it('an editor sees open reports oldest first, with reporter, target and author', async () => {
    const thread = await insertThread({ title: '可疑的主题' })
    const reply = await insertReply(thread.id, { body: '一条可疑的回复' })
    await reportContent({
      reporterId: reader.id,
      targetType: 'thread',
      targetId: thread.id,
      reason: '广告',
      now: new Date(Date.now() - 1000),
    })
    await reportContent({ reporterId: reader.id, targetType: 'reply', targetId: reply.id, reason: '骂人', now: new Date() })
    const data = await adminCommunity.loader(routeArgs(requestFor('/admin/community', { cookie: editorCookie })))
    const ours = data.reports.filter((r) => r.threadId === thread.id)
    expect(ours).toMatchObject([
      {
        targetType: 'thread',
        reason: '广告',
        reporterName: '读者甲',
        threadTitle: '可疑的主题',
        authorId: author.id,
        authorName: '发帖人',
        hidden: false,
      },
      { targetType: 'reply', reason: '骂人', excerpt: '一条可疑的回复', threadTitle: '可疑的主题', authorName: '发帖人', hidden: false },
    ])
    const times = data.reports.map((r) => r.createdAt.getTime())
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('a member gets 403 from the loader and the action', async () => {
    const loaderResponse = await thrownResponse(adminCommunity.loader(routeArgs(requestFor('/admin/community', { cookie: memberCookie }))))
    expect(loaderResponse.status).toBe(403)
    const before = await snapshot()
    const actionResponse = await thrownResponse(
      communityAction(memberCookie, { intent: 'ban', email: reader.email, until: dateInDays(3), reason: '自己封自己' }),
    )
    expect(actionResponse.status).toBe(403)
    expect(await snapshot()).toEqual(before)
  })

  it('hides a reported thread with the edited reason, and the report is resolved', async () => {
    const thread = await insertThread()
    await reportContent({ reporterId: reader.id, targetType: 'thread', targetId: thread.id, reason: '广告', now: new Date() })
    const [report] = await db.select().from(reports).where(eq(reports.targetId, thread.id))
    const { location, cookies } = readRedirect(
      await communityAction(editorCookie, { intent: 'hide', reportId: String(report!.id), reason: '商业广告' }),
    )
    expect(location).toBe('/admin/community')
    expect(cookies.some((c) => c.startsWith('zhiyin_flash='))).toBe(true)
    expect(await threadRow(thread.id)).toMatchObject({ hiddenReason: '商业广告' })
    expect(await db.query.reports.findFirst({ where: eq(reports.id, report!.id) })).toMatchObject({
      state: 'resolved',
      resolvedBy: editor.id,
    })
  })

  it('dismisses a report, and bans the author of a reported reply for 7 days', async () => {
    const thread = await insertThread()
    const reply = await insertReply(thread.id)
    await reportContent({ reporterId: otherReader.id, targetType: 'reply', targetId: reply.id, reason: '骂人', now: new Date() })
    const [report] = await db
      .select()
      .from(reports)
      .where(and(eq(reports.targetType, 'reply'), eq(reports.targetId, reply.id)))

    const before = Date.now()
    readRedirect(await communityAction(editorCookie, { intent: 'ban-author', reportId: String(report!.id) }))
    const ban = await getPostingBan(author.id, new Date())
    expect(ban).toMatchObject({ bannedBy: editor.id, reason: expect.stringContaining('骂人') })
    expect(ban!.until.getTime()).toBeGreaterThanOrEqual(before + 7 * DAY_MS)
    expect(ban!.until.getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS)

    readRedirect(await communityAction(editorCookie, { intent: 'dismiss', reportId: String(report!.id) }))
    expect(await db.query.reports.findFirst({ where: eq(reports.id, report!.id) })).toMatchObject({ state: 'dismissed' })
    await liftPostingBan({ userId: author.id, actorId: editor.id })
  })

  it('bans a user by email until a date, lists the ban, and lifts it', async () => {
    const { user } = await createTestUser({ email: 'Noisy@Example.com', displayName: '吵闹用户' })
    readRedirect(await communityAction(editorCookie, { intent: 'ban', email: ' noisy@example.COM ', until: dateInDays(2), reason: '刷屏' }))
    const ban = await getPostingBan(user.id, new Date())
    expect(ban).toMatchObject({ reason: '刷屏', bannedBy: editor.id })
    expect(ban!.until.getTime()).toBeGreaterThan(Date.now() + DAY_MS)

    const data = await adminCommunity.loader(routeArgs(requestFor('/admin/community', { cookie: editorCookie })))
    expect(data.bans.find((b) => b.userId === user.id)).toMatchObject({ displayName: '吵闹用户', reason: '刷屏' })

    readRedirect(await communityAction(editorCookie, { intent: 'lift', userId: String(user.id) }))
    expect(await getPostingBan(user.id, new Date())).toBeUndefined()
  })

  it('refuses bad input with 400 field errors and changes nothing', async () => {
    const thread = await insertThread()
    await reportContent({ reporterId: reader.id, targetType: 'thread', targetId: thread.id, reason: '广告', now: new Date() })
    const [report] = await db.select().from(reports).where(eq(reports.targetId, thread.id))
    const before = await snapshot()
    const cases: [Record<string, string>, string][] = [
      [{ intent: 'ban', email: reader.email, until: dateInDays(3), reason: '   ' }, 'reason'],
      [{ intent: 'ban', email: reader.email, until: dateInDays(-1), reason: '刷屏' }, 'until'],
      [{ intent: 'ban', email: reader.email, until: '2030-02-30', reason: '刷屏' }, 'until'],
      [{ intent: 'ban', email: 'nobody@example.com', until: dateInDays(3), reason: '刷屏' }, 'email'],
      [{ intent: 'ban', email: 'not-an-email', until: dateInDays(3), reason: '刷屏' }, 'email'],
      [{ intent: 'hide', reportId: String(report!.id), reason: '' }, 'reason'],
      [{ intent: 'hide', reportId: '999999', reason: '违规' }, 'form'],
      [{ intent: 'dismiss', reportId: '999999' }, 'form'],
      [{ intent: 'ban-author', reportId: 'abc' }, 'reportId'],
      [{ intent: 'lift', userId: String(reader.id) }, 'form'],
      [{ intent: 'explode' }, 'form'],
    ]
    for (const [form, field] of cases) {
      const result = readData(await communityAction(editorCookie, form))
      expect(result.status, JSON.stringify(form)).toBe(400)
      expect(result.data.errors[field], JSON.stringify(form)).toEqual(expect.any(String))
    }
    expect(await snapshot()).toEqual(before)
  })
})

describe('board settings (admin only)', () => {
  const boardForm = (values: Record<string, string>) => ({
    intent: 'board',
    boardId: String(boardId),
    name: '分享交流',
    description: '读书笔记与见闻',
    readMinRank: '0',
    postMinRank: '1',
    ...values,
  })

  it('an admin renames a board and raises who may post; the change is audited', async () => {
    const admin = (await createTestUser({ role: 'admin' })).user
    const cookie = (await signedInCookie(admin.id)).cookie
    const done = readRedirect(await adminCommunity.action(routeArgs(requestFor('/admin/community', { form: boardForm({ postMinRank: '2' }), cookie }))))
    expect(done.location).toBe('/admin/community')
    expect(await db.query.boards.findFirst({ where: eq(boards.id, boardId) })).toMatchObject({ name: '分享交流', postMinRank: 2 })
    expect(await auditFor('board.update', boardId)).toHaveLength(1)
  })

  it('an editor may moderate but not change a board (403), and nothing changes', async () => {
    const before = await db.query.boards.findFirst({ where: eq(boards.id, boardId) })
    const answer = readData(await adminCommunity.action(routeArgs(requestFor('/admin/community', { form: boardForm({ name: '改名' }), cookie: editorCookie }))))
    expect(answer.status).toBe(403)
    expect(await db.query.boards.findFirst({ where: eq(boards.id, boardId) })).toEqual(before)
  })

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a rank no tier has', { readMinRank: '7' }, 'readMinRank'],
    ['a negative rank', { postMinRank: '-1' }, 'postMinRank'],
  ])('%s is a field error and changes nothing', async (_name, change, field) => {
    const admin = (await createTestUser({ role: 'admin' })).user
    const cookie = (await signedInCookie(admin.id)).cookie
    const before = await db.query.boards.findFirst({ where: eq(boards.id, boardId) })
    const answer = readData(await adminCommunity.action(routeArgs(requestFor('/admin/community', { form: boardForm(change), cookie }))))
    expect(answer.status).toBe(400)
    expect(Object.keys((answer.data as { errors: object }).errors)).toContain(field)
    expect(await db.query.boards.findFirst({ where: eq(boards.id, boardId) })).toEqual(before)
  })
})
