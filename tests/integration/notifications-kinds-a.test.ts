// Issue 13's missing kinds against this file's SQLite database: @mentions in community threads and
// replies (in the post's transaction, once per reader, never the author, at most five), and the
// membership-expiry notices 30 and 7 days before a membership's last day in the site time zone,
// once each however many passes run. Both show on /notifications and /account.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { notifications } from '../../db/schema'
import { createReply, createThread } from '~/models/community.server'
import { sendMembershipExpiryNotices } from '~/models/membership-expiry.server'
import { endOfValidityDate } from '~/domain/time'
import { loader as accountLoader } from '~/routes/account'
import { loader as notificationsLoader } from '~/routes/notifications'
import { db } from '~/utils/db.server'
import { insertBoard, insertThread, seededBoards } from '../factories/community'
import { requestFor, routeArgs } from '../factories/requests'
import { addMembership, createTestUser, DAY_MS, signedInCookie } from '../factories/users'

let sequence = 0
/** A reader with a display name no other test of this file uses (names contain no punctuation). */
async function reader(prefix = '读者') {
  const { user } = await createTestUser({ displayName: `${prefix}${++sequence}号` })
  return user
}

const notificationsOf = (userId: number, kind?: 'mention' | 'thread_reply' | 'membership_expiring') =>
  db
    .select()
    .from(notifications)
    .where(kind ? and(eq(notifications.userId, userId), eq(notifications.kind, kind)) : eq(notifications.userId, userId))

describe('@mentions in the community', () => {
  it('a reply mentioning two readers notifies each once, and never its author', async () => {
    const { sharing } = await seededBoards()
    const [author, replier, a, b] = await Promise.all([reader(), reader(), reader(), reader()])
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id, title: '共读《红楼梦》' })
    const result = await createReply({ threadId: thread.id, authorId: replier.id, body: `@${a.displayName} 和 @${b.displayName}，一起来？再叫一次@${a.displayName}。我自己 @${replier.displayName}` })
    expect(result.ok).toBe(true)
    const reply = result.ok ? result.reply : undefined
    for (const user of [a, b]) {
      const mine = await notificationsOf(user.id)
      expect(mine).toHaveLength(1)
      expect(mine[0]).toMatchObject({ kind: 'mention', key: `reply:${reply!.id}`, data: { author: replier.displayName, threadTitle: '共读《红楼梦》', path: `/community/t/${thread.id}` } })
    }
    expect(await notificationsOf(replier.id)).toHaveLength(0)
  })

  it('the thread’s author mentioned in a reply gets the thread_reply only, not a second notification', async () => {
    const { sharing } = await seededBoards()
    const [author, replier] = await Promise.all([reader(), reader()])
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id })
    expect((await createReply({ threadId: thread.id, authorId: replier.id, body: `@${author.displayName} 同意` })).ok).toBe(true)
    const mine = await notificationsOf(author.id)
    expect(mine.map((row) => row.kind)).toEqual(['thread_reply'])
  })

  it('notifies at most five readers per post: the first five named', async () => {
    const { sharing } = await seededBoards()
    const author = await reader()
    const named = await Promise.all(Array.from({ length: 6 }, () => reader('点名')))
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id })
    await createReply({ threadId: thread.id, authorId: author.id, body: named.map((user) => `@${user.displayName}`).join(' ') })
    const counts = await Promise.all(named.map(async (user) => (await notificationsOf(user.id, 'mention')).length))
    expect(counts).toEqual([1, 1, 1, 1, 1, 0])
  })

  it('a new thread notifies the readers its body mentions, with the thread’s key', async () => {
    const { sharing } = await seededBoards()
    const [author, friend] = await Promise.all([reader(), reader()])
    const result = await createThread({
      board: sharing,
      authorId: author.id,
      accountCreatedAt: new Date(Date.now() - 365 * DAY_MS),
      input: { title: '推荐一本书', body: `@${friend.displayName}：你上次说的那本` },
    })
    expect(result.ok).toBe(true)
    const thread = result.ok ? result.thread : undefined
    expect(await notificationsOf(friend.id)).toMatchObject([{ kind: 'mention', key: `thread:${thread!.id}`, data: { threadTitle: '推荐一本书' } }])
  })

  it('a name nobody has, or that two readers share, notifies nobody', async () => {
    const { sharing } = await seededBoards()
    const author = await reader()
    const twinA = await reader('同名')
    const { user: twinB } = await createTestUser({ displayName: twinA.displayName })
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id })
    const before = (await db.select().from(notifications).where(eq(notifications.kind, 'mention'))).length
    expect((await createReply({ threadId: thread.id, authorId: author.id, body: `@不存在的人${sequence} @${twinA.displayName}` })).ok).toBe(true)
    expect(await db.select().from(notifications).where(eq(notifications.kind, 'mention'))).toHaveLength(before)
    expect(await notificationsOf(twinB.id)).toHaveLength(0)
  })

  it('a reader who may not read the board is not told its thread’s title', async () => {
    const membersOnly = await insertBoard({ readMinRank: 1 })
    const author = await reader()
    const [free, member] = await Promise.all([reader(), reader()])
    await addMembership(member.id, { tier: 'qinqing' })
    const thread = await insertThread({ boardId: membersOnly.id, authorId: author.id, title: '会员专区' })
    await createReply({ threadId: thread.id, authorId: author.id, body: `@${free.displayName} @${member.displayName}` })
    expect(await notificationsOf(free.id)).toHaveLength(0)
    expect(await notificationsOf(member.id, 'mention')).toHaveLength(1)
  })

  it('a reply refused (locked thread) notifies nobody it mentions', async () => {
    const { sharing } = await seededBoards()
    const [author, named] = await Promise.all([reader(), reader()])
    const locked = await insertThread({ boardId: sharing.id, authorId: author.id, locked: true })
    expect((await createReply({ threadId: locked.id, authorId: author.id, body: `@${named.displayName}` })).ok).toBe(false)
    expect(await notificationsOf(named.id)).toHaveLength(0)
  })
})

