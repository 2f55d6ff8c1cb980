// @mentions in community threads and replies (issue 13): the readers a post names are notified in
// the post's transaction. 留言 are private until featured, so they never notify mentions.
import { inArray } from 'drizzle-orm'
import { users } from '../../db/schema'
import { canReadBoard, type BoardAccessRule } from '~/domain/community'
import { activeRank } from '~/domain/membership'
import { parseMentions } from '~/domain/mention'
import type { Executor } from '~/utils/db.server'
import { notify } from '~/utils/notify.server'
import { getMembershipPeriods } from './membership.server'

export interface MentionPost {
  text: string
  authorId: number
  authorName: string
  board: BoardAccessRule
  threadTitle: string
  path: string
  /** One per post: `thread:<id>` or `reply:<id>`. */
  key: string
  /** Readers this post already notifies another way (the thread's author gets thread_reply). */
  alreadyNotified: readonly number[]
}

/**
 * Notifies each reader the post mentions by display name, once, except its author, readers
 * already notified and readers who may not read the board (the title would leak). Display names
 * are not unique: a name two readers share is ambiguous and notifies neither. Returns who was notified.
 */
export async function notifyMentions(tx: Executor, post: MentionPost, now: Date) {
  const names = parseMentions(post.text)
  if (names.length === 0) return []
  const found = await tx.select({ id: users.id, name: users.displayName, role: users.role }).from(users).where(inArray(users.displayName, names))
  const notified: number[] = []
  for (const name of names) {
    const matches = found.filter((user) => user.name === name)
    const user = matches.length === 1 ? matches[0]! : null
    if (!user || user.id === post.authorId || post.alreadyNotified.includes(user.id) || notified.includes(user.id)) continue
    const rank = activeRank(await getMembershipPeriods(user.id, tx), now)
    if (!canReadBoard(post.board, { userId: user.id, role: user.role, rank, bannedUntil: null })) continue
    const data = { path: post.path, author: post.authorName, threadTitle: post.threadTitle }
    await notify(tx, { userId: user.id, kind: 'mention', key: post.key, data }, now)
    notified.push(user.id)
  }
  return notified
}
