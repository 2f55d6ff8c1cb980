// The password input with its show-password toggle, in a module of its own: only the pages with a
// password field (login, sign-up, reset, account) download it (decision 028).
import { useEffect, useState } from 'react'
import { Labelled, type FieldProps } from './field'

// The toggle's name (two words, read only by this module).
const SHOW_PASSWORD = '显示密码'

/**
 * A password input with a show-password toggle. The toggle is a real button (aria-pressed, a zh-CN
 * aria-label) drawn only once the page runs JavaScript: without it the field is a plain password
 * field, and never a button that does nothing.
 */
export function PasswordField({ label, name, error, hint, className, ...input }: Omit<FieldProps, 'type'>) {
  const [hydrated, setHydrated] = useState(false)
  const [shown, setShown] = useState(false)
  useEffect(() => setHydrated(true), [])
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(p) => (
        <div className="relative">
          <input name={name} {...p} {...input} type={shown ? 'text' : 'password'} className={`${p.className} ${hydrated ? 'pr-12' : ''}`} />
          {hydrated ? (
            <button
              type="button"
              aria-pressed={shown}
              aria-label={SHOW_PASSWORD}
              title={SHOW_PASSWORD}
              aria-controls={p.id}
              onClick={() => setShown((value) => !value)}
              className="absolute inset-y-0 right-0 flex w-12 items-center justify-center rounded-r-lg text-stone-500 hover:text-stone-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
            >
              <EyeIcon crossed={shown} />
            </button>
          ) : null}
        </div>
      )}
    />
  )
}

function EyeIcon({ crossed }: { crossed: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
      {crossed ? <path d="M4 4l16 16" /> : null}
    </svg>
  )
}

