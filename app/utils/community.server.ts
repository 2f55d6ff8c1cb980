import { canReadBoard, canSeeHidden, type CommunityViewer } from '~/domain/community'
import { activeRank } from '~/domain/membership'
import { t } from '~/i18n/zh-CN'
import { getThread } from '~/models/community.server'
import { getPostingBan } from '~/models/moderation.server'
import { getAuth } from './auth.server'

/** The community's view of this request's user: rank from active memberships, ban in force. */
export async function getCommunityViewer(request: Request, now = new Date()) {
  const auth = await getAuth(request)
  if (!auth) return { viewer: null as CommunityViewer, user: null }
  const ban = await getPostingBan(auth.user.id, now)
  const viewer: CommunityViewer = {
    userId: auth.user.id,
    role: auth.user.role,
    rank: activeRank(auth.memberships, now),
    bannedUntil: ban?.until ?? null,
  }
  return { viewer, user: auth.user }
}

/**
 * The thread this viewer may see, or a thrown 404/403: ids are digits; deleted threads are gone
 * for everyone, hidden ones for all but staff and the author; the board's read rule applies.
 */
export async function requireVisibleThread(request: Request, idParam: string | undefined, now = new Date()) {
  const notFound = () => new Response(t.pages.notFound.body, { status: 404 })
  if (!/^[1-9]\d{0,15}$/.test(idParam ?? '')) throw notFound()
  const [thread, { viewer, user }] = await Promise.all([getThread(Number(idParam)), getCommunityViewer(request, now)])
  if (!thread || thread.deletedAt) throw notFound()
  if (thread.hiddenAt && !canSeeHidden(thread, viewer)) throw notFound()
  if (!canReadBoard(thread.board, viewer)) throw new Response(t.community.readRestricted, { status: 403 })
  return { thread, viewer, user }
}
