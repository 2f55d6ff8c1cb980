// One way to notify a reader (docs/decisions/023-notifications.md): notify() writes the
// notification (the bell) and one delivery row per channel the reader has on, all inside the
// caller's transaction, so a cause that rolls back notifies nobody. Email goes through the email
// outbox; WeChat template messages through wechat_outbox, sent by deliverDueWechatMessages().
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { notificationPreferences, notifications, users, wechatIdentities, wechatOutbox, type WechatOutboxMessage } from '../../db/schema'
import { notificationTitle, wantsChannel, type NotificationData, type NotificationKindName } from '~/domain/notification'
import { notificationEmail } from '~/emails/notification'
import { t } from '~/i18n/zh-CN'
import { db, type Executor } from './db.server'
import { MAX_ATTEMPTS, retryDelayMs, sendEmails, type DeliveryReport } from './email.server'
import { getEnv } from './env.server'
import { formatDateTime } from './format'
import { callWechatApi, WechatApiError, wechatMode } from './wechat-api.server'

export interface NotifyInput {
  userId: number
  kind: NotificationKindName
  /** The event, unique per reader and kind: notifying twice for one key notifies once. */
  key: string
  data: NotificationData & { path: string }
}

export type NotifyResult = { created: false } | { created: true; id: number; email: boolean; wechat: boolean }

/** Where WeChat messages go now: the Official Account (live), the simulated one (test), or nowhere. */
function wechatTarget() {
  const mode = wechatMode()
  if (mode.kind === 'live') {
    const templateId = getEnv().WECHAT_TEMPLATE_ID
    // Without a template WeChat cannot be messaged: the reader still has the bell and email.
    return templateId ? { appId: mode.appId, templateId, testMode: false } : null
  }
  if (mode.kind === 'test') return { appId: 'test', templateId: getEnv().WECHAT_TEMPLATE_ID ?? 'test-template', testMode: true }
  return null
}

/** Creates the notification and its deliveries in `tx`; a second call for the same event does nothing. */
export async function notify(tx: Executor, { userId, kind, key, data }: NotifyInput, now = new Date()): Promise<NotifyResult> {
  const [row] = await tx
    .insert(notifications)
    .values({ userId, kind, key, data, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: notifications.id })
  if (!row) return { created: false }

  const [user] = await tx.select({ email: users.email, name: users.displayName, verified: users.emailVerified }).from(users).where(eq(users.id, userId))
  const prefs = await tx
    .select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel, enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.kind, kind)))
  const title = notificationTitle(kind, data)
  const url = `${getEnv().SITE_URL}${data.path}`

  // Mail only to addresses the reader proved are theirs (decision 014).
  const email = Boolean(user?.verified) && wantsChannel(prefs, kind, 'email')
  if (email && user) {
    await sendEmails([{ ...notificationEmail({ name: user.name, title, url }), to: user.email, template: `notification-${kind}` }], tx, now)
  }

  let wechat = false
  const target = wantsChannel(prefs, kind, 'wechat') ? wechatTarget() : null
  if (target) {
    const [identity] = await tx
      .select({ openid: wechatIdentities.openid })
      .from(wechatIdentities)
      .where(and(eq(wechatIdentities.userId, userId), eq(wechatIdentities.appId, target.appId)))
      .limit(1)
    if (identity) {
      const payload = {
        touser: identity.openid,
        template_id: target.templateId,
        url,
        data: {
          first: { value: title },
          keyword1: { value: t.notifications.kinds[kind] },
          keyword2: { value: formatDateTime(now, getEnv().SITE_TIMEZONE) },
          remark: { value: t.notifications.emailOpen },
        },
      }
      await tx.insert(wechatOutbox).values({
        notificationId: row.id,
        openid: identity.openid,
        templateId: target.templateId,
        payload,
        testMode: target.testMode,
        nextAttemptAt: now,
        createdAt: now,
      })
      wechat = true
    }
  }
  return { created: true, id: row.id, email, wechat }
}

