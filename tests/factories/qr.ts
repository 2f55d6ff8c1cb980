// Reads a poster back as a phone would: the PNG's pixels (sharp) searched for a QR code (jsQR).
import jsQR from 'jsqr'
import sharp from 'sharp'
import { expect } from 'vitest'

/** The PNG's size and the text of the QR code in it; fails when there is none. */
export async function readQrCode(png: Buffer | Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)
  expect(code, 'a readable QR code in the image').not.toBeNull()
  return { text: code!.data, width: info.width, height: info.height }
}
