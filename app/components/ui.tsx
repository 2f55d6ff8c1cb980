import { useNavigation } from '@remix-run/react'
import type { ButtonHTMLAttributes, ReactNode } from 'react'

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost'

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-brand-700 text-white hover:bg-brand-800 shadow-sm',
  secondary: 'border border-stone-300 bg-white text-stone-800 hover:bg-stone-50',
  danger: 'border border-red-300 bg-white text-red-700 hover:bg-red-50',
  ghost: 'text-stone-700 hover:bg-stone-100',
}

export function buttonClass(variant: Variant = 'primary', extra = '') {
  return `inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2.5 text-sm font-semibold transition disabled:cursor-not-allowed disabled:opacity-60 ${VARIANTS[variant]} ${extra}`
}

/**
 * A button; a submit button is disabled while a form of the page is being submitted, so a second
 * tap cannot send it twice (issue 18: WeChat shows no progress, readers tapped again).
 */
export function Button({
  variant = 'primary',
  className = '',
  type = 'submit',
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  const submitting = useNavigation().state === 'submitting'
  return <button type={type} className={buttonClass(variant, className)} disabled={disabled || (type === 'submit' && submitting)} {...props} />
}

export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <section className={`rounded-2xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6 ${className}`}>{children}</section>
}

export function PageTitle({ children, subtitle }: { children: ReactNode; subtitle?: ReactNode }) {
  return (
    <header className="mb-6">
      <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">{children}</h1>
      {subtitle ? <p className="mt-2 text-stone-600">{subtitle}</p> : null}
    </header>
  )
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-2xl border border-dashed border-stone-300 bg-white/60 px-5 py-10 text-center text-stone-500">
      {children}
    </p>
  )
}

export type BadgeTone = 'stone' | 'brand' | 'green' | 'red' | 'amber' | 'blue' | 'violet' | 'rose' | 'teal' | 'outline'

export function Badge({ children, tone = 'stone' }: { children: ReactNode; tone?: BadgeTone }) {
  // Every pair is at least 4.5:1 (axe color-contrast at text-xs).
  const tones: Record<BadgeTone, string> = {
    stone: 'bg-stone-100 text-stone-700',
    brand: 'bg-brand-100 text-brand-800',
    green: 'bg-green-100 text-green-800',
    red: 'bg-red-100 text-red-800',
    amber: 'bg-amber-100 text-amber-800',
    blue: 'bg-blue-100 text-blue-800',
    violet: 'bg-violet-100 text-violet-800',
    rose: 'bg-rose-100 text-rose-800',
    teal: 'bg-teal-100 text-teal-800',
    outline: 'border border-stone-300 bg-white text-stone-600',
  }
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>
}
