// The production build served by server/main.ts's Express app, over real HTTP on a free port:
// what happens to a request before any route sees it (undecodable paths, bodies of the wrong
// type or over their path's limit, declared or streamed), and the headers every answer carries.
// The only test file that builds the app (`remix build`, skipped when the build is current), so
// that two files never build at once.
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildIfNeeded } from '../../server/build-if-needed'
import { createSite, listen } from '../../server/main'
import type { PageCache } from '../../server/page-cache'
import { FORM_BYTES } from '../../server/request-guards'
import { dailies, productImages } from '../../db/schema'
import { db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { createTestProduct } from '../factories/cart'
import { editorForm, signedIn } from '../factories/dailies'
import { countRows } from '../factories/db'
import { captureLogs } from '../support/logs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
const SERVER_BUILD = join(ROOT, 'build/index.js')
const MB = 1024 * 1024

let origin = ''
let pageCache: PageCache
let close = () => Promise.resolve()
/** What the server had read off each connection when it finished answering, by request path. */
const bytesReadWhenAnswered = new Map<string, number>()

// The build's modules read the environment when first used, after this.
const WECHAT_TOKEN = 'zhiyinHttpTest42'
process.env.WECHAT_TOKEN = WECHAT_TOKEN

/** A /wechat query signed now, as WeChat signs it. */
function signedWechatQuery() {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = String(Math.floor(Math.random() * 1e9))
  const signature = createHash('sha1').update([WECHAT_TOKEN, timestamp, nonce].sort().join('')).digest('hex')
  return new URLSearchParams({ signature, timestamp, nonce })
}

beforeAll(async () => {
  buildIfNeeded(ROOT, SERVER_BUILD)
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as Parameters<typeof createSite>[0]
  const site = createSite(build, getEnv())
  pageCache = site.pageCache
  const watched = express()
  watched.use((req, res, next) => {
    res.on('finish', () => bytesReadWhenAnswered.set(req.path, req.socket.bytesRead))
    next()
  })
  watched.use(site.handler)
  const server = listen(watched, 0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => server.close(() => resolve()))
}, 120_000)
afterAll(async () => {
  await close()
  delete process.env.WECHAT_TOKEN
})

interface Answer {
  status: number
  headers: IncomingMessage['headers']
  text: string
}

/** A request as a browser on the site would send it (same Origin), through fetch. */
async function send(path: string, init: RequestInit = {}): Promise<Answer & { headers: Record<string, string | undefined> }> {
  const headers = new Headers(init.headers)
  if (init.method && init.method !== 'GET') headers.set('Origin', origin)
  const response = await fetch(`${origin}${path}`, { ...init, headers, redirect: 'manual' })
  return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() }
}

/**
 * A POST whose body is written chunk by chunk (no Content-Length unless given), as fast as the
 * server takes it, until `total` bytes are sent or the server answers. Says how much was sent
 * by the time the answer came, and whether the server closed the connection.
 */
async function streamBody(path: string, { total, contentType, headers = {} }: { total: number; contentType: string; headers?: Record<string, string> }) {
  const chunk = Buffer.alloc(16 * 1024, 'a')
  let sent = 0
  let answered = false
  const req = httpRequest(`${origin}${path}`, { method: 'POST', headers: { Origin: origin, 'Content-Type': contentType, ...headers } })
  req.on('error', () => undefined) // the server may close the socket while we still write
  const answer = new Promise<Answer & { sentWhenAnswered: number; closed: boolean }>((resolve) => {
    req.on('response', (response) => {
      answered = true
      const sentWhenAnswered = sent
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (data: string) => (text += data))
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, sentWhenAnswered, closed: response.headers.connection === 'close' })
      })
    })
  })
  // Writing goes on when the socket drains, and stops once the server answered or hung up.
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        for (const event of ['drain', 'close', 'response']) req.off(event, done)
        resolve()
      }
      for (const event of ['drain', 'close', 'response']) req.once(event, done)
    })
  while (sent < total && !answered && !req.destroyed) {
    const more = req.write(chunk)
    sent += chunk.byteLength
    if (!more) await drained()
  }
  if (!answered && !req.destroyed) req.end()
  return answer
}

