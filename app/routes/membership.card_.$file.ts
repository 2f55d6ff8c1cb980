import type { LoaderFunctionArgs } from '@remix-run/node'
import { memberCardFace } from '~/domain/member-card'
import { isNotModified } from '~/domain/range'
import { cardZhCN } from '~/i18n/card.zh-CN'
import { findSharedCard } from '~/models/member-card.server'
import { getEnv } from '~/utils/env.server'
import { memberCardSvg, renderMemberCardPng } from '~/utils/member-card-image.server'
import { bodyEtag } from '~/utils/xml.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { card: cardZhCN }

function notFound() {
  return new Response(t.card.notFound, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

// /membership/card/<membershipId>-<hmac>.png — the card's share image, the card page's
// og:image. Public (crawlers have no cookie); the HMAC in the name is what keeps members from
// being enumerated, and 重置分享链接 voids it. An ended or revoked membership's image still
// renders: it is a record.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? ''
  const card = file.endsWith('.png') ? await findSharedCard(file.slice(0, -'.png'.length)) : undefined
  if (!card) return notFound()
  const svg = memberCardSvg(memberCardFace(card, getEnv().SITE_TIMEZONE))
  // The picture follows from the SVG: tag it before paying for the rasterising.
  const etag = bodyEtag(svg)
  const headers = new Headers({ 'Cache-Control': 'public, max-age=3600', ETag: etag })
  if (isNotModified({ ifNoneMatch: request.headers.get('If-None-Match') }, { etag })) {
    return new Response(null, { status: 304, headers })
  }
  const png = await renderMemberCardPng(svg, etag)
  headers.set('Content-Type', 'image/png')
  headers.set('Content-Length', String(png.length))
  return new Response(new Uint8Array(png), { headers })
}
