// Reading an upload form (multipart/form-data) as it streams in. A body that is not well-formed
// multipart — no boundary, a broken part header, a stream that stops mid-part — is the sender's
// fault (400), which Remix's parser reports with plain Errors like any failure of ours (500).
import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node'

export type MultipartResult = { ok: true; formData: FormData } | { ok: false; error: 'malformed' }

// What @remix-run/node's parser and the multipart parser under it throw for such a body
// (tests/integration/http-server.test.ts sends each kind).
const MALFORMED = /^(Could not parse content as FormData|malformed multipart-form|malformed content-disposition)/

export function isMalformedMultipart(error: unknown) {
  return error instanceof Error && MALFORMED.test(error.message)
}

/** The form, with each part passed to `handler` as it arrives; any other failure is thrown. */
export async function parseMultipartForm(request: Request, handler: UploadHandler): Promise<MultipartResult> {
  try {
    return { ok: true, formData: await unstable_parseMultipartFormData(request, handler) }
  } catch (error) {
    if (isMalformedMultipart(error)) return { ok: false, error: 'malformed' }
    throw error
  }
}
