import { eq, lt } from 'drizzle-orm'
import { wechatMessages } from '../../db/schema'
import { db } from '~/utils/db.server'

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
