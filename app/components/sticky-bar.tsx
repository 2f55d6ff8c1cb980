// The bar fixed to the bottom of a phone's screen that keeps a page's main action in reach: the
// product page's price with 加入购物车 / 立即购买, the checkout's 合计 with 提交订单 (issue 18,
// decision 043). It holds buttons of the page's own form, so it works without JavaScript; from
// `hideFrom` up the page's in-flow buttons take over and the bar is not rendered at all.
import type { ReactNode } from 'react'

// Literal class names: Tailwind only generates what it can read in the source.
const HIDE_FROM = { md: 'md:hidden', lg: 'lg:hidden' } as const

export function StickyBar({ summary, children, hideFrom = 'md', label }: { summary: ReactNode; children: ReactNode; hideFrom?: keyof typeof HIDE_FROM; label: string }) {
  return (
    // data-sticky-bar lets the page keep its end clear of the bar (tailwind.css).
    <div
      role="group"
      aria-label={label}
      data-sticky-bar={hideFrom}
      className={`fixed inset-x-0 bottom-0 z-30 border-t border-stone-200 bg-white px-4 pt-2 pb-[calc(0.5rem+env(safe-area-inset-bottom))] shadow-[0_-4px_12px_rgba(0,0,0,0.06)] ${HIDE_FROM[hideFrom]}`}
    >
      <div className="mx-auto flex max-w-5xl items-center gap-3">
        <div className="min-w-0 shrink">{summary}</div>
        <div className="ml-auto grid shrink-0 auto-cols-fr grid-flow-col gap-2">{children}</div>
      </div>
    </div>
  )
}
