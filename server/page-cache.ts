// Render once, serve many (docs/decisions/033-render-once-page-cache.md). A page that reads the
// same for every visitor — the app marks it shared-cacheable (http-cache.server.ts: GET, no
// cookie, a page of PUBLIC_PAGES, 200, no Set-Cookie) — is kept here for at most a second and
// served to the visitors that ask for the same URL meanwhile, in front of Express, with its
// ETag (304 when the browser has it) and compressed once. A request carrying any cookie never
// reaches a kept page: one reader's page is never served to another.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import { ENCODINGS, encodingFor, type Encoding } from './encoding'

/** How long a kept page is served before the next visitor's request renders it again. */
export const PAGE_CACHE_MS = 1000

/** A page gone stale by age is still served while its next render is under way, up to this many ages. */
const STALE_WHILE_RENDERING = 3

/** At most this many pages are kept (distinct URLs); the oldest goes first. */
const MAX_PAGES = 500

/** Headers that belong to one response on the wire, not to the page. */
const PER_RESPONSE_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'set-cookie', 'etag'])

interface KeptPage {
  status: number
  /** The page's headers for each encoding, ready for writeHead: name, value, name, value … */
  rawHeaders: Record<Encoding, string[]>
  /** What a 304 repeats of them (RFC 9110 §15.4.5). */
  notModifiedHeaders: string[]
  etag: string
  bodies: Record<Encoding, Buffer>
  renderedAt: number
  /** The writes generation it was rendered in: a write through this process makes it stale. */
  generation: number
}

/** What the leading request's render hands over once the app decided it may be shared. */
export interface SharedPage {
  status: number
  headers: [string, string | string[]][]
  body: Buffer
}

export interface PageCacheStats {
  /** Answered from a kept page (200 or 304). */
  hits: number
  /** Of those, answered 304. */
  notModified: number
  /** Pages rendered by the app and kept. */
  renders: number
}

type Next = () => void

/**
 * The ETag of a page body: a strong validator from its bytes. Two renders with the same bytes
 * (nothing changed in between) have the same tag, so a browser's copy stays valid across renders.
 */
export function etagOf(body: Buffer) {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
}

