// Express handlers of server/main.ts around Remix: the hot resource routes answered without the
// router, and the last resort for anything Remix could not answer itself (logged even when
// NODE_ENV is test, where Express's own handler says nothing; answered with a Chinese 500).
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HOT_RESOURCE_ROUTES, hotResourceRoute, lastResortError } from '../../server/main'

afterEach(() => vi.restoreAllMocks())

async function serve(app: express.Express, path: string, init?: RequestInit) {
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const response = await fetch(`http://127.0.0.1:${port}${path}`, init)
    return { status: response.status, headers: response.headers, text: await response.text() }
  } finally {
    server.close()
  }
}

function buildWith(loader: (args: { request: Request }) => unknown) {
  return { routes: { 'routes/feed': { id: 'routes/feed', module: { loader } } } } as unknown as ServerBuild
}

describe('hot resource routes', () => {
  it('answers with what the route loader returns: status, headers and body', async () => {
    const seen: string[] = []
    const app = express()
    app.get(
      '/feed',
      hotResourceRoute(
        buildWith(({ request }) => {
          seen.push(new URL(request.url).search, request.headers.get('accept') ?? '')
          return Response.json({ seats: 3 }, { status: 202, headers: { 'Cache-Control': 'no-store' } })
        }),
        'routes/feed',
      ),
    )
    const answer = await serve(app, '/feed?x=1', { headers: { Accept: 'application/json' } })
    expect(answer.status).toBe(202)
    expect(answer.headers.get('cache-control')).toBe('no-store')
    expect(answer.headers.get('content-type')).toBe('application/json')
    expect(JSON.parse(answer.text)).toEqual({ seats: 3 })
    expect(seen).toEqual(['?x=1', 'application/json'])
  })

  it('passes a failing loader on to the last resort', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const app = express()
    app.get(
      '/feed',
      hotResourceRoute(
        buildWith(() => {
          throw new Error('database gone')
        }),
        'routes/feed',
      ),
    )
    app.use(lastResortError)
    expect((await serve(app, '/feed')).status).toBe(500)
  })

  it('refuses to start with a route that has no loader', () => {
    expect(() => hotResourceRoute(buildWith(() => null), 'routes/missing')).toThrow('no loader for the hot route routes/missing')
  })

  it.each(HOT_RESOURCE_ROUTES)('%s is served by the route module %s, which has a loader', async (_path, routeId) => {
    const file = join(__dirname, '../../app', `${routeId}.ts`)
    expect(existsSync(file)).toBe(true)
    const module = (await import(file)) as { loader?: unknown }
    expect(typeof module.loader).toBe('function')
  })
})

describe('the last resort', () => {
  it('logs the failure with the redacted URL and answers 500 in Chinese', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const app = express()
    app.get('/auth/magic/:token', () => {
      throw new Error('broken outside Remix')
    })
    app.use(lastResortError)
    const answer = await serve(app, '/auth/magic/secret-token')
    expect(answer.status).toBe(500)
    expect(answer.text).toContain('服务器出错了')
    expect(logged).toHaveBeenCalledWith('GET /auth/magic/*** failed outside Remix:', expect.objectContaining({ message: 'broken outside Remix' }))
  })
})
