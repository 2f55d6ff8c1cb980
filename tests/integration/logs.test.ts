// The request log over real HTTP (docs/decisions/036-logs-and-metrics.md): Express with the
// site's own layers (server/main.ts siteLayers) in front of a handler standing in for Remix; the
// log's JSON lines read back from the destination stream the logger writes to.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { siteLayers } from '../../server/main'
import { requestIdFrom } from '../../server/request-log'
import { handleError } from '~/entry.server'
import { getEnv } from '~/utils/env.server'
import { logger, runInRequest } from '~/utils/log.server'
import { captureLogs } from '../support/logs'

let logged = captureLogs()
const parsed = () => logged.lines()
const lines = () => logged.raw

let origin = ''
let close = () => Promise.resolve()

beforeAll(async () => {
  const app = express()
  for (const { path, handler } of siteLayers(getEnv(), { routeOf: () => 'routes/test' })) {
    if (path) app.use(path, handler)
    else app.use(handler)
  }
  // A loader's failure: logged after an await, as code running for the request logs it.
  app.get('/fails', (_req, res, next) => {
    const loader = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      logger.error({ err: new Error('the loader broke') }, 'GET /fails failed')
      res.status(500).send('500')
    }
    loader().catch(next)
  })
  app.get('/secret-page', (_req, res) => {
    res.cookie('session', 'set-cookie-secret-value').send('ok')
  })
  app.get('/ok', (_req, res) => res.send('ok'))
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => server.close(() => resolve()))
})
afterAll(() => close())

beforeEach(() => {
  logged = captureLogs()
})
afterEach(() => logged.stop())

/** The log lines written until now, once the server has finished the request (the line comes on 'finish'). */
async function linesAbout(reqId: string) {
  await new Promise((resolve) => setTimeout(resolve, 20))
  return parsed().filter((line) => line.reqId === reqId)
}

describe('request ids', () => {
  it('takes a well-formed X-Request-Id, sends it back, and writes it on the request’s line', async () => {
    const response = await fetch(`${origin}/ok`, { headers: { 'X-Request-Id': 'nginx-4f2a9c1e.7' } })
    expect(response.headers.get('x-request-id')).toBe('nginx-4f2a9c1e.7')
    const [line] = await linesAbout('nginx-4f2a9c1e.7')
    expect(line).toMatchObject({ msg: 'request completed', req: { method: 'GET', url: '/ok' }, res: { statusCode: 200 } })
  })

  it('gives a request without one an id of its own, different each time', async () => {
    const [a, b] = await Promise.all([fetch(`${origin}/ok`), fetch(`${origin}/ok`)])
    const ids = [a.headers.get('x-request-id'), b.headers.get('x-request-id')]
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(ids[0]).not.toBe(ids[1])
    expect(await linesAbout(ids[0]!)).toHaveLength(1)
  })

  it('replaces an id that is too long or carries characters a log reader could be fooled by', async () => {
    for (const hostile of ['x'.repeat(129), '"}{"level":60,"msg":"forged', '../../etc/passwd <script>', 'a b']) {
      const response = await fetch(`${origin}/ok`, { headers: { 'X-Request-Id': hostile } })
      const id = response.headers.get('x-request-id')
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      expect(await linesAbout(id!)).toHaveLength(1)
    }
    expect(lines().join('\n')).not.toContain('forged')
    expect(requestIdFrom(['one', 'two'])).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('marks what code running for the request logs with the same id, the failure line too', async () => {
    const response = await fetch(`${origin}/fails`)
    expect(response.status).toBe(500)
    const id = response.headers.get('x-request-id')!
    const about = await linesAbout(id)
    expect(about.map((line) => line.msg)).toEqual(['GET /fails failed', 'request errored'])
    expect(about[0]).toMatchObject({ level: 50, err: { message: 'the loader broke' } })
    expect(about[1]).toMatchObject({ level: 50, res: { statusCode: 500 } })
  })

  it('gives Remix’s handleError the request’s id, and never logs a URL’s secret', () => {
    const request = new Request('http://localhost:3000/auth/magic/a-sign-in-token?next=/account')
    runInRequest({ reqId: 'req-in-remix' }, () => handleError(new Error('loader exploded'), { request, params: {}, context: {} }))
    const [line] = parsed()
    expect(line).toMatchObject({ reqId: 'req-in-remix', level: 50, msg: 'GET /auth/magic/***?next=/account failed', err: { message: 'loader exploded' } })
    expect(lines().join('\n')).not.toContain('a-sign-in-token')
  })
})

describe('secrets', () => {
  it('keeps cookies, Authorization, Set-Cookie and tokens in the query out of the log', async () => {
    const response = await fetch(`${origin}/secret-page?token=query-token-secret&page=2`, {
      headers: { Cookie: 'zhiyin_session=cookie-secret-value', Authorization: 'Bearer authorization-secret-value' },
    })
    expect(response.headers.get('set-cookie')).toContain('set-cookie-secret-value')
    const [line] = await linesAbout(response.headers.get('x-request-id')!)
    expect(line!.req!.url).toBe('/secret-page?token=***&page=2')
    const all = lines().join('\n')
    for (const secret of ['query-token-secret', 'cookie-secret-value', 'authorization-secret-value', 'set-cookie-secret-value']) expect(all).not.toContain(secret)
  })

  it('hides secret headers even when code logs a request’s headers itself', () => {
    logger.warn({ headers: { cookie: 'a=cookie-in-headers', authorization: 'Basic basic-secret', 'user-agent': 'curl' } }, 'odd request')
    const [line] = parsed()
    expect(line!.headers).toEqual({ cookie: '[redacted]', authorization: '[redacted]', 'user-agent': 'curl' })
  })
})

describe('levels', () => {
  it('writes nothing under NODE_ENV=test unless LOG_LEVEL says otherwise', async () => {
    const { logLevelOf } = await import('~/utils/log.server')
    expect(logLevelOf({ NODE_ENV: 'test' })).toBe('silent')
    expect(logLevelOf({ NODE_ENV: 'test', LOG_LEVEL: 'debug' })).toBe('debug')
    expect(logLevelOf({ NODE_ENV: 'production' })).toBe('info')
    expect(logLevelOf({ NODE_ENV: 'production', LOG_LEVEL: 'loud' })).toBe('info')
    logged.stop()
    logger.error('nobody hears this')
    expect(lines()).toEqual([])
  })
})
