// A reader's notifications (the bell, /notifications), their preferences per kind × channel, and
// drop reminders (「开启提醒」). Creating notifications is notify() in app/utils/notify.server.ts.
import { and, count, desc, eq, gt, isNull, lte, sql } from 'drizzle-orm'
import { dropReminders, drops, notificationPreferences, notifications, wechatIdentities } from '../../db/schema'
import { DROP_REMINDER_LEAD_MS, KIND_CHANNELS, NOTIFICATION_KIND_LIST, wantsChannel, type NotificationKindName, type OptionalChannel } from '~/domain/notification'
import { db, transaction } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { formatDateTime } from '~/utils/format'
import { notify } from '~/utils/notify.server'
import { wechatMode } from '~/utils/wechat-api.server'

export const NOTIFICATIONS_PAGE_SIZE = 50

/** The reader's own notifications, newest first (ownership in the query). */
export function listNotifications(userId: number, { limit = NOTIFICATIONS_PAGE_SIZE } = {}) {
  return db
    .select({ id: notifications.id, kind: notifications.kind, data: notifications.data, readAt: notifications.readAt, createdAt: notifications.createdAt })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(limit)
}

// The bell of every signed-in page: built once, not on each request (decision 032).
const countUnreadStatement = db
  .select({ n: count() })
  .from(notifications)
  .where(and(eq(notifications.userId, sql.placeholder('userId')), isNull(notifications.readAt)))
  .prepare()

export async function countUnread(userId: number) {
  const [row] = await countUnreadStatement.all({ userId })
  return row?.n ?? 0
}

/** Marks one of the reader's notifications read; another reader's id changes nothing. */
export async function markNotificationRead({ id, userId, now = new Date() }: { id: number; userId: number; now?: Date }) {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return rows.length > 0
}

export async function markAllNotificationsRead({ userId, now = new Date() }: { userId: number; now?: Date }) {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return rows.length
}

// ---- preferences ----------------------------------------------------------------------------------

export interface PreferenceView {
  kind: NotificationKindName
  channels: { channel: OptionalChannel; enabled: boolean }[]
}

/** Every kind with its switchable channels and whether each is on for this reader. */
export async function getNotificationPreferences(userId: number) {
  const [rows, identity] = await Promise.all([
    db
      .select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel, enabled: notificationPreferences.enabled })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId)),
    hasWechatIdentity(userId),
  ])
  const kinds: PreferenceView[] = NOTIFICATION_KIND_LIST.map((kind) => ({
    kind,
    channels: KIND_CHANNELS[kind].map((channel) => ({ channel, enabled: wantsChannel(rows, kind, channel) })),
  }))
  return { kinds, wechatLinked: identity }
}

async function hasWechatIdentity(userId: number) {
  const mode = wechatMode()
  if (mode.kind === 'off') return false
  const appId = mode.kind === 'live' ? mode.appId : 'test'
  const [row] = await db
    .select({ id: wechatIdentities.id })
    .from(wechatIdentities)
    .where(and(eq(wechatIdentities.userId, userId), eq(wechatIdentities.appId, appId)))
    .limit(1)
  return Boolean(row)
}

/** Stores the reader's choice for every switchable kind × channel: on when listed in `enabled`. */
export async function saveNotificationPreferences({ userId, enabled }: { userId: number; enabled: ReadonlySet<string> }) {
  const values = NOTIFICATION_KIND_LIST.flatMap((kind) =>
    KIND_CHANNELS[kind].map((channel) => ({ userId, kind, channel, enabled: enabled.has(`${kind}.${channel}`) })),
  )
  await db
    .insert(notificationPreferences)
    .values(values)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel],
      set: { enabled: sql`excluded.enabled` },
    })
}

// ---- drop reminders -------------------------------------------------------------------------------

export type DropReminderResult = { ok: true } | { ok: false; reason: 'not_upcoming' }

/** 「开启提醒」: remember to remind this reader before the drop opens (asking twice is harmless). */
export async function requestDropReminder({ dropId, userId, now = new Date() }: { dropId: number; userId: number; now?: Date }): Promise<DropReminderResult> {
  // One statement: the drop must still be upcoming when the request is stored.
  const inserted = await db.run(sql`
    INSERT INTO drop_reminders (drop_id, user_id, created_at)
    SELECT ${drops.id}, ${userId}, ${now.getTime()} FROM ${drops} WHERE ${drops.id} = ${dropId} AND ${drops.opensAt} > ${now.getTime()}
    ON CONFLICT DO NOTHING`)
  if (inserted.rowsAffected > 0) return { ok: true }
  return (await hasDropReminder({ dropId, userId })) ? { ok: true } : { ok: false, reason: 'not_upcoming' }
}

export async function hasDropReminder({ dropId, userId }: { dropId: number; userId: number }) {
  const [row] = await db
    .select({ dropId: dropReminders.dropId })
    .from(dropReminders)
    .where(and(eq(dropReminders.dropId, dropId), eq(dropReminders.userId, userId)))
  return Boolean(row)
}

/**
 * Reminds every reader who asked, once, from DROP_REMINDER_LEAD_MS before a drop opens until it
 * closes. Each reminder is claimed (reminded_at set) and notified in one transaction; the
 * notification's unique key makes a second process's attempt a no-op. Returns how many were sent.
 */
export async function sendDueDropReminders(now = new Date(), limit = 200) {
  const due = await db
    .select({ dropId: dropReminders.dropId, userId: dropReminders.userId, name: drops.name, opensAt: drops.opensAt })
    .from(dropReminders)
    .innerJoin(drops, eq(drops.id, dropReminders.dropId))
    .where(and(isNull(dropReminders.remindedAt), lte(drops.opensAt, new Date(now.getTime() + DROP_REMINDER_LEAD_MS)), gt(drops.closesAt, now)))
    .limit(limit)
  let sent = 0
  const timeZone = getEnv().SITE_TIMEZONE
  for (const reminder of due) {
    const created = await transaction(async (tx) => {
      const claimed = await tx
        .update(dropReminders)
        .set({ remindedAt: now })
        .where(and(eq(dropReminders.dropId, reminder.dropId), eq(dropReminders.userId, reminder.userId), isNull(dropReminders.remindedAt)))
        .returning({ dropId: dropReminders.dropId })
      if (claimed.length === 0) return false
      const result = await notify(
        tx,
        {
          userId: reminder.userId,
          kind: 'drop_opening',
          key: `drop:${reminder.dropId}`,
          data: { path: '/membership', dropName: reminder.name, opensAt: formatDateTime(reminder.opensAt, timeZone) },
        },
        now,
      )
      return result.created
    })
    if (created) sent++
  }
  return sent
}
