// Product photos: an upload is streamed to a temporary file under a byte cap and encoded once
// (app/utils/image-upload.server.ts) into two webp renditions — a 480 px thumbnail for lists and
// a 1200 px large image for the product page. The caller records them (media rows) and discards
// them if recording fails.
import { t } from '~/i18n/zh-CN'
import { encodeUploadedImage, IMAGE_REFUSALS, type Rendition } from './image-upload.server'
import { discardFile, UploadTooLargeError, writeTempUpload } from './storage.server'
import { MAX_PRODUCT_IMAGE_BYTES } from '~/domain/media-types'

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
    if (temp.bytes === 0) return { ok: false, ...IMAGE_REFUSALS.type }
    const encoded = await encodeUploadedImage(temp.tempPath, [
      { width: 480, format: 'webp', quality: 76 },
      { width: 1200, format: 'webp', quality: 80 },
    ])
    if (!encoded.ok) return { ok: false, ...IMAGE_REFUSALS[encoded.reason] }
    const [thumb, large] = encoded.renditions
    return { ok: true, thumb: thumb!, large: large! }
  } finally {
    await discardFile(temp.tempPath)
  }
}
