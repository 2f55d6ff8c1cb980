// What the feeds and /media/:id read: the public RSS, a member's private podcast feed, and who
// may fetch an uploaded file. Gating is checkAccess, as everywhere (DESIGN.md §4.6).
import { desc, eq, or } from 'drizzle-orm'
import { dailies, media, type User } from '../../db/schema'
import { checkAccess, isStaff, type Viewer } from '~/domain/access'
import { voiceMinRank } from '~/domain/daily'
import { activeRank } from '~/domain/membership'
import { db } from '~/utils/db.server'
import { live } from './daily.server'
import { getMembershipPeriods } from './membership.server'
import { getUserByPodcastToken } from './user.server'

/** How many dailies a feed carries. */
export const FEED_SIZE = 30


// ---- the public feed --------------------------------------------------------------------------

/**
 * The latest live dailies, newest first. The body is deliberately not selected: the public feed
 * carries teasers only, so a gated text cannot leak through it.
 */
const FEED_COLUMNS = {
  id: dailies.id,
  date: dailies.date,
  title: dailies.title,
  teaser: dailies.teaser,
  minRank: dailies.minRank,
  voicePublic: dailies.voicePublic,
  publishAt: dailies.publishAt,
  updatedAt: dailies.updatedAt,
}

export function listFeedDailies({ now = new Date(), limit = FEED_SIZE }: { now?: Date; limit?: number } = {}) {
  return db
    .select(FEED_COLUMNS)
    .from(dailies)
    .where(live(now))
    .orderBy(desc(dailies.date))
    .limit(limit)
}

export type FeedDaily = Awaited<ReturnType<typeof listFeedDailies>>[number]

// ---- the private podcast feed -----------------------------------------------------------------

/** Live dailies that have audio, newest first, with their audio file's details (no bodies). */
export function listLiveEpisodes({ now, limit, offset = 0 }: { now: Date; limit: number; offset?: number }) {
  return db
    .select({ ...FEED_COLUMNS, audio: { id: media.id, mimeType: media.mimeType, bytes: media.bytes, durationMs: media.durationMs } })
    .from(dailies)
    .innerJoin(media, eq(media.id, dailies.audioId))
    .where(live(now))
    .orderBy(desc(dailies.date))
    .limit(limit)
    .offset(offset)
}

export type Episode = Awaited<ReturnType<typeof listLiveEpisodes>>[number]

/**
 * The latest episodes this viewer may hear (at most FEED_SIZE). Reads in pages so that a
 * member of a lower tier still gets a full feed when higher-tier episodes are in between.
 */
export async function listPodcastEpisodes(viewer: Viewer, now = new Date()) {
  const episodes: Episode[] = []
  const page = FEED_SIZE * 2
  for (let offset = 0; episodes.length < FEED_SIZE; offset += page) {
    const rows = await listLiveEpisodes({ now, limit: page, offset })
    for (const row of rows) {
      if (episodes.length < FEED_SIZE && checkAccess({ minRank: voiceMinRank(row) }, viewer, now).granted) episodes.push(row)
    }
    if (rows.length < page) break
  }
  return episodes
}

/** The user behind a podcast token, as a viewer for checkAccess; null for an unknown token. */
export async function getPodcastViewer(token: string): Promise<{ user: User; viewer: NonNullable<Viewer> } | null> {
  const user = await getUserByPodcastToken(token)
  if (!user) return null
  return { user, viewer: { role: user.role, memberships: await getMembershipPeriods(user.id) } }
}

/**
 * The subscriber of a private feed: the token's user while they hold an active membership (or
 * are staff). The feed dies with the membership and with a token reset: null then.
 */
export async function getPodcastSubscriber(token: string, now = new Date()) {
  const found = await getPodcastViewer(token)
  if (!found) return null
  const { viewer } = found
  return isStaff(viewer.role) || activeRank(viewer.memberships, now) >= 1 ? found : null
}

// ---- who may fetch /media/:id -------------------------------------------------------------------

/** Every daily that uses a file, as its audio or its cover, whatever the daily's state. */
export function listMediaReferences(mediaId: string) {
  return db
    .select({
      state: dailies.state,
      publishAt: dailies.publishAt,
      minRank: dailies.minRank,
      voicePublic: dailies.voicePublic,
      audioId: dailies.audioId,
      coverId: dailies.coverId,
    })
    .from(dailies)
    .where(or(eq(dailies.audioId, mediaId), eq(dailies.coverId, mediaId)))
}

