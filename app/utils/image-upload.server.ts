// The one way an uploaded image is kept: never its bytes, always a fresh encode. The file is
// typed by its magic bytes and then by the decoder (which must agree), refused when it declares
// more pixels than we decode, and re-encoded with sharp — which drops everything but the
// pixels: EXIF (GPS position, camera), comments and anything appended after the image data
// (a PNG that is also an HTML page). Product photos and daily covers both come through here.
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { detectImageType } from '~/domain/media-types'
import { t } from '~/i18n/zh-CN'
import { commitUpload, discardFile, newMediaId, readHead, storedPath, uploadDir } from './storage.server'

/** Refuses decompression bombs: a small file that decodes to a huge bitmap (e.g. 30000×30000). */
export const MAX_IMAGE_PIXELS = 40_000_000

export type ImageFormat = 'jpeg' | 'png' | 'webp'

export interface RenditionSpec {
  /** Widest the result may be; smaller images are not enlarged. */
  width: number
  /** The format to write; `same` keeps the upload's format. */
  format: ImageFormat | 'same'
  quality: number
}

export interface Rendition {
  id: string
  path: string
  bytes: number
  mimeType: `image/${ImageFormat}`
  width: number
  height: number
}

export type ImageRefusal = 'type' | 'too_many_pixels' | 'unreadable'

/** What an upload answers for a refused image: the same words wherever images are uploaded. */
export const IMAGE_REFUSALS: Record<ImageRefusal, { error: string; status: 400 | 415 }> = {
  type: { error: t.media.imageType, status: 415 },
  too_many_pixels: { error: t.media.imageTooManyPixels, status: 400 },
  unreadable: { error: t.media.imageUnreadable, status: 400 },
}
export type EncodedImage = { ok: true; renditions: Rendition[] } | { ok: false; reason: ImageRefusal }

const EXTENSIONS: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' }

/**
 * Decodes the uploaded file at `tempPath` and writes one fresh encode per spec into the upload
 * directory. Nothing is left on disk when it is refused; the caller records the renditions (or
 * discards them with discardRenditions). The temporary upload itself stays the caller's.
 */
export async function encodeUploadedImage(tempPath: string, specs: readonly RenditionSpec[]): Promise<EncodedImage> {
  if (!detectImageType(await readHead(tempPath))) return { ok: false, reason: 'type' }
  const input = () => sharp(tempPath, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
  let format: string | undefined
  try {
    // Only the header is read here (no pixel limit, so an oversized image is told apart from a
    // broken one); decoding below is bounded by limitInputPixels.
    const metadata = await sharp(tempPath, { limitInputPixels: false, failOn: 'error' }).metadata()
    format = metadata.format
    if ((metadata.width ?? 0) * (metadata.height ?? 0) > MAX_IMAGE_PIXELS) return { ok: false, reason: 'too_many_pixels' }
  } catch {
    return { ok: false, reason: 'unreadable' }
  }
  // The magic bytes and the decoder must agree: a PNG header on something else is refused.
  if (format !== 'jpeg' && format !== 'png' && format !== 'webp') return { ok: false, reason: 'type' }
  const made: Rendition[] = []
  try {
    for (const spec of specs) made.push(await writeRendition(input(), spec.format === 'same' ? format : spec.format, spec))
  } catch {
    await discardRenditions(made)
    return { ok: false, reason: 'unreadable' }
  }
  return { ok: true, renditions: made }
}

async function writeRendition(image: Sharp, format: ImageFormat, { width, quality }: RenditionSpec): Promise<Rendition> {
  const id = newMediaId()
  const fileName = `${id}.${EXTENSIONS[format]}`
  const tempPath = join(uploadDir(), 'tmp', `${fileName}.part`)
  try {
    // rotate() applies the camera's EXIF orientation before the metadata is dropped (sharp keeps
    // none unless asked to).
    const resized = image.rotate().resize({ width, withoutEnlargement: true })
    const encoded = format === 'jpeg' ? resized.jpeg({ quality, mozjpeg: true }) : format === 'png' ? resized.png() : resized.webp({ quality })
    const info = await encoded.toFile(tempPath)
    const path = await commitUpload(tempPath, fileName)
    return { id, path, bytes: info.size, mimeType: `image/${format}`, width: info.width, height: info.height }
  } catch (error) {
    await discardFile(tempPath)
    throw error
  }
}

/** Removes renditions that were never recorded (or whose record was deleted). */
export async function discardRenditions(renditions: readonly { path: string }[]) {
  await Promise.all(renditions.map((r) => discardFile(storedPath(r.path))))
}

/** A Buffer as the chunk stream an upload is read from (for seeding and tests). */
export async function* bufferChunks(buffer: Uint8Array) {
  yield buffer
}
