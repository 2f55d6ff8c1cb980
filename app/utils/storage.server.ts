// Uploaded files on local disk (UPLOAD_DIR). A file is streamed to a temporary name with a
// size cap, checked, and only then renamed into place (DESIGN.md §4.7: nothing half-written).
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { getEnv } from './env.server'

export class UploadTooLargeError extends Error {
  name = 'UploadTooLargeError'
}

export function uploadDir() {
  return getEnv().UPLOAD_DIR
}

export function newMediaId() {
  return randomBytes(12).toString('base64url')
}

/** Streams `data` to a temporary file, stopping as soon as it passes `maxBytes`. */
export async function writeTempUpload(data: AsyncIterable<Uint8Array>, maxBytes: number) {
  const dir = uploadDir()
  await mkdir(join(dir, 'tmp'), { recursive: true })
  const tempPath = join(dir, 'tmp', `${newMediaId()}.part`)
  let bytes = 0
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      if (bytes > maxBytes) callback(new UploadTooLargeError(`over ${maxBytes} bytes`))
      else callback(null, chunk)
    },
  })
  try {
    await pipeline(Readable.from(data), limit, createWriteStream(tempPath, { flags: 'wx' }))
  } catch (error) {
    await rm(tempPath, { force: true })
    throw error
  }
  return { tempPath, bytes }
}

/** Moves a checked temporary file to its final name (an atomic rename on one disk). */
export async function commitUpload(tempPath: string, fileName: string) {
  await rename(tempPath, join(uploadDir(), fileName))
  return fileName
}

export async function discardFile(path: string) {
  await rm(path, { force: true })
}

export function storedPath(fileName: string) {
  return join(uploadDir(), fileName)
}


/** The first bytes of a file, for deciding its type by content. */
export async function readHead(path: string, length = 64) {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
