import type { LoaderFunctionArgs } from '@remix-run/node'
import { feedsZhCN } from '~/i18n/feeds.zh-CN'
import { mediaZhCN } from '~/i18n/media.zh-CN'
import { decideMediaAccess } from '~/domain/media-access'
import { getPodcastViewer, listMediaReferences } from '~/models/feed.server'
import { getMedia, listProductImageReferences } from '~/models/media.server'
import { getAuth, getViewer } from '~/utils/auth.server'
import { plainText, serveFile } from '~/utils/media-file.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { feeds: feedsZhCN, media: mediaZhCN }

const text = plainText

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
