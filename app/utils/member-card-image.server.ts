// The member card's share image (the card page's og:image): its unguessable public URL, and
// its pixels — an SVG drawn here and rasterised by sharp. The crawler that fetches it (WeChat's,
// a chat app's) has no cookie, so the URL itself carries the proof: the membership id and an
// HMAC of it (and of its share version) under SESSION_SECRET. Without the HMAC nobody can walk
// through the members; after 重置分享链接 the links already out there no longer open.
import sharp from 'sharp'
import { CARD_COLOURS, truncateToWidth, type MemberCardFace } from '~/domain/member-card'
import { t } from '~/i18n/zh-CN'
import { isSiteSignature, siteSignature } from './crypto.server'
import { escapeXml } from './xml.server'

export const CARD_IMAGE_WIDTH = 1200
export const CARD_IMAGE_HEIGHT = 630

/** 22 base64url characters: 132 bits of the HMAC-SHA256, far beyond guessing. */
const SIGNATURE_LENGTH = 22

/** What a share link proves: the membership, and which of its links (重置分享链接 raises it). */
export interface CardShare {
  membershipId: number
  shareVersion: number
}

function shareSubject({ membershipId, shareVersion }: CardShare) {
  // Version 0 signs what the first links signed, so they keep working.
  return shareVersion === 0 ? `member-card:${membershipId}` : `member-card:${membershipId}:v${shareVersion}`
}

/** The share token of a card: `<membershipId>-<signature>` (the share page's ?s=, the image's name). */
export function memberCardShareToken(share: CardShare) {
  return `${share.membershipId}-${siteSignature(shareSubject(share), SIGNATURE_LENGTH)}`
}

export function memberCardImagePath(share: CardShare) {
  return `/membership/card/${memberCardShareToken(share)}.png`
}

const SHARE_TOKEN = new RegExp(`^([1-9][0-9]{0,14})-([A-Za-z0-9_-]{${SIGNATURE_LENGTH}})$`)

/** The membership a share token names, and its signature, still to be checked; null when malformed. */
export function parseShareToken(token: string): { membershipId: number; signature: string } | null {
  const match = SHARE_TOKEN.exec(token)
  return match ? { membershipId: Number(match[1]), signature: match[2]! } : null
}

/** Whether a token's signature is the card's current one (an earlier link after a reset is not). */
export function isCurrentShareSignature(share: CardShare, signature: string) {
  return isSiteSignature(shareSubject(share), signature, SIGNATURE_LENGTH)
}

const SANS = `'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif`
const SERIF = `'Noto Serif CJK SC','Noto Sans CJK SC',serif`

/** A guilloche rosette, as on banknotes and membership cards: ellipses turned around a centre. */
function rosette(cx: number, cy: number, rx: number, ry: number, petals: number) {
  return Array.from({ length: petals }, (_, i) => {
    const angle = ((180 / petals) * i).toFixed(2)
    return `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" transform="rotate(${angle} ${cx} ${cy})"/>`
  }).join('')
}

/**
 * The card as an SVG of CARD_IMAGE_WIDTH × CARD_IMAGE_HEIGHT. Every piece of text goes through
 * escapeXml (display names may hold < & " and the like) and names are cut to fit.
 */
