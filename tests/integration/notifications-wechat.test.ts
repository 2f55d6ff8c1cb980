// WeChat delivery of notifications with the Official Account's keys (live mode), WeChat itself
// intercepted by msw: a template message is sent once, 43004 / 40003 fail it for good, 45009
// backs off and is retried later, a stale token (42001) is refreshed by callWechatApi.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { notifications, wechatIdentities, wechatOutbox } from '../../db/schema'
import { createTestUser } from '../factories/users'
import { failWechatNext, interceptWechat, WECHAT_APPID, wechatCallsTo } from '../mocks/wechat'

const TEMPLATE = 'TPL_notice_0123456789'
process.env.WECHAT_TEMPLATE_ID = TEMPLATE
interceptWechat()
const { deliverDueWechatMessages, notify } = await import('~/utils/notify.server')
const { retryDelayMs } = await import('~/utils/email.server')
const { getAccessToken } = await import('~/utils/wechat-api.server')
const { db, transaction } = await import('~/utils/db.server')

const SEND = '/cgi-bin/message/template/send'
let sequence = 0

/** A reader following the Official Account, notified once; returns their queued message's id. */
async function queuedMessage(now = new Date()) {
  const { user } = await createTestUser()
  const openid = `o-live-${user.id}`
  await db.insert(wechatIdentities).values({ userId: user.id, appId: WECHAT_APPID, openid })
  const result = await transaction((tx) =>
    notify(tx, { userId: user.id, kind: 'thread_reply', key: `live-${++sequence}`, data: { path: '/community/t/7', replier: '乙', threadTitle: '早读' } }, now),
  )
  expect(result).toMatchObject({ created: true, wechat: true })
  const [row] = await db
    .select()
    .from(wechatOutbox)
    .innerJoin(notifications, eq(notifications.id, wechatOutbox.notificationId))
    .where(eq(notifications.userId, user.id))
  return { id: row!.wechat_outbox.id, openid }
}

const messageRow = async (id: number) => (await db.select().from(wechatOutbox).where(eq(wechatOutbox.id, id)))[0]!

async function drain(now = new Date()) {
  return deliverDueWechatMessages({ now: () => now })
}

describe('WeChat template messages in live mode', () => {
  it('sends a due message once, to the reader’s openid with the configured template, and records WeChat’s msgid', async () => {
    const { id, openid } = await queuedMessage()
    const before = wechatCallsTo(SEND).length
    expect(await drain()).toEqual({ sent: 1, failed: 0, retrying: 0 })
    expect(await drain()).toEqual({ sent: 0, failed: 0, retrying: 0 })
    const calls = wechatCallsTo(SEND).slice(before)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.body).toMatchObject({ touser: openid, template_id: TEMPLATE, url: 'http://localhost:3000/community/t/7', data: { first: { value: '乙 回复了你的帖子「早读」' } } })
    expect(await messageRow(id)).toMatchObject({ state: 'sent', testMode: false, attempts: 1, lockedUntil: null })
    expect((await messageRow(id)).msgid).toMatch(/^\d+$/)
  })

  it.each([
    [43004, 'require subscribe'],
    [40003, 'invalid openid'],
  ])('an answer of %i (%s) fails the message for good: no retry', async (errcode, errmsg) => {
    const { id } = await queuedMessage()
    failWechatNext(SEND, errcode, errmsg)
    expect(await drain()).toEqual({ sent: 0, failed: 1, retrying: 0 })
    const before = wechatCallsTo(SEND).length
    expect(await drain(new Date(Date.now() + 24 * 3600_000))).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect(wechatCallsTo(SEND).length).toBe(before)
    expect(await messageRow(id)).toMatchObject({ state: 'failed', attempts: 1 })
    expect((await messageRow(id)).lastError).toContain(String(errcode))
  })

  it('a rate limit (45009) backs off: not retried before the delay, sent after it', async () => {
    const now = new Date()
    const { id } = await queuedMessage(now)
    failWechatNext(SEND, 45009, 'reach max api daily quota limit')
    expect(await drain(now)).toEqual({ sent: 0, failed: 0, retrying: 1 })
    const waiting = await messageRow(id)
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 })
    expect(waiting.nextAttemptAt.getTime()).toBe(now.getTime() + retryDelayMs(1))
    expect(await drain(new Date(now.getTime() + retryDelayMs(1) - 1000))).toEqual({ sent: 0, failed: 0, retrying: 0 })
    expect(await drain(new Date(now.getTime() + retryDelayMs(1)))).toEqual({ sent: 1, failed: 0, retrying: 0 })
    expect(await messageRow(id)).toMatchObject({ state: 'sent', attempts: 2 })
  })

  it('a stale access token (42001) is refreshed once and the message sent in the same pass', async () => {
    const { id } = await queuedMessage()
    await getAccessToken()
    const tokensBefore = wechatCallsTo('/cgi-bin/token').length
    failWechatNext(SEND, 42001, 'access_token expired')
    expect(await drain()).toEqual({ sent: 1, failed: 0, retrying: 0 })
    expect(wechatCallsTo('/cgi-bin/token').length - tokensBefore).toBe(1)
    expect(await messageRow(id)).toMatchObject({ state: 'sent', attempts: 1 })
  })

  it('two senders at once send each of 6 messages exactly once', async () => {
    const ids = []
    for (let i = 0; i < 6; i++) ids.push((await queuedMessage()).id)
    const before = wechatCallsTo(SEND).length
    const reports = await Promise.all([drain(), drain()])
    expect(reports[0]!.sent + reports[1]!.sent).toBe(6)
    expect(wechatCallsTo(SEND).length - before).toBe(6)
    for (const id of ids) expect(await messageRow(id)).toMatchObject({ state: 'sent', attempts: 1 })
  })
})
