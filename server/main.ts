// The Zhiyin server: one Express process that builds the app if needed, brings the database
// up to date, and serves Remix with compression, security headers, caching and request logs.
import cluster from 'node:cluster'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { existsSync, readdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import { EnvError, getEnv, type Env } from '~/utils/env.server'
import { logger } from '~/utils/log.server'
import { countAdmission, countPageCache } from '~/utils/metrics.server'
import { describePaymentMode } from '~/utils/payments.server'
import { describeWechatMode, wechatMode } from '~/utils/wechat-api.server'
import { setupDatabase } from '../db/setup'
import { buildIfNeeded } from './build-if-needed'
import { isAllowedOrigin } from './origin'
import { createAdmission } from './admission'
import { createBuildAssets } from './build-assets'
import { createPageCache, type PageCache } from './page-cache'
import { answerBusy, remixHandler, type ReplicaReads } from './remix-handler'
import { isDatabaseBusy } from '../db/busy'
import { DEFAULT_MAX_QUEUED } from '../db/write-queue'
import { MetricsConfigError, serveMetrics } from './metrics'
import { remixRouteLabels, requestLog, requestMetrics } from './request-log'
import { guardRequestBody, isHost, refuseBadHost, refuseUndecodablePath } from './request-guards'
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
      logger.fatal(`知音无法启动 — ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}

/**
 * The whole site as one request listener (docs/decisions/033): the build's scripts and styles,
 * compressed once; the hot JSON routes; visitors' reads of shared pages from the page cache;
 * then the Express app for everything else.
 */
export function createSite(build: Build, env: Env, replica?: ReplicaReads) {
  const pageCache = createPageCache()
  countPageCache(pageCache.stats)
  const assets = createBuildAssets(join(ROOT, 'public/build'))
  const app = createApp(build, env, pageCache, replica)
  const hotRoutes = new Map<string, ReturnType<typeof hotResourceAnswer>>(HOT_RESOURCE_ROUTES.map(([path, routeId]) => [path, hotResourceAnswer(build, routeId)]))
  // Files, hot routes and kept pages cost next to nothing: only the app's own work waits its turn.
  const admission = createAdmission({ limit: env.REQUEST_CONCURRENCY, maxWaitMs: env.WRITE_DEADLINE_MS, maxWaiting: DEFAULT_MAX_QUEUED, refuse: answerBusy })
  countAdmission(admission)
  const toApp = (req: IncomingMessage, res: ServerResponse) => () => admission.admit(res, () => app(req, res))
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url)
    const plainRead = isPlainRead(req)
    if (plainRead && path.startsWith('/build/')) return assets.handle(req, res, toApp(req, res))
    const hot = hotRoutes.get(path)
    if (hot && plainRead) return void hot(req, res)
    pageCache.handle(req, res, toApp(req, res))
  }
  return { handler, pageCache, admission }
}

function pathOf(url = '') {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

/** A GET or HEAD with an ordinary Host and nothing forwarded: anything else goes through Express's checks. */
function isPlainRead(req: IncomingMessage) {
  const { host } = req.headers
  return (req.method === 'GET' || req.method === 'HEAD') && host !== undefined && isHost(host) && req.headers['x-forwarded-host'] === undefined
}

/** One layer of the Express stack: a middleware, mounted at a path or everywhere. */
export interface SiteLayer {
  name: string
  path?: string
  handler: express.RequestHandler
}

/**
 * The Express stack in front of Remix, in order and by name, so that `bench/layers.ts` can
 * measure what each costs (issue 15).
 */
export function siteLayers(env: Env, { routeOf = () => 'unlabelled' }: { routeOf?: (path: string) => string } = {}): SiteLayer[] {
  const production = env.NODE_ENV === 'production'
  return [
    { name: 'compression', handler: compression() },
    {
      name: 'helmet',
      handler: helmet({
        // Set below: one policy builder for this header and for cached pages' own (entry.server).
        contentSecurityPolicy: false,
        // HSTS only makes sense where the site is served over HTTPS.
        strictTransportSecurity: production,
        referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      }),
    },
    {
      name: 'CSP nonce, Permissions-Policy',
      handler: (_req, res, next) => {
        const nonce = randomBytes(16).toString('base64')
        res.locals.cspNonce = nonce
        const wechat = wechatScriptSources({ live: wechatMode(env).kind === 'live' })
        res.setHeader('Content-Security-Policy', contentSecurityPolicy({ scriptSources: [nonceSource(nonce), ...wechat], production }))
        res.setHeader('Permissions-Policy', PERMISSIONS_POLICY)
        next()
      },
    },
    { name: 'request log', handler: requestLog() },
    { name: 'request metrics', handler: requestMetrics(routeOf) },
    { name: 'Host check', handler: refuseBadHost },
    { name: 'path check', handler: refuseUndecodablePath },
    // Hashed build assets never change: cache them for a year (most are served before Express).
    { name: 'static /build', path: '/build', handler: express.static(join(ROOT, 'public/build'), { immutable: true, maxAge: '1y' }) },
    { name: 'static public', handler: publicFiles(join(ROOT, 'public')) },
    // Browsers ask for /favicon.ico whatever the page declares.
    { name: 'favicon', path: '/favicon.ico', handler: (req, res, next) => ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/' ? res.redirect(301, '/favicon.svg') : next()) },
    {
      name: 'Origin check',
      handler: (req, res, next) => {
        const allowed = isAllowedOrigin({
          method: req.method,
          path: req.path,
          origin: req.get('origin'),
          host: req.get('host'),
          forwardedHost: req.get('x-forwarded-host'),
          protocol: req.protocol,
          siteUrl: env.SITE_URL,
        })
        if (allowed) return next()
        res.status(403).type('text/plain; charset=utf-8').send('403 请求来源不受信任（Origin 校验失败）')
      },
    },
    // Bodies of the wrong type or over their path's limit are refused before they are read.
    { name: 'body guard', handler: guardRequestBody },
  ]
}

/**
 * The files of `public/` (an hour's caching), looked up only for paths under a name it holds at
 * start-up: express.static asked the disk for every page URL first (/shop, /daily/…), about a
 * tenth of a signed-in page's time.
 */
function publicFiles(dir: string): express.RequestHandler {
  const names = new Set(existsSync(dir) ? readdirSync(dir) : [])
  const serve = express.static(dir, { maxAge: '1h' })
  return (req, res, next) => (names.has(decodeURIComponent(req.path.split('/')[1] ?? '')) ? serve(req, res, next) : next())
}

export function createApp(build: Build, env: Env, pageCache?: PageCache, replica?: ReplicaReads) {
  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy set TRUST_PROXY (e.g. 1) so req.ip is the client's address.
  app.set('trust proxy', env.TRUST_PROXY)
  for (const { path, handler } of siteLayers(env, { routeOf: remixRouteLabels(build.routes) })) {
    if (path) app.use(path, handler)
    else app.use(handler)
  }

  app.all(
    '*',
    remixHandler({
      build,
      getLoadContext: (req, res) => ({ clientIp: req.ip ?? '', cspNonce: res.locals.cspNonce as string }),
      // A kept page goes to many requests: not with the id of the one that rendered it.
      onSharedPage: pageCache && ((req, page) => pageCache.offer(req, { ...page, headers: page.headers.filter(([name]) => name.toLowerCase() !== 'x-request-id') })),
      replica,
    }),
  )
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
 * directly, before Express: the same code Remix would run, without the middleware stack and
 * without matching the URL against every route first (decisions 009 and 033). Each exports
 * hotJson, which reads nothing of the request, beside its loader.
 */
export const HOT_RESOURCE_ROUTES = [
  ['/membership/seats', 'routes/membership.seats'],
  ['/healthz', 'routes/healthz'],
] as const


/**
 * The headers every answer of the site carries that a hot route's JSON needs: what helmet and
 * the Permissions-Policy would add to it in Express (no CSP: a JSON answer runs no script).
 */
const HOT_ROUTE_HEADERS = [
  ['Content-Type', 'application/json'],
  ['Cache-Control', 'no-store'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['Permissions-Policy', PERMISSIONS_POLICY],
].flat()

/** What a hot route module exports for the server to call: its answer as data, without a Response. */
export type HotJson = () => Promise<{ status: number; data: unknown }>

/**
 * A hot resource route answered before Express (decision 033): the route's hotJson, the same
 * answer its loader gives Remix, sent with the site's headers for JSON; a failure is logged and
 * answered with the Chinese 500. Building and reading a Response would cost more than the
 * route's own work.
 */
export function hotResourceAnswer(build: ServerBuild, routeId: string) {
  const hotJson = (build.routes[routeId]?.module as { hotJson?: HotJson } | undefined)?.hotJson
  if (!hotJson) throw new Error(`no hotJson for the hot route ${routeId}`)
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const { status, data } = await hotJson()
      const body = Buffer.from(JSON.stringify(data))
      res.writeHead(status, [...HOT_ROUTE_HEADERS, 'Content-Length', String(body.length)])
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch (error) {
      if (isDatabaseBusy(error) && !res.headersSent) return answerBusy(res)
      logger.error({ err: error }, `${req.method} ${redactUrl(req.url ?? '')} failed outside Remix`)
      if (res.headersSent) return void res.destroy()
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('500 服务器出错了，请稍后重试。')
    }
  }
}

/**
 * The HTTP server for the app. A client that asks before sending its body (`Expect:
 * 100-continue`, as curl does for large uploads) is told to go on only by guardRequestBody: a
 * body that would be refused is never sent at all.
 */
export function listen(app: RequestListener, port: number, host?: string) {
  const server = createServer(app)
  server.on('checkContinue', app)
  // Idle keep-alive connections stay open longer than a proxy's or a browser's own idle timeout
  // (nginx 60 s): Node's 5 s closed some just as a client sent a request on them, a reset with no
  // answer (8 in a drop storm of two processes on one file, bench:scale, issue 16).
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  return host === undefined ? server.listen(port) : server.listen(port, host)
}

export function lastResortError(error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) {
  if (isDatabaseBusy(error) && !res.headersSent) return answerBusy(res)
  logger.error({ err: error }, `${req.method} ${redactUrl(req.originalUrl)} failed outside Remix`)
  if (res.headersSent) return next(error)
  res.status(500).type('text/plain; charset=utf-8').send('500 服务器出错了，请稍后重试。')
}

/**
 * Pages served from the page cache skip Express and its request log: one line a minute says
 * how many there were, when there were any.
 */
function logPageCacheEachMinute(pageCache: PageCache) {
  let last = pageCache.stats()
  const timer = setInterval(() => {
    const now = pageCache.stats()
    const hits = now.hits - last.hits
    if (hits > 0) logger.info(`page cache: ${hits} pages served from ${now.renders - last.renders} renders in the last minute (${now.notModified - last.notModified} answered 304)`)
    last = now
  }, 60_000)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * The app's build, with React's production build whatever NODE_ENV says (decision 037): React
 * picks its build when first loaded, from NODE_ENV, and its development build served the drop
 * storm 2.6× slower. The site's own mode (demo accounts, test providers) keeps the operator's
 * NODE_ENV: it is read once, before, and NODE_ENV is put back after the build has loaded.
 */
async function importBuild(): Promise<Build> {
  const operatorNodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    return (await import(pathToFileURL(SERVER_BUILD).href)) as Build
  } finally {
    if (operatorNodeEnv === undefined) Reflect.deleteProperty(process.env, 'NODE_ENV')
    else process.env.NODE_ENV = operatorNodeEnv
  }
}

/** Which build of React this process loaded: 'production' or 'development'. */
export function loadedReactBuild(): 'production' | 'development' | 'none' {
  const loaded = Object.keys(createRequire(import.meta.url).cache)
  if (loaded.some((path) => /react-dom[/\\]cjs[/\\]react-dom-server[^/\\]*\.production/.test(path))) return 'production'
  if (loaded.some((path) => /react-dom[/\\]cjs[/\\]react-dom-server[^/\\]*\.development/.test(path))) return 'development'
  return 'none'
}

/** What a worker tells the primary once it listens. */
interface WorkerListening {
  listening: true
  react: ReturnType<typeof loadedReactBuild>
}

/** How many processes serve the port: WEB_CONCURRENCY, else one per core. */
export function processCount(env: Pick<Env, 'WEB_CONCURRENCY'>) {
  return env.WEB_CONCURRENCY ?? availableParallelism()
}

/**
 * The internal /metrics endpoint (docs/decisions/036): of this process, or, in a cluster's
 * primary, of all its workers together. A wrong setting stops the start.
 */
async function startMetrics(env: Env, port: number, { cluster: aggregate }: { cluster: boolean }) {
  try {
    const server = await serveMetrics({ port, host: env.METRICS_HOST, token: env.METRICS_TOKEN, cluster: aggregate })
    logger.info(`metrics on http://${env.METRICS_HOST}:${port}/metrics${env.METRICS_TOKEN ? ' (bearer token required)' : ''}`)
    return server
  } catch (error) {
    if (error instanceof MetricsConfigError) {
      logger.fatal(`知音无法启动 — ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}

async function main() {
  const env = loadEnv()
  if (cluster.isPrimary) {
    buildIfNeeded(ROOT, SERVER_BUILD)
    const { databaseHandle } = await import('~/utils/db.server')
    await setupDatabase(databaseHandle, { nodeEnv: env.NODE_ENV, log: (line) => logger.info(line) })
    const processes = processCount(env)
    if (processes > 1) {
      databaseHandle.close()
      return runPrimary(env, processes)
    }
  }
  await serve(env)
}

/** One serving process: alone, or one of the cluster's workers (all listening on one port). */
async function serve(env: Env) {
  const { databaseHandle } = await import('~/utils/db.server')
  const build = await importBuild()
  const { handler, pageCache } = createSite(build, env, env.DATABASE_REPLICA_PATH ? databaseHandle : undefined)
  // A cluster's workers answer the primary's /metrics (server/metrics.ts), never one of their own.
  const metricsServer = env.METRICS_PORT === undefined || cluster.isWorker ? null : await startMetrics(env, env.METRICS_PORT, { cluster: false })
  const stopCacheLog = logPageCacheEachMinute(pageCache)
  const server = listen(handler, env.PORT).once('listening', () => {
    if (cluster.isWorker) return void process.send?.({ listening: true, react: loadedReactBuild() } satisfies WorkerListening)
    logger.info(`知音 is listening on http://localhost:${env.PORT} (site URL ${env.SITE_URL}), one process, React ${loadedReactBuild()} build`)
    logger.info(describePaymentMode(env))
    logger.info(describeWechatMode(env))
  })
  const stopJobs = build.entry.module.startBackgroundJobs?.() ?? (async () => {})

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    if (!cluster.isWorker) logger.info(`${signal}: finishing open requests, then stopping`)
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    server.close(async () => {
      stopCacheLog()
      metricsServer?.close()
      await stopJobs()
      databaseHandle.close()
      process.exit(0)
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

/**
 * WEB_CONCURRENCY > 1 (decision 037): this process set the database up once and now only keeps
 * `processes` workers serving the port (node:cluster hands them connections in turn), starts a
 * new one when one dies, and stops them all on SIGTERM. A worker that dies within seconds of its
 * start, again and again, stops the whole server instead of looping.
 */
async function runPrimary(env: Env, processes: number) {
  let stopping = false
  let quickDeaths = 0
  const startedAt = new Map<number, number>()
  const slots = new Map<number, number>()
  // Each worker has a slot (0 … processes-1) that a replacement takes over: per-process files,
  // such as an embedded replica (decision 037), are named by it.
  const fork = (slot: number) => {
    const worker = cluster.fork({ WORKER_SLOT: String(slot) })
    startedAt.set(worker.id, Date.now())
    slots.set(worker.id, slot)
  }
  const reactBuilds = new Set<string>()
  let listening = 0
  cluster.on('message', (_worker, message: Partial<WorkerListening>) => {
    if (message.listening !== true) return
    reactBuilds.add(String(message.react))
    if (++listening !== processes) return
    logger.info(`知音 is listening on http://localhost:${env.PORT} (site URL ${env.SITE_URL}), ${processes} processes (WEB_CONCURRENCY), React ${[...reactBuilds].join('/')} build`)
    logger.info(describePaymentMode(env))
    logger.info(describeWechatMode(env))
  })
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0)
    const slot = slots.get(worker.id) ?? 0
    startedAt.delete(worker.id)
    slots.delete(worker.id)
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      return
    }
    logger.error(`worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}) after ${Math.round(lived / 1000)} s; starting another`)
    quickDeaths = lived < 10_000 ? quickDeaths + 1 : 0
    if (quickDeaths >= 5) {
      logger.fatal('workers keep dying at start: stopping')
      process.exit(1)
    }
    fork(slot)
  })
  // The workers' metrics, summed here (docs/decisions/036).
  if (env.METRICS_PORT !== undefined) await startMetrics(env, env.METRICS_PORT, { cluster: true })
  for (let slot = 0; slot < processes; slot++) fork(slot)
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info(`${signal}: the workers finish open requests, then stop`)
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    setTimeout(() => process.exit(1), 12_000).unref()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    logger.fatal({ err: error }, '知音无法启动')
    process.exit(1)
  })
}
