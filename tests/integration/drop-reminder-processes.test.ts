// Two server processes run the drop-reminder job on one database file at the same moment, as two
// instances would: every reader who pressed 开启提醒 gets exactly one reminder per channel.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { eq, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { counters, dropReminders, drops, emailOutbox, notifications, wechatIdentities, wechatOutbox } from '../../db/schema'
import { requestDropReminder } from '~/models/notification.server'
import { db } from '~/utils/db.server'
import { createTestUser } from '../factories/users'
import { startLineEnv } from '../support/start-together'

const run = promisify(execFile)
const WORKER = fileURLToPath(new URL('../support/drop-reminder-worker.ts', import.meta.url))
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
const READERS = 30

describe('the drop reminder job in two processes', () => {
  it(`reminds each of ${READERS} readers exactly once on the bell, by email and on WeChat`, async () => {
    const [counter] = await db.insert(counters).values({}).returning()
    const opensAt = new Date(Date.now() + 3600_000)
    const [drop] = await db
      .insert(drops)
      .values({ name: '2027 会员招募', opensAt, closesAt: new Date(opensAt.getTime() + 6 * 3600_000), counterId: counter!.id, updatedAt: new Date() })
      .returning()
    const userIds: number[] = []
    for (let i = 0; i < READERS; i++) {
      const { user } = await createTestUser()
      await db.insert(wechatIdentities).values({ userId: user.id, appId: 'test', openid: `o-proc-${user.id}` })
      expect(await requestDropReminder({ dropId: drop!.id, userId: user.id })).toEqual({ ok: true })
      userIds.push(user.id)
    }
    // Each process needs a few seconds to load; they begin once both have, 9 minutes before opening.
    const startLine = startLineEnv(2)
    const now = String(opensAt.getTime() - 9 * 60_000)
    const workers = await Promise.all(
      [1, 2].map(() => run(TSX, [WORKER], { env: { ...process.env, NODE_ENV: 'test', ...startLine, NOW: now }, timeout: 90_000 })),
    )
    const sent = workers.map(({ stdout }) => (JSON.parse(stdout.trim().split('\n').at(-1)!) as { sent: number }).sent)
    expect(sent[0]! + sent[1]!).toBe(READERS)

    const rows = await db.select().from(notifications).where(eq(notifications.kind, 'drop_opening'))
    expect(rows.map((row) => row.userId).sort((a, b) => a - b)).toEqual(userIds)
    expect(await db.select().from(wechatOutbox)).toHaveLength(READERS)
    expect(await db.select().from(emailOutbox).where(like(emailOutbox.template, 'notification-drop_opening'))).toHaveLength(READERS)
    expect((await db.select().from(dropReminders)).every((row) => row.remindedAt !== null)).toBe(true)
  }, 90_000)
})
