// What the server lets through to Remix, decided before any of a request's body is read: a path
// it can decode and, for a request that may change something, a body of a type the path takes
// and no larger than the path allows. A body sent without a length (chunked) is counted as it
// streams in and cut off at the limit. Everything refused is a 4xx in Chinese, never a 500.
import type { IncomingMessage } from 'node:http'
import type express from 'express'
import { MAX_AUDIO_BYTES, MAX_IMAGES_PER_PRODUCT, MAX_PRODUCT_IMAGE_BYTES, MAX_VIDEO_BYTES } from '~/domain/media-types'
import { MAX_SHIPMENT_FILE_BYTES } from '~/domain/shipment-import.server'
import { t } from '~/i18n/zh-CN'
import { bodyTooLargeError, SIGNED_BODY_MAX_BYTES } from '~/utils/request-body.server'

const KB = 1024
const MB = 1024 * KB

/**
 * An ordinary form: a few fields. Forms are sent percent-encoded, 9 bytes for each Chinese
 * character, so 64 KB holds some 7,000 of them: a 5,000-character reply fits.
 */
export const FORM_BYTES = 64 * KB

const FORM = 'application/x-www-form-urlencoded'
const MULTIPART = 'multipart/form-data'

/** The bodies a path takes: per media type, the most bytes; `any` for routes that read raw bodies. */
export interface BodyRule {
  path: RegExp
  form?: number
  multipart?: number
  any?: number
}

/**
 * The paths that take more than an ordinary form, or another kind of body. The first match
 * wins; every other path takes a form of up to FORM_BYTES and nothing else. Paths are matched
 * as Remix routes them: decoded, without the `.data` of Remix's own fetches.
 */
export const BODY_RULES: readonly BodyRule[] = [
  // Signed messages of their own type (JSON, XML), read raw by their routes.
  { path: /^\/webhooks\/[^/]+$/, any: SIGNED_BODY_MAX_BYTES },
  { path: /^\/wechat$/, any: SIGNED_BODY_MAX_BYTES },
  // One-click unsubscribe (RFC 8058): mail providers post either form type.
  { path: /^\/email\/unsubscribe\/[^/]+$/, form: FORM_BYTES, multipart: FORM_BYTES },
  // Uploads, streamed to disk by their routes, which cap each file; the framing adds a little.
  { path: /^\/admin\/media$/, multipart: MAX_AUDIO_BYTES + 64 * KB },
  // A course's editor: its introduction (50,000 characters) as a form; a lesson's file (the
  // largest a lesson takes is a video) with its 文稿 as an upload.
  { path: /^\/admin\/courses\/(new|\d+)$/, form: 1 * MB, multipart: MAX_VIDEO_BYTES + 1 * MB },
  { path: /^\/admin\/products\/\d+$/, form: 256 * KB, multipart: MAX_IMAGES_PER_PRODUCT * MAX_PRODUCT_IMAGE_BYTES + 256 * KB },
  // 批量发货: the order export of up to 1,000 orders, or the same lines pasted.
  { path: /^\/admin\/orders\/ship$/, multipart: 2 * MAX_SHIPMENT_FILE_BYTES + 64 * KB },
  // Long texts, percent-encoded: a daily's markdown (50,000 characters, ≤ 450 KB) in the
  // editor and its preview; a product description or a thread (20,000, ≤ 180 KB).
  { path: /^\/admin\/posts\/[^/]+$/, form: 1 * MB },
  { path: /^\/admin\/products\/new$/, form: 256 * KB },
  { path: /^\/community\//, form: 256 * KB },
]

const ORDINARY: BodyRule = { path: /^/, form: FORM_BYTES }

/**
 * Methods that change nothing and send no form. Remix reads no body of a GET or HEAD; any body
 * of an OPTIONS is still cut off at FORM_BYTES as it streams in (bodyLimitOf).
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The path as Remix will route it, or null when it cannot be decoded (`/daily/%`). */
export function routedPath(url: string) {
  let path: string
  try {
    path = decodeURIComponent(new URL(url, 'http://localhost').pathname)
  } catch {
    return null
  }
  // Remix's own fetches add .data to the page's path (/_root.data for the home page).
  if (path === '/_root.data') return '/'
  return path.endsWith('.data') ? path.slice(0, -'.data'.length) : path
}

export function bodyRuleFor(path: string) {
  return BODY_RULES.find((rule) => rule.path.test(path)) ?? ORDINARY
}

/** The most bytes a body of this Content-Type may have on this path; null when the path takes no such body. */
export function bodyLimit(rule: BodyRule, contentType: string | undefined) {
  if (rule.any !== undefined) return rule.any
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  if (type === FORM) return rule.form ?? null
  if (type === MULTIPART) return rule.multipart ?? null
  return null
}

function refuse(res: express.Response, status: number, message: string) {
  res.status(status).type('text/plain; charset=utf-8').send(message)
}

/**
 * 413, and the connection is closed once the answer is out, so nothing more of the body is read
 * (Node would otherwise read the rest of it to keep the connection).
 */
export function refuseTooLarge(res: express.Response, limit: number) {
  res.set('Connection', 'close')
  refuse(res, 413, t.http.tooLarge(limit))
}

// A host name (letters, digits, hyphens, dots) or a bracketed IPv6 address, and a port.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i

export function isHost(value: string) {
  const match = HOST.exec(value)
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65_535)
}

