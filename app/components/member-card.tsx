// The member card as the page shows it: the same face, colours and pattern as its share image
// (app/utils/member-card-image.server.ts), drawn in CSS so it stays sharp at any width. Sizes
// are in container units (cqw) so the whole card scales as one, like the image does.
import type { CSSProperties } from 'react'
import { CARD_COLOURS, type MemberCardFace } from '~/domain/member-card'
import { cardZhCN } from '~/i18n/card.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { card: cardZhCN }

const c = t.card.face

const SERIF = "'Noto Serif CJK SC', 'Songti SC', 'STSong', 'SimSun', serif"

/** Banknote-style guilloche in the top-right corner (the image draws the same one). */
function Rosette({ colour }: { colour: string }) {
  const petals = (count: number, rx: number, ry: number) =>
    Array.from({ length: count }, (_, i) => (
      <ellipse key={`${rx}-${i}`} cx="0" cy="0" rx={rx} ry={ry} transform={`rotate(${(180 / count) * i})`} />
    ))
  return (
    <svg aria-hidden viewBox="-260 -260 520 520" className="pointer-events-none absolute -right-[5%] -top-[11%] w-[44%]">
      <g fill="none" stroke={colour} strokeOpacity="0.12" strokeWidth="1.2">
        {petals(24, 250, 70)}
        {petals(18, 150, 40)}
      </g>
    </svg>
  )
}

export function MemberCard({ face, expired }: { face: MemberCardFace; expired: boolean }) {
  const colours = CARD_COLOURS[face.tone]
  const [bg0, bg1, bg2] = colours.background
  const [ac0, ac1, ac2] = colours.accent
  const grain =
    face.tone === 'qinqing'
      ? 'radial-gradient(circle at 1.5px 1.5px, rgb(0 0 0 / 0.16) 1px, transparent 1.3px) 0 0 / 6px 6px'
      : 'repeating-linear-gradient(0deg, rgb(255 255 255 / 0.035) 0 1px, transparent 1px 4px)'
  const cardStyle: CSSProperties = {
    background: `radial-gradient(circle at 18% 0%, rgb(255 255 255 / 0.16), transparent 60%), ${grain}, linear-gradient(135deg, ${bg0}, ${bg1} 55%, ${bg2})`,
    color: colours.text,
  }
  const foil: CSSProperties = {
    backgroundImage: `linear-gradient(135deg, ${ac0}, ${ac1} 50%, ${ac2})`,
    WebkitBackgroundClip: 'text',
    backgroundClip: 'text',
    color: 'transparent',
  }
  return (
    <div className="relative @container">
      <article
        aria-label={t.card.title}
        className={`relative aspect-[1.6] overflow-hidden rounded-[4.5cqw] shadow-xl shadow-stone-900/25 ring-1 ring-black/10 ${expired ? 'grayscale-[85%]' : ''}`}
        style={cardStyle}
      >
        <Rosette colour={ac1} />
        <div
          aria-hidden
          className={`pointer-events-none absolute inset-[3.2cqw] rounded-[2.6cqw] border ${face.tone === 'qinqing' ? 'border-dashed opacity-60' : 'opacity-40'}`}
          style={{ borderColor: ac1 }}
        />
        <div className="relative flex h-full flex-col px-[7.5cqw] pb-[6cqw] pt-[6.5cqw]">
          <header className="flex items-start justify-between gap-[3cqw]">
            <p className="flex items-baseline gap-[2cqw]">
              <span className="text-[7.5cqw] font-bold leading-none" style={{ ...foil, fontFamily: SERIF }}>
                {c.brand}
              </span>
              <span className="text-[2.4cqw] tracking-[0.3em] opacity-60">{c.brandLatin}</span>
            </p>
            <p
              className="max-w-[45%] truncate rounded-full border px-[3cqw] py-[0.9cqw] text-[3.3cqw] font-bold"
              style={{ borderColor: ac1, backgroundColor: `${ac1}1f`, color: ac0 }}
            >
              {face.tierName}
            </p>
          </header>
          <div className="flex flex-1 flex-col items-center justify-center text-center">
            <p className="whitespace-nowrap text-[11.5cqw] font-bold leading-tight tracking-wide" style={{ ...foil, fontFamily: SERIF }}>
              {face.headline}
            </p>
            <p className="mt-[1cqw] max-w-full truncate text-[4.6cqw] leading-snug">{face.name}</p>
          </div>
          <footer
            className="flex items-end justify-between gap-[3cqw] border-t pt-[2.8cqw] text-[3cqw] opacity-90"
            style={{ borderColor: `${ac1}59` }}
          >
            <p className="min-w-0 truncate">{face.dropName ?? c.member}</p>
            <p className="shrink-0">
              {c.validUntil} {face.validUntil}
            </p>
          </footer>
        </div>
      </article>
      {expired ? (
        <p
          className="absolute bottom-[24%] right-[6%] -rotate-12 rounded-[1.5cqw] border-[0.6cqw] border-red-600 bg-white/85 px-[3cqw] py-[0.6cqw] text-[5cqw] font-bold tracking-[0.2em] text-red-700 shadow-sm"
          style={{ fontFamily: SERIF }}
        >
          {c.expired}
        </p>
      ) : null}
    </div>
  )
}
