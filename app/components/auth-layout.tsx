import { Form, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { authZhCN } from '~/i18n/auth.zh-CN'
import { Button } from './ui'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { auth: authZhCN }

export function AuthCard({ title, children, footer, note }: { title: string; children: ReactNode; footer?: ReactNode; note?: ReactNode }) {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-bold text-stone-900">{title}</h1>
      {note}
      <div className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">{children}</div>
      {footer ? <div className="mt-6 text-center text-sm text-stone-600">{footer}</div> : null}
    </div>
  )
}

/**
 * The page an emailed link opens: one button that posts, so a mail scanner following the link
 * uses nothing up (magic sign-in, email verification).
 */
export function ConfirmLinkCard({ title, body, submit }: { title: string; body: string; submit: string }) {
  const busy = useNavigation().state !== 'idle'
  return (
    <AuthCard title={title}>
      <p className="mb-5 text-stone-600">{body}</p>
      <Form method="post">
        <Button className="w-full" disabled={busy}>
          {submit}
        </Button>
      </Form>
    </AuthCard>
  )
}

/** Above the sign-in and sign-up forms when a visitor was sent there by a buy button (decision 040). */
export function PurchaseNote() {
  return (
    <div role="note" className="mb-4 rounded-xl border border-brand-100 bg-brand-50 px-4 py-3 text-center">
      <p className="font-semibold text-brand-800">{t.auth.continuePurchase}</p>
      <p className="mt-1 text-sm text-brand-800">{t.auth.continuePurchaseHelp}</p>
    </div>
  )
}
