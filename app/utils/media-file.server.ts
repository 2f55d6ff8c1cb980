// Sending a stored upload: validators (304), byte ranges (206 / 416) and a stream closed when the
// client goes away. Every route that serves an upload answers through serveFile, whoever decided
// that the viewer may have it (/media/:id, a course's lesson media and cover).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createReadableStreamFromReadable } from '@remix-run/node'
import type { Media } from '../../db/schema'
import { contentRange, ifRangeAllows, isNotModified, parseRange } from '~/domain/range'
import { mediaZhCN } from '~/i18n/media.zh-CN'
import { storedPath } from './storage.server'

const t = { media: mediaZhCN }

/** A short plain-text answer that no cache keeps (refusals, 404, 416). */
export function plainText(body: string, status: number, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store', ...headers },
  })
}

const text = plainText

/**
 * The file with HTTP validators and byte ranges. Ids are random and a file never changes
 * under its id, so public files are cached for a year. The file is opened only when a body
 * is actually sent (never for HEAD, 304 or 416), and closed if the client goes away.
 */
export async function serveFile(request: Request, file: Media, cache: 'public' | 'private') {
  const path = storedPath(file.path)
  let size: number
  try {
    size = (await stat(path)).size
  } catch {
    return text(t.media.notFound, 404)
  }
  const validators = { etag: `"${file.id}-${size}"`, lastModified: file.createdAt }
  const headers = new Headers({
    'Accept-Ranges': 'bytes',
    'Cache-Control': cache === 'public' ? 'public, max-age=31536000, immutable' : 'private, max-age=86400',
    ETag: validators.etag,
    'Last-Modified': validators.lastModified.toUTCString(),
  })
  const conditional = { ifNoneMatch: request.headers.get('If-None-Match'), ifModifiedSince: request.headers.get('If-Modified-Since') }
  if (isNotModified(conditional, validators)) return new Response(null, { status: 304, headers })

  // Ranges are defined for GET only (RFC 9110 §14.2); If-Range with a stale validator gets it all.
  const rangeHeader = request.method === 'GET' && ifRangeAllows(request.headers.get('If-Range'), validators) ? request.headers.get('Range') : null
  const range = parseRange(rangeHeader, size)
  if (range === 'unsatisfiable') {
    return text(t.media.rangeInvalid, 416, { 'Accept-Ranges': 'bytes', 'Content-Range': contentRange(size) })
  }

  headers.set('Content-Type', file.mimeType)
  headers.set('Content-Length', String(range ? range.end - range.start + 1 : size))
  if (range) headers.set('Content-Range', contentRange(size, range))
  const status = range ? 206 : 200
  if (request.method === 'HEAD') return new Response(null, { status, headers })

  const stream = createReadStream(path, range ?? {})
  request.signal.addEventListener('abort', () => stream.destroy(), { once: true })
  return new Response(createReadableStreamFromReadable(stream), { status, headers })
}
