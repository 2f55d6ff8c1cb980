import {
  useEffect,
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string
  name: string
  error?: string
  hint?: ReactNode
}

const CONTROL =
  'block w-full rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30'

/** Label, control, hint and error, wired up for screen readers; `control` renders the input. */
function Labelled({
  label,
  error,
  hint,
  className,
  control,
}: {
  label: string
  error?: string
  hint?: ReactNode
  className?: string
  control: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string; className: string }) => ReactNode
}) {
  const id = useId()
  const describedBy = [error ? `${id}-error` : null, hint && !error ? `${id}-hint` : null].filter(Boolean).join(' ')
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-700">
        {label}
      </label>
      {control({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
        className: `${CONTROL} ${error ? 'border-red-500' : 'border-stone-300'}`,
      })}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled input with its error under it. */
export function Field({ label, name, error, hint, className, ...input }: FieldProps) {
  return <Labelled label={label} error={error} hint={hint} className={className} control={(p) => <input name={name} {...p} {...input} />} />
}

// Read by every page with a password field (login, sign-up, reset, account): kept here, two words.
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

interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string
  name: string
  error?: string
  hint?: ReactNode
  /** Extra classes for the textarea itself (the wrapper takes none). */
  controlClassName?: string
}

/** A labelled textarea with its error under it. */
export function TextAreaField({ label, name, error, hint, controlClassName = '', ...textarea }: TextAreaProps) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      control={({ className, ...p }) => <textarea name={name} className={`${className} ${controlClassName}`} {...p} {...textarea} />}
    />
  )
}

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string
  name: string
  error?: string
  children: ReactNode
}

export function SelectField({ label, name, error, className, children, ...select }: SelectProps) {
  return (
    <Labelled
      label={label}
      error={error}
      className={className}
      control={(p) => (
        <select name={name} {...p} {...select}>
          {children}
        </select>
      )}
    />
  )
}

export function FormError({ error }: { error?: string }) {
  if (!error) return null
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {error}
    </p>
  )
}