// ---- membership expiry -----------------------------------------------------------------------------

const ZONE = 'Asia/Shanghai' // the site time zone in tests (SITE_TIMEZONE unset)

/** A qinqing (unless told) membership, valid until `lastDay` inclusive in the site time zone. */
async function membershipUntil(userId: number, lastDay: string, { tier = 'qinqing', from = '2020-01-01', revokedAt = null }: { tier?: 'qinqing' | 'tiegan'; from?: string; revokedAt?: Date | null } = {}) {
  return addMembership(userId, { tier, validFrom: new Date(`${from}T00:00:00+08:00`), validUntil: endOfValidityDate(lastDay, ZONE)!, revokedAt })
}

// Each test uses its own years, so no test's memberships are another's candidates.
describe('会员即将到期', () => {
  it('sends the 30-day and the 7-day notice once each, however many passes run at once', async () => {
    const user = await reader()
    const membership = await membershipUntil(user.id, '2031-03-31')
    expect(await sendMembershipExpiryNotices(new Date('2031-02-27T12:00:00+08:00'))).toBe(0) // 32 days left
    const at30 = new Date('2031-03-01T09:00:00+08:00') // 30 days left
    const passes = await Promise.all([sendMembershipExpiryNotices(at30), sendMembershipExpiryNotices(at30), sendMembershipExpiryNotices(at30)])
    expect(passes.reduce((a, b) => a + b)).toBe(1)
    expect(await sendMembershipExpiryNotices(new Date('2031-03-10T09:00:00+08:00'))).toBe(0)
    const at7 = new Date('2031-03-24T09:00:00+08:00') // 7 days left
    const later = await Promise.all([sendMembershipExpiryNotices(at7), sendMembershipExpiryNotices(at7)])
    expect(later.reduce((a, b) => a + b)).toBe(1)
    expect(await sendMembershipExpiryNotices(new Date('2031-03-30T09:00:00+08:00'))).toBe(0)

    const mine = (await notificationsOf(user.id)).sort((a, b) => a.id - b.id)
    expect(mine).toMatchObject([
      { kind: 'membership_expiring', key: `membership:${membership.id}:30`, data: { path: '/membership', tierName: '亲情会员', endsOn: '2031-03-31', days: 30 } },
      { kind: 'membership_expiring', key: `membership:${membership.id}:7`, data: { path: '/membership', endsOn: '2031-03-31', days: 7 } },
    ])
  })

  it('a membership first seen in its last week gets only the 7-day notice', async () => {
    const user = await reader()
    const membership = await membershipUntil(user.id, '2032-03-31')
    expect(await sendMembershipExpiryNotices(new Date('2032-03-28T09:00:00+08:00'))).toBe(1)
    expect((await notificationsOf(user.id)).map((row) => row.key)).toEqual([`membership:${membership.id}:7`])
  })

  it('counts days in the site time zone: 30 days left begins at midnight in Shanghai, not in UTC', async () => {
    const user = await reader()
    await membershipUntil(user.id, '2033-02-01')
    // 23:59 on 1 January in Shanghai: 31 days left. One minute later it is 2 January there (still 1 January in UTC).
    expect(await sendMembershipExpiryNotices(new Date('2033-01-01T15:59:00Z'))).toBe(0)
    expect(await sendMembershipExpiryNotices(new Date('2033-01-01T16:00:00Z'))).toBe(1)
    expect(await notificationsOf(user.id)).toMatchObject([{ data: { endsOn: '2033-02-01', days: 30 } }])
  })

  it('sends nothing for a renewed, revoked or ended membership; a renewal of a lower tier is no renewal', async () => {
    const now = new Date('2034-03-10T09:00:00+08:00')
    const renewed = await reader()
    await membershipUntil(renewed.id, '2034-03-31')
    await membershipUntil(renewed.id, '2035-03-31', { from: '2034-04-01' })
    const upgraded = await reader()
    await membershipUntil(upgraded.id, '2034-03-31')
    await membershipUntil(upgraded.id, '2035-03-31', { tier: 'tiegan', from: '2034-03-01' })
    const revoked = await reader()
    await membershipUntil(revoked.id, '2034-03-31', { revokedAt: new Date('2034-03-01T00:00:00Z') })
    const ended = await reader()
    await membershipUntil(ended.id, '2034-03-09')
    const renewedInRevokedOne = await reader()
    await membershipUntil(renewedInRevokedOne.id, '2034-03-31')
    await membershipUntil(renewedInRevokedOne.id, '2035-03-31', { from: '2034-04-01', revokedAt: new Date('2034-03-05T00:00:00Z') })
    const downgraded = await reader()
    await membershipUntil(downgraded.id, '2034-03-31', { tier: 'tiegan' })
    await membershipUntil(downgraded.id, '2035-03-31', { from: '2034-04-01' })

    expect(await sendMembershipExpiryNotices(now)).toBe(2)
    for (const user of [renewed, upgraded, revoked, ended]) expect(await notificationsOf(user.id)).toHaveLength(0)
    expect(await notificationsOf(renewedInRevokedOne.id)).toHaveLength(1)
    expect(await notificationsOf(downgraded.id)).toMatchObject([{ data: { tierName: '铁杆会员' } }])
  })
})

