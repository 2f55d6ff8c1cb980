// Gating is one rule (DESIGN.md §4.6): content × viewer → granted, or the reason it is blocked.
// Loaders call this and send blocked viewers only the teaser.
import { activeRank, hasLapsedMembership, type MembershipPeriod } from './membership'

export type StaffRole = 'user' | 'editor' | 'admin'

export interface GatedContent {
  /** Minimum member rank to see the whole thing; 0 means public. */
  minRank: number
}

/** null is an anonymous visitor. */
export type Viewer = {
  role: StaffRole
  memberships: readonly MembershipPeriod[]
} | null

export type Access =
  | { granted: true; via: 'public' | 'membership' | 'staff' }
  | {
      granted: false
      reason: 'sign_in_required' | 'membership_required' | 'membership_expired' | 'higher_tier_required'
      requiredRank: number
    }

export function isStaff(role: StaffRole) {
  return role === 'editor' || role === 'admin'
}

export function checkAccess(content: GatedContent, viewer: Viewer, now: Date): Access {
  if (content.minRank <= 0) return { granted: true, via: 'public' }
  const requiredRank = content.minRank
  if (viewer === null) return { granted: false, reason: 'sign_in_required', requiredRank }
  if (isStaff(viewer.role)) return { granted: true, via: 'staff' }
  const rank = activeRank(viewer.memberships, now)
  if (rank >= requiredRank) return { granted: true, via: 'membership' }
  if (rank > 0) return { granted: false, reason: 'higher_tier_required', requiredRank }
  if (hasLapsedMembership(viewer.memberships, now)) {
    return { granted: false, reason: 'membership_expired', requiredRank }
  }
  return { granted: false, reason: 'membership_required', requiredRank }
}