describe('paths that cannot be decoded', () => {
  it.each(['/daily/%', '/daily/%zz', '/%', '/build/%', '/shop/p/%E0%A4%A'])('answers %s with 400 and a Chinese message, not 500', async (path) => {
    const answer = await send(path)
    expect(answer.status).toBe(400)
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(answer.text).toContain('请求地址无法解析')
  })

  it('still serves encoded paths that decode', async () => {
    expect((await send('/daily/%32%30%32%36-01-01')).status).not.toBe(400)
  })
})

describe('Host headers that are not a host name (found by the attacker\'s probe of issue 11)', () => {
  /** A request with a Host header of our choosing (fetch never sends one). */
  function withHost(method: string, path: string, host: string, body?: string, contentType?: string) {
    return new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { Host: host, Origin: origin }
      if (contentType) headers['Content-Type'] = contentType
      const req = httpRequest(`${origin}${path}`, { method, headers, setHost: false }, (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (data: string) => (text += data))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  it('cannot make Remix run another route than the one the checks judged', async () => {
    // The Origin check and the body guard see /wechat; a URL built from this Host would be /login.
    const json = await withHost('POST', '/wechat', 'localhost/login?', '{}', 'application/json')
    expect(json.status).toBe(400)
    expect(json.text).toContain('主机名无效')
    const logout = await withHost('POST', '/webhooks/stripe', 'localhost/logout?', 'x', 'text/plain')
    expect(logout.status).toBe(400)
  })

  it('refuses with 403, not 500, a form whose Origin is the site but whose Host is another (Remix would abort it)', async () => {
    const form = 'email=user%40zhiyin.local&password=zhiyin-user'
    const post = (headers: Record<string, string>) =>
      new Promise<Answer>((resolve, reject) => {
        const req = httpRequest(`${origin}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, setHost: false }, (response) => {
          let text = ''
          response.setEncoding('utf8')
          response.on('data', (data: string) => (text += data))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }))
        })
        req.on('error', reject)
        req.end(form)
      })
    // SITE_URL is http://localhost:3000 in the tests.
    const otherHost = await post({ Origin: 'http://localhost:3000', Host: 'other.example' })
    expect(otherHost.status).toBe(403)
    expect(otherHost.text).toContain('请求来源不受信任')
    const otherForwarded = await post({ Origin: 'http://localhost:3000', Host: 'localhost:3000', 'X-Forwarded-Host': 'other.example' })
    expect(otherForwarded.status).toBe(403)
    // On the site's own host the form reaches the sign-in (no such account here: its field error).
    const ownHost = await post({ Origin: 'http://localhost:3000', Host: 'localhost:3000' })
    expect(ownHost.status).toBe(400)
    expect(ownHost.text).not.toContain('请求来源不受信任')
  })

  it.each(['a b', '[', '%', 'a@b', 'x:99999999', 'localhost:3000/x'])('answers Host %j with 400, not 500', async (host) => {
    const answer = await withHost('GET', '/healthz', host)
    expect(answer.status).toBe(400)
  })

  it('keeps no page for a Host it refuses, and serves none to it (the page cache is in front of the check)', async () => {
    await send('/')
    const before = pageCache.stats()
    for (const host of ['localhost/login?', 'a b', '%']) {
      for (let i = 0; i < 2; i++) expect((await withHost('GET', '/', host)).status, host).toBe(400)
    }
    expect(pageCache.stats()).toEqual(before)
  })

  it('serves ordinary host names, with and without a port', async () => {
    for (const host of ['localhost', `127.0.0.1:${new URL(origin).port}`, 'zhiyin.example.com', '[::1]:3000']) {
      expect((await withHost('GET', '/healthz', host)).status, host).toBe(200)
    }
  })
})

describe('a 429 says when to try again (found by the attacker\'s probe of issue 11)', () => {
  it('sends Retry-After with the lockout, for the page and for its data request', async () => {
    const form = new URLSearchParams({ email: 'locked-out@example.com', password: 'wrong password 0' })
    const post = (path: string) => send(path, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    for (let i = 0; i < 10; i++) expect((await post('/login')).status).toBe(400)
    for (const path of ['/login', '/login.data']) {
      const locked = await post(path)
      expect(locked.status, path).toBe(429)
      expect(Number(locked.headers['retry-after']), path).toBeGreaterThan(0)
    }
  })
})

describe('bodies of a type the route does not take', () => {
  it.each([
    ['JSON to sign-in', '/login', 'application/json', '{"email":"a@b.c"}'],
    ['text to the keyword box', '/keyword', 'text/plain', 'q=AI'],
    ['multipart to sign-in (only uploads take it)', '/login', 'multipart/form-data; boundary=x', '--x--'],
    ['no type at all to sign-out', '/logout', null, ''],
    ['JSON to a Remix data request', '/login.data', 'application/json', '{}'],
    ['XML to the home page', '/_root.data', 'text/xml', '<x/>'],
  ])('answers %s with 415 in Chinese, not 500', async (_label, path, type, body) => {
    const answer = await send(path, { method: 'POST', body, headers: type ? { 'Content-Type': type } : {} })
    expect(answer.status).toBe(415)
    expect(answer.text).toContain('不支持的提交格式')
  })

  it('answers a non-multipart body to the media upload with 415, signed in as an editor or not', async () => {
    const { cookie } = await signedIn({ role: 'editor' })
    for (const headers of [{ Cookie: cookie }, {}] as Record<string, string>[]) {
      const answer = await send('/admin/media?kind=audio', { method: 'POST', body: 'file=x', headers: { ...headers, 'Content-Type': 'text/plain' } })
      expect(answer.status).toBe(415)
    }
  })

  it('lets the endpoints that read raw bodies take JSON and XML (they check them themselves)', async () => {
    // Without Stripe keys the webhook answers 404; WeChat finds the XML is no message: the
    // route answered, not the guard.
    expect((await send('/webhooks/stripe', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(404)
    const wechat = await send(`/wechat?${signedWechatQuery()}`, { method: 'POST', body: '<xml/>', headers: { 'Content-Type': 'text/xml' } })
    expect(wechat.status).toBe(400)
    expect(wechat.text).toBe('无法解析的消息 XML')
  })
})

describe('endpoints that only take POST', () => {
  it('answer a GET with a zh-CN 405 that names the method, not Remix’s English error', async () => {
    const { cookie } = await signedIn({ role: 'editor' })
    for (const path of ['/admin/posts/preview', '/admin/media?kind=audio', '/webhooks/stripe', '/membership/line']) {
      const answer = await send(path, { headers: { Cookie: cookie } })
      expect(answer.status, path).toBe(405)
      expect(answer.headers.allow, path).toBe('POST')
      expect(answer.text, path).toBe('405 这个地址只接受表单提交（POST）')
    }
  })
})

describe('malformed uploads', () => {
  const garbage = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n\r\nRIFF`

  it('answers a multipart body cut off mid-part, or without a boundary, with 400 and keeps nothing', async () => {
    const { cookie } = await signedIn({ role: 'editor' })
    for (const [type, body] of [
      ['multipart/form-data; boundary=zhiyin', garbage('zhiyin')],
      ['multipart/form-data', garbage('zhiyin')],
      ['multipart/form-data; boundary=zhiyin', '--zhiyin\r\nNo-Disposition: x\r\n\r\nabc\r\n--zhiyin--\r\n'],
    ]) {
      const answer = await send('/admin/media?kind=audio', { method: 'POST', body, headers: { Cookie: cookie, 'Content-Type': type! } })
      expect(answer.status, body).toBe(400)
      expect(JSON.parse(answer.text)).toEqual({ error: '上传的内容无法解析，请重新选择文件上传' })
    }
  })

  it('answers a malformed photo upload, or one with a 20 KB text field, with 400 in the product page and adds no photo', async () => {
    const { cookie } = await signedIn({ role: 'admin' })
    const product = await createTestProduct()
    const longField = `--zhiyin\r\nContent-Disposition: form-data; name="note"\r\n\r\n${'知'.repeat(7000)}\r\n--zhiyin--\r\n`
    for (const body of [garbage('zhiyin').replace('name="file"', 'name="images"'), longField]) {
      const answer = await send(`/admin/products/${product.id}`, {
        method: 'POST',
        body,
        headers: { Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=zhiyin', 'User-Agent': 'curl/8' },
      })
      expect(answer.status).toBe(400)
      expect(answer.text).toContain('上传的内容无法解析')
    }
    expect(await countRows(productImages)).toBe(0)
  })

  it('answers a malformed 批量发货 upload with 400 and ships nothing', async () => {
    const { cookie } = await signedIn({ role: 'admin' })
    const answer = await send('/admin/orders/ship', {
      method: 'POST',
      body: garbage('zhiyin'),
      headers: { Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=zhiyin', 'User-Agent': 'curl/8' },
    })
    expect(answer.status).toBe(400)
    expect(answer.text).toContain('上传的内容无法解析')
  })
})

describe('body size limits, before the body is read', () => {
  it('refuses a declared 50 MB form to sign-in at once with 413, without waiting for the body', async () => {
    const req = httpRequest(`${origin}/login`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(50 * MB) },
    })
    req.on('error', () => undefined)
    req.flushHeaders()
    const [response] = (await once(req, 'response')) as [IncomingMessage]
    let text = ''
    for await (const data of response) text += String(data)
    req.destroy()
    expect(response.statusCode).toBe(413)
    expect(response.headers.connection).toBe('close')
    expect(text).toBe('413 提交的内容过大（上限 64 KB），未被处理')
  })

  it('stops reading a chunked 50 MB form to sign-in once it passes 64 KB: answered 413 long before it is all sent', async () => {
    const answer = await streamBody('/login', { total: 50 * MB, contentType: 'application/x-www-form-urlencoded' })
    expect(answer.status).toBe(413)
    expect(answer.text).toContain('上限 64 KB')
    expect(answer.closed).toBe(true)
    // The server read little more than the limit; what the client wrote beyond that sat in
    // the sockets' kernel buffers until the server hung up.
    expect(bytesReadWhenAnswered.get('/login')).toBeLessThan(256 * 1024)
    expect(answer.sentWhenAnswered).toBeLessThan(8 * MB)
  })

  it('answers a client that asks first (Expect: 100-continue) with 413 and never invites the body', async () => {
    const req = httpRequest(`${origin}/login`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(50 * MB), Expect: '100-continue' },
    })
    let invited = false
    req.on('continue', () => (invited = true))
    req.on('error', () => undefined)
    req.flushHeaders()
    const [response] = (await once(req, 'response')) as [IncomingMessage]
    response.resume()
    req.destroy()
    expect(response.statusCode).toBe(413)
    expect(invited).toBe(false)
  })

  it('stops reading a chunked 50 MB WeChat message at 64 KB', async () => {
    const answer = await streamBody(`/wechat?${signedWechatQuery()}`, { total: 50 * MB, contentType: 'text/xml' })
    expect(answer.status).toBe(413)
    expect(answer.text).toContain('上限 64 KB')
    expect(answer.sentWhenAnswered).toBeLessThan(8 * MB)
  })

  it('takes the largest legitimate form: a daily of 50,000 Chinese characters (about 450 KB once encoded)', async () => {
    const { cookie } = await signedIn({ role: 'editor' })
    const form = editorForm({ body: '知'.repeat(50_000) })
    const body = new URLSearchParams(form).toString()
    expect(body.length).toBeGreaterThan(450_000)
    const answer = await send('/admin/posts/new', { method: 'POST', body, headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(answer.status).toBe(302)
    const [saved] = await db.select().from(dailies)
    expect(saved?.body).toHaveLength(50_000)
  })

  it('refuses the same daily form posted to a path that takes only ordinary forms', async () => {
    const body = new URLSearchParams(editorForm({ body: '知'.repeat(50_000) })).toString()
    const answer = await send('/keyword', { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(answer.status).toBe(413)
    expect(FORM_BYTES).toBe(64 * 1024)
  })

  it('lets an upload through up to its own limit: a 3 MB 批量发货 file reaches the route, a 5 MB one is refused before it', async () => {
    const { cookie } = await signedIn({ role: 'admin' })
    const upload = (bytes: number) => {
      const form = new FormData()
      form.append('file', new Blob([Buffer.alloc(bytes, 'a')], { type: 'text/csv' }), 'orders.csv')
      return send('/admin/orders/ship', { method: 'POST', body: form, headers: { Cookie: cookie, 'User-Agent': 'curl/8' } })
    }
    const within = await upload(3 * MB)
    // The route's own cap on the file (2 MB) answers, in the page.
    expect(within.status).toBe(413)
    expect(within.headers['content-type']).toBe('text/html; charset=utf-8')
    const over = await upload(5 * MB)
    expect(over.status).toBe(413)
    expect(over.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(over.text).toContain('上限 4.1 MB')
  })
})

describe('WeChat over HTTP', () => {
  it('still answers its URL check and its messages, each signed URL once; the log keeps none of the signature', async () => {
    const logged = captureLogs()
    try {
      const check = signedWechatQuery()
      check.set('echostr', '5837397749382')
      expect(await send(`/wechat?${check}`)).toMatchObject({ status: 200, text: '5837397749382' })
      expect((await send(`/wechat?${check}`)).status).toBe(403)

      const query = signedWechatQuery()
      const message = readFileSync(join(ROOT, 'tests/fixtures/wechat/text.xml'), 'utf8')
      const reply = await send(`/wechat?${query}`, { method: 'POST', body: message, headers: { 'Content-Type': 'text/xml' } })
      expect(reply.status).toBe(200)
      expect(reply.headers['content-type']).toBe('application/xml; charset=utf-8')
      expect(reply.text).toContain('<MsgType><![CDATA[text]]></MsgType>')
      expect((await send(`/wechat?${query}`, { method: 'POST', body: message, headers: { 'Content-Type': 'text/xml' } })).status).toBe(403)
    } finally {
      logged.stop()
    }
    const lines = logged.raw.filter((line) => line.includes('/wechat?'))
    expect(lines.length).toBeGreaterThanOrEqual(4)
    for (const line of lines) {
      expect(line).toContain('signature=***&timestamp=***&nonce=***')
      expect(line).not.toMatch(/5837397749382|timestamp=\d/)
    }
  })
})

describe('headers', () => {
  it('denies camera, microphone, geolocation, payment and other unused features on every answer', async () => {
    for (const path of ['/', '/favicon.svg', '/healthz', '/daily/%']) {
      const policy = (await send(path)).headers['permissions-policy'] ?? ''
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'display-capture']) {
        expect(policy, `${path} ${feature}`).toContain(`${feature}=()`)
      }
      expect(policy).not.toContain('autoplay')
    }
  })
})

describe('the CSP of pages a shared cache may keep (decision 012)', () => {
  /** The inline scripts of a page and the nonce attributes it carries. */
  function scriptsOf(html: string) {
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attributes]) => !/\bsrc=/.test(attributes!))
    return { texts: inline.map(([, , text]) => text!), nonces: [...html.matchAll(/\bnonce="([^"]*)"/g)].map(([, nonce]) => nonce) }
  }
  const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  const scriptSources = (policy: string) => policy.split(';').find((d) => d.startsWith('script-src '))!.split(' ').slice(1)

  it.each(['/', '/membership', '/shop'])('gives every visitor of %s a copy with no nonce: the CSP allows exactly its scripts, by hash', async (path) => {
    const answers = [await send(path), await send(path)]
    for (const answer of answers) {
      expect(answer.status).toBe(200)
      expect(answer.headers['cache-control']).toContain('public')
      const policy = answer.headers['content-security-policy'] ?? ''
      expect(policy).not.toContain('nonce-')
      const { texts, nonces } = scriptsOf(answer.text)
      expect(nonces).toEqual([])
      expect(texts.length).toBeGreaterThan(2)
      expect(new Set(scriptSources(policy))).toEqual(new Set(["'self'", ...texts.map(sha256)]))
    }
  })

  it('keeps a per-request nonce on a private page: two readers, two nonces, each only in its own page', async () => {
    const { cookie } = await signedIn()
    const answers = [await send('/', { headers: { Cookie: cookie } }), await send('/', { headers: { Cookie: cookie } })]
    const nonces = answers.map((answer) => {
      expect(answer.headers['cache-control']).toContain('private')
      const [nonce] = scriptSources(answer.headers['content-security-policy'] ?? '').filter((s) => s.startsWith("'nonce-"))
      const inPage = new Set(scriptsOf(answer.text).nonces)
      expect([...inPage].map((n) => `'nonce-${n}'`)).toEqual([nonce])
      return nonce
    })
    expect(nonces[0]).not.toBe(nonces[1])
  })
})

describe('render once, serve many (decision 033)', () => {
  it.each(['/', '/membership', '/shop'])('renders %s once for the visitors of the same second, each told its ETag, 304 when they have it', async (path) => {
    const first = await send(path)
    const before = pageCache.stats()
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(path)))
    const after = pageCache.stats()
    // The ten may straddle one re-render (a second passed): never one render each.
    expect(after.renders - before.renders).toBeLessThanOrEqual(1)
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(9)
    const etag = first.headers.etag!
    expect(etag).toMatch(/^"[\w-]{32}"$/)
    for (const answer of answers.filter((a) => a.headers.etag === etag)) expect(answer.text).toBe(first.text)
    const notModified = await send(path, { headers: { 'If-None-Match': etag } })
    // A page rendered again with the same bytes keeps its ETag: 304 either way.
    expect(notModified.status).toBe(304)
    expect(notModified.text).toBe('')
    const garbled = await send(path, { headers: { 'If-None-Match': 'W/"x", garbage' } })
    expect(garbled.status).toBe(200)
    expect(garbled.text.length).toBeGreaterThan(1000)
  })

  it('never serves a kept page to a signed-in reader, nor keeps theirs: their own name, a private page, no ETag', async () => {
    await send('/shop')
    const { user, cookie } = await signedIn()
    const before = pageCache.stats()
    const answer = await send('/shop', { headers: { Cookie: cookie } })
    expect(answer.headers['cache-control']).toContain('private')
    expect(answer.headers.etag).toBeUndefined()
    expect(answer.text).toContain(user.displayName)
    expect(pageCache.stats()).toEqual(before)
    expect((await send('/shop')).text).not.toContain(user.displayName)
  })
})

describe('logs and metrics of the built site (decision 036)', () => {
  it('has no /metrics on the public port', async () => {
    expect((await send('/metrics')).status).toBe(404)
  })

  it('answers with a request id, times the page under its route id, and counts the pages the cache served', async () => {
    const { metricsRegistry } = await import('~/utils/metrics.server')
    const text = () => metricsRegistry.metrics()
    const hits = async () => Number(/^zhiyin_page_cache_hits_total (\d+)$/m.exec(await text())?.[1])
    const rendered = await send('/shop?utm=abc')
    const before = await hits()
    const answers = await Promise.all(Array.from({ length: 5 }, () => send('/shop?utm=abc')))
    expect(await hits()).toBeGreaterThanOrEqual(before + 4)
    // A kept page is served without Express (no per-request work): it has no request id, and
    // never the id of the request that rendered it.
    const ids = [rendered, ...answers].map((answer) => answer.headers['x-request-id']).filter(Boolean)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBeLessThanOrEqual(2)
    const { cookie } = await signedIn()
    expect((await send('/shop', { headers: { Cookie: cookie } })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await text()).toMatch(/^zhiyin_http_request_duration_seconds_count\{method="GET",route="routes\/shop\._index",status_class="2xx"\} [1-9]/m)
    expect(await text()).not.toContain('utm=')
  })

  it('shows how many requests the app works on and how many wait their turn (decision 041)', async () => {
    const { metricsRegistry } = await import('~/utils/metrics.server')
    const text = await metricsRegistry.metrics()
    // Between requests: none working, none waiting, none refused.
    expect(text).toMatch(/^zhiyin_requests_working 0$/m)
    expect(text).toMatch(/^zhiyin_requests_waiting 0$/m)
    expect(text).toMatch(/^zhiyin_requests_refused_total 0$/m)
  })
})
