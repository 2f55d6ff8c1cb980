import type { ActionFunctionArgs, UploadHandler } from '@remix-run/node'
import { MAX_AUDIO_BYTES, MAX_IMAGE_BYTES } from '~/domain/media-types'
import { errorsZhCN } from '~/i18n/core.zh-CN'
import { mediaZhCN } from '~/i18n/media.zh-CN'
import { ingestAudio, ingestImage, type IngestResult } from '~/models/media.server'
import { parseMultipartForm } from '~/utils/multipart.server'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { errors: errorsZhCN, media: mediaZhCN }

// Multipart framing adds a little to the file itself.
const OVERHEAD_BYTES = 64 * 1024

export { postOnly as loader } from '~/utils/post-only.server'

/**
 * Upload endpoint for the daily editor (XHR with progress): POST /admin/media?kind=audio|image
 * with one `file` part. Answers JSON { id, durationMs } or { error } with 4xx. The body is
 * streamed to disk with a cap; a declared size over the cap is refused before reading.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'editor')
  const kind = new URL(request.url).searchParams.get('kind') === 'image' ? 'image' : 'audio'
  const max = kind === 'image' ? MAX_IMAGE_BYTES : MAX_AUDIO_BYTES
  const declared = Number(request.headers.get('Content-Length') ?? '0')
  if (declared > max + OVERHEAD_BYTES) {
    return Response.json({ error: kind === 'image' ? t.media.imageTooLarge : t.media.audioTooLarge }, { status: 413 })
  }
  let result: IngestResult | null = null
  const handler: UploadHandler = async ({ name, data, filename }) => {
    if (name !== 'file' || result) return undefined
    const ingest = kind === 'image' ? ingestImage : ingestAudio
    result = await ingest({ data, originalName: filename ?? '', uploadedBy: user.id })
    return result.ok ? result.media.id : undefined
  }
  try {
    const parsed = await parseMultipartForm(request, handler)
    if (!parsed.ok && !result) return Response.json({ error: t.errors.malformedUpload }, { status: 400 })
  } catch (error) {
    // A file already taken in stays taken, whatever broke after it.
    if (!result) throw error
  }
  const outcome = result as IngestResult | null
  if (!outcome) return Response.json({ error: t.media.noFile }, { status: 400 })
  if (!outcome.ok) return Response.json({ error: outcome.error }, { status: outcome.status })
  return Response.json({ id: outcome.media.id, durationMs: outcome.media.durationMs, url: `/media/${outcome.media.id}` }, { status: 201 })
}
