import { Form, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Button } from './ui'

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-bold text-stone-900">{title}</h1>
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
