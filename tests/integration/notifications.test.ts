// Notifications (decision 023) against this file's SQLite database, WeChat in test mode (no keys):
// each kind is created in its cause's transaction and not when the cause fails, channels follow
// the reader's preferences, one notification per reader per event, drop reminders sent once, and
// the reader's pages (/notifications, /account, 开启提醒) touch only the signed-in reader's rows.
import { and, eq, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { counters, dailyComments, dropReminders, drops, emailOutbox, notificationPreferences, notifications, wechatIdentities, wechatOutbox, type User } from '../../db/schema'
import { createReply } from '~/models/community.server'
import { moderateComment } from '~/models/daily-comment.server'
import { markOrderShipped, markOrdersShipped } from '~/models/admin-orders.server'
import { sendDueDropReminders } from '~/models/notification.server'
import { confirmPayment, processPendingRefunds, requestRefund } from '~/models/commerce.server'
import { action as accountAction, loader as accountLoader } from '~/routes/account'
import { loader as outboxLoader } from '~/routes/admin.outbox'
import { action as membershipAction, loader as membershipLoader } from '~/routes/membership._index'
import { action as notificationsAction, loader as notificationsLoader } from '~/routes/notifications'
import { db, transaction } from '~/utils/db.server'
import { formatFen } from '~/utils/format'
import { deliverDueWechatMessages, notify } from '~/utils/notify.server'
import { createTestProduct, productLine } from '../factories/cart'
import { insertThread, seededBoards } from '../factories/community'
import { insertDaily } from '../factories/dailies'
import { paidNotice, placeOk } from '../factories/orders'
import { readRedirect, requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

const MINUTE = 60_000

async function reader({ wechat = false, emailVerified = true, displayName }: { wechat?: boolean; emailVerified?: boolean; displayName?: string } = {}) {
  const { user } = await createTestUser({ emailVerified, displayName })
  if (wechat) await db.insert(wechatIdentities).values({ userId: user.id, appId: 'test', openid: `o-test-${user.id}` })
  return user
}

const notificationsOf = (userId: number) => db.select().from(notifications).where(eq(notifications.userId, userId))
const emailsTo = (user: User) => db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), like(emailOutbox.template, 'notification-%')))
async function wechatTo(userId: number) {
  return db
    .select({ id: wechatOutbox.id, testMode: wechatOutbox.testMode, state: wechatOutbox.state, payload: wechatOutbox.payload })
    .from(wechatOutbox)
    .innerJoin(notifications, eq(notifications.id, wechatOutbox.notificationId))
    .where(eq(notifications.userId, userId))
}

async function setPreference(userId: number, kind: 'thread_reply' | 'drop_opening', channel: 'email' | 'wechat', enabled: boolean) {
  await db.insert(notificationPreferences).values({ userId, kind, channel, enabled })
}

const ping = (userId: number, key = 'k1') =>
  transaction((tx) => notify(tx, { userId, kind: 'thread_reply', key, data: { path: '/community/t/1', replier: '甲', threadTitle: '标题' } }))

