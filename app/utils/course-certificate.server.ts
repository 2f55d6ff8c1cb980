// A course's certificate of completion (docs/decisions/046-course-certificate.md): its number,
// its share link and its picture. The picture is drawn as the member card's is — an SVG
// rasterised by sharp, with the QR code of the course composited as the poster's is.
// A share link carries the reader's id and an HMAC of (course, reader) under SESSION_SECRET, so
// nobody can walk through the readers of a course; without it a certificate is its reader's own.
import { createHash } from 'node:crypto'
import QRCode from 'qrcode'
import sharp from 'sharp'
import { CERTIFICATE_IMAGE_SIZE } from '~/domain/course'
import { truncateToWidth } from '~/domain/member-card'
import { courseCertificateZhCN } from '~/i18n/courseCertificate.zh-CN'
import { isSiteSignature, siteSignature } from './crypto.server'
import { escapeXml } from './xml.server'

const c = courseCertificateZhCN

const W = CERTIFICATE_IMAGE_SIZE.width
const H = CERTIFICATE_IMAGE_SIZE.height

/** 22 base64url characters: 132 bits of the HMAC-SHA256, far beyond guessing. */
const SIGNATURE_LENGTH = 22

/**
 * The certificate's number: 「ZY-<course>-<8 hex>」, the same every time for this reader and this
 * course. A digest, not a secret: it names a certificate, it opens nothing (the share link does),
 * and it does not change when SESSION_SECRET is rotated.
 */
export function certificateNumber({ courseId, userId }: { courseId: number; userId: number }) {
  const digest = createHash('sha256').update(`zhiyin-course-certificate:${courseId}:${userId}`).digest('hex')
  return `ZY-${String(courseId).padStart(3, '0')}-${digest.slice(0, 8).toUpperCase()}`
}

const subject = ({ courseId, userId }: { courseId: number; userId: number }) => `course-certificate:${courseId}:${userId}`

/** `<userId>-<signature>`: the share page's `?s=` and the image's file name. */
export function certificateShareToken(holder: { courseId: number; userId: number }) {
  return `${holder.userId}-${siteSignature(subject(holder), SIGNATURE_LENGTH)}`
}

const SHARE_TOKEN = new RegExp(`^([1-9][0-9]{0,14})-([A-Za-z0-9_-]{${SIGNATURE_LENGTH}})$`)

/** The reader a share token names for this course, once its signature checks; null otherwise. */
export function readCertificateShareToken(token: string, courseId: number) {
  const match = SHARE_TOKEN.exec(token)
  if (!match) return null
  const userId = Number(match[1])
  return isSiteSignature(subject({ courseId, userId }), match[2]!, SIGNATURE_LENGTH) ? userId : null
}

export const certificatePaths = {
  page: (slug: string) => `/courses/${slug}/certificate`,
  shared: (slug: string, token: string) => `/courses/${slug}/certificate?s=${token}`,
  image: (slug: string, token: string) => `/courses/${slug}/certificate/${token}.png`,
}

/** What a certificate shows — on its page and in its picture alike. */
export interface CertificateFace {
  name: string
  courseTitle: string
  lecturerName: string
  lessonCount: number
  /** The day the last released lesson was learned, in the site time zone. */
  finishedOn: string
  number: string
}

const SANS = `'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif`
const SERIF = `'Noto Serif CJK SC','Noto Sans CJK SC',serif`
const QR_SIZE = 168
const QR_LEFT = W - 96 - QR_SIZE
const QR_TOP = H - 84 - QR_SIZE

/**
 * The certificate as an SVG of 1200 × 630 (the size link previews use), on paper with a double
 * rule; the right-hand corner below is left for the QR code. Every text goes through escapeXml
 * and is cut to fit, as on the member card.
 */
export function certificateSvg(face: CertificateFace) {
  const ink = '#292524'
  const gold = '#a16207'
  const name = truncateToWidth(face.name, 14)
  const title = truncateToWidth(`《${face.courseTitle}》`, 22)
  const text = (x: number, y: number, size: number, value: string, extra = '') =>
    `<text x="${x}" y="${y}" font-family="${SANS}" font-size="${size}" fill="${ink}" ${extra}>${escapeXml(value)}</text>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<defs>
  <linearGradient id="paper" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fffbeb"/><stop offset="1" stop-color="#fef3c7"/></linearGradient>
</defs>
<rect width="${W}" height="${H}" fill="url(#paper)"/>
<rect x="28" y="28" width="${W - 56}" height="${H - 56}" fill="none" stroke="${gold}" stroke-width="4"/>
<rect x="42" y="42" width="${W - 84}" height="${H - 84}" fill="none" stroke="${gold}" stroke-opacity="0.5" stroke-width="1.5"/>
${text(96, 118, 24, c.brand, `fill-opacity="0.7" letter-spacing="2"`)}
<text x="${W - 96}" y="118" text-anchor="end" font-family="${SANS}" font-size="20" letter-spacing="6" fill="${gold}">${escapeXml(c.brandLatin)}</text>
<text x="${W / 2}" y="196" text-anchor="middle" font-family="${SERIF}" font-weight="700" font-size="64" letter-spacing="16" fill="${gold}">${escapeXml(c.heading)}</text>
${text(96, 276, 28, c.certifies, `fill-opacity="0.75"`)}
<text x="96" y="350" font-family="${SERIF}" font-weight="700" font-size="56" fill="${ink}">${escapeXml(name)}</text>
<line x1="96" y1="372" x2="${QR_LEFT - 48}" y2="372" stroke="${gold}" stroke-opacity="0.45" stroke-width="1.5"/>
${text(96, 424, 28, c.completed, `fill-opacity="0.75"`)}
<text x="96" y="480" font-family="${SERIF}" font-weight="700" font-size="40" fill="${ink}">${escapeXml(title)}</text>
${text(96, 526, 24, `${c.lecturer(truncateToWidth(face.lecturerName, 12))} · ${c.lessons(face.lessonCount)}`, `fill-opacity="0.8"`)}
${text(96, 562, 22, `${c.finishedOn} ${face.finishedOn}    ${c.number} ${face.number}`, `fill-opacity="0.7"`)}
<text x="${QR_LEFT + QR_SIZE / 2}" y="${QR_TOP + QR_SIZE + 30}" text-anchor="middle" font-family="${SANS}" font-size="18" fill="${ink}" fill-opacity="0.7">${escapeXml(c.scan)}</text>
</svg>`
}

/** The picture as a PNG: the SVG with the QR code of `link` (the course page) in its corner. */
export async function renderCertificatePng(face: CertificateFace, link: string) {
  const qr = await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: QR_SIZE, color: { dark: '#292524', light: '#fffbeb' } })
  const code = await sharp(qr).resize(QR_SIZE, QR_SIZE, { kernel: 'nearest' }).png().toBuffer()
  return sharp(Buffer.from(certificateSvg(face)))
    .composite([{ input: code, top: QR_TOP, left: QR_LEFT }])
    .png({ compressionLevel: 9, palette: true, quality: 90 })
    .toBuffer()
}
