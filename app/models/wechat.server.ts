import { eq, lt } from 'drizzle-orm'
import { wechatMessages, wechatNonces } from '../../db/schema'
import { db } from '~/utils/db.server'
import { SIGNATURE_WINDOW_MS } from '~/utils/wechat.server'

async function storedReply(msgKey: string) {
  const row = await db.query.wechatMessages.findFirst({ columns: { reply: true }, where: eq(wechatMessages.msgKey, msgKey) })
  return row?.reply
}

/**
 * WeChat retries a message it got no answer to within 5 s (up to three times): each retry gets
 * the reply stored for the first. Two retries racing both compose, the first insert wins, and
 * both send what was stored.
 */
export async function replyOnce(msgKey: string, compose: () => Promise<string>) {
  const stored = await storedReply(msgKey)
  if (stored !== undefined) return stored
  const reply = await compose()
  await db.insert(wechatMessages).values({ msgKey, reply }).onConflictDoNothing()
  return (await storedReply(msgKey)) ?? reply
}

/** WeChat stops retrying after about 15 s; stored replies older than a day are kept no longer. */
export async function forgetOldWechatReplies(now = new Date()) {
  await db.delete(wechatMessages).where(lt(wechatMessages.createdAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)))
}

/**
 * Takes the nonce of a signed call: false when a call with it was taken before (a replay). The
 * database, not the process, remembers, so a replay sent to another instance is refused too.
 * Nonces signed before the window are forgotten on the way: a call that old is refused as stale.
 */
export async function claimWechatNonce({ nonce, signedAt, now }: { nonce: string; signedAt: Date; now: Date }) {
  const [, claimed] = await db.batch([
    db.delete(wechatNonces).where(lt(wechatNonces.signedAt, new Date(now.getTime() - SIGNATURE_WINDOW_MS))),
    db.insert(wechatNonces).values({ nonce, signedAt }).onConflictDoNothing().returning({ nonce: wechatNonces.nonce }),
  ])
  return claimed.length === 1
}