/**
 * Whether an If-None-Match header names this ETag (RFC 9110 §13.1.2: weak comparison, `*`
 * matches any current page). Anything unparseable simply does not match: the page is sent.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string) {
  if (!header) return false
  if (header.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '')
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque)
}

export function createPageCache({ maxAgeMs = PAGE_CACHE_MS, now = () => performance.now() } = {}) {
  const pages = new Map<string, KeptPage>()
  /** Renders under way for kept pages gone stale: later visitors wait for them instead of rendering too. */
  const rendering = new Map<string, Promise<KeptPage | null>>()
  /** The leading request of each such render, and how to hand its page over. */
  const leaders = new WeakMap<IncomingMessage, (page: SharedPage | null) => void>()
  const stats: PageCacheStats = { hits: 0, notModified: 0, renders: 0 }
  let generation = 0

  function keyOf(req: IncomingMessage) {
    // A proxy's forwarded host and scheme can change the URLs a page prints: part of the key.
    const { host = '', 'x-forwarded-host': forwardedHost = '', 'x-forwarded-proto': forwardedProto = '' } = req.headers
    return `${String(forwardedProto)} ${String(forwardedHost)} ${host} ${req.url ?? ''}`
  }

  function isVisitorRead(req: IncomingMessage) {
    return (req.method === 'GET' || req.method === 'HEAD') && req.headers.cookie === undefined && req.headers.authorization === undefined
  }

  function isFresh(page: KeptPage) {
    return page.generation === generation && now() - page.renderedAt < maxAgeMs
  }

  function keep(key: string, shared: SharedPage): KeptPage {
    const headers = shared.headers.filter(([name]) => !PER_RESPONSE_HEADERS.has(name.toLowerCase()) && name.toLowerCase() !== 'vary')
    const vary = shared.headers.flatMap(([name, value]) => (name.toLowerCase() === 'vary' ? [value].flat() : []))
    // Kept bodies are sent compressed as each reader accepts: caches in between must know.
    headers.push(['Vary', [...vary, 'Accept-Encoding'].join(', ')])
    const etag = etagOf(shared.body)
    headers.push(['ETag', etag])
    const bodies: KeptPage['bodies'] = {
      identity: shared.body,
      gzip: gzipSync(shared.body, { level: 9 }),
      br: brotliCompressSync(shared.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: shared.body.length } }),
    }
    const flat = (pairs: [string, string | string[]][]) => pairs.flatMap(([name, value]) => [value].flat().flatMap((one) => [name, one]))
    const rawHeaders = Object.fromEntries(
      ENCODINGS.map((encoding) => [
        encoding,
        flat([...headers, ...(encoding === 'identity' ? [] : [['Content-Encoding', encoding] as [string, string]]), ['Content-Length', String(bodies[encoding].length)]]),
      ]),
    ) as KeptPage['rawHeaders']
    const notModifiedHeaders = flat(headers.filter(([name]) => /^(cache-control|vary|etag|expires|content-location)$/i.test(name)))
    const page: KeptPage = { status: shared.status, rawHeaders, notModifiedHeaders, etag, bodies, renderedAt: now(), generation }
    pages.delete(key)
    pages.set(key, page)
    if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value as string)
    stats.renders++
    return page
  }

  function serve(page: KeptPage, req: IncomingMessage, res: ServerResponse) {
    stats.hits++
    if (ifNoneMatchHits(req.headers['if-none-match'], page.etag)) {
      stats.notModified++
      return void res.writeHead(304, page.notModifiedHeaders).end()
    }
    const encoding = encodingFor(req)
    res.writeHead(page.status, page.rawHeaders[encoding])
    res.end(req.method === 'HEAD' ? undefined : page.bodies[encoding])
  }

  /** Lets `req` render the page and keep it; the returned promise settles with what it kept. */
  function lead(key: string, req: IncomingMessage, res: ServerResponse) {
    let settle: (page: KeptPage | null) => void = () => undefined
    const kept = new Promise<KeptPage | null>((resolve) => (settle = resolve))
    const hand = (shared: SharedPage | null) => {
      leaders.delete(req)
      if (rendering.get(key) === kept) rendering.delete(key)
      settle(shared ? keep(key, shared) : null)
    }
    leaders.set(req, hand)
    // Whatever became of the render (not shareable, an error, the client gone), nobody waits on.
    res.once('close', () => leaders.has(req) && hand(null))
    return kept
  }

  return {
    stats: () => ({ ...stats }),
    /** Every kept page is stale from now on. */
    forget() {
      generation++
    },
    /**
     * Answers a visitor's read from a kept page, or passes the request on (`next`) to be
     * rendered. When a kept page went stale, the first request renders it again and the ones
     * arriving meanwhile wait for that render instead of each making their own.
     */
    handle(req: IncomingMessage, res: ServerResponse, next: Next) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // A write through this process may change what visitors read: render afresh.
        res.once('finish', () => res.statusCode < 400 && generation++)
        return next()
      }
      if (!isVisitorRead(req)) return next()
      const key = keyOf(req)
      const page = pages.get(key)
      if (page && isFresh(page)) return serve(page, req, res)
      // Only a URL the app has shared before is worth waiting for; any other is rendered as usual.
      if (!page || req.method !== 'GET') {
        if (req.method === 'GET') void lead(key, req, res)
        return next()
      }
      const pending = rendering.get(key)
      // While the page is rendered again, the visitors meanwhile get the one just gone stale
      // by age; after a write, or when the render is slow, they wait for the new one.
      if (pending && page.generation === generation && now() - page.renderedAt < STALE_WHILE_RENDERING * maxAgeMs) return serve(page, req, res)
      if (pending) return void pending.then((kept) => (kept ? serve(kept, req, res) : next()))
      rendering.set(key, lead(key, req, res))
      next()
    },
    /**
     * Called with each page the app answers: hands a shareable page to the cache when this
     * request was leading its render. Says whether the request was one.
     */
    offer(req: IncomingMessage, shared: SharedPage | null) {
      const hand = leaders.get(req)
      hand?.(shared)
      return hand !== undefined
    },
  }
}

export type PageCache = ReturnType<typeof createPageCache>
