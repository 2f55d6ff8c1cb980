// Renders a React document to an HTML Response: streamed once the shell is ready, or whole once
// everything is (for bots and no-JS clients, and pages whose scripts are allowed by hash), and
// cut short after a deadline.
import { Transform } from 'node:stream'
import { createReadableStreamFromReadable } from '@remix-run/node'
import type { ReactNode } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { inlineScriptHashes } from './csp.server'
import { logger } from './log.server'

export interface RenderOptions {
  status: number
  headers: Headers
  /** This request's CSP nonce for React's inline scripts; none when scripts are allowed by hash. */
  nonce: string | undefined
  /** Answer once everything is rendered rather than as soon as the shell is. */
  waitForAll: boolean
  /** Pending parts still unrendered after this long are abandoned (rendered on the client). */
  abortAfterMs: number
  /**
   * Holds the whole page (with waitForAll) and hands over the hashes of its inline scripts
   * before answering, for a CSP that allows exactly those (docs/decisions/012).
   */
  withScriptHashes?: (hashes: string[]) => void
}

/**
 * React 18.3's streaming renderer sends a whole 2 KB buffer when a piece of text does not fit in
 * what is left of it, unused end included: the one to three bytes a multi-byte character could
 * not take go out as NUL (facebook/react#24985, fixed in React 19). Chinese pages then carried
 * 「管理 2026-12-06 \0\0的留言」. Each chunk React writes is handed to this transform on its own,
 * before any coalescing, so the padding is always at a chunk's end; HTML never ends a chunk with
 * a real NUL.
 */
function withoutNulPadding() {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let end = chunk.length
      while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--
      callback(null, end === chunk.length ? chunk : chunk.subarray(0, end))
    },
  })
}

export function renderDocument(element: ReactNode, { status, headers, nonce, waitForAll, abortAfterMs, withScriptHashes }: RenderOptions) {
  return new Promise<Response>((resolve, reject) => {
    let shellReady = false
    let responseStatus = status
    const respond = () => {
      const body = withoutNulPadding()
      headers.set('Content-Type', 'text/html; charset=utf-8')
      // A page that failed is never kept by a cache, whatever the route allowed.
      if (responseStatus >= 500) headers.set('Cache-Control', 'no-store')
      if (withScriptHashes) {
        const chunks: Buffer[] = []
        body.on('data', (chunk: Buffer) => chunks.push(chunk))
        body.on('end', () => {
          const html = Buffer.concat(chunks).toString('utf8')
          withScriptHashes(inlineScriptHashes(html))
          resolve(new Response(html, { headers, status: responseStatus }))
        })
      } else {
        resolve(new Response(createReadableStreamFromReadable(body), { headers, status: responseStatus }))
      }
      pipe(body)
    }
    const { pipe, abort } = renderToPipeableStream(element, {
      nonce,
      onShellReady() {
        shellReady = true
        if (!waitForAll) respond()
      },
      onAllReady() {
        clearTimeout(timer)
        if (waitForAll) respond()
      },
      onShellError(error: unknown) {
        clearTimeout(timer)
        reject(error)
      },
      onError(error: unknown) {
        // Before the shell is ready the page itself failed: that is a 500. After it, only a
        // streamed part was cut short (Remix's hydration data, when a loaded server takes longer
        // than the deadline to stream it): the page is whole and keeps its status, so a no-JS
        // buyer told 已售罄 (409) in a burst is not told 500 instead.
        if (!shellReady) responseStatus = 500
        logger.error({ err: error }, 'rendering the page failed')
      },
    })
    const timer = setTimeout(abort, abortAfterMs)
  })
}
