import type { LoaderFunctionArgs } from '@remix-run/node'
import { isNotModified } from '~/domain/range'
import { feedsZhCN } from '~/i18n/feeds.zh-CN'
import { listFeedDailies, type FeedDaily } from '~/models/feed.server'
import { getEnv } from '~/utils/env.server'
import { bodyEtag, rfc822Date, XML_DECLARATION, xmlElement } from '~/utils/xml.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { feeds: feedsZhCN }

// The public RSS of dailies: teasers only, for every daily (DESIGN.md §3).
export async function loader({ request }: LoaderFunctionArgs) {
  const dailies = await listFeedDailies({ now: new Date() })
  const body = renderFeed(dailies, getEnv().SITE_URL)
  const etag = bodyEtag(body)
  const headers = new Headers({ 'Cache-Control': 'public, max-age=300', ETag: etag })
  if (isNotModified({ ifNoneMatch: request.headers.get('If-None-Match') }, { etag })) {
    return new Response(null, { status: 304, headers })
  }
  headers.set('Content-Type', 'application/rss+xml; charset=utf-8')
  return new Response(body, { headers })
}

/** The feed's last change: built from the rows, never from the clock, so the ETag holds. */
function lastChange(dailies: FeedDaily[]) {
  const times = dailies.flatMap((d) => [d.publishAt.getTime(), d.updatedAt.getTime()])
  return times.length > 0 ? new Date(Math.max(...times)) : null
}

function renderFeed(dailies: FeedDaily[], siteUrl: string) {
  const built = lastChange(dailies)
  const channel = [
    xmlElement('title', t.feeds.title),
    xmlElement('link', siteUrl),
    xmlElement('description', t.feeds.description),
    xmlElement('language', 'zh-cn'),
    built ? xmlElement('lastBuildDate', rfc822Date(built)) : '',
    xmlElement('atom:link', null, { href: `${siteUrl}/feed.xml`, rel: 'self', type: 'application/rss+xml' }),
    ...dailies.map((daily) =>
      xmlElement('item', [
        xmlElement('title', daily.title),
        xmlElement('link', `${siteUrl}/daily/${daily.date}`),
        xmlElement('guid', `zhiyin-daily-${daily.date}`, { isPermaLink: 'false' }),
        xmlElement('pubDate', rfc822Date(daily.publishAt)),
        xmlElement('description', daily.teaser),
      ]),
    ),
  ]
  const rss = xmlElement('rss', [xmlElement('channel', channel)], { version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom' })
  return `${XML_DECLARATION}\n${rss}\n`
}
