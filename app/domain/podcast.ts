// Who has a private podcast feed, and what it carries (decision 051). Pure: the model reads the
// viewer and their purchases, this decides; the feed, its media URLs and /account all ask it.
import { isStaff, type Viewer } from './access'
import { activeRank } from './membership'

/** What a private feed carries: the dailies the subscriber may hear or not, and always the lessons of their courses. */
export interface PodcastContents {
  dailies: boolean
}

/**
 * A member or staff has a feed of the dailies they may hear and the lessons of the courses that
 * are theirs; a reader who has bought a course (paid, not refunded) and has no membership has a
 * feed of their courses' lessons only — the dailies stay a member's; anyone else has none.
 */
export function podcastContents(viewer: Viewer, { boughtCourses, now }: { boughtCourses: number; now: Date }): PodcastContents | null {
  if (!viewer) return null
  if (isStaff(viewer.role) || activeRank(viewer.memberships, now) >= 1) return { dailies: true }
  return boughtCourses > 0 ? { dailies: false } : null
}