describe('notify()', () => {
  it('creates one notification per reader per event, with one email and one WeChat message, however often it is called', async () => {
    const user = await reader({ wechat: true })
    const first = await ping(user.id)
    const second = await ping(user.id)
    expect(first).toMatchObject({ created: true, email: true, wechat: true })
    expect(second).toEqual({ created: false })
    expect(await notificationsOf(user.id)).toHaveLength(1)
    expect(await emailsTo(user)).toHaveLength(1)
    const messages = await wechatTo(user.id)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ testMode: true, state: 'pending', payload: { touser: `o-test-${user.id}`, url: 'http://localhost:3000/community/t/1' } })
  })

  it('follows the reader’s choice per channel: email off sends no email, WeChat off no message, the bell always', async () => {
    const noEmail = await reader({ wechat: true })
    await setPreference(noEmail.id, 'thread_reply', 'email', false)
    const noWechat = await reader({ wechat: true })
    await setPreference(noWechat.id, 'thread_reply', 'wechat', false)
    // Another kind's switch does not apply.
    await setPreference(noWechat.id, 'drop_opening', 'email', false)
    await ping(noEmail.id)
    await ping(noWechat.id)
    expect(await notificationsOf(noEmail.id)).toHaveLength(1)
    expect(await emailsTo(noEmail)).toHaveLength(0)
    expect(await wechatTo(noEmail.id)).toHaveLength(1)
    expect(await notificationsOf(noWechat.id)).toHaveLength(1)
    expect(await emailsTo(noWechat)).toHaveLength(1)
    expect(await wechatTo(noWechat.id)).toHaveLength(0)
  })

  it('sends no WeChat message to a reader without a linked WeChat, and no email to an unverified address', async () => {
    const user = await reader({ emailVerified: false })
    expect(await ping(user.id)).toMatchObject({ created: true, email: false, wechat: false })
    expect(await emailsTo(user)).toHaveLength(0)
    expect(await wechatTo(user.id)).toHaveLength(0)
  })

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const user = await reader({ wechat: true })
    await expect(
      transaction(async (tx) => {
        await notify(tx, { userId: user.id, kind: 'thread_reply', key: 'rolled-back', data: { path: '/', replier: '甲', threadTitle: '标题' } })
        throw new Error('the cause failed')
      }),
    ).rejects.toThrow('the cause failed')
    expect(await notificationsOf(user.id)).toHaveLength(0)
    expect(await emailsTo(user)).toHaveLength(0)
    expect(await wechatTo(user.id)).toHaveLength(0)
  })

  it('in test mode keeps WeChat messages unsent, and /admin/outbox shows them marked 微信（测试模式）', async () => {
    const user = await reader({ wechat: true, displayName: '测试微信读者' })
    await ping(user.id, 'outbox')
    expect(await deliverDueWechatMessages()).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect((await wechatTo(user.id))[0]).toMatchObject({ state: 'pending', testMode: true })
    const { user: admin } = await createTestUser({ role: 'admin' })
    const { cookie } = await signedInCookie(admin.id)
    const page = await outboxLoader(routeArgs(requestFor('/admin/outbox', { cookie })))
    expect(page.wechat.find((m) => m.to === '测试微信读者')).toMatchObject({ testMode: true, title: '甲 回复了你的帖子「标题」' })
  })
})