export function memberCardSvg(face: MemberCardFace) {
  const W = CARD_IMAGE_WIDTH
  const H = CARD_IMAGE_HEIGHT
  const c = t.card.face
  const colours = CARD_COLOURS[face.tone]
  const [bg0, bg1, bg2] = colours.background
  const [ac0, ac1, ac2] = colours.accent
  const tier = truncateToWidth(face.tierName, 8)
  const pillWidth = Math.round(tier.length * 34 + 64)
  const name = truncateToWidth(face.name, 18)
  const drop = truncateToWidth(face.dropName ?? c.member, 16)
  const headlineSize = face.numbered ? 128 : 112
  const texture =
    face.tone === 'qinqing'
      ? // Leather: a pebbled grain, and a stitched seam inside the edge.
        `<pattern id="grain" width="7" height="7" patternUnits="userSpaceOnUse"><circle cx="1.5" cy="1.5" r="1.1" fill="#000000" fill-opacity="0.16"/><circle cx="5" cy="5" r="0.9" fill="#ffffff" fill-opacity="0.045"/></pattern>`
      : // Metal: fine brushed lines.
        `<pattern id="grain" width="6" height="4" patternUnits="userSpaceOnUse"><rect width="6" height="1" fill="#ffffff" fill-opacity="0.035"/></pattern>`
  const seam =
    face.tone === 'qinqing'
      ? `stroke-opacity="0.55" stroke-width="2.5" stroke-dasharray="10 8"`
      : `stroke-opacity="0.35" stroke-width="1.5"`

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<defs>
  <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${bg0}"/><stop offset="0.55" stop-color="${bg1}"/><stop offset="1" stop-color="${bg2}"/></linearGradient>
  <linearGradient id="foil" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${ac0}"/><stop offset="0.5" stop-color="${ac1}"/><stop offset="1" stop-color="${ac2}"/></linearGradient>
  <radialGradient id="sheen" cx="0.18" cy="0" r="0.9"><stop offset="0" stop-color="#ffffff" stop-opacity="0.16"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>
  ${texture}
</defs>
<rect width="${W}" height="${H}" fill="url(#bg)"/>
<g fill="none" stroke="${ac1}" stroke-opacity="0.10" stroke-width="1.2">${rosette(1010, 150, 250, 70, 24)}${rosette(1010, 150, 150, 40, 18)}</g>
<rect width="${W}" height="${H}" fill="url(#sheen)"/>
<rect width="${W}" height="${H}" fill="url(#grain)"/>
<rect x="46" y="46" width="${W - 92}" height="${H - 92}" rx="22" fill="none" stroke="${ac1}" ${seam}/>
<text x="96" y="146" font-family="${SERIF}" font-weight="700" font-size="64" fill="url(#foil)">${escapeXml(c.brand)}</text>
<text x="238" y="140" font-family="${SANS}" font-size="20" letter-spacing="6" fill="${colours.text}" fill-opacity="0.6">${escapeXml(c.brandLatin)}</text>
<rect x="${W - 96 - pillWidth}" y="90" width="${pillWidth}" height="66" rx="33" fill="${ac1}" fill-opacity="0.12" stroke="url(#foil)" stroke-width="2"/>
<text x="${W - 96 - pillWidth / 2}" y="135" text-anchor="middle" font-family="${SANS}" font-weight="700" font-size="32" fill="url(#foil)">${escapeXml(tier)}</text>
<text x="${W / 2}" y="${face.numbered ? 352 : 344}" text-anchor="middle" font-family="${SERIF}" font-weight="700" font-size="${headlineSize}" letter-spacing="4" fill="url(#foil)">${escapeXml(face.headline)}</text>
<text x="${W / 2}" y="438" text-anchor="middle" font-family="${SANS}" font-size="46" fill="${colours.text}">${escapeXml(name)}</text>
<line x1="96" y1="492" x2="${W - 96}" y2="492" stroke="${ac1}" stroke-opacity="0.35" stroke-width="1.5"/>
<text x="96" y="552" font-family="${SANS}" font-size="28" fill="${colours.text}" fill-opacity="0.85">${escapeXml(drop)}</text>
<text x="${W - 96}" y="552" text-anchor="end" font-family="${SANS}" font-size="28" fill="${colours.text}" fill-opacity="0.85">${escapeXml(`${c.validUntil} ${face.validUntil}`)}</text>
</svg>`
}

/** Rendered images by ETag: a card is drawn once, however many crawlers and friends ask. */
const rendered = new Map<string, Promise<Buffer>>()
const RENDERED_KEPT = 64

/**
 * The SVG rasterised to a PNG of CARD_IMAGE_WIDTH × CARD_IMAGE_HEIGHT, with a 256-colour
 * dithered palette (about a third of the size, which chat apps fetching it over mobile data
 * like). `etag` names the SVG (bodyEtag) and keys a small cache of recent renders.
 */
export function renderMemberCardPng(svg: string, etag: string): Promise<Buffer> {
  const cached = rendered.get(etag)
  if (cached) {
    // Most recently used last, so the oldest is the one dropped.
    rendered.delete(etag)
    rendered.set(etag, cached)
    return cached
  }
  const png = sharp(Buffer.from(svg)).png({ compressionLevel: 9, palette: true, quality: 90, dither: 1 }).toBuffer()
  rendered.set(etag, png)
  png.catch(() => rendered.delete(etag))
  if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!)
  return png
}
