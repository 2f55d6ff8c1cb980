// Posters (海报, issue 13, docs/decisions/022-share-posters-referral.md): a 750×1334 PNG a reader
// saves in WeChat (long press) and sends on — a cover or the brand's colours, the title, a short
// quote (the teaser: never gated text) or the price, and a QR code of the page carrying the
// sharer's referral code. An SVG drawn here, with the cover and the QR code composited by sharp.
import QRCode from 'qrcode'
import sharp, { type OverlayOptions } from 'sharp'
import type { Daily } from '../../db/schema'
import { graphemeWidth, truncateToWidth } from '~/domain/member-card'
import { t } from '~/i18n/zh-CN'
import { POSTER_SIZE } from './share-meta'
import { bodyEtag, escapeXml } from './xml.server'
import { isNotModified } from '~/domain/range'

const W = POSTER_SIZE.width
const H = POSTER_SIZE.height
const COVER_HEIGHT = 560
const QR_SIZE = 232
const QR_TOP = H - 60 - QR_SIZE
const QR_LEFT = 72

const SANS = `'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif`
const SERIF = `'Noto Serif CJK SC','Noto Sans CJK SC',serif`

/** What a poster says. Every field is public: the teaser, a price, a name — never a body. */
export interface PosterContent {
  /** A small line above the title: 「知音 · 每日 2026-12-06」. */
  kicker: string
  title: string
  /** The teaser or summary, shown as a quote; cut to a few lines. */
  quote: string | null
  /** A price line (products), shown large. */
  price: string | null
  /** Under the QR code: who invites, or what the code opens. */
  caption: string
  /** The link in the QR code (with the sharer's `?ref=`). */
  link: string
}

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' })

/** Text broken into lines of at most `maxEm` ems, at most `maxLines` of them (the last one cut with 「…」). */
export function wrapToWidth(text: string, maxEm: number, maxLines: number) {
  const graphemes = Array.from(segmenter.segment(text.replace(/\s+/g, ' ').trim()), (s) => s.segment)
  const lines: string[] = []
  let start = 0
  let width = 0
  for (let i = 0; i < graphemes.length; i++) {
    const w = graphemeWidth(graphemes[i]!)
    if (width + w <= maxEm) {
      width += w
      continue
    }
    // The last line room: the rest of the text, cut with 「…」.
    if (lines.length === maxLines - 1) return [...lines, truncateToWidth(graphemes.slice(start).join(''), maxEm)]
    lines.push(graphemes.slice(start, i).join('').trim())
    start = graphemes[i] === ' ' ? i + 1 : i
    width = graphemes[i] === ' ' ? 0 : w
  }
  const rest = graphemes.slice(start).join('').trim()
  if (rest) lines.push(rest)
  return lines
}

/** A link with the sharer's referral code as `?ref=` (none for a visitor). */
export function linkWithReferral(url: string, code: string | null) {
  if (!code) return url
  const link = new URL(url)
  link.searchParams.set('ref', code)
  return link.toString()
}

/** A daily's poster: its title and teaser. Takes no body, so none can reach the picture. */
export function dailyPosterContent(daily: Pick<Daily, 'date' | 'title' | 'teaser'>, { link, inviter }: { link: string; inviter: string | null }): PosterContent {
  return {
    kicker: `${t.site.name} · ${t.nav.daily} ${daily.date}`,
    title: daily.title,
    quote: daily.teaser,
    price: null,
    caption: inviter ? t.share.invitedBy(inviter) : t.share.scanToRead,
    link,
  }
}

/**
 * The poster's SVG (cover area left for the cover image, QR area left white for the code). Text
 * goes through escapeXml; lengths are estimated (an image has no layout engine).
 */
