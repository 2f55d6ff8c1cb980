import { useFetcher } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { TextAreaField } from './field'

/**
 * A markdown field with its preview beside it, rendered by the server's renderMarkdown as the
 * editor types (the daily editor's preview route), so what the preview shows is what readers get.
 */
export function MarkdownPreviewField({
  label,
  previewLabel,
  name,
  defaultValue,
  error,
  rows = 10,
}: {
  label: string
  previewLabel: string
  name: string
  defaultValue: string
  error?: string
  rows?: number
}) {
  const preview = useFetcher<{ html: string }>()
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const { submit } = preview
  const requestPreview = (body: string) => {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => submit({ body }, { method: 'post', action: '/admin/posts/preview' }), 400)
  }
  useEffect(() => {
    if (defaultValue) submit({ body: defaultValue }, { method: 'post', action: '/admin/posts/preview' })
    return () => clearTimeout(timer.current)
  }, [defaultValue, submit])
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <TextAreaField
        label={label}
        name={name}
        defaultValue={defaultValue}
        rows={rows}
        maxLength={50_000}
        error={error}
        onChange={(event) => requestPreview(event.currentTarget.value)}
        controlClassName="font-mono text-sm leading-6"
      />
      <section aria-label={previewLabel} className="min-w-0 rounded-lg border border-dashed border-stone-300 bg-white p-3">
        <p className="mb-2 text-xs font-semibold text-stone-500">{previewLabel}</p>
        <div className="prose-zhiyin text-[15px]" dangerouslySetInnerHTML={{ __html: preview.data?.html ?? '' }} />
      </section>
    </div>
  )
}
