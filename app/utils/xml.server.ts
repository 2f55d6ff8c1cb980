// Writing XML by hand (RSS feeds), safely: every text and attribute value goes through
// escapeXml, which also drops the characters XML 1.0 cannot carry at all.
import { createHash } from 'node:crypto'

// XML 1.0 §2.2 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. Anything
// else (other C0 controls, lone surrogates, U+FFFE/U+FFFF) makes the document ill-formed.
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function stripIllegalXmlChars(text: string) {
  return text.replace(ILLEGAL_XML_CHARS, '')
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Text safe for XML character data and for attribute values in either kind of quotes. */
export function escapeXml(text: string | number) {
  return stripIllegalXmlChars(String(text)).replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

export type XmlAttributes = Record<string, string | number | null | undefined>

function attributes(attrs: XmlAttributes) {
  return Object.entries(attrs)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(value!)}"`)
    .join('')
}

/**
 * One element. `content` is text (escaped here), an array of already-built elements (trusted
 * markup, joined), or absent for an empty element. Names are ours, never user input.
 */
export function xmlElement(name: string, content?: string | number | string[] | null, attrs: XmlAttributes = {}) {
  if (content === undefined || content === null) return `<${name}${attributes(attrs)}/>`
  const inner = Array.isArray(content) ? content.join('') : escapeXml(content)
  return `<${name}${attributes(attrs)}>${inner}</${name}>`
}

/** The date format RSS 2.0 asks for (RFC 822, with a four-digit year, in GMT). */
export function rfc822Date(date: Date) {
  return date.toUTCString()
}

/** A strong ETag for a generated body: equal bodies, equal tags. */
export function bodyEtag(body: string) {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
