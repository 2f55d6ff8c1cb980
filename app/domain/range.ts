// Pure rules of HTTP byte ranges (RFC 9110 §14) and of the validators that answer 304.
// No I/O: callers pass the request's header values and the file's size, ETag and date.

export interface ByteRange {
  /** First byte, inclusive. */
  start: number
  /** Last byte, inclusive (never past the end of the file). */
  end: number
}

/**
 * The one byte range a `Range` header asks for, clamped to the file:
 * - `bytes=a-b`, `bytes=a-`, `bytes=-n` (the last n bytes) → `{ start, end }`;
 * - a malformed `bytes=` range (`bytes=5-3`, `bytes=x-`, `bytes=-`) or one that starts at or
 *   past the end of the file, or `bytes=-0` → `'unsatisfiable'` (answer 416). RFC 9110 would
 *   let a server ignore a malformed range; we refuse it so a broken client sees its mistake;
 * - no header, another unit (`items=0-1`, which RFC 9110 says to ignore), or several ranges
 *   (`bytes=0-1,5-6`: we never build multipart/byteranges, and ignoring a Range is always
 *   allowed) → `null`, i.e. send the whole file with 200.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (header === null || header === undefined) return null
  const equals = header.indexOf('=')
  if (equals < 0) return 'unsatisfiable'
  const unit = header.slice(0, equals).trim().toLowerCase()
  if (unit !== 'bytes') return unit && /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(unit) ? null : 'unsatisfiable'
  const set = header.slice(equals + 1)
  if (set.includes(',')) return null
  const match = /^\s*(\d*)-(\d*)\s*$/.exec(set)
  if (!match) return 'unsatisfiable'
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return 'unsatisfiable'
  if (first === '') {
    // A suffix: the last n bytes (all of a file shorter than n).
    const length = Number(last)
    if (length === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? Infinity : Number(last)
  if (end < start || start >= size) return 'unsatisfiable'
  return { start, end: Math.min(end, size - 1) }
}

/** The `Content-Range` value of a 206 answer, or of a 416 answer when no range is given. */
export function contentRange(size: number, range?: ByteRange) {
  return range ? `bytes ${range.start}-${range.end}/${size}` : `bytes */${size}`
}

export interface Validators {
  /** A quoted entity tag, e.g. `"abc-123"`. */
  etag: string
  lastModified?: Date
}

function opaqueTag(tag: string) {
  const trimmed = tag.trim()
  return trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed
}

/**
 * Whether a conditional GET may be answered 304: If-None-Match (weak comparison, `*` matches)
 * decides when present; otherwise If-Modified-Since against Last-Modified (whole seconds).
 */
export function isNotModified(
  { ifNoneMatch, ifModifiedSince }: { ifNoneMatch?: string | null; ifModifiedSince?: string | null },
  { etag, lastModified }: Validators,
) {
  if (ifNoneMatch) {
    if (ifNoneMatch.trim() === '*') return true
    const ours = opaqueTag(etag)
    return ifNoneMatch.split(',').some((tag) => opaqueTag(tag) === ours)
  }
  if (ifModifiedSince && lastModified) {
    const since = Date.parse(ifModifiedSince)
    return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since
  }
  return false
}

/**
 * Whether a Range may be honoured under If-Range: no header, a strong ETag equal to ours, or
 * the exact Last-Modified date. Otherwise the client's copy is stale and gets the whole file.
 */
export function ifRangeAllows(ifRange: string | null | undefined, { etag, lastModified }: Validators) {
  if (!ifRange) return true
  const value = ifRange.trim()
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag && !etag.startsWith('W/')
  const date = Date.parse(value)
  return lastModified !== undefined && Number.isFinite(date) && Math.floor(lastModified.getTime() / 1000) * 1000 === date
}
