// What a viewer may receive of a daily. Every loader that shows a daily goes through
// presentDaily(), so a reader without both the keyword and the tier never receives the body, no
// reader receives the keyword, and a gated voice's URL reaches only those it is open to.
import type { Daily, Tier } from '../../db/schema'
import { checkAccess, type Viewer } from '~/domain/access'
import { todayIn, voiceMinRank, type DailyView } from '~/domain/daily'
import { getMedia } from '~/models/media.server'
import { getEnv } from './env.server'
import { hasOpened, readerCheckins, type KeywordReader } from './keyword-reply.server'
import { renderMarkdown } from './markdown.server'

export async function presentDaily(
  daily: Daily,
  viewer: Viewer,
  {
    now,
    tiers,
    isLive,
    unlocked,
  }: {
    now: Date
    tiers: readonly Pick<Tier, 'rank' | 'name'>[]
    isLive: boolean
    /** Whether this reader has replied with the daily's keyword (staff always have). */
    unlocked: boolean
  },
): Promise<DailyView> {
  // The article needs both: the keyword (the ritual) and the tier (the one gating rule).
  const access = checkAccess({ minRank: daily.minRank }, viewer, now)
  const voiceAccess = checkAccess({ minRank: voiceMinRank(daily) }, viewer, now)
  const audio = voiceAccess.granted && daily.audioId ? await getMedia(daily.audioId) : undefined
  return {
    id: daily.id,
    date: daily.date,
    title: daily.title,
    teaser: daily.teaser,
    minRank: daily.minRank,
    tierName: tierNameOf(daily.minRank, tiers),
    access,
    unlocked,
    bodyHtml: access.granted && unlocked ? renderMarkdown(daily.body, 'staff') : null,
    voiceAccess,
    audio: audio ? { url: `/media/${audio.id}`, durationMs: audio.durationMs } : null,
    transcript: voiceAccess.granted && daily.transcript ? daily.transcript : null,
    coverUrl: daily.coverId ? `/media/${daily.coverId}` : null,
    isLive,
  }
}

function tierNameOf(rank: number, tiers: readonly Pick<Tier, 'rank' | 'name'>[]) {
  return rank > 0 ? (tiers.find((t) => t.rank === rank)?.name ?? null) : null
}

/** A list item: never more than the teaser. */
export function presentDailySummary(daily: Omit<Daily, 'body'>, tiers: readonly Pick<Tier, 'rank' | 'name'>[]) {
  return {
    date: daily.date,
    title: daily.title,
    teaser: daily.teaser,
    minRank: daily.minRank,
    tierName: tierNameOf(daily.minRank, tiers),
    hasAudio: daily.audioId !== null,
  }
}

/**
 * A daily as this reader gets it on a page: the view (presentDaily) and their reading — whether
 * they have given its keyword, and on today's daily their 打卡 figures.
 */
export async function readDaily(
  reader: KeywordReader,
  daily: Daily,
  { now, tiers, isLive }: { now: Date; tiers: readonly Pick<Tier, 'rank' | 'name'>[]; isLive: boolean },
) {
  const today = todayIn(getEnv().SITE_TIMEZONE, now)
  const isToday = daily.date === today
  const [unlocked, checkins] = await Promise.all([hasOpened(reader, daily.id), isToday ? readerCheckins(reader, today) : null])
  const view = await presentDaily(daily, reader.viewer, { now, tiers, isLive, unlocked })
  return { daily: view, reading: { checkins, isToday, signedIn: reader.userId !== null } }
}

/**
 * Whether this reader can read the daily's article: the rule presentDaily applies to the body
 * (tier by checkAccess, and the keyword given; staff have always given it).
 */
export async function canReadDaily(reader: KeywordReader, daily: Pick<Daily, 'id' | 'minRank'>, now: Date) {
  return checkAccess({ minRank: daily.minRank }, reader.viewer, now).granted && (await hasOpened(reader, daily.id))
}
