// Crafted image files for upload tests: a header that declares a huge bitmap, a PNG that is
// also an HTML page, a JPEG that says where it was taken.
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'

function chunk(type: string, data: Uint8Array) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A valid PNG header declaring `width`×`height` RGB pixels, followed by a few bytes of image
 * data: a few hundred bytes on disk, gigabytes once decoded.
 */
export function pngDeclaring(width: number, height: number) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))),
    chunk('IEND', new Uint8Array()),
  ])
}

export const HTML_TRAILER = '<html><body><script>alert(document.cookie)</script></body></html>'

/** A real 16×16 PNG with an HTML page appended after its end: browsers sniffing it may run it. */
export async function pngHtmlPolyglot() {
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#9a3412' } })
    .png()
    .toBuffer()
  return Buffer.concat([png, Buffer.from(HTML_TRAILER)])
}

/** A 32×24 JPEG whose EXIF names the camera's maker and a GPS position (Beijing). */
export const EXIF_MAKER = 'ZhiyinTestCam'
export async function jpegWithGps() {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: '#1f2937' } })
    .jpeg()
    .withExif({
      IFD0: { Make: EXIF_MAKER },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 27/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 17/1' },
    })
    .toBuffer()
}
