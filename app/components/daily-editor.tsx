import { Form, Link, useNavigation } from '@remix-run/react'
import { useEffect, useId, useRef, useState } from 'react'
import { Field, FormError, SelectField, TextAreaField } from '~/components/field'
import { MarkdownPreviewField } from '~/components/markdown-preview-field'
import { Badge, Button, Card } from '~/components/ui'
import { TRANSCRIPT_MAX_LENGTH } from '~/domain/daily-limits'
import { MAX_AUDIO_BYTES, MAX_IMAGE_BYTES } from '~/domain/media-types'
import { dailyZhCN } from '~/i18n/daily.zh-CN'
import { mediaZhCN } from '~/i18n/media.zh-CN'
import type { FieldErrors } from '~/utils/forms'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { daily: dailyZhCN, media: mediaZhCN }

const f = t.daily.editor.fields

export interface EditorDaily {
  id: number | null
  date: string
  time: string
  title: string
  keyword: string
  teaser: string
  body: string
  transcript: string
  voicePublic: boolean
  minRank: number
  state: 'draft' | 'scheduled' | 'published'
  audio: { id: string; url: string; durationMs: number | null } | null
  cover: { id: string; url: string } | null
}

export function DailyEditor({
  daily,
  tiers,
  errors,
}: {
  daily: EditorDaily
  tiers: { rank: number; name: string }[]
  errors: FieldErrors
}) {
  const busy = useNavigation().state !== 'idle'
  return (
    <Form method="post" className="space-y-5" noValidate>
      <FormError error={errors.form} />
      <div className="grid grid-cols-2 gap-3">
        <Field label={f.date} name="date" type="date" defaultValue={daily.date} required error={errors.date} />
        <Field label={f.time} name="time" type="time" defaultValue={daily.time} required error={errors.time} />
      </div>
      <Field label={f.title} name="title" defaultValue={daily.title} maxLength={80} required error={errors.title} />
      <Field label={f.keyword} name="keyword" defaultValue={daily.keyword} maxLength={20} required hint={f.keywordHint} error={errors.keyword} />
      <TextAreaField label={f.teaser} name="teaser" defaultValue={daily.teaser} rows={3} maxLength={300} hint={f.teaserHint} error={errors.teaser} />
      <MarkdownPreviewField label={f.body} previewLabel={f.preview} name="body" defaultValue={daily.body} error={errors.body} rows={14} />
      <TextAreaField
        label={f.transcript}
        name="transcript"
        defaultValue={daily.transcript}
        rows={4}
        maxLength={TRANSCRIPT_MAX_LENGTH}
        hint={f.transcriptHint}
        error={errors.transcript}
      />
      <SelectField label={f.minRank} name="minRank" defaultValue={String(daily.minRank)} error={errors.minRank}>
        {tiers.map((tier) => (
          <option key={tier.rank} value={tier.rank}>
            {tier.rank === 0 ? f.public : tier.name}
          </option>
        ))}
      </SelectField>
      <UploadField
        kind="audio"
        label={f.audio}
        hint={f.audioHint}
        name="audioId"
        accept="audio/mpeg,audio/mp4,audio/aac,audio/ogg,audio/opus,audio/wav,audio/x-wav,.mp3,.m4a,.aac,.ogg,.opus,.wav"
        maxBytes={MAX_AUDIO_BYTES}
        initial={daily.audio}
        error={errors.audioId}
      />
      <div>
        <label className="flex items-start gap-2 text-sm text-stone-800">
          <input
            type="checkbox"
            name="voicePublic"
            defaultChecked={daily.voicePublic}
            aria-describedby="voicePublic-hint"
            className="mt-1 h-4 w-4 accent-brand-700"
          />
          <span>{f.voicePublic}</span>
        </label>
        <p id="voicePublic-hint" className="ml-6 mt-1 text-xs text-stone-500">
          {f.voicePublicHint}
        </p>
      </div>
      <UploadField
        kind="image"
        label={f.cover}
        hint={f.coverHint}
        name="coverId"
        accept="image/jpeg,image/png,image/webp"
        maxBytes={MAX_IMAGE_BYTES}
        initial={daily.cover ? { ...daily.cover, durationMs: null } : null}
        error={errors.coverId}
      />
      <div className="flex flex-wrap gap-2 border-t border-stone-200 pt-5">
        <Button name="intent" value="save" variant="secondary" disabled={busy}>
          {daily.state === 'draft' ? t.daily.editor.save : t.daily.editor.saveChanges}
        </Button>
        {daily.state === 'draft' ? (
          <Button name="intent" value="schedule" variant="secondary" disabled={busy}>
            {t.daily.editor.schedule}
          </Button>
        ) : null}
        {daily.state !== 'published' ? (
          <Button name="intent" value="publish" disabled={busy}>
            {t.daily.editor.publish}
          </Button>
        ) : null}
        {daily.state !== 'draft' ? (
          <Button name="intent" value="unpublish" variant="danger" disabled={busy}>
            {t.daily.editor.unpublish}
          </Button>
        ) : null}
        {daily.id !== null ? (
          <Link to={`/daily/${daily.date}`} className="ml-auto self-center text-sm text-stone-600 underline">
            {t.daily.editor.view}
          </Link>
        ) : null}
      </div>
    </Form>
  )
}

