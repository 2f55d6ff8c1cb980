// Reading a request body that a route takes as it is (signed XML or JSON, not a form) without
// holding more of it than the route allows.

/**
 * What WeChat and the payment providers send: small signed messages (DESIGN.md §3). The server
 * refuses larger bodies before a route sees them (server/request-guards.ts); the routes check
 * again as they read.
 */
export const SIGNED_BODY_MAX_BYTES = 64 * 1024

export type BodyResult = { ok: true; text: string } | { ok: false; error: 'tooLarge' | 'malformed' }

/**
 * The request body as UTF-8 text, refused when it is (or declares to be) larger than
 * `maxBytes`: the declared length is checked first, then bytes are counted while reading, so
 * no more than `maxBytes` is ever held, chunked bodies included.
 */
export async function readBodyWithin(request: Request, maxBytes = SIGNED_BODY_MAX_BYTES): Promise<BodyResult> {
  const declared = request.headers.get('Content-Length')
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return { ok: false, error: 'tooLarge' }
  if (!request.body) return { ok: false, error: 'malformed' }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        reader.cancel().catch(() => undefined)
        return { ok: false, error: 'tooLarge' }
      }
      chunks.push(value)
    }
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) }
  } catch {
    // A broken upload or bytes that are not UTF-8.
    return { ok: false, error: 'malformed' }
  }
}

/**
 * Why a request's body stopped: it went over its limit, the server stopped reading and answered
 * 413 itself, so whatever the route then does with the cut body is not news (entry.server).
 * Told by name: the server and the app build each have their own copy of this module.
 */
const BODY_TOO_LARGE = 'RequestBodyTooLarge'

export function bodyTooLargeError(limit: number) {
  return Object.assign(new Error(`request body over ${limit} bytes`), { name: BODY_TOO_LARGE })
}

export function isBodyTooLarge(reason: unknown) {
  return reason instanceof Error && reason.name === BODY_TOO_LARGE
}
