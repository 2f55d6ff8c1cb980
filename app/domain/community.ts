// Pure rules of the community boards: who may do what, limits, job expiry. Callers pass `now`.
import { isStaff, type StaffRole } from './access'

export const COMMUNITY_LIMITS = {
  titleMax: 80,
  bodyMax: 20_000,
  replyMax: 5_000,
  threadsPerMinute: 1,
  repliesPerMinute: 6,
  /** Accounts younger than a day may start at most this many threads a day. */
  newAccountThreadsPerDay: 3,
  newAccountMs: 24 * 60 * 60 * 1000,
  editWindowMs: 15 * 60 * 1000,
  jobDefaultDays: 30,
  jobMaxDays: 90,
  pageSize: 20,
} as const

export interface BoardAccessRule {
  readMinRank: number
  postMinRank: number
}

/** A signed-in person as the community sees them; null is a visitor. */
export type CommunityViewer = {
  userId: number
  role: StaffRole
  rank: number
  /** A posting ban in force ends at this instant; null when there is none. */
  bannedUntil: Date | null
} | null

export type PostDecision =
  | { allowed: true }
  | { allowed: false; reason: 'sign_in_required' | 'membership_required' | 'banned'; until?: Date }

export function canReadBoard(board: BoardAccessRule, viewer: CommunityViewer) {
  if (viewer && isStaff(viewer.role)) return true
  return (viewer?.rank ?? 0) >= board.readMinRank
}

/** Starting a thread or replying: signed in, rank enough for the board, not banned. */
export function decidePost(board: BoardAccessRule, viewer: CommunityViewer, now: Date): PostDecision {
  if (!viewer) return { allowed: false, reason: 'sign_in_required' }
  if (viewer.bannedUntil && viewer.bannedUntil > now) return { allowed: false, reason: 'banned', until: viewer.bannedUntil }
  if (isStaff(viewer.role) || viewer.rank >= board.postMinRank) return { allowed: true }
  return { allowed: false, reason: 'membership_required' }
}

export function canModerate(viewer: CommunityViewer) {
  return viewer !== null && isStaff(viewer.role)
}

/**
 * The author may edit a thread or reply for 15 minutes after posting — unless a posting ban is
 * in force: an edit is new content too.
 */
export function canEdit(post: { authorId: number; createdAt: Date }, viewer: CommunityViewer, now: Date) {
  if (viewer === null || viewer.userId !== post.authorId) return false
  if (viewer.bannedUntil && viewer.bannedUntil > now) return false
  return now.getTime() - post.createdAt.getTime() <= COMMUNITY_LIMITS.editWindowMs
}

export function canDelete(post: { authorId: number }, viewer: CommunityViewer) {
  return viewer !== null && viewer.userId === post.authorId
}

/** Job contact details: signed-in members (rank ≥ 1) and staff only. */
export function canSeeContact(viewer: CommunityViewer) {
  return viewer !== null && (isStaff(viewer.role) || viewer.rank >= 1)
}

export function isJobExpired(thread: { expiresAt: Date | null }, now: Date) {
  return thread.expiresAt !== null && thread.expiresAt <= now
}

/** The author may renew a job post once: it then runs for the default period from now. */
export function canRenew(thread: { authorId: number; expiresAt: Date | null; renewedAt: Date | null }, viewer: CommunityViewer) {
  return viewer !== null && viewer.userId === thread.authorId && thread.expiresAt !== null && thread.renewedAt === null
}

/** Hidden content is gone for everyone but staff and its author. */
export function canSeeHidden(post: { authorId: number }, viewer: CommunityViewer) {
  return viewer !== null && (isStaff(viewer.role) || viewer.userId === post.authorId)
}

const DAY_MS = 24 * 60 * 60 * 1000
export function jobExpiry(now: Date, days: number = COMMUNITY_LIMITS.jobDefaultDays) {
  return new Date(now.getTime() + days * DAY_MS)
}