type Uploaded = { id: string; url: string; durationMs: number | null }

/** A file field that uploads at once (with progress) and keeps only the stored id in the form. */
function UploadField({
  kind,
  label,
  hint,
  name,
  accept,
  maxBytes,
  initial,
  error,
}: {
  kind: 'audio' | 'image'
  label: string
  hint: string
  name: string
  accept: string
  maxBytes: number
  initial: Uploaded | null
  error?: string
}) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [uploaded, setUploaded] = useState<Uploaded | null>(initial)
  const [progress, setProgress] = useState<number | null>(null)
  const [uploadError, setUploadError] = useState<string | null>(null)
  const shownError = uploadError ?? error

  function upload(file: File) {
    setUploadError(null)
    if (file.size > maxBytes) {
      setUploadError(kind === 'audio' ? t.media.audioTooLarge : t.media.imageTooLarge)
      return
    }
    const body = new FormData()
    body.append('file', file)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/admin/media?kind=${kind}`)
    xhr.responseType = 'json'
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) setProgress(Math.round((event.loaded / event.total) * 100))
    }
    xhr.onload = () => {
      setProgress(null)
      const response = xhr.response as { id?: string; url?: string; durationMs?: number | null; error?: string } | null
      if (xhr.status === 201 && response?.id && response.url) {
        setUploaded({ id: response.id, url: response.url, durationMs: response.durationMs ?? null })
      } else {
        setUploadError(response?.error ?? f.uploadFailed)
      }
    }
    xhr.onerror = () => {
      setProgress(null)
      setUploadError(f.uploadFailed)
    }
    setProgress(0)
    xhr.send(body)
  }

  // A file chosen before the page's scripts ran fired no change event: upload it now.
  useEffect(() => {
    const early = input.current?.files?.[0]
    if (early) upload(early)
    // Only once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return (
    <Card className="p-4 sm:p-4">
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-700">
        {label}
      </label>
      <input type="hidden" name={name} value={uploaded?.id ?? ''} />
      <input
        ref={input}
        id={id}
        type="file"
        accept={accept}
        aria-describedby={`${id}-hint`}
        aria-invalid={shownError ? true : undefined}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0]
          if (file) upload(file)
        }}
        className="block w-full text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-100 file:px-3 file:py-2 file:font-semibold file:text-brand-800"
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500">
        {hint}
      </p>
      {progress !== null ? (
        <div className="mt-3">
          <progress max={100} value={progress} className="h-2 w-full accent-brand-700" aria-label={f.uploading(progress)} />
          <p className="mt-1 text-xs text-stone-600">{f.uploading(progress)}</p>
        </div>
      ) : null}
      {uploaded && progress === null ? (
        <div className="mt-3 space-y-2">
          {kind === 'audio' ? (
            <>
              <Badge tone="green">{f.uploaded(Math.floor((uploaded.durationMs ?? 0) / 1000))}</Badge>
              <audio controls preload="metadata" src={uploaded.url} className="w-full" />
            </>
          ) : (
            <>
              <Badge tone="green">{f.imageUploaded}</Badge>
              <img src={uploaded.url} alt="" className="max-h-40 rounded-lg" />
            </>
          )}
          <button type="button" onClick={() => setUploaded(null)} className="text-sm text-red-700 underline">
            {f.remove}
          </button>
        </div>
      ) : null}
      {shownError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {shownError}
        </p>
      ) : null}
    </Card>
  )
}
