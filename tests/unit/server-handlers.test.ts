// Express handlers of server/main.ts around Remix: the hot resource routes answered without the
// router, and the last resort for anything Remix could not answer itself (logged even when
// NODE_ENV is test, where Express's own handler says nothing; answered with a Chinese 500).
import { existsSync } from 'node:fs'
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HOT_RESOURCE_ROUTES, hotResourceAnswer, lastResortError, type HotJson } from '../../server/main'
import { captureLogs } from '../support/logs'

afterEach(() => vi.restoreAllMocks())

async function serve(app: (...args: Parameters<RequestListener>) => Promise<void>, path: string, init?: RequestInit) {
  const server = createServer((req, res) => void app(req, res)).listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
    return { status: response.status, headers: response.headers, text: await response.text() }
  } finally {
    server.close()
  }
}

function buildWith(hotJson: () => unknown) {
  return { routes: { 'routes/feed': { id: 'routes/feed', module: { hotJson } } } } as unknown as ServerBuild
}

describe('hot resource routes', () => {
  it('answers with what the route\'s hotJson returns, as JSON no cache keeps, with the site\'s headers', async () => {
    const answer = await serve(hotResourceAnswer(buildWith(async () => ({ status: 202, data: { seats: 3, name: '铁杆' } })), 'routes/feed'), '/feed?x=1')
    expect(answer.status).toBe(202)
    expect(answer.headers.get('cache-control')).toBe('no-store')
    expect(answer.headers.get('content-type')).toBe('application/json')
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
    expect(answer.headers.get('permissions-policy')).toContain('camera=()')
    expect(JSON.parse(answer.text)).toEqual({ seats: 3, name: '铁杆' })
  })

  it('logs a failing loader and answers the Chinese 500', async () => {
    const logged = captureLogs()
    const failing = hotResourceAnswer(
      buildWith(() => {
        throw new Error('database gone')
      }),
      'routes/feed',
    )
    const answer = await serve(failing, '/feed').finally(logged.stop)
    expect(answer.status).toBe(500)
    expect(answer.text).toContain('服务器出错了')
    expect(logged.lines()).toMatchObject([{ level: 50, msg: 'GET /feed failed outside Remix', err: { message: 'database gone' } }])
  })

  it('refuses to start with a route that has no loader', () => {
    expect(() => hotResourceAnswer(buildWith(() => null), 'routes/missing')).toThrow('no hotJson for the hot route routes/missing')
  })

  it.each(HOT_RESOURCE_ROUTES)('%s is served by the route module %s, whose loader gives Remix what hotJson gives the server', async (_path, routeId) => {
    const file = join(__dirname, '../../app', `${routeId}.ts`)
    expect(existsSync(file)).toBe(true)
    const module = (await import(file)) as { loader: () => Promise<Response>; hotJson: HotJson }
    const [fromLoader, fromHot] = [await module.loader(), await module.hotJson()]
    expect(fromLoader.status).toBe(fromHot.status)
    expect(fromLoader.headers.get('cache-control')).toBe('no-store')
    const strip = (data: unknown) => JSON.parse(JSON.stringify(data, (key, value: unknown) => (key === 'serverNow' ? 0 : value))) as unknown
    expect(strip(await fromLoader.json())).toEqual(strip(fromHot.data))
  })
})

describe('the last resort', () => {
  it('logs the failure with the redacted URL and answers 500 in Chinese', async () => {
    const logged = captureLogs()
    const app = express()
    app.get('/auth/magic/:token', () => {
      throw new Error('broken outside Remix')
    })
    app.use(lastResortError)
    const answer = await serve(app, '/auth/magic/secret-token').finally(logged.stop)
    expect(answer.status).toBe(500)
    expect(answer.text).toContain('服务器出错了')
    expect(logged.lines()).toMatchObject([{ level: 50, msg: 'GET /auth/magic/*** failed outside Remix', err: { message: 'broken outside Remix' } }])
    expect(logged.raw.join('')).not.toContain('secret-token')
  })
})
