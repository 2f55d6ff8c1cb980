// The one builder of a shareable page's Open Graph and Twitter card tags (issue 13, decision 022).
// What a link preview shows is public: callers pass the teaser, never gated text. URLs are made
// absolute against the site's origin (root data `siteUrl`), as crawlers and WeChat need.
import type { MetaDescriptor } from '@remix-run/node'
import { siteZhCN } from '~/i18n/core.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { site: siteZhCN }

export interface ShareMetaInput {
  /** The site's origin, e.g. https://zhiyin.example (no trailing slash). */
  siteUrl: string
  /** The page's path, e.g. /daily/2026-12-06 (its canonical URL, no referral code). */
  path: string
  title: string
  /** The teaser or summary: whatever a visitor may read. */
  description: string
  /** A path or absolute URL of the preview image. */
  image: string
  imageAlt?: string
  imageSize?: { width: number; height: number }
  type?: 'website' | 'article' | 'product'
}

/** An absolute URL of `pathOrUrl` on the site (an absolute URL is kept). */
export function absoluteUrl(siteUrl: string, pathOrUrl: string) {
  if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl
  return `${siteUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`
}

/** The site's origin from a meta function's matches (the root loader gives it). */
export function siteUrlOf(matches: readonly { id: string; data?: unknown }[] | undefined) {
  const root = matches?.find((match) => match.id === 'root')?.data as { siteUrl?: string } | undefined
  return root?.siteUrl ?? ''
}

/** og:* and twitter:* tags (and the plain description) for a shareable page. */
export function shareMeta({ siteUrl, path, title, description, image, imageAlt, imageSize, type = 'website' }: ShareMetaInput): MetaDescriptor[] {
  const url = absoluteUrl(siteUrl, path)
  const imageUrl = absoluteUrl(siteUrl, image)
  const text = description.replace(/\s+/g, ' ').trim()
  const tags: MetaDescriptor[] = [
    { name: 'description', content: text },
    { property: 'og:site_name', content: t.site.name },
    { property: 'og:type', content: type },
    { property: 'og:title', content: title },
    { property: 'og:description', content: text },
    { property: 'og:url', content: url },
    { property: 'og:image', content: imageUrl },
  ]
  if (imageSize) {
    tags.push({ property: 'og:image:width', content: String(imageSize.width) }, { property: 'og:image:height', content: String(imageSize.height) })
  }
  if (imageAlt) tags.push({ property: 'og:image:alt', content: imageAlt })
  tags.push(
    { name: 'twitter:card', content: 'summary_large_image' },
    { name: 'twitter:title', content: title },
    { name: 'twitter:description', content: text },
    { name: 'twitter:image', content: imageUrl },
  )
  return tags
}

/** A daily's tags (today's on `/`, or /daily/:date): its title and teaser, its cover or else its poster. */
export function dailyShareMeta(
  siteUrl: string,
  daily: { date: string; title: string; teaser: string; coverUrl: string | null },
  path = `/daily/${daily.date}`,
) {
  return shareMeta({ siteUrl, path, title: daily.title, description: daily.teaser, image: daily.coverUrl ?? posterPaths.daily(daily.date), type: 'article' })
}

/** Where a page's poster is (its PNG, without referral code: the route adds the viewer's). */
export const posterPaths = {
  daily: (date: string) => `/poster/daily/${date}.png`,
  product: (slug: string) => `/poster/product/${encodeURIComponent(slug)}.png`,
  card: '/poster/card.png',
  site: '/poster/site.png',
}

export const POSTER_SIZE = { width: 750, height: 1334 }

/** The JS-SDK file WeChat serves; the CSP allows exactly this URL while WeChat is live. */
export const JSSDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'

/** WeChat test mode's stand-in for the JS-SDK, served by this site: it records what a page hands to `wx`. */
export const SIMULATED_JSSDK_PATH = '/wechat/simulated-sdk.js'

/**
 * The jsapi ticket of WeChat test mode: pages are signed with it exactly as with a real ticket, so
 * the signing and the browser's wiring are exercised without WeChat.
 */
export const TEST_MODE_JSAPI_TICKET = 'zhiyin-test-mode-jsapi-ticket'

/**
 * Whether WeChat's browser runs on iOS: there the JS-SDK checks the signature against the URL the
 * reader entered the site by (pushState does not change it), elsewhere against the current one.
 */
export function isIosWechat(userAgent: string) {
  return isWechatBrowser(userAgent) && /\b(iPhone|iPad|iPod)\b/.test(userAgent)
}

/** Whether a User-Agent is WeChat's in-app browser. */
export function isWechatBrowser(userAgent: string) {
  return /MicroMessenger/i.test(userAgent)
}
