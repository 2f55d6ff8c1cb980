import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import type { Media } from '../../db/schema'
import { contentRange, ifRangeAllows, isNotModified, parseRange } from '~/domain/range'
import { feedsZhCN } from '~/i18n/feeds.zh-CN'
import { mediaZhCN } from '~/i18n/media.zh-CN'
import { decideMediaAccess } from '~/domain/media-access'
import { getPodcastViewer, listMediaReferences } from '~/models/feed.server'
import { getMedia, listProductImageReferences } from '~/models/media.server'
import { getAuth, getViewer } from '~/utils/auth.server'
import { storedPath } from '~/utils/storage.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { feeds: feedsZhCN, media: mediaZhCN }

function text(body: string, status: number, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store', ...headers },
  })
}

// Uploaded audio, covers and product photos. Audio of a gated daily is gated the same way as the
// daily, for a signed-in reader or for a podcast app that brings the subscriber's ?token=;
// photos of a published product are public.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.id ?? ''
  const file = await getMedia(id)
  if (!file) return text(t.media.notFound, 404)
  const now = new Date()
  const [references, productImages] = await Promise.all([listMediaReferences(file.id), listProductImageReferences(file.id)])
  // Public files are answered without reading the session: no Set-Cookie on a cacheable answer.
  const asVisitor = decideMediaAccess({ mediaId: file.id, references, productImages, viewers: [null], staffViewer: null, now })
  if (asVisitor.allowed) return serveFile(request, file, asVisitor.cache)

  const auth = await getAuth(request)
  const sessionViewer = await getViewer(request)
  const token = new URL(request.url).searchParams.get('token')
  const tokenViewer = token ? ((await getPodcastViewer(token))?.viewer ?? null) : null
  const access = decideMediaAccess({
    mediaId: file.id,
    references,
    productImages,
    viewers: tokenViewer ? [sessionViewer, tokenViewer] : [sessionViewer],
    staffViewer: sessionViewer,
    now,
  })
  const response = !access.allowed
    ? access.status === 403
      ? text(t.feeds.audioForbidden, 403)
      : text(t.media.notFound, 404)
    : await serveFile(request, file, access.cache)
  // The session's expiry may have slid forward: the cookie follows, as root.tsx does for pages.
  if (auth?.renewedCookie) response.headers.append('Set-Cookie', auth.renewedCookie)
  return response
}

/**
 * The file with HTTP validators and byte ranges. Ids are random and a file never changes
 * under its id, so public files are cached for a year. The file is opened only when a body
 * is actually sent (never for HEAD, 304 or 416), and closed if the client goes away.
 */
async function serveFile(request: Request, file: Media, cache: 'public' | 'private') {
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
