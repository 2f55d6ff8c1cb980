import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { awayWhile } from '~/utils/request-turn.server'
import { createAdmission, type AdmissionOptions } from '../../server/admission'

// A real node:http server whose every request goes through the admission; each request's work is
// a step the test releases by hand, so the order of starts is the test's to read.
let server: Server | null = null

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = null
})

interface Started {
  path: string
  res: ServerResponse
}

async function serve(options: Partial<AdmissionOptions>, work: (started: Started) => void = () => undefined) {
  const started: Started[] = []
  const admission = createAdmission({
    limit: 2,
    maxWaitMs: 5_000,
    maxWaiting: 100,
    refuse: (res) => res.writeHead(503, { 'Retry-After': '2' }).end('busy'),
    ...options,
  })
  server = createServer((req, res) =>
    admission.admit(res, () => {
      const one = { path: req.url ?? '', res }
      started.push(one)
      work(one)
    }),
  )
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const get = (path: string) => fetch(`${base}${path}`, { headers: { Connection: 'close' } })
  return { admission, started, get }
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  if (!condition()) throw new Error('condition never held')
}

describe('admission', () => {
  it('works on `limit` requests at once and starts the others in arrival order as each answers', async () => {
    const { admission, started, get } = await serve({ limit: 2 })
    const answers = ['/a', '/b', '/c', '/d'].map((path, i) => new Promise((resolve) => setTimeout(resolve, i * 20)).then(() => get(path)))
    // Each admitted request starts on a turn of the event loop of its own (decision 059).
    await until(() => admission.stats().waiting === 2 && started.length === 2)
    expect(started.map((s) => s.path)).toEqual(['/a', '/b'])

    started[1]!.res.end('b')
    await until(() => started.length === 3)
    expect(started.map((s) => s.path)).toEqual(['/a', '/b', '/c'])
    expect(admission.stats()).toMatchObject({ working: 2, waiting: 1 })

    started[0]!.res.end('a')
    await until(() => started.length === 4)
    expect(started[3]!.path).toBe('/d')
    for (const s of started.slice(2)) s.res.end('done')
    expect(await Promise.all(answers.map(async (a) => (await a).status))).toEqual([200, 200, 200, 200])
    await until(() => admission.stats().working === 0)
  })

  it('lets the next request start once the headers are out, not when the body ends', async () => {
    const { started, get } = await serve({ limit: 1 })
    const slow = get('/slow')
    await until(() => started.length === 1)
    const next = get('/next')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(started).toHaveLength(1)

    // A long download: headers sent, body still going.
    started[0]!.res.writeHead(200, { 'Content-Type': 'text/plain' })
    started[0]!.res.write('first part')
    await until(() => started.length === 2)
    expect(started[1]!.path).toBe('/next')
    started[1]!.res.end('next')
    started[0]!.res.end(' and the rest')
    expect(await (await slow).text()).toBe('first part and the rest')
    expect((await next).status).toBe(200)
  })

  it('starts a waiting request on a later turn of the event loop, not inside the answer that freed its place', async () => {
    const { started, get } = await serve({ limit: 1 })
    const first = get('/first')
    await until(() => started.length === 1)
    const second = get('/second')
    await new Promise((resolve) => setTimeout(resolve, 30))
    started[0]!.res.end('first')
    // end() has returned: the second request has not been started from inside it.
    expect(started).toHaveLength(1)
    await until(() => started.length === 2)
    started[1]!.res.end('second')
    expect([(await first).status, (await second).status]).toEqual([200, 200])
  })

  it('starts requests admitted together on turns of the event loop of their own (decision 059)', async () => {
    const events: string[] = []
    const { admission, started, get } = await serve({ limit: 3 }, ({ path }) => {
      if (path === '/a' || path === '/b' || path === '/c') return
      events.push(path)
      // What a request does before its first real wait: on a local file, its reads and render.
      const until = performance.now() + 8
      while (performance.now() < until) {
        // spin
      }
    })
    const answers = ['/a', '/b', '/c', '/d', '/e', '/f'].map((path, i) => new Promise((resolve) => setTimeout(resolve, i * 20)).then(() => get(path)))
    await until(() => admission.stats().waiting === 3 && started.length === 3)
    // Three places freed at once, a timer ticking meanwhile: were the three waiting started in one
    // turn, they would run back to back with no tick between them.
    const ticking = setInterval(() => events.push('tick'), 1)
    for (const one of started.slice(0, 3)) one.res.end('done')
    await until(() => started.length === 6)
    await new Promise((resolve) => setTimeout(resolve, 5))
    clearInterval(ticking)
    expect(events.join(' ').replace(/(tick ?)+/g, 'tick ')).toContain('/d tick /e tick /f')
    for (const one of started.slice(3)) one.res.end('done')
    expect(await Promise.all(answers.map(async (a) => (await a).status))).toEqual([200, 200, 200, 200, 200, 200])
  })

  it('answers 503 to a request whose wait runs out, and never starts it', async () => {
    const { admission, started, get } = await serve({ limit: 1, maxWaitMs: 50 })
    const first = get('/first')
    await until(() => started.length === 1)
    const late = await get('/late')
    expect(late.status).toBe(503)
    expect(late.headers.get('retry-after')).toBe('2')
    started[0]!.res.end('first')
    await first
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(started.map((s) => s.path)).toEqual(['/first'])
    expect(admission.stats()).toEqual({ working: 0, waiting: 0, refused: 1 })
  })

  it('answers 503 at once when as many requests wait as may', async () => {
    const { admission, started, get } = await serve({ limit: 1, maxWaiting: 1 })
    const first = get('/first')
    await until(() => started.length === 1)
    const waiting = get('/waiting')
    await until(() => admission.stats().waiting === 1)
    expect((await get('/one-too-many')).status).toBe(503)
    started[0]!.res.end('first')
    await until(() => started.length === 2)
    started[1]!.res.end('waiting')
    expect([(await first).status, (await waiting).status]).toEqual([200, 200])
  })

  it('does not work for a reader who left while waiting', async () => {
    const { admission, started, get } = await serve({ limit: 1 })
    const first = get('/first')
    await until(() => started.length === 1)
    const gone = new AbortController()
    const abandoned = fetch(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/gone`, { signal: gone.signal }).catch(() => 'aborted')
    await until(() => admission.stats().waiting === 1)
    gone.abort()
    expect(await abandoned).toBe('aborted')
    await until(() => admission.stats().waiting === 0)
    started[0]!.res.end('first')
    await first
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(started.map((s) => s.path)).toEqual(['/first'])
    expect(admission.stats()).toEqual({ working: 0, waiting: 0, refused: 0 })
  })

  it('with limit 0 starts everything at once', async () => {
    const { admission, started, get } = await serve({ limit: 0 })
    const answers = ['/1', '/2', '/3', '/4', '/5'].map((path) => get(path))
    await until(() => started.length === 5)
    expect(admission.stats().waiting).toBe(0)
    for (const s of started) s.res.end('ok')
    await Promise.all(answers)
  })

  it('gives a request’s place back while it waits on another service, and takes it again after', async () => {
    let answerOfProvider: (value: string) => void = () => undefined
    const { admission, started, get } = await serve({ limit: 1 }, ({ path, res }) => {
      if (path !== '/pay') return
      void awayWhile(() => new Promise<string>((resolve) => (answerOfProvider = resolve))).then((answer) => {
        // Back from the provider: counted again, even though another request holds the one place.
        expect(admission.stats().working).toBe(2)
        res.end(answer)
      })
    })
    const pay = get('/pay')
    await until(() => started.length === 1)
    // The provider is slow: the next reader's request starts meanwhile.
    const page = get('/page')
    await until(() => started.length === 2)
    expect(admission.stats()).toMatchObject({ working: 1, waiting: 0 })
    answerOfProvider('paid')
    expect(await (await pay).text()).toBe('paid')
    started[1]!.res.end('page')
    expect((await page).status).toBe(200)
    await until(() => admission.stats().working === 0)
  })

  it('outside a request, awayWhile just waits', async () => {
    expect(await awayWhile(async () => 'answer')).toBe('answer')
  })
})