describe('a renewal with an upgrade over it (decision 049)', () => {
  it('ends with the upgrade, and the reader hears once, of the higher plan', async () => {
    const member = await reader()
    await membershipUntil(member.id, '2037-03-31')
    // Renewed for a year from the plan's end, then upgraded to 铁杆 until the renewal's end.
    await membershipUntil(member.id, '2038-03-31', { from: '2037-04-01' })
    const upgrade = await membershipUntil(member.id, '2038-03-31', { tier: 'tiegan', from: '2037-06-01' })
    expect(await sendMembershipExpiryNotices(new Date('2038-03-01T09:00:00+08:00'))).toBe(1)
    expect(await notificationsOf(member.id)).toMatchObject([{ key: `membership:${upgrade.id}:30`, data: { tierName: '铁杆会员', endsOn: '2038-03-31' } }])
    expect(await sendMembershipExpiryNotices(new Date('2038-03-24T09:00:00+08:00'))).toBe(1)
    expect((await notificationsOf(member.id)).map((row) => row.key).sort()).toEqual([`membership:${upgrade.id}:30`, `membership:${upgrade.id}:7`])
  })
})

describe('the reader’s pages show the new kinds', () => {
  it('/notifications says who mentioned me and when my membership ends, linking to the thread and to /membership', async () => {
    const { sharing } = await seededBoards()
    const [me, other] = await Promise.all([reader(), reader()])
    const thread = await insertThread({ boardId: sharing.id, authorId: other.id, title: '周末读什么' })
    await createReply({ threadId: thread.id, authorId: other.id, body: `@${me.displayName} 推荐一下` })
    await membershipUntil(me.id, '2036-03-31')
    await sendMembershipExpiryNotices(new Date('2036-03-24T09:00:00+08:00'))
    const { cookie } = await signedInCookie(me.id)
    const page = await notificationsLoader(routeArgs(requestFor('/notifications', { cookie })))
    expect(page.notifications.map(({ title, path }) => ({ title, path }))).toEqual([
      { title: '你的「亲情会员」会员将于 2036-03-31 到期（还剩 7 天），续费请前往会员页', path: '/membership' },
      { title: `${other.displayName} 在「周末读什么」中提到了你`, path: `/community/t/${thread.id}` },
    ])
  })

  it('/account offers email and WeChat switches for both kinds, on by default', async () => {
    const me = await reader()
    const { cookie } = await signedInCookie(me.id)
    const page = await accountLoader(routeArgs(requestFor('/account', { cookie })))
    for (const kind of ['mention', 'membership_expiring'] as const) {
      expect(page.notificationPrefs.kinds.find((k) => k.kind === kind)?.channels).toEqual([
        { channel: 'email', enabled: true },
        { channel: 'wechat', enabled: true },
      ])
    }
  })
})
