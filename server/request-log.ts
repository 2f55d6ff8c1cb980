// The request log and the request metrics (docs/decisions/036-logs-and-metrics.md): one JSON
// line per request that went through Express, under an id the client or the proxy in front may
// choose (sent back in X-Request-Id, and carried by every line logged while the request is
// answered), and its time in the request histogram under its Remix route id, never its URL.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerBuild } from '@remix-run/node'
import type express from 'express'
import { pinoHttp } from 'pino-http'
import { logger, runInRequest } from '~/utils/log.server'
import { observeRequest } from '~/utils/metrics.server'

/** Ids a proxy or client may send: nginx's $request_id, UUIDs, trace ids. Anything else is replaced. */
const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The request's id: a well-formed incoming X-Request-Id, or a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED_ID.test(header) ? header : randomUUID()
}

export function requestLog(): express.RequestHandler {
  const withId = (req: IncomingMessage, value: object) => ({ reqId: req.id, ...value })
  const log = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req.headers['x-request-id'])
      res.setHeader('X-Request-Id', id)
      return id
    },
    // The logger's own serializers (log.server.ts) decide what of a request is written.
    wrapSerializers: false,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // The line written when the answer is done runs outside the request's context: name it here.
    customSuccessObject: (req, _res, value: object) => withId(req, value),
    customErrorObject: (req, _res, _error, value: object) => withId(req, value),
  })
  return (req, res, next) => {
    log(req, res)
    runInRequest({ reqId: String(req.id) }, next)
  }
}

/** Times every request through Express; `routeOf` names its route from the path (never the path itself). */
export function requestMetrics(routeOf: (path: string) => string): express.RequestHandler {
  return (req, res, next) => {
    const start = performance.now()
    res.once('finish', () => observeRequest(req.method, routeOf(req.path), res.statusCode, (performance.now() - start) / 1000))
    next()
  }
}

interface RouteBranch {
  id: string
  pattern: RegExp
  score: number
}

/** Label of a request no route of the app matches (unknown pages, files of public/). */
export const UNMATCHED_ROUTE = 'unmatched'

/** Paths remembered with their route; past this the memory starts over (scanners try many paths). */
const REMEMBERED_PATHS = 2000

/**
 * The Remix route id a path is answered by, as Remix ranks routes (static segments over
 * dynamic ones, index routes first, splats last): a bounded set of labels for the request
 * histogram. Data requests (`/shop.data`, `/_root.data`) count under the page's route.
 */
export function remixRouteLabels(routes: ServerBuild['routes']): (path: string) => string {
  const fullPath = (id: string | undefined): string[] => {
    const route = id === undefined ? undefined : routes[id]
    if (!route) return []
    return [...fullPath(route.parentId), ...(route.path ? route.path.split('/') : [])].filter(Boolean)
  }
  const branches: RouteBranch[] = Object.values(routes)
    .filter((route) => route && (route.path !== undefined || route.index))
    .map((route) => {
      const segments = fullPath(route!.id)
      const splat = segments.at(-1) === '*'
      const score =
        segments.length + 1 + (splat ? -2 : 0) + (route!.index ? 2 : 0) + segments.reduce((sum, s) => sum + (s === '*' ? 0 : s.startsWith(':') ? 3 : 10), 0)
      const source = segments
        .map((s) => (s === '*' ? '(?:/.*)?' : s.startsWith(':') ? '/[^/]+' : `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        .join('')
      return { id: route!.id, score, pattern: new RegExp(`^${source}/?$`, route!.caseSensitive ? '' : 'i') }
    })
    .sort((a, b) => b.score - a.score)
  const remembered = new Map<string, string>()
  return (path) => {
    const known = remembered.get(path)
    if (known !== undefined) return known
    const page = path === '/_root.data' ? '/' : path.replace(/\.data$/, '')
    const label = branches.find((branch) => branch.pattern.test(page))?.id ?? UNMATCHED_ROUTE
    if (remembered.size >= REMEMBERED_PATHS) remembered.clear()
    remembered.set(path, label)
    return label
  }
}
