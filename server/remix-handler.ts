// Remix behind Express: what @remix-run/express does, with the request body handed to Remix
// through limitedBody, so a body sent without a length is cut off at its path's limit and
// answered 413 here, whatever the route would have done with it.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from '@remix-run/node'
import type express from 'express'
import { isSharedCacheable } from '~/utils/http-cache.server'
import { bodyTooLargeError } from '~/utils/request-body.server'
import { BUSY_RETRY_AFTER_SECONDS } from '../db/busy'
import { etagOf, ifNoneMatchHits, type SharedPage } from './page-cache'
import { bodyLimitOf, limitedBody, refuseTooLarge } from './request-guards'

/** Hears of every page a shared cache may keep, with its bytes and headers as sent. */
export type SharedPageListener = (req: express.Request, page: SharedPage) => void

/** An embedded replica the pages read from (decision 037): when it last synced, and a sync. */
export interface ReplicaReads {
  replicaSyncedAt(): number | null
  syncReplica(): Promise<void>
}

/**
 * The cookie that tells any process a reader wrote a moment ago, and when (ms since the epoch):
 * a process whose replica synced before that brings it up to date before answering, so that the
 * page after a form (often served by another process) shows what the form did.
 */
export const WROTE_AT_COOKIE = 'zhiyin_wrote_at'
const WROTE_AT_SECONDS = 10

function wroteAt(req: express.Request): number | null {
  const match = new RegExp(`(?:^|;\\s*)${WROTE_AT_COOKIE}=(\\d{1,15})(?:;|$)`).exec(req.headers.cookie ?? '')
  return match ? Number(match[1]) : null
}

export function remixHandler({
  build,
  getLoadContext,
  onSharedPage,
  replica,
}: {
  build: ServerBuild
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext
  onSharedPage?: SharedPageListener
  replica?: ReplicaReads
}): express.RequestHandler {
  const handleRequest = createRequestHandler(build, 'production')
  async function handle(req: express.Request, res: express.Response) {
    const context = { ...getLoadContext(req, res), databaseBusy: { seen: false } }
    if (replica) await syncIfReaderWrote(req, replica)
    const response = await handleRequest(remixRequest(req, res), context)
    // The body went over its limit and 413 is out already: what Remix made of it is moot.
    if (res.headersSent) return void (await response.body?.cancel())
    if (context.databaseBusy.seen && response.status >= 500) {
      // Read to its end, not cancelled: a page still rendering would log the cut as an error.
      await response.arrayBuffer().catch(() => undefined)
      return void answerBusy(res)
    }
    // The request's writes have committed: its reader reads them next, on whichever process.
    if (replica && req.method !== 'GET' && req.method !== 'HEAD' && response.status < 400) {
      res.append('Set-Cookie', `${WROTE_AT_COOKIE}=${Date.now()}; Max-Age=${WROTE_AT_SECONDS}; Path=/; HttpOnly; SameSite=Lax`)
    }
    await sendResponse(req, res, response, onSharedPage)
  }
  // Express 4 does not catch what an async handler throws: hand it to the error handlers.
  return (req, res, next) => {
    handle(req, res).catch(next)
  }
}

/**
 * The answer to a request whose write could not get through before its deadline (decision 037):
 * 503 with Retry-After, so that a browser's reader, a proxy and a payment provider's retry all
 * know to come back, instead of a timeout or a reset.
 */
export function answerBusy(res: ServerResponse) {
  res
    .writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
    .end('503 访问的人太多了，请稍等几秒再试。')
}

/**
 * With an embedded replica: a reader who wrote a moment ago (the cookie their write's answer set)
 * reads what they wrote, whichever process answers.
 */
async function syncIfReaderWrote(req: express.Request, replica: ReplicaReads) {
  const wrote = wroteAt(req)
  // A second's margin for clocks of other hosts running behind this one's.
  if (wrote !== null && (replica.replicaSyncedAt() ?? 0) <= wrote + 1000) await replica.syncReplica()
}

function remixRequest(req: express.Request, res: express.Response) {
  const controller = new AbortController()
  let answered = false
  res.on('finish', () => (answered = true))
  // Loaders and actions stop once nobody can be answered any more.
  res.on('close', () => answered || controller.abort())
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const limit = bodyLimitOf(res)
    init.body = limitedBody(req, limit, () => {
      controller.abort(bodyTooLargeError(limit))
      if (!res.headersSent) refuseTooLarge(res, limit)
    })
    init.duplex = 'half'
  }
  return new Request(requestUrl(req), init)
}

/** The URL as @remix-run/express builds it: the host as `trust proxy` allows, the port as sent. */
function requestUrl(req: express.Request) {
  const ports = [req.get('X-Forwarded-Host'), req.get('host')].map((host) => Number.parseInt(host?.split(':')[1] ?? '', 10))
  const port = ports.find((p) => Number.isSafeInteger(p))
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`).href
}

function remixHeaders(incoming: IncomingHttpHeaders) {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  return headers
}

async function sendResponse(req: express.Request, res: express.Response, response: Response, onSharedPage: SharedPageListener | undefined) {
  res.statusMessage = response.statusText
  res.status(response.status)
  // A page a shared cache may keep brings its own policy (its scripts' hashes, no nonce).
  if (response.headers.has('Content-Security-Policy')) res.removeHeader('Content-Security-Policy')
  for (const [name, value] of response.headers.entries()) res.append(name, value)
  if (req.method === 'GET' && response.status === 200 && isSharedCacheable(response.headers.get('Cache-Control'))) {
    return sendSharedPage(req, res, Buffer.from(await response.arrayBuffer()), onSharedPage)
  }
  if (/text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) res.flushHeaders()
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}

/**
 * A page everyone may share (rendered whole, decision 012) goes out with the ETag of its bytes,
 * or as 304 to a browser that has them; the page cache in front (decision 033) keeps it.
 */
function sendSharedPage(req: express.Request, res: express.Response, body: Buffer, onSharedPage: SharedPageListener | undefined) {
  const etag = etagOf(body)
  res.setHeader('ETag', etag)
  const headers = Object.entries(res.getHeaders()).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, typeof value === 'number' ? String(value) : value] as [string, string | string[]]],
  )
  onSharedPage?.(req, { status: res.statusCode, headers, body })
  if (ifNoneMatchHits(req.get('If-None-Match'), etag)) return void res.status(304).end()
  res.end(body)
}
