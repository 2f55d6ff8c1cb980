import type { LoaderFunctionArgs } from '@remix-run/node'
import { memberCardFace } from '~/domain/member-card'
import { cardZhCN } from '~/i18n/card.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shareZhCN } from '~/i18n/share.zh-CN'
import { findMemberCard } from '~/models/member-card.server'
import { referralCodeFor } from '~/models/referral.server'
import { requireUser } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { memberCardShareToken, memberCardSvg, renderMemberCardPng } from '~/utils/member-card-image.server'
import { linkWithReferral, posterNotFound, posterResponse } from '~/utils/poster.server'
import { bodyEtag } from '~/utils/xml.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { card: cardZhCN, share: shareZhCN, site: siteZhCN }

// /poster/card.png — the signed-in member's own card as a poster: the card image, and a QR code
// of the card's share page with the member's ?ref=. Personal: private to the browser.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const record = await findMemberCard({ userId: user.id, now: new Date() })
  if (!record) return posterNotFound(t.share.errors.noCard)
  const { SITE_URL, SITE_TIMEZONE } = getEnv()
  const face = memberCardFace(record, SITE_TIMEZONE)
  const svg = memberCardSvg(face)
  const cardEtag = bodyEtag(svg)
  const code = await referralCodeFor(user.id)
  const content = {
    kicker: `${t.site.name} · ${t.card.title}`,
    title: t.card.meta.title(face.name),
    price: null,
    quote: t.card.meta.description(face.headline, face.tierName, face.dropName),
    caption: t.share.invitedBy(face.name),
    link: linkWithReferral(`${SITE_URL}/membership/card?s=${memberCardShareToken(record)}`, code),
  }
  return posterResponse(request, content, { cover: await renderMemberCardPng(svg, cardEtag), coverKey: cardEtag, fit: 'contain', personal: true })
}
