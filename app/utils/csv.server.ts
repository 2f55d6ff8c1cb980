// A streaming CSV writer for downloads (RFC 4180: quoted fields, doubled quotes, CRLF), with a
// UTF-8 byte-order mark so that Excel and WPS read Chinese text correctly. Rows are pulled
// from an async iterable only as fast as the client reads, so memory stays bounded however
// many rows there are.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { t } from '~/i18n/zh-CN'

const BOM = '\uFEFF'
const CRLF = '\r\n'
// Rows are gathered into chunks of about this many characters before they are sent.
const CHUNK_CHARS = 64 * 1024

// A spreadsheet runs a cell that starts like a formula (CSV injection, OWASP): such text is
// prefixed with a single quote so it shows as text. Tab and CR are on OWASP's list too.
const FORMULA_START = /^[=+\-@\t\r]/

/** One cell as CSV text: empty for null, guarded against formulas, quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  let text = value instanceof Date ? value.toISOString() : String(value)
  if (FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(cells: readonly unknown[]) {
  return cells.map(csvCell).join(',') + CRLF
}

/**
 * `attachment` with an ASCII fallback name and the real (e.g. Chinese) name as an RFC 5987
 * `filename*=UTF-8''…` parameter, which every current browser prefers.
 */
export function contentDisposition(filename: string) {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** The CSV text (BOM, header, rows) as a byte stream, pulled from `rows` on demand. */
export function csvStream(header: readonly unknown[], rows: AsyncIterable<readonly unknown[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const iterator = rows[Symbol.asyncIterator]()
  let started = false
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk = started ? '' : BOM + csvLine(header)
        started = true
        while (chunk.length < CHUNK_CHARS) {
          const next = await iterator.next()
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk))
            controller.close()
            return
          }
          chunk += csvLine(next.value)
        }
        controller.enqueue(encoder.encode(chunk))
      },
      async cancel() {
        // The client went away: stop reading from the database.
        await iterator.return?.()
      },
    },
    // One chunk in the queue at most: the next rows are read only when this one is taken.
    { highWaterMark: 1 },
  )
}

/** A CSV download streamed from `rows`. */
export function csvResponse(filename: string, header: readonly unknown[], rows: AsyncIterable<readonly unknown[]>) {
  return new Response(csvStream(header, rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': contentDisposition(filename),
      'Cache-Control': 'private, no-store',
    },
  })
}

/**
 * The GET answer of an export route. Exports are form posts (the Origin check applies, and an
 * audit entry is never the side effect of a GET): a page's button posts to the export's URL.
 */
export function exportOnlyByPost(_args?: LoaderFunctionArgs) {
  return new Response(t.errors.exportByPost, {
    status: 405,
    headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}
