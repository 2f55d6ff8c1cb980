// Renders a React document to an HTML Response: streamed once the shell is ready, or whole once
// everything is (for bots and no-JS clients), and cut short after a deadline.
import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable } from '@remix-run/node'
import type { ReactNode } from 'react'
import { renderToPipeableStream } from 'react-dom/server'

export interface RenderOptions {
  status: number
  headers: Headers
  nonce: string
  /** Answer once everything is rendered rather than as soon as the shell is. */
  waitForAll: boolean
  /** Pending parts still unrendered after this long are abandoned (rendered on the client). */
  abortAfterMs: number
}

export function renderDocument(element: ReactNode, { status, headers, nonce, waitForAll, abortAfterMs }: RenderOptions) {
  return new Promise<Response>((resolve, reject) => {
    let shellReady = false
    let responseStatus = status
    const respond = () => {
      const body = new PassThrough()
      headers.set('Content-Type', 'text/html; charset=utf-8')
      // A page that failed is never kept by a cache, whatever the route allowed.
      if (responseStatus >= 500) headers.set('Cache-Control', 'no-store')
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status: responseStatus }))
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
