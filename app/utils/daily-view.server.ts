// What a viewer may receive of a daily. Every loader that shows a daily goes through
// presentDaily(), so a blocked viewer's data never holds the body, the keyword or the audio URL.
import type { Daily, Tier } from '../../db/schema'
import { checkAccess, type Viewer } from '~/domain/access'
import type { DailyView } from '~/domain/daily'
import { getMedia } from '~/models/media.server'
import { renderMarkdown } from './markdown.server'

export async function presentDaily(
  daily: Daily,
  viewer: Viewer,
  { now, tiers, isLive }: { now: Date; tiers: readonly Pick<Tier, 'rank' | 'name'>[]; isLive: boolean },
): Promise<DailyView> {
  const access = checkAccess({ minRank: daily.minRank }, viewer, now)
  const audio = access.granted && daily.audioId ? await getMedia(daily.audioId) : undefined
  return {
    id: daily.id,
    date: daily.date,
    title: daily.title,
    teaser: daily.teaser,
    minRank: daily.minRank,
    tierName: daily.minRank > 0 ? (tiers.find((t) => t.rank === daily.minRank)?.name ?? null) : null,
    access,
    keyword: access.granted ? daily.keyword : null,
    bodyHtml: access.granted ? renderMarkdown(daily.body, 'staff') : null,
    audio: audio ? { url: `/media/${audio.id}`, durationMs: audio.durationMs } : null,
    coverUrl: daily.coverId ? `/media/${daily.coverId}` : null,
    isLive,
  }
}

/** A list item: never more than the teaser. */
export function presentDailySummary(daily: Omit<Daily, 'body'>, tiers: readonly Pick<Tier, 'rank' | 'name'>[]) {
  return {
    date: daily.date,
    title: daily.title,
    teaser: daily.teaser,
    minRank: daily.minRank,
    tierName: daily.minRank > 0 ? (tiers.find((t) => t.rank === daily.minRank)?.name ?? null) : null,
    hasAudio: daily.audioId !== null,
  }
}