/**
 * 400 for a Host (or a trusted X-Forwarded-Host) that is not a host name: the URL handed to
 * Remix is built from it, and `Host: localhost/login?` would make Remix run another route than
 * the one the Origin check and the body guard judged (found by the attacker's probe of issue 11);
 * `Host: a b` would fail to build at all.
 */
export const refuseBadHost: express.RequestHandler = (req, res, next) => {
  const host = req.get('host')
  if (host === undefined || !isHost(host) || (req.hostname && !isHost(req.hostname))) return refuse(res, 400, t.http.badHost)
  next()
}

/** 400 for a path with a broken %-escape, which would fail in every router behind this. */
export const refuseUndecodablePath: express.RequestHandler = (req, res, next) => {
  if (routedPath(req.originalUrl) === null) return refuse(res, 400, t.http.badPath)
  next()
}

/**
 * Checks a request's body before anything reads it: 415 for a type the path does not take (a
 * JSON or text body to a form's action), 413 for a declared length over the path's limit. The
 * limit is left in `res.locals.bodyLimit` for counting a body sent without a length.
 */
export const guardRequestBody: express.RequestHandler = (req, res, next) => {
  if (!SAFE_METHODS.has(req.method)) {
    const limit = bodyLimit(bodyRuleFor(routedPath(req.originalUrl) ?? ''), req.get('content-type'))
    if (limit === null) return refuse(res, 415, t.http.unsupportedType)
    if (Number(req.get('content-length') ?? 0) > limit) return refuseTooLarge(res, limit)
    res.locals.bodyLimit = limit
  }
  // The client waits for this before sending a body it announced (see listen in main.ts).
  if (req.get('expect')?.toLowerCase() === '100-continue') res.writeContinue()
  next()
}

/** What Express's `res.locals.bodyLimit` holds once guardRequestBody let a request through. */
export function bodyLimitOf(res: express.Response) {
  return typeof res.locals.bodyLimit === 'number' ? res.locals.bodyLimit : FORM_BYTES
}

/**
 * The request's body as a web stream that stops at `limit` bytes: past it the source is paused
 * and no longer listened to, `onTooLarge` answers, and the stream fails, so a reader gets an
 * error rather than a cut body. Reading follows the consumer (the source is paused while the
 * stream's queue is full): at most about 64 KB is ever held here.
 */
export function limitedBody(source: IncomingMessage, limit: number, onTooLarge: () => void): ReadableStream<Uint8Array> {
  let received = 0
  let finished = false
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const stop = () => {
    finished = true
    source.off('data', onData)
    source.off('end', onEnd)
    source.off('error', onError)
    source.pause()
  }
  const onData = (chunk: Buffer) => {
    received += chunk.byteLength
    if (received > limit) {
      stop()
      onTooLarge()
      controller.error(bodyTooLargeError(limit))
      return
    }
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    if ((controller.desiredSize ?? 0) <= 0) source.pause()
  }
  const onEnd = () => {
    stop()
    controller.close()
  }
  const onError = (error: Error) => {
    stop()
    controller.error(error)
  }
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
        source.on('data', onData)
        source.once('end', onEnd)
        source.once('error', onError)
      },
      pull() {
        if (!finished) source.resume()
      },
      cancel() {
        stop()
      },
    },
    { highWaterMark: 64 * KB, size: (chunk) => chunk.byteLength },
  )
}