// ---- WeChat delivery ------------------------------------------------------------------------------

/** How long a claimed message is reserved for one sender before another may retry it. */
const LOCK_MS = 60_000
/** WeChat's answers that will not change on retry: the reader does not follow the account (43004),
 * the openid (40003) or the template (40037) is not valid for this account. */
export const FINAL_WECHAT_ERRORS = new Set([43004, 40003, 40037])

/** Claims one due live message atomically (one statement), so two senders never take the same one. */
async function claimNextWechatMessage(now: Date): Promise<WechatOutboxMessage | undefined> {
  const due = db
    .select({ id: wechatOutbox.id })
    .from(wechatOutbox)
    .where(
      and(
        eq(wechatOutbox.testMode, false),
        or(
          and(eq(wechatOutbox.state, 'pending'), lte(wechatOutbox.nextAttemptAt, now)),
          and(eq(wechatOutbox.state, 'sending'), lt(wechatOutbox.lockedUntil, now)),
        ),
      ),
    )
    .orderBy(asc(wechatOutbox.id))
    .limit(1)
  const [row] = await db
    .update(wechatOutbox)
    .set({ state: 'sending', attempts: sql`${wechatOutbox.attempts} + 1`, lockedUntil: new Date(now.getTime() + LOCK_MS) })
    .where(inArray(wechatOutbox.id, due))
    .returning()
  return row
}

/**
 * Sends due template messages through WeChat. Outside live mode nothing is sent: test-mode rows
 * stay in /admin/outbox marked 微信（测试模式）. A rate limit (45009) or a network failure backs off
 * like the email outbox; an answer in FINAL_WECHAT_ERRORS fails the message at once.
 */
export async function deliverDueWechatMessages({ now = () => new Date(), limit = 50 } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0, retrying: 0 }
  if (wechatMode().kind !== 'live') return report
  for (let i = 0; i < limit; i++) {
    const message = await claimNextWechatMessage(now())
    if (!message) break
    try {
      const answer = await callWechatApi<{ msgid?: number | string }>('/cgi-bin/message/template/send', { body: message.payload })
      await db
        .update(wechatOutbox)
        .set({ state: 'sent', sentAt: now(), msgid: answer.msgid === undefined ? null : String(answer.msgid), lockedUntil: null, lastError: null })
        .where(and(eq(wechatOutbox.id, message.id), eq(wechatOutbox.state, 'sending'), isNull(wechatOutbox.sentAt)))
      report.sent++
    } catch (error) {
      const final = error instanceof WechatApiError && FINAL_WECHAT_ERRORS.has(error.errcode)
      const giveUp = final || message.attempts >= MAX_ATTEMPTS
      await db
        .update(wechatOutbox)
        .set({
          state: giveUp ? 'failed' : 'pending',
          lockedUntil: null,
          lastError: error instanceof Error ? error.message : String(error),
          nextAttemptAt: new Date(now().getTime() + retryDelayMs(message.attempts)),
        })
        .where(and(eq(wechatOutbox.id, message.id), eq(wechatOutbox.state, 'sending')))
      if (giveUp) report.failed++
      else report.retrying++
    }
  }
  return report
}

/** The newest WeChat messages for /admin/outbox, with the reader they were for. */
export function listWechatOutbox({ limit = 30 } = {}) {
  return db
    .select({
      id: wechatOutbox.id,
      state: wechatOutbox.state,
      testMode: wechatOutbox.testMode,
      createdAt: wechatOutbox.createdAt,
      lastError: wechatOutbox.lastError,
      kind: notifications.kind,
      data: notifications.data,
      userName: users.displayName,
    })
    .from(wechatOutbox)
    .innerJoin(notifications, eq(notifications.id, wechatOutbox.notificationId))
    .innerJoin(users, eq(users.id, notifications.userId))
    .orderBy(sql`${wechatOutbox.id} desc`)
    .limit(limit)
}
