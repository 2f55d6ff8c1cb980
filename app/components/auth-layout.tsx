import type { ReactNode } from 'react'

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-bold text-stone-900">{title}</h1>
      <div className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">{children}</div>
      {footer ? <div className="mt-6 text-center text-sm text-stone-600">{footer}</div> : null}
    </div>
  )
}
