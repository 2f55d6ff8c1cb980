// Which encoding to send a reader: brotli, gzip or none, as their Accept-Encoding prefers
// (negotiator, as the compression middleware decides). Shared by the page cache and the build
// assets, which both hold each body in the three encodings.
import type { IncomingMessage } from 'node:http'
import Negotiator from 'negotiator'

export const ENCODINGS = ['br', 'gzip', 'identity'] as const
export type Encoding = (typeof ENCODINGS)[number]

/** The encoding chosen for each Accept-Encoding header seen (browsers send a handful). */
const chosen = new Map<string, Encoding>()

export function encodingFor(req: IncomingMessage): Encoding {
  const accept = req.headers['accept-encoding'] ?? ''
  let encoding = chosen.get(accept)
  if (encoding === undefined) {
    encoding = (new Negotiator(req).encoding([...ENCODINGS]) ?? 'identity') as Encoding
    if (chosen.size < 100) chosen.set(accept, encoding)
  }
  return encoding
}
