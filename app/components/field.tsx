import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string
  name: string
  error?: string
  hint?: ReactNode
}

const CONTROL =
  'block w-full rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30'

/** Label, control, hint and error, wired up for screen readers; `control` renders the input (also PasswordField's). */
export function Labelled({
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
