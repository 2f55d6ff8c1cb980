import type { LoaderFunctionArgs } from '@remix-run/node'
import { feedsZhCN } from '~/i18n/feeds.zh-CN'
import { listCourseEpisodes, type CourseEpisode } from '~/models/course-feed.server'
import { getPodcastSubscriber, listPodcastEpisodes, type Episode } from '~/models/feed.server'
import { getEnv } from '~/utils/env.server'
import { rfc822Date, XML_DECLARATION, xmlElement } from '~/utils/xml.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { feeds: feedsZhCN }

const ITUNES_NS = 'http://www.itunes.com/dtds/podcast-1.0.dtd'
const PRIVATE = { 'Cache-Control': 'private, no-store' }

function notFound() {
  return new Response(t.feeds.notFound, { status: 404, headers: { ...PRIVATE, 'Content-Type': 'text/plain; charset=utf-8' } })
}

// /podcast/:token.xml — a route file cannot put a literal after a param, so the param is the
// whole file name. A member's feed holds the dailies they may hear and their courses' lessons; a
// buyer without a membership gets their courses' lessons only (decision 051). The feed answers
// 404 once its subscriber has none (membership ended, purchases refunded) or the token is reset.
export async function loader({ params }: LoaderFunctionArgs) {
  const file = params.file ?? ''
  if (!file.endsWith('.xml')) return notFound()
  const token = file.slice(0, -'.xml'.length)
  const now = new Date()
  const subscriber = await getPodcastSubscriber(token, now)
  if (!subscriber) return notFound()
  const [episodes, lessons] = await Promise.all([
    subscriber.dailies ? listPodcastEpisodes(subscriber.viewer, now) : [],
    listCourseEpisodes({ userId: subscriber.user.id, viewer: subscriber.viewer }, now),
  ])
  const body = renderPodcast(episodes, lessons, { siteUrl: getEnv().SITE_URL, token, dailies: subscriber.dailies })
  return new Response(body, { headers: { ...PRIVATE, 'Content-Type': 'application/rss+xml; charset=utf-8' } })
}

/** A course lesson as an item: its media URL takes the token, as a daily's does (decision 044). */
function lessonItem(lesson: CourseEpisode, { siteUrl, token }: { siteUrl: string; token: string }) {
  const page = `${siteUrl}/courses/${encodeURIComponent(lesson.courseSlug)}/${encodeURIComponent(lesson.slug)}`
  return xmlElement('item', [
    xmlElement('title', t.feeds.lessonTitle(lesson.courseTitle, lesson.title)),
    xmlElement('link', page),
    xmlElement('guid', `zhiyin-lesson-${lesson.id}`, { isPermaLink: 'false' }),
    xmlElement('pubDate', rfc822Date(lesson.pubDate)),
    xmlElement('description', t.feeds.lessonDescription(lesson.courseTitle, lesson.chapterTitle)),
    xmlElement('enclosure', null, { url: `${page}/media?token=${encodeURIComponent(token)}`, length: lesson.audio.bytes, type: lesson.audio.mimeType }),
    xmlElement('itunes:duration', lesson.durationSeconds),
  ])
}

function renderPodcast(episodes: Episode[], lessons: CourseEpisode[], { siteUrl, token, dailies }: { siteUrl: string; token: string; dailies: boolean }) {
  const times = [...episodes.map((e) => [e.publishAt, e.updatedAt]), ...lessons.map((l) => [l.pubDate, l.updatedAt])].flat().map((date) => date.getTime())
  const channel = [
    // A buyer's feed of courses alone is not called a members' podcast.
    xmlElement('title', dailies ? t.feeds.podcastTitle : t.feeds.coursesPodcastTitle),
    xmlElement('link', siteUrl),
    xmlElement('description', dailies ? t.feeds.podcastDescription : t.feeds.coursesPodcastDescription),
    xmlElement('language', 'zh-cn'),
    times.length > 0 ? xmlElement('lastBuildDate', rfc822Date(new Date(Math.max(...times)))) : '',
    xmlElement('itunes:author', t.feeds.author),
    xmlElement('itunes:explicit', 'false'),
    // A private feed: directories must not list it.
    xmlElement('itunes:block', 'Yes'),
    ...episodes.map((episode) =>
      xmlElement('item', [
        xmlElement('title', episode.title),
        xmlElement('link', `${siteUrl}/daily/${episode.date}`),
        xmlElement('guid', `zhiyin-daily-${episode.date}`, { isPermaLink: 'false' }),
        xmlElement('pubDate', rfc822Date(episode.publishAt)),
        xmlElement('description', episode.teaser),
        xmlElement('enclosure', null, {
          url: `${siteUrl}/media/${encodeURIComponent(episode.audio.id)}?token=${encodeURIComponent(token)}`,
          length: episode.audio.bytes,
          type: episode.audio.mimeType,
        }),
        episode.audio.durationMs === null ? '' : xmlElement('itunes:duration', Math.round(episode.audio.durationMs / 1000)),
      ]),
    ),
    ...lessons.map((lesson) => lessonItem(lesson, { siteUrl, token })),
  ]
  const rss = xmlElement('rss', [xmlElement('channel', channel)], { version: '2.0', 'xmlns:itunes': ITUNES_NS })
  return `${XML_DECLARATION}\n${rss}\n`
}
