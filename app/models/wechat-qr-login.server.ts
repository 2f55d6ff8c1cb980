// 扫码登录 through the Official Account (docs/decisions/021-wechat-sign-in.md): a phone signed in
// to the site approves a desktop's QR code (one row, made by one conditional INSERT), and the
// desktop takes the approval once (one conditional UPDATE). Nothing is stored before a phone
// approves, so showing QR codes to visitors writes nothing.
import { and, eq, gt, isNull, lt } from 'drizzle-orm'
import { wechatQrLogins } from '../../db/schema'
import { db } from '~/utils/db.server'

/** How long a desktop has to notice an approval (it asks every two seconds). */
export const QR_APPROVAL_MS = 2 * 60_000

/** The phone's 确认登录: false when this code was approved before (by anyone). */
export async function approveQrLogin({ id, userId, now }: { id: string; userId: number; now: Date }) {
  const rows = await db
    .insert(wechatQrLogins)
    .values({ id, userId, approvedAt: now, expiresAt: new Date(now.getTime() + QR_APPROVAL_MS) })
    .onConflictDoNothing()
    .returning({ id: wechatQrLogins.id })
  return rows.length === 1
}

export type QrLoginTake = { ok: true; userId: number } | { ok: false; reason: 'waiting' | 'used' | 'expired' }

/** The desktop takes the approval of its code, once: the account to sign in, or why not (yet). */
export async function takeQrLogin({ id, now }: { id: string; now: Date }): Promise<QrLoginTake> {
  const [taken] = await db
    .update(wechatQrLogins)
    .set({ usedAt: now })
    .where(and(eq(wechatQrLogins.id, id), isNull(wechatQrLogins.usedAt), gt(wechatQrLogins.expiresAt, now)))
    .returning({ userId: wechatQrLogins.userId })
  if (taken) return { ok: true, userId: taken.userId }
  const [row] = await db.select({ usedAt: wechatQrLogins.usedAt }).from(wechatQrLogins).where(eq(wechatQrLogins.id, id))
  if (!row) return { ok: false, reason: 'waiting' }
  return { ok: false, reason: row.usedAt ? 'used' : 'expired' }
}

/** Whether a phone has approved this code already (the scan page says so instead of asking again). */
export async function isQrLoginApproved(id: string) {
  const [row] = await db.select({ id: wechatQrLogins.id }).from(wechatQrLogins).where(eq(wechatQrLogins.id, id))
  return row !== undefined
}

/** Approvals a day past their window (the hourly job). */
export async function forgetOldQrLogins(now = new Date()) {
  await db.delete(wechatQrLogins).where(lt(wechatQrLogins.expiresAt, new Date(now.getTime() - 24 * 60 * 60_000)))
}
