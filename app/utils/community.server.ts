import type { CommunityViewer } from '~/domain/community'
import { activeRank } from '~/domain/membership'
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
