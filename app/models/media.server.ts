import { eq } from 'drizzle-orm'
import { parseFile } from 'music-metadata'
import { media, type Media } from '../../db/schema'
import {
  detectAudioType,
  detectImageType,
  MAX_AUDIO_BYTES,
  MAX_AUDIO_SECONDS,
  MAX_IMAGE_BYTES,
} from '~/domain/media-types'
import { t } from '~/i18n/zh-CN'
import { db, type Executor } from '~/utils/db.server'
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

/**
 * Stores an uploaded audio clip: at most 10 MB (the stream stops at the limit), a known audio
 * type by its content, at most 60 s long (measured). Nothing is kept when a check fails.
 */
export async function ingestAudio({
  data,
  originalName,
  uploadedBy,
}: {
  data: AsyncIterable<Uint8Array>
  originalName: string
  uploadedBy: number | null
}): Promise<IngestResult> {
  let temp: { tempPath: string; bytes: number }
  try {
    temp = await writeTempUpload(data, MAX_AUDIO_BYTES)
  } catch (error) {
    if (error instanceof UploadTooLargeError) return { ok: false, error: t.media.audioTooLarge, status: 413 }
    throw error
  }
  try {
    const type = detectAudioType(await readHead(temp.tempPath))
    if (!type || temp.bytes === 0) return { ok: false, error: t.media.audioType, status: 415 }
    const durationMs = await measureDurationMs(temp.tempPath)
    if (durationMs === null) return { ok: false, error: t.media.audioUnreadable, status: 400 }
    if (durationMs > MAX_AUDIO_SECONDS * 1000) return { ok: false, error: t.media.audioTooLong(durationMs), status: 400 }
    const id = newMediaId()
    const path = await commitUpload(temp.tempPath, `${id}.${type.extension}`)
    const [row] = await db
      .insert(media)
      .values({ id, kind: 'audio', mimeType: type.mimeType, bytes: temp.bytes, durationMs, path, originalName: originalName.slice(0, 200), uploadedBy })
      .returning()
    return { ok: true, media: row! }
  } finally {
    await discardFile(temp.tempPath)
  }
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

/** Stores a cover image: jpeg, png or webp by content, at most 5 MB. */
export async function ingestImage({
  data,
  originalName,
  uploadedBy,
}: {
  data: AsyncIterable<Uint8Array>
  originalName: string
  uploadedBy: number | null
}): Promise<IngestResult> {
  let temp: { tempPath: string; bytes: number }
  try {
    temp = await writeTempUpload(data, MAX_IMAGE_BYTES)
  } catch (error) {
    if (error instanceof UploadTooLargeError) return { ok: false, error: t.media.imageTooLarge, status: 413 }
    throw error
  }
  try {
    const type = detectImageType(await readHead(temp.tempPath))
    if (!type) return { ok: false, error: t.media.imageType, status: 415 }
    const id = newMediaId()
    const path = await commitUpload(temp.tempPath, `${id}.${type.extension}`)
    const [row] = await db
      .insert(media)
      .values({ id, kind: 'image', mimeType: type.mimeType, bytes: temp.bytes, path, originalName: originalName.slice(0, 200), uploadedBy })
      .returning()
    return { ok: true, media: row! }
  } finally {
    await discardFile(temp.tempPath)
  }
}

export function getMedia(id: string) {
  return db.query.media.findFirst({ where: eq(media.id, id) })
}

/** Removes a media row and its file (after a daily's audio was replaced). */
export async function deleteMedia(id: string, executor: Executor = db) {
  const [row] = await executor.delete(media).where(eq(media.id, id)).returning()
  if (row) await discardFile(storedPath(row.path))
}
