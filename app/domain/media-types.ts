// File types decided by content (magic bytes), never by the file's name.

export type AudioType = {
  mimeType: 'audio/mpeg' | 'audio/mp4' | 'audio/aac' | 'audio/ogg' | 'audio/wav'
  extension: 'mp3' | 'm4a' | 'aac' | 'ogg' | 'wav'
}
export type ImageType = { mimeType: 'image/jpeg' | 'image/png' | 'image/webp'; extension: 'jpg' | 'png' | 'webp' }

const ascii = (head: Uint8Array, offset: number, text: string) =>
  [...text].every((c, i) => head[offset + i] === c.charCodeAt(0))

export function detectAudioType(head: Uint8Array): AudioType | null {
  if (ascii(head, 0, 'ID3')) return { mimeType: 'audio/mpeg', extension: 'mp3' }
  // An MPEG audio frame starts with 11 set bits (0xFFE…); layer bits must not be 00.
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && ((head[1] ?? 0) & 0x06) !== 0) {
    return { mimeType: 'audio/mpeg', extension: 'mp3' }
  }
  // AAC in ADTS frames: 12 set bits, layer 00.
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xf6) === 0xf0) return { mimeType: 'audio/aac', extension: 'aac' }
  if (ascii(head, 4, 'ftyp')) return { mimeType: 'audio/mp4', extension: 'm4a' }
  if (ascii(head, 0, 'OggS')) return { mimeType: 'audio/ogg', extension: 'ogg' }
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return { mimeType: 'audio/wav', extension: 'wav' }
  return null
}

export type VideoType = { mimeType: 'video/mp4'; extension: 'mp4' }

// ISO base media with a video brand; an audio-only brand (M4A, M4B) is audio, not a video.
const AUDIO_ONLY_BRANDS = ['M4A ', 'M4B ', 'M4P ']

export function detectVideoType(head: Uint8Array): VideoType | null {
  if (!ascii(head, 4, 'ftyp')) return null
  if (AUDIO_ONLY_BRANDS.some((brand) => ascii(head, 8, brand))) return null
  return { mimeType: 'video/mp4', extension: 'mp4' }
}

export function detectImageType(head: Uint8Array): ImageType | null {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { mimeType: 'image/jpeg', extension: 'jpg' }
  if (head[0] === 0x89 && ascii(head, 1, 'PNG')) return { mimeType: 'image/png', extension: 'png' }
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return { mimeType: 'image/webp', extension: 'webp' }
  return null
}

export const MAX_AUDIO_BYTES = 10 * 1024 * 1024
export const MAX_AUDIO_SECONDS = 60
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
/** A product photo as uploaded (it is resized before it is kept). */
export const MAX_PRODUCT_IMAGE_BYTES = 8 * 1024 * 1024
export const MAX_IMAGES_PER_PRODUCT = 12
/** A course lesson's audio: up to an hour (the daily's 60-second cap does not apply). */
export const MAX_LESSON_AUDIO_BYTES = 200 * 1024 * 1024
export const MAX_LESSON_AUDIO_SECONDS = 60 * 60
/** A course lesson's video (mp4/H.264), streamed with Range. */
export const MAX_VIDEO_BYTES = 500 * 1024 * 1024