export function posterSvg(content: PosterContent, { hasCover }: { hasCover: boolean }) {
  const title = wrapToWidth(content.title, 11, 3)
  let y = COVER_HEIGHT + 86
  const parts: string[] = []
  parts.push(`<text x="64" y="${y}" font-family="${SANS}" font-size="26" letter-spacing="2" fill="#9a3412">${escapeXml(content.kicker)}</text>`)
  y += 30
  for (const line of title) {
    y += 66
    parts.push(`<text x="64" y="${y}" font-family="${SERIF}" font-weight="700" font-size="54" fill="#1c1917">${escapeXml(line)}</text>`)
  }
  if (content.price) {
    y += 72
    parts.push(`<text x="64" y="${y}" font-family="${SANS}" font-weight="700" font-size="48" fill="#c2410c">${escapeXml(content.price)}</text>`)
  }
  // The quote takes the lines left above the QR code's rule.
  const quoteLines = Math.floor((QR_TOP - 72 - (y + 36)) / 46)
  const quote = content.quote && quoteLines > 0 ? wrapToWidth(content.quote, 20, Math.min(quoteLines, 5)) : []
  if (quote.length > 0) {
    y += 36
    const top = y
    for (const line of quote) {
      y += 46
      parts.push(`<text x="92" y="${y}" font-family="${SANS}" font-size="30" fill="#44403c">${escapeXml(line)}</text>`)
    }
    parts.push(`<rect x="64" y="${top + 12}" width="6" height="${y - top}" rx="3" fill="#fdba74"/>`)
  }
  const brand = hasCover
    ? ''
    : `<rect width="${W}" height="${COVER_HEIGHT}" fill="url(#brand)"/>
<text x="${W / 2}" y="${COVER_HEIGHT / 2 + 10}" text-anchor="middle" font-family="${SERIF}" font-weight="700" font-size="150" fill="#fff7ed" fill-opacity="0.92">${escapeXml(t.site.name)}</text>
<text x="${W / 2}" y="${COVER_HEIGHT / 2 + 80}" text-anchor="middle" font-family="${SANS}" font-size="30" letter-spacing="8" fill="#fed7aa">${escapeXml(t.site.tagline)}</text>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<defs><linearGradient id="brand" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c2410c"/><stop offset="1" stop-color="#431407"/></linearGradient></defs>
<rect width="${W}" height="${H}" fill="#fffbf5"/>
${brand}
${parts.join('\n')}
<line x1="64" y1="${QR_TOP - 40}" x2="${W - 64}" y2="${QR_TOP - 40}" stroke="#e7e5e4" stroke-width="2"/>
<rect x="${QR_LEFT - 8}" y="${QR_TOP - 8}" width="${QR_SIZE + 16}" height="${QR_SIZE + 16}" rx="12" fill="#ffffff" stroke="#e7e5e4"/>
<text x="${QR_LEFT + QR_SIZE + 40}" y="${QR_TOP + 96}" font-family="${SANS}" font-weight="700" font-size="34" fill="#1c1917">${escapeXml(wrapToWidth(content.caption, 11, 1)[0] ?? '')}</text>
<text x="${QR_LEFT + QR_SIZE + 40}" y="${QR_TOP + 150}" font-family="${SANS}" font-size="26" fill="#78716c">${escapeXml(content.caption === t.share.scanToRead ? t.site.tagline : t.share.scanToRead)}</text>
<text x="${QR_LEFT + QR_SIZE + 40}" y="${QR_TOP + 196}" font-family="${SERIF}" font-weight="700" font-size="30" fill="#9a3412">${escapeXml(t.site.name)}</text>
</svg>`
}

/**
 * The poster as a PNG: the SVG, the cover (any image sharp reads, cut to fill the top) and the QR
 * code of `content.link`. `cover` is a file path or image bytes, or null for the brand's colours.
 */
export async function renderPoster(
  content: PosterContent,
  { cover, fit = 'cover' }: { cover: string | Buffer | null; fit?: 'cover' | 'contain' },
): Promise<Buffer> {
  const layers: OverlayOptions[] = []
  if (cover) {
    const coverPng = await sharp(cover)
      .resize(W, COVER_HEIGHT, { fit, background: '#f5f5f4' })
      .flatten({ background: '#f5f5f4' })
      .png()
      .toBuffer()
      .catch(() => null)
    if (coverPng) layers.push({ input: coverPng, top: 0, left: 0 })
  }
  const qr = await QRCode.toBuffer(content.link, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: QR_SIZE, color: { dark: '#000000', light: '#ffffff' } })
  layers.push({ input: await sharp(qr).resize(QR_SIZE, QR_SIZE, { kernel: 'nearest' }).png().toBuffer(), top: QR_TOP, left: QR_LEFT })
  const svg = posterSvg(content, { hasCover: layers.length === 2 })
  return sharp(Buffer.from(svg)).composite(layers).png({ compressionLevel: 9, palette: true, quality: 90 }).toBuffer()
}

/**
 * The poster's HTTP answer. A poster with the sharer's code is theirs (`private`); a visitor's is
 * the same for every visitor (`public`, varied on the cookie). The ETag names what is drawn, so
 * a repeat asks costs no rasterising.
 */
export async function posterResponse(
  request: Request,
  content: PosterContent,
  { cover, coverKey, fit, personal }: { cover: string | Buffer | null; coverKey: string; fit?: 'cover' | 'contain'; personal: boolean },
) {
  const etag = bodyEtag(JSON.stringify([content, coverKey, fit ?? 'cover']))
  const headers = new Headers({
    'Cache-Control': personal ? 'private, max-age=300' : 'public, max-age=600',
    Vary: 'Cookie',
    ETag: etag,
  })
  if (isNotModified({ ifNoneMatch: request.headers.get('If-None-Match') }, { etag })) return new Response(null, { status: 304, headers })
  const png = await renderPoster(content, { cover, fit })
  headers.set('Content-Type', 'image/png')
  headers.set('Content-Length', String(png.length))
  return new Response(new Uint8Array(png), { headers })
}

/** 404 for a poster of nothing (unknown, unpublished or hidden from this viewer). */
export function posterNotFound(message: string = t.share.errors.notFound) {
  return new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}
