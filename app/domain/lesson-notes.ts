// Pure rules of notes and highlights in a lesson's 文稿 (issue 17, docs/decisions/045-lesson-notes.md).
// A highlight is a range of the 文稿's plain text: the text of its rendered HTML exactly as a
// browser's `textContent` reads it (tags dropped, entities decoded, the newlines between blocks
// kept), counted in UTF-16 code units as JavaScript and the DOM count. The server derives that text
// from the stored markdown with `htmlPlainText`, checks every range against it, and draws the
// reader's highlights into the HTML it sends (`markHighlights`), so a page shows them without JS.
// No imports: the lesson page's client code reads the limits from here.

export const NOTE_LIMITS = {
  /** A note's text, in characters (code points, as SQLite's length() counts them). */
  noteMax: 2000,
  /** The highlighted passage, in characters. */
  quoteMax: 2000,
} as const

/** Characters as a reader counts them: an emoji is one. */
export function characterCount(text: string) {
  return [...text].length
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function decodeEntity(entity: string) {
  const name = entity.slice(1, -1)
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity
  }
  return NAMED_ENTITIES[name] ?? entity
}

// The HTML is the site's sanitiser's output (renderMarkdown): no comments, no raw `>` inside an
// attribute (sanitize-html escapes it), so a tag is `<…>` and everything between tags is text.
const TOKEN = /<[^>]*>|[^<]+/g
const ENTITY_OR_UNIT = /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});|[\s\S]/g

/** A text token's pieces: the raw characters of each decoded unit (an entity or one code unit). */
function units(raw: string) {
  return [...raw.matchAll(ENTITY_OR_UNIT)].map(([piece]) => ({ raw: piece, text: piece.startsWith('&') && piece.length > 1 ? decodeEntity(piece) : piece }))
}

/** The plain text of sanitised HTML, as a browser's textContent of it reads. */
export function htmlPlainText(html: string) {
  let text = ''
  for (const [token] of html.matchAll(TOKEN)) {
    if (!token.startsWith('<')) text += units(token).map((unit) => unit.text).join('')
  }
  return text
}

export interface HighlightRange {
  startOffset: number
  endOffset: number
  quote: string
}

export type RangeCheck = { ok: true } | { ok: false; reason: 'empty' | 'too_long' | 'outside' | 'quote_mismatch' }

/**
 * Whether a highlight fits a 文稿 whose plain text is `plainText`: whole offsets within the text,
 * a passage with something besides spaces, not over the limit, and the quote exactly the text
 * between the offsets (a client that computed its offsets on another text is refused, not trusted).
 */
export function checkHighlightRange(plainText: string, range: HighlightRange): RangeCheck {
  const { startOffset, endOffset, quote } = range
  if (!Number.isSafeInteger(startOffset) || !Number.isSafeInteger(endOffset) || startOffset < 0 || endOffset > plainText.length || endOffset <= startOffset) {
    return { ok: false, reason: 'outside' }
  }
  if (quote.trim() === '') return { ok: false, reason: 'empty' }
  if (characterCount(quote) > NOTE_LIMITS.quoteMax) return { ok: false, reason: 'too_long' }
  if (plainText.slice(startOffset, endOffset) !== quote) return { ok: false, reason: 'quote_mismatch' }
  return { ok: true }
}

/**
 * Where a stored highlight lies in the 文稿 as it reads now: its own offsets while the quote still
 * stands there; after an editor changed the text, the occurrence of the quote nearest to where it
 * was; null when the passage is gone (the note is kept and listed, just not drawn).
 */
export function locateHighlight(plainText: string, range: HighlightRange): { startOffset: number; endOffset: number } | null {
  if (plainText.slice(range.startOffset, range.endOffset) === range.quote) return { startOffset: range.startOffset, endOffset: range.endOffset }
  let best: number | null = null
  for (let at = plainText.indexOf(range.quote); at >= 0 && range.quote.length > 0; at = plainText.indexOf(range.quote, at + 1)) {
    if (best === null || Math.abs(at - range.startOffset) < Math.abs(best - range.startOffset)) best = at
  }
  return best === null ? null : { startOffset: best, endOffset: best + range.quote.length }
}

/** The id of the element a link to a highlight lands on: /courses/:slug/:lesson#note-12. */
export const noteAnchorId = (noteId: number) => `note-${noteId}`

// Tailwind sees these class names here (the classes are written into the HTML string).
const MARK_CLASS = 'note-mark cursor-pointer rounded-sm bg-amber-100 text-inherit underline decoration-amber-500 decoration-2 underline-offset-4 [.note-anchor:target+&]:bg-amber-300'
const ANCHOR_CLASS = 'note-anchor scroll-mt-24'

/**
 * The 文稿's HTML with these highlights drawn: each covered stretch of text wrapped in a
 * `<mark data-note="id">` (the innermost highlight where two overlap), and an empty
 * `<span id="note-id">` before each highlight's first mark for links to land on. Only text is
 * wrapped, never tags, so the document's structure and its textContent are unchanged; stretches
 * of nothing but whitespace (between blocks, between table rows) are left bare.
 */
export function markHighlights(html: string, highlights: { id: number; startOffset: number; endOffset: number }[]) {
  const valid = highlights.filter((h) => Number.isSafeInteger(h.id) && h.endOffset > h.startOffset)
  if (valid.length === 0) return html
  const boundaries = [...new Set(valid.flatMap((h) => [h.startOffset, h.endOffset]))].sort((a, b) => a - b)
  const anchored = new Set<number>()
  let position = 0
  let out = ''

  const flush = (raw: string, text: string, from: number) => {
    if (raw === '') return
    const to = from + text.length
    const covering = valid.filter((h) => h.startOffset <= from && h.endOffset >= to)
    if (covering.length === 0 || text.trim() === '') {
      out += raw
      return
    }
    for (const h of covering) {
      if (anchored.has(h.id)) continue
      anchored.add(h.id)
      out += `<span id="${noteAnchorId(h.id)}" class="${ANCHOR_CLASS}"></span>`
    }
    const innermost = covering.reduce((a, b) => (b.endOffset - b.startOffset < a.endOffset - a.startOffset ? b : a))
    out += `<mark class="${MARK_CLASS}" data-note="${innermost.id}">${raw}</mark>`
  }

  for (const [token] of html.matchAll(TOKEN)) {
    if (token.startsWith('<')) {
      out += token
      continue
    }
    let raw = ''
    let text = ''
    let from = position
    for (const unit of units(token)) {
      if (text !== '' && boundaries.includes(position)) {
        flush(raw, text, from)
        raw = ''
        text = ''
        from = position
      }
      raw += unit.raw
      text += unit.text
      position += unit.text.length
    }
    flush(raw, text, from)
  }
  return out
}
