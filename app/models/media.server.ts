import { eq, or } from 'drizzle-orm'
import { parseFile } from 'music-metadata'
import { media, productImages, products, type Media } from '../../db/schema'
import {
  detectAudioType,
  detectVideoType,
  MAX_AUDIO_BYTES,
  MAX_AUDIO_SECONDS,
  MAX_IMAGE_BYTES,
  MAX_LESSON_AUDIO_BYTES,
  MAX_LESSON_AUDIO_SECONDS,
  MAX_VIDEO_BYTES,
} from '~/domain/media-types'
import { t } from '~/i18n/zh-CN'
import { db, type Executor } from '~/utils/db.server'
import { encodeUploadedImage, IMAGE_REFUSALS, type Rendition } from '~/utils/image-upload.server'
import {
  commitUpload,
  discardFile,
  newMediaId,
  readHead,
  storedPath,
  UploadTooLargeError,
  writeTempUpload,
} from '~/utils/storage.server'

export type IngestResult = { ok: true; media: Media } | { ok: false; error: string; status: 400 | 413 | 415 }
type Refusal = Extract<IngestResult, { ok: false }>
type Accepted = { mimeType: string; extension: string; durationMs: number | null } | { encoded: Rendition; durationMs: null }

interface Upload {
  data: AsyncIterable<Uint8Array>
  originalName: string
  uploadedBy: number | null
}

/**
 * The one way an upload is stored: streamed to a temporary file under a byte cap, checked by
 * `inspect` (type by content, and whatever else the kind needs), then renamed into place — or,
 * for images, replaced by a fresh encode — and recorded. Nothing is kept when a check fails.
 */
async function ingest(
  upload: Upload,
  {
    kind,
    maxBytes,
    tooLarge,
    inspect,
  }: {
    kind: Media['kind']
    maxBytes: number
    tooLarge: string
    /** Refuses the file, accepts it as it is (its type), or hands back a new encode of it. */
    inspect: (tempPath: string, bytes: number) => Promise<Refusal | Accepted>
  },
): Promise<IngestResult> {
  let temp: { tempPath: string; bytes: number }
  try {
    temp = await writeTempUpload(upload.data, maxBytes)
  } catch (error) {
    if (error instanceof UploadTooLargeError) return { ok: false, error: tooLarge, status: 413 }
    throw error
  }
  try {
    const checked = await inspect(temp.tempPath, temp.bytes)
    if ('ok' in checked) return checked
    let file: { id: string; path: string; mimeType: string; bytes: number }
    if ('encoded' in checked) {
      file = checked.encoded
    } else {
      const id = newMediaId()
      file = { id, path: await commitUpload(temp.tempPath, `${id}.${checked.extension}`), mimeType: checked.mimeType, bytes: temp.bytes }
    }
    try {
      const [row] = await db
        .insert(media)
        .values({
          id: file.id,
          kind,
          mimeType: file.mimeType,
          bytes: file.bytes,
          durationMs: checked.durationMs,
          path: file.path,
          originalName: upload.originalName.slice(0, 200),
          uploadedBy: upload.uploadedBy,
        })
        .returning()
      return { ok: true, media: row! }
    } catch (error) {
      await discardFile(storedPath(file.path))
      throw error
    }
  } finally {
    await discardFile(temp.tempPath)
  }
}

/** An audio clip: at most 10 MB, a known audio type by its content, at most 60 s (measured). */
export function ingestAudio(upload: Upload) {
  return ingest(upload, {
    kind: 'audio',
    maxBytes: MAX_AUDIO_BYTES,
    tooLarge: t.media.audioTooLarge,
    async inspect(tempPath, bytes) {
      const type = detectAudioType(await readHead(tempPath))
      if (!type || bytes === 0) return { ok: false, error: t.media.audioType, status: 415 }
      const durationMs = await measureDurationMs(tempPath)
      if (durationMs === null) return { ok: false, error: t.media.audioUnreadable, status: 400 }
      if (durationMs > MAX_AUDIO_SECONDS * 1000) return { ok: false, error: t.media.audioTooLong(durationMs), status: 400 }
      return { ...type, durationMs }
    },
  })
}

/** A course lesson's audio: a known audio type by its content, at most 200 MB and 60 minutes. */
export function ingestLessonAudio(upload: Upload) {
  return ingest(upload, {
    kind: 'audio',
    maxBytes: MAX_LESSON_AUDIO_BYTES,
    tooLarge: t.media.lessonAudioTooLarge,
    async inspect(tempPath, bytes) {
      const type = detectAudioType(await readHead(tempPath))
      if (!type || bytes === 0) return { ok: false, error: t.media.audioType, status: 415 }
      const durationMs = await measureDurationMs(tempPath)
      if (durationMs === null) return { ok: false, error: t.media.audioUnreadable, status: 400 }
      if (durationMs > MAX_LESSON_AUDIO_SECONDS * 1000) return { ok: false, error: t.media.lessonAudioTooLong(durationMs), status: 400 }
      return { ...type, durationMs }
    },
  })
}

/** A course lesson's video: mp4 by its content, at most 500 MB, its length measured. */
export function ingestVideo(upload: Upload) {
  return ingest(upload, {
    kind: 'video',
    maxBytes: MAX_VIDEO_BYTES,
    tooLarge: t.media.videoTooLarge,
    async inspect(tempPath, bytes) {
      const type = detectVideoType(await readHead(tempPath))
      if (!type || bytes === 0) return { ok: false, error: t.media.videoType, status: 415 }
      const durationMs = await measureDurationMs(tempPath)
      if (durationMs === null) return { ok: false, error: t.media.videoUnreadable, status: 400 }
      return { ...type, durationMs }
    },
  })
}

async function measureDurationMs(path: string) {
  try {
    const metadata = await parseFile(path, { duration: true, skipCovers: true })
    const seconds = metadata.format.duration
    return seconds && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null
  } catch {
    return null
  }
}

/**
 * A cover image: jpeg, png or webp by content, at most 5 MB and 40 million pixels, stored as a
 * fresh encode in the same format (at most 1600 px wide, no metadata) — never the bytes sent.
 */
export function ingestImage(upload: Upload) {
  return ingest(upload, {
    kind: 'image',
    maxBytes: MAX_IMAGE_BYTES,
    tooLarge: t.media.imageTooLarge,
    async inspect(tempPath, bytes) {
      if (bytes === 0) return { ok: false, ...IMAGE_REFUSALS.type }
      const encoded = await encodeUploadedImage(tempPath, [{ width: 1600, format: 'same', quality: 85 }])
      if (!encoded.ok) return { ok: false, ...IMAGE_REFUSALS[encoded.reason] }
      const [rendition] = encoded.renditions
      return { encoded: rendition!, durationMs: null }
    },
  })
}

export function getMedia(id: string) {
  return db.query.media.findFirst({ where: eq(media.id, id) })
}

/** Removes a media row and its file (after a daily's audio was replaced). */
export async function deleteMedia(id: string, executor: Executor = db) {
  const [row] = await executor.delete(media).where(eq(media.id, id)).returning()
  if (row) await discardFile(storedPath(row.path))
}

/** The products whose photos this file is a rendition of (for the /media/:id access rule). */
export function listProductImageReferences(mediaId: string) {
  return db
    .select({ published: products.published })
    .from(productImages)
    .innerJoin(products, eq(products.id, productImages.productId))
    .where(or(eq(productImages.thumbMediaId, mediaId), eq(productImages.largeMediaId, mediaId)))
}
