import { presentGate } from '~/components/community'
import { canReadBoard, canSeeHidden, decidePost, type BoardAccessRule, type CommunityViewer } from '~/domain/community'
import { activeRank } from '~/domain/membership'
import { t } from '~/i18n/zh-CN'
import { getThread } from '~/models/community.server'
import { listTiers } from '~/models/membership.server'
import { getPostingBan } from '~/models/moderation.server'
import { getAuth } from './auth.server'
import { getEnv } from './env.server'

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

/**
 * Whether this viewer may post and reply on a board, and if not what they are told (who may, and
 * how to become one: decision 040). The pages show it before anyone tries; the actions refuse with
 * the same message.
 */
export async function postingGate(board: BoardAccessRule, viewer: CommunityViewer, now: Date) {
  const decision = decidePost(board, viewer, now)
  if (decision.allowed) return presentGate(decision, { timeZone: getEnv().SITE_TIMEZONE, tierName: null })
  return presentGate(decision, { timeZone: getEnv().SITE_TIMEZONE, tierName: await postTierName(board) })
}

/** The name of the lowest tier that may post on a board (「亲情会员」), or null when any account may. */
async function postTierName(board: BoardAccessRule) {
  if (board.postMinRank <= 0) return null
  const tier = (await listTiers()).find((row) => row.rank === board.postMinRank)
  return tier?.name ?? t.community.anyMember
}
