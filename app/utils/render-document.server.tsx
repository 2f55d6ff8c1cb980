// Renders a React document to an HTML Response: streamed once the shell is ready, or whole once
// everything is (for bots and no-JS clients, and pages whose scripts are allowed by hash), and
// cut short after a deadline.
import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable } from '@remix-run/node'
import type { ReactNode } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { inlineScriptHashes } from './csp.server'

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

export function renderDocument(element: ReactNode, { status, headers, nonce, waitForAll, abortAfterMs, withScriptHashes }: RenderOptions) {
  return new Promise<Response>((resolve, reject) => {
    let shellReady = false
    let responseStatus = status
    const respond = () => {
      const body = new PassThrough()
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
        console.error(error)
      },
    })
    const timer = setTimeout(abort, abortAfterMs)
  })
}
