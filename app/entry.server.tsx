import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { applyPageCacheControl } from './utils/http-cache.server'
import { NonceProvider } from './utils/nonce'
import { redactUrl } from './utils/redact'
import { renderDocument } from './utils/render-document.server'
import { isBodyTooLarge } from './utils/request-body.server'

export { startBackgroundJobs } from './utils/jobs.server'

const ABORT_DELAY = 5_000
export const streamTimeout = ABORT_DELAY

// Log real failures in full. An unmatched URL (404) is not one; a client that went away is
// worth one line, since whatever it was waiting for shows up nowhere else. A body cut off at its
// limit is not one either: the server answered 413 and logged that.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted && isBodyTooLarge(request.signal.reason)) return
  if (request.signal.aborted) {
    const { pathname, search } = new URL(request.url)
    console.warn(`${request.method} ${redactUrl(pathname + search)}: the client went away before the answer`)
    return
  }
  if (isRouteErrorResponse(error) && error.status < 500) return
  console.error(error)
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? ''
  const { matches } = remixContext.staticHandlerContext
  applyPageCacheControl(request, responseStatusCode, matches[matches.length - 1]?.route.id, responseHeaders)
  return renderDocument(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </NonceProvider>,
    {
      status: responseStatusCode,
      headers: responseHeaders,
      nonce,
      // Bots and no-JS clients (a plain `fetch` or curl counts) get the whole document at once;
      // browsers get it streamed as soon as the shell is ready.
      waitForAll: isbot(request.headers.get('user-agent') ?? ''),
      abortAfterMs: ABORT_DELAY + 1000,
    },
  )
}
