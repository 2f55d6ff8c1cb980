// 留言 under dailies: limits, and the shapes the page receives (docs/decisions/019-daily-comments.md).
// Pure and free of server code, so the component can import it.
import { COMMUNITY_LIMITS } from './community'

export const DAILY_COMMENT_LIMITS = {
  bodyMax: 500,
  replyMax: 500,
  reasonMax: 200,
  /** The same pace as community replies. */
  perMinute: COMMUNITY_LIMITS.repliesPerMinute,
  /** A ban from the 留言 admin page lasts this long (as a ban from a report does). */
  banDays: 7,
} as const

/** Why a reader may not leave a 留言 under a daily; `allowed` when they may. */
export type CommentGate =
  | { allowed: true }
  | { allowed: false; reason: 'not_live' | 'sign_in_required' | 'tier_required' | 'keyword_required' }
  | { allowed: false; reason: 'banned'; until: Date }

/** A featured 留言 as everyone sees it. */
export interface FeaturedCommentView {
  id: number
  authorName: string
  body: string
  createdAt: Date
  likeCount: number
  likedByMe: boolean
  mine: boolean
  editorReply: string | null
}

/** One of my own 留言 that is not featured: only I see it (hiddenReason when an editor hid it). */
export interface OwnCommentView {
  id: number
  body: string
  createdAt: Date
  hiddenReason: string | null
}

export type CommentGateView =
  | { allowed: true }
  | { allowed: false; reason: 'not_live' | 'sign_in_required' | 'tier_required' | 'keyword_required' }
  | { allowed: false; reason: 'banned'; until: string }

export interface DailyCommentsView {
  date: string
  featured: FeaturedCommentView[]
  mine: OwnCommentView[]
  gate: CommentGateView
  /** Signed-in readers may like featured 留言. */
  canLike: boolean
  /** The moderation page, for staff. */
  manageUrl: string | null
  timeZone: string
}

export const COMMENT_MODERATION_INTENTS = ['feature', 'unfeature', 'up', 'down', 'read', 'reply', 'delete-reply', 'hide', 'restore'] as const
export type CommentModerationIntent = (typeof COMMENT_MODERATION_INTENTS)[number]
