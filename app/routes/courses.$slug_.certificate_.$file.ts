import type { LoaderFunctionArgs } from '@remix-run/node'
import { isNotModified } from '~/domain/range'
import { readSharedCertificate } from '~/utils/certificate-view.server'
import { renderCertificatePng } from '~/utils/course-certificate.server'
import { bodyEtag } from '~/utils/xml.server'

// /courses/:slug/certificate/<userId>-<hmac>.png — a certificate's picture, its page's og:image.
// Public (crawlers have no cookie): the HMAC in the name is the proof, as for the member card.
// Anything that does not check — a bad name, another course's token, a reader no longer finished
// — is the same 404 as the shared page answers.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? ''
  if (!file.endsWith('.png')) throw new Response(null, { status: 404 })
  const certificate = await readSharedCertificate({ slug: params.slug ?? '', token: file.slice(0, -'.png'.length), now: new Date() })
  // The picture follows from what it says and where its QR code leads: tag those, not the pixels.
  const etag = bodyEtag(JSON.stringify([certificate.face, certificate.course.url]))
  const headers = new Headers({ 'Cache-Control': 'public, max-age=3600', ETag: etag })
  if (isNotModified({ ifNoneMatch: request.headers.get('If-None-Match') }, { etag })) return new Response(null, { status: 304, headers })
  const png = await renderCertificatePng(certificate.face, certificate.course.url)
  headers.set('Content-Type', 'image/png')
  headers.set('Content-Length', String(png.length))
  return new Response(new Uint8Array(png), { headers })
}
