import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'

/**
 * A round icon link of the header (the cart, the bell) with a count badge when the count is not
 * zero; `label` names it for screen readers and as its tooltip.
 */
export function HeaderIconLink({ to, label, count, children }: { to: string; label: string; count: number; children: ReactNode }) {
  return (
    <Link
      to={to}
      aria-label={label}
      title={label}
      className="relative flex h-9 w-9 items-center justify-center rounded-full text-stone-700 hover:bg-stone-100 hover:text-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
    >
      <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className="h-5 w-5">
        {children}
      </svg>
      {count > 0 ? (
        <span aria-hidden className="absolute -right-0.5 -top-0.5 min-w-[1.1rem] rounded-full bg-brand-700 px-1 text-center text-[11px] font-semibold leading-[1.1rem] text-white">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  )
}