describe('each kind is created in its cause’s transaction', () => {
  it('a reply to my thread notifies me, not a reply of my own, and not a reply refused by a locked thread', async () => {
    const { sharing } = await seededBoards()
    const author = await reader()
    const replier = await reader({ displayName: '回帖人' })
    const thread = await insertThread({ boardId: sharing.id, authorId: author.id, title: '读书会' })
    const result = await createReply({ threadId: thread.id, authorId: replier.id, body: '我来了' })
    expect(result.ok).toBe(true)
    await createReply({ threadId: thread.id, authorId: author.id, body: '欢迎' })
    const mine = await notificationsOf(author.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ kind: 'thread_reply', data: { replier: '回帖人', threadTitle: '读书会', path: `/community/t/${thread.id}` } })

    const locked = await insertThread({ boardId: sharing.id, authorId: author.id, title: '已锁', locked: true })
    expect((await createReply({ threadId: locked.id, authorId: replier.id, body: '还能回吗' })).ok).toBe(false)
    expect(await notificationsOf(author.id)).toHaveLength(1)
  })

  it('the editor’s reply to my 留言 notifies me once; a reply to a missing 留言 notifies nobody', async () => {
    const daily = await insertDaily()
    const author = await reader()
    const { user: editor } = await createTestUser({ role: 'editor' })
    const [comment] = await db.insert(dailyComments).values({ dailyId: daily.id, authorId: author.id, body: '好文', updatedAt: new Date() }).returning()
    const reply = (text: string, commentId = comment!.id) =>
      moderateComment({ intent: 'reply', commentId, dailyId: daily.id, reply: text, reason: '', actorId: editor.id, now: new Date() })
    expect(await reply('谢谢')).toEqual({ ok: true })
    expect(await reply('谢谢你的留言')).toEqual({ ok: true })
    const mine = await notificationsOf(author.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ kind: 'comment_reply', data: { path: `/daily/${daily.date}/comments`, dailyTitle: daily.title } })
    expect(await reply('没有这条', comment!.id + 999)).toEqual({ ok: false, reason: 'missing' })
    expect(await db.select().from(notifications).where(eq(notifications.kind, 'comment_reply'))).toHaveLength(1)
  })

  it('my order shipped notifies me; a bulk shipment with a refused order rolls back every notification', async () => {
    const { user: admin } = await createTestUser({ role: 'admin' })
    const product = await createTestProduct({ capacity: 10 })
    const buyer = await reader({ wechat: true })
    const paid = async () => {
      const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
      await confirmPayment(paidNotice(order))
      return order
    }
    const first = await paid()
    const second = await paid()
    const bulk = await markOrdersShipped({
      shipments: [
        { orderId: second.id, carrier: '顺丰速运', trackingNumber: 'SF1' },
        { orderId: 999_999, carrier: '顺丰速运', trackingNumber: 'SF2' },
      ],
      actorId: admin.id,
      now: new Date(),
    })
    expect(bulk.ok).toBe(false)
    expect(await notificationsOf(buyer.id)).toHaveLength(0)

    const shipped = await markOrderShipped({ orderId: first.id, shipment: { carrier: '顺丰速运', trackingNumber: 'SF123' }, actorId: admin.id, now: new Date() })
    expect(shipped.ok).toBe(true)
    const mine = await notificationsOf(buyer.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ kind: 'order_shipped', key: `order:${first.id}`, data: { carrier: '顺丰速运', trackingNumber: 'SF123' } })
    // The shipment mails its own receipt; the notification adds WeChat, not a second email.
    expect(await emailsTo(buyer)).toHaveLength(0)
    expect(await wechatTo(buyer.id)).toHaveLength(1)
  })

  it('my refund went through notifies me when the provider returned the money, not when it was requested', async () => {
    const product = await createTestProduct({ capacity: 10 })
    const buyer = await reader()
    const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment(paidNotice(order))
    await requestRefund({ orderId: order.id, actorId: null })
    expect(await notificationsOf(buyer.id)).toHaveLength(0)
    expect(await processPendingRefunds(new Date())).toBeGreaterThanOrEqual(1)
    const mine = await notificationsOf(buyer.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ kind: 'refund_done', data: { orderId: order.id, path: `/orders/${order.id}` } })
    // The refund mails its own receipt, whatever the buyer chose for notifications; no second email.
    expect(await emailsTo(buyer)).toHaveLength(0)
    const receipts = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, buyer.email), eq(emailOutbox.template, 'order-refunded')))
    expect(receipts).toHaveLength(1)
    expect(receipts[0]!.subject).toBe(`知音 · 订单 #${order.id} 的退款 ${formatFen(order.totalFen)} 已退回`)
    expect(receipts[0]!.text).toContain(`${product.title} × 1`)
    expect(receipts[0]!.text).toContain(`/orders/${order.id}`)
  })

  it('a refund emails the buyer even when they turned refund notifications off, and only once', async () => {
    const product = await createTestProduct({ capacity: 10 })
    const buyer = await reader()
    await db.insert(notificationPreferences).values({ userId: buyer.id, kind: 'refund_done', channel: 'email', enabled: false })
    const order = await placeOk({ userId: buyer.id, kind: 'goods', lines: [productLine(product)], now: new Date() })
    await confirmPayment(paidNotice(order))
    await requestRefund({ orderId: order.id, actorId: null })
    await processPendingRefunds(new Date())
    await processPendingRefunds(new Date())
    const receipts = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, buyer.email), eq(emailOutbox.template, 'order-refunded')))
    expect(receipts).toHaveLength(1)
  })
})

// ---- drop reminders ------------------------------------------------------------------------------

async function upcomingDrop(opensInMs: number) {
  const [counter] = await db.insert(counters).values({}).returning()
  const now = Date.now()
  const [drop] = await db
    .insert(drops)
    .values({ name: '2027 会员招募', opensAt: new Date(now + opensInMs), closesAt: new Date(now + opensInMs + 6 * 3600_000), counterId: counter!.id, updatedAt: new Date() })
    .returning()
  return drop!
}

function pressRemind(dropId: number, cookie: string) {
  return membershipAction(routeArgs(requestFor('/membership', { form: { intent: 'remind', dropId: String(dropId) }, cookie })))
}

