// What a member card shows — the same on /membership/card and in its share image. Pure: no I/O.
import type { MembershipSource } from '../../db/schema'
import { memberNumberLabel } from '~/emails/drop'
import { cardZhCN } from '~/i18n/card.zh-CN'
import { formatValidUntil } from '~/utils/format'
import { isMembershipActive } from './membership'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { card: cardZhCN }

/** One membership as its card needs it (the model's row). */
export interface MemberCardRecord {
  membershipId: number
  memberNumber: number | null
  source: MembershipSource
  tierName: string
  tierSlug: string
  rank: number
  name: string
  validFrom: Date
  validUntil: Date
  revokedAt: Date | null
  dropName: string | null
  /** Signed into the share link; raised by 重置分享链接. */
  shareVersion: number
}

/** The card's colours: 铁杆 is a dark metal card, 亲情 a wine-red leather one. */
export type CardTone = 'qinqing' | 'tiegan'

/** Colours of each tone, shared by the page's card and the share image so the two match. */
export const CARD_COLOURS: Record<CardTone, { background: [string, string, string]; accent: [string, string, string]; text: string }> = {
  tiegan: { background: ['#0c0a09', '#2b2724', '#141110'], accent: ['#f6e3a1', '#c49a45', '#f1d487'], text: '#f5f0e6' },
  qinqing: { background: ['#3d0f0d', '#7a1f1b', '#4a1411'], accent: ['#fde7c7', '#d39a62', '#f6d5a8'], text: '#fdf2e9' },
}

export interface MemberCardFace {
  /** 「第 0001 号」, or what stands in for a number: 「赠送会员」 / 「体验会员」. */
  headline: string
  numbered: boolean
  tierName: string
  name: string
  dropName: string | null
  /** The last day the membership covers, in the site time zone. */
  validUntil: string
  tone: CardTone
}

export function cardTone({ tierSlug, rank }: { tierSlug: string; rank: number }): CardTone {
  if (tierSlug === 'tiegan' || tierSlug === 'qinqing') return tierSlug
  // Tiers are data: a tier added later takes the look of its rank.
  return rank >= 2 ? 'tiegan' : 'qinqing'
}

export function memberCardFace(card: MemberCardRecord, timeZone: string): MemberCardFace {
  const c = t.card.face
  const headline =
    card.memberNumber !== null
      ? c.number(memberNumberLabel(card.memberNumber))
      : card.source === 'complimentary'
        ? c.complimentary
        : card.source === 'demo'
          ? c.demo
          : c.member
  return {
    headline,
    numbered: card.memberNumber !== null,
    tierName: card.tierName,
    name: card.name,
    dropName: card.dropName,
    validUntil: formatValidUntil(card.validUntil, timeZone),
    tone: cardTone(card),
  }
}

/** Ended (its time ran out) or revoked (refunded, taken back): the card is kept as a record. */
export function isCardExpired(card: Pick<MemberCardRecord, 'rank' | 'validFrom' | 'validUntil' | 'revokedAt'>, now: Date) {
  return !isMembershipActive({ tierRank: card.rank, validFrom: card.validFrom, validUntil: card.validUntil, revokedAt: card.revokedAt }, now)
}

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' })

// CJK ideographs, kana, hangul, full-width forms and emoji take a full em; the rest about half.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F000}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u

export function graphemeWidth(grapheme: string) {
  return WIDE.test(grapheme) ? 1 : 0.6
}

/**
 * Text cut to fit `maxEm` ems, with 「…」 when it was cut — by grapheme, so an emoji or a
 * combined character is never split. Images have no layout engine: widths are estimated.
 */
export function truncateToWidth(text: string, maxEm: number) {
  const graphemes = Array.from(segmenter.segment(text.trim()), (s) => s.segment)
  const total = graphemes.reduce((sum, g) => sum + graphemeWidth(g), 0)
  if (total <= maxEm) return graphemes.join('')
  let width = 1 // room for the ellipsis
  let kept = ''
  for (const grapheme of graphemes) {
    width += graphemeWidth(grapheme)
    if (width > maxEm) break
    kept += grapheme
  }
  return `${kept.trimEnd()}…`
}
