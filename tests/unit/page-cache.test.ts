// The page cache in front of the app (server/page-cache.ts, decision 033), over real HTTP with a
// stand-in app that counts its renders: what a visitor is served from a kept page, what always
// reaches the app, and when a kept page goes stale.
import { once } from 'node:events'
import { createServer, get as httpGet, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createPageCache, etagOf, ifNoneMatchHits } from '../../server/page-cache'

interface Site {
  origin: string
  renders: () => number
  cache: ReturnType<typeof createPageCache>
  /** What the stand-in app answers: a page everyone may share unless told otherwise. */
  answer: { shared: boolean; status: number; text: string; delayMs: number; gate: Promise<void> }
  clock: { now: number }
}

const open: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

async function startSite(): Promise<Site> {
  const clock = { now: 0 }
  const cache = createPageCache({ maxAgeMs: 1000, now: () => clock.now })
  const answer = { shared: true, status: 200, text: '页面', delayMs: 0, gate: Promise.resolve() }
  let renders = 0
  // Stands in for Express + Remix: renders a page and offers it, as remix-handler does.
  const app = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      res.statusCode = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200)
      return void res.end()
    }
    renders++
    const body = Buffer.from(`${answer.text} #${renders} ${req.headers.cookie ?? ''}`)
    const send = () => {
      res.statusCode = answer.status
      res.setHeader('Content-Type', 'text/html; charset=utf-8')
      res.setHeader('Vary', 'Cookie')
      res.setHeader('Set-Cookie', 'never=kept')
      if (answer.shared && !req.headers.cookie) {
        cache.offer(req, { status: answer.status, headers: Object.entries(res.getHeaders()) as [string, string][], body })
      }
      res.end(body)
    }
    void answer.gate.then(() => setTimeout(send, answer.delayMs))
  }
  const server = createServer((req, res) => cache.handle(req, res, () => app(req, res)))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  open.push(() => new Promise((resolve) => server.close(() => resolve())))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, renders: () => renders, cache, answer, clock }
}

