import { Link } from '@remix-run/react'
import { navZhCN } from '~/i18n/core.zh-CN'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { nav: navZhCN }

/**
 * The header's cart: a link to /cart for everyone, visitors included, with how many lines the
 * cart holds (issue 18: the cart could not be reached from the header at all).
 */
export function CartLink({ lines }: { lines: number }) {
  const label = t.nav.cartWith(lines)
  return (
    <Link
      to="/cart"
      aria-label={label}
      title={label}
      className="relative flex h-9 w-9 items-center justify-center rounded-full text-stone-700 hover:bg-stone-100 hover:text-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
    >
      <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className="h-5 w-5">
        <circle cx="9" cy="20" r="1.3" />
        <circle cx="18" cy="20" r="1.3" />
        <path d="M2.5 3.5h2.6l2.3 11.2a1.6 1.6 0 0 0 1.6 1.3h8.7a1.6 1.6 0 0 0 1.6-1.2l1.6-6.8H6.1" />
      </svg>
      {lines > 0 ? (
        <span aria-hidden className="absolute -right-0.5 -top-0.5 min-w-[1.1rem] rounded-full bg-brand-700 px-1 text-center text-[11px] font-semibold leading-[1.1rem] text-white">
          {lines > 99 ? '99+' : lines}
        </span>
      ) : null}
    </Link>
  )
}
