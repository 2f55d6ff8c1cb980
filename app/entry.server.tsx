import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { contentSecurityPolicy, wechatScriptSources } from './utils/csp.server'
import { getEnv } from './utils/env.server'
import { logger } from './utils/log.server'
import { wechatMode } from './utils/wechat-api.server'
import { applyDataCacheControl, applyPageCacheControl, isSharedCacheable } from './utils/http-cache.server'
import { NonceProvider } from './utils/nonce'
import { redactUrl } from './utils/redact'
import { renderDocument } from './utils/render-document.server'
import { isBodyTooLarge } from './utils/request-body.server'
import { isDatabaseBusy } from '../db/busy'

export { startBackgroundJobs } from './utils/jobs.server'

const ABORT_DELAY = 5_000
export const streamTimeout = ABORT_DELAY

// Log real failures in full. An unmatched URL (404) is not one; a client that went away is
// worth one line, since whatever it was waiting for shows up nowhere else. A body cut off at its
// limit is not one either: the server answered 413 and logged that.
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted && isBodyTooLarge(request.signal.reason)) return
  // Overload, not a fault: the server answers 503 with Retry-After (server/remix-handler.ts).
  if (isDatabaseBusy(error)) {
    if (context.databaseBusy) context.databaseBusy.seen = true
    return
  }
  if (request.signal.aborted) {
    const { pathname, search } = new URL(request.url)
    logger.warn(`${request.method} ${redactUrl(pathname + search)}: the client went away before the answer`)
    return
  }
  if (isRouteErrorResponse(error) && error.status < 500) return
  // Within the request's context: the line carries its id (docs/decisions/036).
  const { pathname, search } = new URL(request.url)
  logger.error({ err: error }, `${request.method} ${redactUrl(pathname + search)} failed`)
}

// Single-fetch data (`.data`) never passes through handleRequest below.
export const handleDataRequest: HandleDataRequestFunction = (response) => {
  applyDataCacheControl(response.headers)
  return response
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const { matches } = remixContext.staticHandlerContext
  applyPageCacheControl(request, responseStatusCode, matches[matches.length - 1]?.route.id, responseHeaders)
  // A page a shared cache may keep reaches many readers with the same bytes: a nonce in it would
  // be everyone's. Its inline scripts are allowed by their hashes instead, in its own CSP
  // (docs/decisions/012-csp-for-cached-pages.md); every other page keeps this request's nonce.
  const shared = isSharedCacheable(responseHeaders.get('Cache-Control'))
  const nonce: string | undefined = shared ? undefined : loadContext.cspNonce
  const production = getEnv().NODE_ENV === 'production'
  return renderDocument(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </NonceProvider>,
    {
      status: responseStatusCode,
      headers: responseHeaders,
      nonce,
      // Bots and no-JS clients (a plain `fetch` or curl counts) get the whole document at once,
      // as do shared pages (hashed once whole); browsers get others streamed as soon as the
      // shell is ready.
      waitForAll: shared || isbot(request.headers.get('user-agent') ?? ''),
      abortAfterMs: ABORT_DELAY + 1000,
      withScriptHashes: shared
        ? (hashes) =>
            responseHeaders.set('Content-Security-Policy', contentSecurityPolicy({ scriptSources: [...hashes, ...wechatScriptSources({ live: wechatMode().kind === 'live' })], production }))
        : undefined,
    },
  )
}
