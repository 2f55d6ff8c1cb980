import type { z } from 'zod'

export type FieldErrors = Partial<Record<string, string>>

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

/** Validates a submitted form; the first message per field, keyed by field name. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const values: Record<string, FormDataEntryValue> = {}
  for (const [key, value] of formData) values[key] = value
  const result = schema.safeParse(values)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form')
    errors[field] ??= issue.message
  }
  return { ok: false, errors }
}