async function get(site: Site, path = '/', headers: Record<string, string> = {}) {
  const response = await fetch(`${site.origin}${path}`, { headers })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

describe('a page everyone may share', () => {
  it('is rendered once and served to the visitors after it, with its ETag, until it is a second old', async () => {
    const site = await startSite()
    const first = await get(site)
    const second = await get(site)
    expect(second.text).toBe(first.text)
    expect(site.renders()).toBe(1)
    expect(second.headers.get('etag')).toBe(etagOf(Buffer.from(first.text)))
    // Set-Cookie belongs to one response: a kept page never hands it on.
    expect(second.headers.get('set-cookie')).toBeNull()
    expect(second.headers.get('vary')).toBe('Cookie, Accept-Encoding')

    site.clock.now = 999
    expect((await get(site)).text).toBe(first.text)
    site.clock.now = 1000
    expect((await get(site)).text).not.toBe(first.text)
    expect(site.renders()).toBe(2)
    expect(site.cache.stats()).toEqual({ hits: 2, notModified: 0, renders: 2 })
  })

  it('is rendered once for all the visitors who ask while it is rendered again, who get the page gone stale meanwhile', async () => {
    const site = await startSite()
    await get(site)
    site.clock.now = 1500
    let finishRender = () => {}
    site.answer.gate = new Promise((resolve) => (finishRender = resolve))
    const leading = get(site)
    await expect.poll(site.renders).toBe(2)
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(site)))
    expect(new Set(answers.map((a) => a.text))).toEqual(new Set(['页面 #1 ']))
    finishRender()
    expect((await leading).text).toBe('页面 #2 ')
    expect((await get(site)).text).toBe('页面 #2 ')
    expect(site.renders()).toBe(2)
  })

  it('makes the visitors wait for the new render instead, when the page is long stale or a write made it stale', async () => {
    const site = await startSite()
    await get(site)
    site.answer.delayMs = 100
    site.clock.now = 3000
    const longStale = await Promise.all(Array.from({ length: 10 }, () => get(site)))
    expect(new Set(longStale.map((a) => a.text))).toEqual(new Set(['页面 #2 ']))
    await fetch(`${site.origin}/anything`, { method: 'POST' })
    const afterWrite = await Promise.all(Array.from({ length: 10 }, () => get(site)))
    expect(new Set(afterWrite.map((a) => a.text))).toEqual(new Set(['页面 #3 ']))
    expect(site.renders()).toBe(3)
  })

  it('is never served to a request with a cookie, nor kept from one', async () => {
    const site = await startSite()
    await get(site)
    const reader = await get(site, '/', { Cookie: 'zhiyin_session=abc' })
    expect(reader.text).toBe('页面 #2 zhiyin_session=abc')
    expect(reader.headers.get('etag')).toBeNull()
    expect((await get(site)).text).toBe('页面 #1 ')
    expect(site.renders()).toBe(2)
  })

  it('goes stale at once when a write through this process succeeds, not when one is refused', async () => {
    const site = await startSite()
    await get(site)
    await fetch(`${site.origin}/anything?status=409`, { method: 'POST' })
    expect((await get(site)).text).toBe('页面 #1 ')
    await fetch(`${site.origin}/anything?status=302`, { method: 'POST', redirect: 'manual' })
    expect((await get(site)).text).toBe('页面 #2 ')
  })

  it('answers 304 to a browser holding its ETag, and the whole page to a garbled If-None-Match', async () => {
    const site = await startSite()
    await get(site)
    const first = await get(site)
    const etag = first.headers.get('etag')!
    const notModified = await get(site, '/', { 'If-None-Match': etag })
    expect(notModified.status).toBe(304)
    expect(notModified.text).toBe('')
    expect(notModified.headers.get('etag')).toBe(etag)
    expect((await get(site, '/', { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304)
    for (const garbage of ['garbage', '""', ',,,', `${etag.slice(0, -2)}"`, '\u00ff'.repeat(2)]) {
      const answer = await get(site, '/', { 'If-None-Match': garbage })
      expect(answer.status, garbage).toBe(200)
      expect(answer.text).toBe(first.text)
    }
  })

  it('is sent compressed as the reader accepts: brotli, gzip or as is', async () => {
    const site = await startSite()
    site.answer.text = '知音'.repeat(500)
    const plain = (await get(site)).text
    for (const [accept, encoding, decode] of [
      ['br, gzip', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      const response = await fetch(site.origin, { headers: { 'Accept-Encoding': accept } })
      expect(response.headers.get('content-encoding')).toBe(encoding)
      // fetch decodes what it is sent: read the raw bytes through node:http instead.
      const raw = await new Promise<Buffer>((resolve) => {
        httpGet(`${site.origin}/`, { headers: { 'Accept-Encoding': accept } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => resolve(Buffer.concat(chunks)))
        })
      })
      expect(decode(raw).toString()).toBe(plain)
      expect(raw.length).toBeLessThan(Buffer.byteLength(plain) / 10)
    }
    expect(site.renders()).toBe(1)
  })

  it('is rendered afresh for every visitor while the app does not share it', async () => {
    const site = await startSite()
    site.answer.shared = false
    await get(site)
    await get(site)
    expect(site.renders()).toBe(2)
    expect(site.cache.stats().hits).toBe(0)
  })
})

describe('If-None-Match', () => {
  it('matches the same opaque tag, weak or strong, or *', () => {
    expect(ifNoneMatchHits('"a"', '"a"')).toBe(true)
    expect(ifNoneMatchHits('W/"a"', '"a"')).toBe(true)
    expect(ifNoneMatchHits(' "b" , "a" ', '"a"')).toBe(true)
    expect(ifNoneMatchHits('*', '"a"')).toBe(true)
    expect(ifNoneMatchHits('"ab"', '"a"')).toBe(false)
    expect(ifNoneMatchHits('a', '"a"')).toBe(false)
    expect(ifNoneMatchHits(undefined, '"a"')).toBe(false)
  })
})