describe('开启提醒 and the drop reminder', () => {
  it('a reader presses 开启提醒 before the drop opens and is reminded exactly once, 10 minutes before, on every channel they have on', async () => {
    await db.delete(drops)
    const drop = await upcomingDrop(60 * MINUTE)
    const readers = await Promise.all([reader({ wechat: true }), reader({ wechat: true }), reader()])
    for (const user of readers) {
      const { cookie } = await signedInCookie(user.id)
      expect(readRedirect(await pressRemind(drop.id, cookie)).location).toBe('/membership')
      // Pressing twice is harmless.
      readRedirect(await pressRemind(drop.id, cookie))
      const page = await membershipLoader(routeArgs(requestFor('/membership', { cookie })))
      expect(page.viewer?.reminder).toBe(true)
    }
    await setPreference(readers[1]!.id, 'drop_opening', 'email', false)

    // Too early: 11 minutes before opening.
    expect(await sendDueDropReminders(new Date(drop.opensAt.getTime() - 11 * MINUTE))).toBe(0)
    // Two passes at the same moment (as two job ticks would), then a later one.
    const at = new Date(drop.opensAt.getTime() - 10 * MINUTE)
    const passes = await Promise.all([sendDueDropReminders(at), sendDueDropReminders(at)])
    expect(passes[0]! + passes[1]!).toBe(3)
    expect(await sendDueDropReminders(new Date(at.getTime() + MINUTE))).toBe(0)

    for (const user of readers) {
      const mine = await notificationsOf(user.id)
      expect(mine).toHaveLength(1)
      expect(mine[0]).toMatchObject({ kind: 'drop_opening', key: `drop:${drop.id}`, data: { dropName: '2027 会员招募', path: '/membership' } })
    }
    expect(await emailsTo(readers[0]!)).toHaveLength(1)
    expect(await emailsTo(readers[1]!)).toHaveLength(0)
    expect(await emailsTo(readers[2]!)).toHaveLength(1)
    expect(await wechatTo(readers[0]!.id)).toHaveLength(1)
    expect(await wechatTo(readers[1]!.id)).toHaveLength(1)
    expect(await wechatTo(readers[2]!.id)).toHaveLength(0)
  })

  it('refuses 开启提醒 once the drop has opened, and stores nothing', async () => {
    await db.delete(drops)
    const drop = await upcomingDrop(-MINUTE)
    const user = await reader()
    const { cookie } = await signedInCookie(user.id)
    const result = await pressRemind(drop.id, cookie)
    expect(result).toMatchObject({ init: { status: 409 } })
    expect(await db.select().from(dropReminders).where(eq(dropReminders.userId, user.id))).toHaveLength(0)
  })
})

// ---- the reader's pages --------------------------------------------------------------------------

describe('/notifications', () => {
  it('lists only my notifications, newest first, and marks one or all of mine read', async () => {
    const me = await reader()
    const other = await reader()
    await ping(me.id, 'a')
    await ping(me.id, 'b')
    await ping(other.id, 'c')
    const { cookie } = await signedInCookie(me.id)
    const page = await notificationsLoader(routeArgs(requestFor('/notifications', { cookie })))
    const mine = await notificationsOf(me.id)
    expect(page.notifications.map((item) => item.id)).toEqual(mine.map((row) => row.id).sort((a, b) => b - a))

    // Another reader's id changes nothing.
    const [theirs] = await notificationsOf(other.id)
    readRedirect(await notificationsAction(routeArgs(requestFor('/notifications', { form: { intent: 'read', id: String(theirs!.id) }, cookie }))))
    expect((await notificationsOf(other.id))[0]!.readAt).toBeNull()

    readRedirect(await notificationsAction(routeArgs(requestFor('/notifications', { form: { intent: 'read', id: String(mine[0]!.id) }, cookie }))))
    expect((await notificationsOf(me.id)).filter((row) => row.readAt === null)).toHaveLength(1)
    readRedirect(await notificationsAction(routeArgs(requestFor('/notifications', { form: { intent: 'read-all' }, cookie }))))
    expect((await notificationsOf(me.id)).every((row) => row.readAt !== null)).toBe(true)
    expect((await notificationsOf(other.id))[0]!.readAt).toBeNull()
  })
})

describe('notification preferences on /account', () => {
  const save = (cookie: string, form: Record<string, string>) => accountAction(routeArgs(requestFor('/account', { form: { intent: 'notifications', ...form }, cookie })))

  it('saves the signed-in reader’s switches, and a userId in the form cannot change another reader’s', async () => {
    const me = await reader()
    const other = await reader()
    const { cookie } = await signedInCookie(me.id)
    readRedirect(await save(cookie, { 'thread_reply.wechat': 'on', 'news.email': 'on', userId: String(other.id) }))
    const page = await accountLoader(routeArgs(requestFor('/account', { cookie })))
    const threadReply = page.notificationPrefs.kinds.find((k) => k.kind === 'thread_reply')!
    expect(threadReply.channels).toEqual([
      { channel: 'email', enabled: false },
      { channel: 'wechat', enabled: true },
    ])
    expect(page.notificationPrefs.kinds.find((k) => k.kind === 'drop_opening')!.channels.every((c) => !c.enabled)).toBe(true)
    expect(await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, other.id))).toHaveLength(0)
    // And the choice is what notify() follows.
    await ping(me.id, 'after-save')
    expect(await emailsTo(me)).toHaveLength(0)
  })
})
