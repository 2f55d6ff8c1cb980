// The document renderer keeps the status the route chose when only a streamed part misses the
// deadline (what a burst of no-JS buyers once turned from 409 into 500), and answers 500 when
// the page itself fails.
import { createHash } from 'node:crypto'
import { Suspense } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderDocument } from '~/utils/render-document.server'
import { captureLogs } from '../support/logs'

/** Suspends forever, like hydration data a loaded server has not finished streaming. */
function NeverReady(): never {
  throw new Promise(() => {})
}

function Broken(): never {
  throw new Error('the page itself broke')
}

function page(slowPart: boolean) {
  return (
    <html lang="zh-CN">
      <body>
        <p>已售罄</p>
        {slowPart ? (
          <Suspense fallback={<span>加载中</span>}>
            <NeverReady />
          </Suspense>
        ) : null}
      </body>
    </html>
  )
}

const options = (waitForAll: boolean) => ({ status: 409, headers: new Headers(), nonce: 'n0nce', waitForAll, abortAfterMs: 50 })

describe('renderDocument', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([true, false])('keeps the route status when a streamed part misses the deadline (waitForAll %s)', async (waitForAll) => {
    // React itself warns on the console of the task it aborted.
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const logged = captureLogs()
    const response = await renderDocument(page(true), options(waitForAll))
    const html = await response.text().finally(logged.stop)
    expect(response.status).toBe(409)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(html).toContain('已售罄')
    expect(logged.lines()).toMatchObject([{ level: 50, err: { message: expect.stringContaining('aborted') } }])
  })

  it('answers at once with the whole page when nothing is pending, and logs nothing', async () => {
    const logged = captureLogs()
    const response = await renderDocument(page(false), options(true))
    expect(response.status).toBe(409)
    expect(await response.text().finally(logged.stop)).toContain('<p>已售罄</p>')
    expect(logged.raw).toEqual([])
  })

  it('turns the answer into a 500 when a part fails before the shell is ready', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await renderDocument(
      <html lang="zh-CN">
        <body>
          <Suspense fallback={<span>加载中</span>}>
            <Broken />
          </Suspense>
        </body>
      </html>,
      options(true),
    )
    expect(response.status).toBe(500)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
  })

  it('holds the whole page of a shared answer and hands over its inline scripts’ hashes before answering', async () => {
    let hashes: string[] | null = null
    const response = await renderDocument(
      <html lang="zh-CN">
        <body>
          <p>知音</p>
          <script dangerouslySetInnerHTML={{ __html: 'window.__ready = true' }} />
        </body>
      </html>,
      { status: 200, headers: new Headers(), nonce: undefined, waitForAll: true, abortAfterMs: 1000, withScriptHashes: (found) => (hashes = found) },
    )
    expect(hashes).toEqual([`'sha256-${createHash('sha256').update('window.__ready = true').digest('base64')}'`])
    const html = await response.text()
    expect(html).toContain('<script>window.__ready = true</script>')
    expect(html).not.toContain('nonce')
  })

  it('rejects when the shell itself fails, for Remix to render the error page', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(renderDocument(<Broken />, options(false))).rejects.toThrow('the page itself broke')
  })
})

describe('renderDocument and Chinese text', () => {
  // React 18.3's streaming renderer writes into 2 KB buffers; a multi-byte character that does
  // not fit at a buffer's end was sent with NUL bytes in its place (facebook/react#24985) —
  // found as 「管理 2026-12-06 \0\0的留言」 in /admin/posts.
  it.each([true, false])('sends no NUL byte whatever falls at a buffer boundary (waitForAll %s) (fails without the fix)', async (waitForAll) => {
    for (let pad = 0; pad < 3; pad++) {
      // Many short pieces of text (each written into the current buffer), one of which lands on
      // a buffer's end part-way through a character.
      const items = Array.from({ length: 400 }, (_, i) => `${'a'.repeat(pad)}管理 ${i} 的留言`)
      const response = await renderDocument(
        <html lang="zh-CN">
          <body>
            <ul>
              {items.map((item) => (
                <li key={item} aria-label={item}>
                  {item}
                </li>
              ))}
            </ul>
          </body>
        </html>,
        options(waitForAll),
      )
      const bytes = Buffer.from(await response.arrayBuffer())
      expect(bytes.includes(0), `padding ${pad}`).toBe(false)
      expect(bytes.toString('utf8')).toContain(items[399])
    }
  })
})
