// What the feeds and /media/:id read: the public RSS, a subscriber's private podcast feed (a
// member's, or a course buyer's: decision 051), and who may fetch an uploaded file. Gating is
// checkAccess, as everywhere (DESIGN.md §4.6).
import { desc, eq, or } from 'drizzle-orm'
import { dailies, media, type User } from '../../db/schema'
import { checkAccess, type Viewer } from '~/domain/access'
import { voiceMinRank } from '~/domain/daily'
import { podcastContents } from '~/domain/podcast'
import { db } from '~/utils/db.server'
import { listBoughtCourseIds } from './course-orders.server'
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
 * This user's private feed — what it carries and the viewer its dailies are gated for — or null
 * when they have none: no membership (nor staff role) and no course bought (podcastContents).
 */
export async function getPodcastFeedOf(user: Pick<User, 'id' | 'role'>, now = new Date()) {
  const [memberships, bought] = await Promise.all([getMembershipPeriods(user.id), listBoughtCourseIds(user.id)])
  const viewer: NonNullable<Viewer> = { role: user.role, memberships }
  const contents = podcastContents(viewer, { boughtCourses: bought.size, now })
  return contents ? { viewer, ...contents } : null
}

/**
 * The subscriber of a private feed: the token's user while they have a feed. It dies with the
 * membership (a buyer's, with their last purchase refunded) and with a token reset: null then.
 */
export async function getPodcastSubscriber(token: string, now = new Date()) {
  const user = await getUserByPodcastToken(token)
  if (!user) return null
  const feed = await getPodcastFeedOf(user, now)
  return feed ? { user, ...feed } : null
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

