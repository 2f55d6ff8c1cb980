// Product photos: an upload is streamed to a temporary file under a byte cap, its type decided
// by content (magic bytes, then sharp's own reading of the file), and resized once into two
// webp renditions — a 480 px thumbnail for lists and a 1200 px large image for the product page.
// Each rendition is written to a temporary name and renamed into the upload directory; the
// caller records them (media rows) and discards them if recording fails.
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { detectImageType, MAX_PRODUCT_IMAGE_BYTES } from '~/domain/media-types'
import { t } from '~/i18n/zh-CN'
import { commitUpload, discardFile, newMediaId, readHead, storedPath, uploadDir, UploadTooLargeError, writeTempUpload } from './storage.server'

/** Refuses decompression bombs: a small file that decodes to a huge bitmap. */
export const MAX_PRODUCT_IMAGE_PIXELS = 40_000_000

const RENDITIONS = {
  thumb: { width: 480, quality: 76 },
  large: { width: 1200, quality: 80 },
} as const

export interface Rendition {
  id: string
  path: string
  bytes: number
  mimeType: 'image/webp'
  width: number
  height: number
}

export type PreparedImage =
  | { ok: true; thumb: Rendition; large: Rendition }
  | { ok: false; error: string; status: 400 | 413 | 415 }

const e = t.shop.admin.errors

/** Checks and resizes one uploaded photo. Nothing is left on disk when it is refused. */
export async function prepareProductImage(data: AsyncIterable<Uint8Array>): Promise<PreparedImage> {
  let temp: { tempPath: string; bytes: number }
  try {
    temp = await writeTempUpload(data, MAX_PRODUCT_IMAGE_BYTES)
  } catch (error) {
    if (error instanceof UploadTooLargeError) return { ok: false, error: e.imageTooLarge, status: 413 }
    throw error
  }
  try {
    if (temp.bytes === 0 || !detectImageType(await readHead(temp.tempPath))) return { ok: false, error: e.imageType, status: 415 }
    const input = () => sharp(temp.tempPath, { limitInputPixels: MAX_PRODUCT_IMAGE_PIXELS, failOn: 'error' })
    let format: string | undefined
    try {
      const metadata = await input().metadata()
      format = metadata.format
      if ((metadata.width ?? 0) * (metadata.height ?? 0) > MAX_PRODUCT_IMAGE_PIXELS) {
        return { ok: false, error: e.imageTooManyPixels, status: 400 }
      }
    } catch {
      return { ok: false, error: e.imageUnreadable, status: 400 }
    }
    // The magic bytes and the decoder must agree: a PNG header on something else is refused.
    if (format !== 'jpeg' && format !== 'png' && format !== 'webp') return { ok: false, error: e.imageType, status: 415 }
    const made: Rendition[] = []
    try {
      for (const name of ['thumb', 'large'] as const) made.push(await writeRendition(input(), RENDITIONS[name]))
    } catch {
      await discardRenditions(made)
      return { ok: false, error: e.imageUnreadable, status: 400 }
    }
    return { ok: true, thumb: made[0]!, large: made[1]! }
  } finally {
    await discardFile(temp.tempPath)
  }
}

async function writeRendition(image: Sharp, { width, quality }: { width: number; quality: number }): Promise<Rendition> {
  const id = newMediaId()
  const tempPath = join(uploadDir(), 'tmp', `${id}.webp.part`)
  try {
    // rotate() applies the camera's EXIF orientation; metadata (location, camera) is dropped.
    const info = await image.rotate().resize({ width, withoutEnlargement: true }).webp({ quality }).toFile(tempPath)
    const path = await commitUpload(tempPath, `${id}.webp`)
    return { id, path, bytes: info.size, mimeType: 'image/webp', width: info.width, height: info.height }
  } catch (error) {
    await discardFile(tempPath)
    throw error
  }
}

/** Removes renditions that were never recorded (or whose record was deleted). */
export async function discardRenditions(renditions: readonly { path: string }[]) {
  await Promise.all(renditions.map((r) => discardFile(storedPath(r.path))))
}

/** A Buffer as the chunk stream prepareProductImage reads (for seeding and tests). */
export async function* bufferChunks(buffer: Uint8Array) {
  yield buffer
}
