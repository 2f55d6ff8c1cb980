// The Zhiyin server: one Express process that builds the app if needed, brings the database
// up to date, and serves Remix with compression, security headers, caching and request logs.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import morgan from 'morgan'
import { EnvError, getEnv, type Env } from '~/utils/env.server'
import { describePaymentMode } from '~/utils/payments.server'
import { describeWechatMode, wechatMode } from '~/utils/wechat-api.server'
import { setupDatabase } from '../db/setup'
import { buildIfNeeded } from './build-if-needed'
import { isAllowedOrigin } from './origin'
import { remixHandler } from './remix-handler'
import { guardRequestBody, refuseBadHost, refuseUndecodablePath } from './request-guards'
import { contentSecurityPolicy, nonceSource, wechatScriptSources } from '~/utils/csp.server'
import { redactUrl } from '~/utils/redact'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SERVER_BUILD = join(ROOT, 'build/index.js')

type Build = ServerBuild & { entry: { module: { startBackgroundJobs?: () => () => Promise<void> } } }

function loadEnv(): Env {
  try {
    return getEnv()
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`知音无法启动 — ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}

export function createApp(build: Build, env: Env) {
  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy set TRUST_PROXY (e.g. 1) so req.ip is the client's address.
  app.set('trust proxy', env.TRUST_PROXY)

  const production = env.NODE_ENV === 'production'
  app.use(compression())
  app.use(
    helmet({
      // Set below: one policy builder for this header and for cached pages' own (entry.server).
      contentSecurityPolicy: false,
      // HSTS only makes sense where the site is served over HTTPS.
      strictTransportSecurity: production,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    }),
  )
  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    const wechat = wechatScriptSources({ live: wechatMode(env).kind === 'live' })
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ scriptSources: [nonceSource(nonce), ...wechat], production }))
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY)
    next()
  })
  morgan.token('safe-url', (req: express.Request) => redactUrl(req.originalUrl))
  app.use(morgan(':remote-addr :method :safe-url :status :res[content-length] - :response-time ms'))
  app.use(refuseBadHost)
  app.use(refuseUndecodablePath)

  // Hashed build assets never change: cache them for a year.
  app.use('/build', express.static(join(ROOT, 'public/build'), { immutable: true, maxAge: '1y' }))
  app.use(express.static(join(ROOT, 'public'), { maxAge: '1h' }))
  // Browsers ask for /favicon.ico whatever the page declares.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'))

  app.use((req, res, next) => {
    const allowed = isAllowedOrigin({
      method: req.method,
      path: req.path,
      origin: req.get('origin'),
      host: req.get('host'),
      protocol: req.protocol,
      siteUrl: env.SITE_URL,
    })
    if (allowed) return next()
    res.status(403).type('text/plain; charset=utf-8').send('403 请求来源不受信任（Origin 校验失败）')
  })
  // Bodies of the wrong type or over their path's limit are refused before they are read.
  app.use(guardRequestBody)

  // The hottest resource routes skip Remix's router (docs/decisions/009-hot-resource-routes.md).
  for (const [path, routeId] of HOT_RESOURCE_ROUTES) app.get(path, hotResourceRoute(build, routeId))

  app.all('*', remixHandler({ build, getLoadContext: (req, res) => ({ clientIp: req.ip ?? '', cspNonce: res.locals.cspNonce as string }) }))
  // Last resort for anything Remix could not answer itself. Express's own handler says nothing
  // when NODE_ENV is test, which once hid the cause of 500s in a CI race: log it always.
  app.use(lastResortError)
  return app
}

/**
 * Browser features no page of the site uses, denied to it and to anything embedded in it, so
 * injected markup cannot ask for them either. Audio playback needs none; autoplay and
 * fullscreen keep the browser's defaults.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'browsing-topics',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ')

/**
 * Resource routes polled or probed many times a second, answered by calling the route's loader
 * directly: the same code Remix would run, without matching the URL against every route first
 * (that matching, not the loader, is most of the cost of a small JSON answer). Their loaders
 * read neither params nor context.
 */
export const HOT_RESOURCE_ROUTES = [
  ['/membership/seats', 'routes/membership.seats'],
  ['/healthz', 'routes/healthz'],
] as const

export function hotResourceRoute(build: ServerBuild, routeId: string): express.RequestHandler {
  const loader = build.routes[routeId]?.module.loader
  if (!loader) throw new Error(`no loader for the hot route ${routeId}`)
  return async (req, res, next) => {
    try {
      const controller = new AbortController()
      res.on('close', () => controller.abort())
      const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`
      const request = new Request(url, { headers: req.headers as Record<string, string>, signal: controller.signal })
      const result: unknown = await loader({ request, params: {}, context: {} })
      if (!(result instanceof Response)) throw new Error(`the hot route ${routeId} must answer a Response`)
      res.status(result.status)
      result.headers.forEach((value, key) => res.setHeader(key, value))
      res.send(Buffer.from(await result.arrayBuffer()))
    } catch (error) {
      next(error)
    }
  }
}

/**
 * The HTTP server for the app. A client that asks before sending its body (`Expect:
 * 100-continue`, as curl does for large uploads) is told to go on only by guardRequestBody: a
 * body that would be refused is never sent at all.
 */
export function listen(app: express.Express, port: number, host?: string) {
  const server = createServer(app)
  server.on('checkContinue', app)
  return host === undefined ? server.listen(port) : server.listen(port, host)
}

export function lastResortError(error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) {
  console.error(`${req.method} ${redactUrl(req.originalUrl)} failed outside Remix:`, error)
  if (res.headersSent) return next(error)
  res.status(500).type('text/plain; charset=utf-8').send('500 服务器出错了，请稍后重试。')
}

async function main() {
  const env = loadEnv()
  buildIfNeeded(ROOT, SERVER_BUILD)
  const { databaseHandle } = await import('~/utils/db.server')
  await setupDatabase(databaseHandle, { nodeEnv: env.NODE_ENV })

  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as Build
  const app = createApp(build, env)
  const server = listen(app, env.PORT).once('listening', () => {
    console.log(`知音 is listening on http://localhost:${env.PORT} (site URL ${env.SITE_URL})`)
    console.log(describePaymentMode(env))
    console.log(describeWechatMode(env))
  })
  const stopJobs = build.entry.module.startBackgroundJobs?.() ?? (async () => {})

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: finishing open requests, then stopping`)
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    server.close(async () => {
      await stopJobs()
      databaseHandle.close()
      process.exit(0)
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
