// What a viewer of a daily sees of its 留言, and whether they may leave one
// (docs/decisions/019-daily-comments.md). The daily page's loader and the 留言 action both ask
// here, so the page never offers a form the action would refuse.
//
// Who sees what:
// - featured 留言 (never hidden: hiding unfeatures): everyone, visitors included, in the
//   editor's order, with the editor's reply;
// - my own 留言 that are not featured: only me, marked 「仅自己可见，精选后公开」;
// - a hidden 留言: only its author, with the editor's reason (as the community shows a hidden
//   reply to its author), so they know why it will not go public. Nobody else, ever.
import type { Daily } from '../../db/schema'
import { checkAccess, isStaff } from '~/domain/access'
import { isDailyLive } from '~/domain/daily'
import type { CommentGate, DailyCommentsView } from '~/domain/daily-comments'
import { listFeaturedComments, listOwnUnfeaturedComments } from '~/models/daily-comment.server'
import { getPostingBan } from '~/models/moderation.server'
import { canReadDaily } from './daily-view.server'
import { getEnv } from './env.server'
import { formatDateTime } from './format'
import type { KeywordReader } from './keyword-reply.server'

/** May this reader leave a 留言 under the daily: signed in, able to read it, not banned. */
export async function decideComment(reader: KeywordReader, daily: Pick<Daily, 'id' | 'minRank' | 'state' | 'publishAt'>, now: Date): Promise<CommentGate> {
  // Staff preview drafts and scheduled dailies; nobody leaves 留言 under them.
  if (!isDailyLive(daily, now)) return { allowed: false, reason: 'not_live' }
  if (reader.userId === null) return { allowed: false, reason: 'sign_in_required' }
  if (!(await canReadDaily(reader, daily, now))) {
    const tierOk = checkAccess({ minRank: daily.minRank }, reader.viewer, now).granted
    return { allowed: false, reason: tierOk ? 'keyword_required' : 'tier_required' }
  }
  // The same ban that stops community posts.
  const ban = await getPostingBan(reader.userId, now)
  if (ban) return { allowed: false, reason: 'banned', until: ban.until }
  return { allowed: true }
}

export async function presentDailyComments(daily: Pick<Daily, 'id' | 'date' | 'minRank' | 'state' | 'publishAt'>, reader: KeywordReader, now: Date): Promise<DailyCommentsView> {
  const timeZone = getEnv().SITE_TIMEZONE
  const [featured, mine, gate] = await Promise.all([
    listFeaturedComments(daily.id, reader.userId),
    reader.userId === null ? [] : listOwnUnfeaturedComments(daily.id, reader.userId),
    decideComment(reader, daily, now),
  ])
  return {
    date: daily.date,
    featured: featured.map(({ authorId, ...comment }) => ({ ...comment, mine: authorId === reader.userId })),
    mine: mine.map(({ hiddenAt, hiddenReason, ...comment }) => ({ ...comment, hiddenReason: hiddenAt ? (hiddenReason ?? '') : null })),
    gate: gate.allowed || gate.reason !== 'banned' ? gate : { allowed: false, reason: 'banned', until: formatDateTime(gate.until, timeZone) },
    canLike: reader.userId !== null,
    manageUrl: reader.viewer && isStaff(reader.viewer.role) ? `/admin/posts/${daily.id}/comments` : null,
    timeZone,
  }
}
