// The build's scripts and styles served before Express, compressed once (server/build-assets.ts,
// decision 033), over real HTTP from a build directory made for the test.
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, get as httpGet } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBuildAssets } from '../../server/build-assets'

const dir = mkdtempSync(join(tmpdir(), 'zhiyin-build-'))
const script = `export const greeting = ${JSON.stringify('知音'.repeat(2000))};\n`
let origin = ''
const passedOn: string[] = []
let close = () => Promise.resolve()

beforeAll(async () => {
  mkdirSync(join(dir, '_shared'))
  writeFileSync(join(dir, '_shared', 'chunk-ABC.js'), script)
  writeFileSync(join(dir, 'gone-XYZ.js'), script)
  writeFileSync(join(dir, 'logo.png'), 'png')
  const assets = createBuildAssets(dir)
  const server = createServer((req, res) =>
    assets.handle(req, res, () => {
      passedOn.push(req.url ?? '')
      res.writeHead(404).end()
    }),
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((resolve) => server.close(() => resolve()))
})
afterAll(async () => {
  await close()
  rmSync(dir, { recursive: true, force: true })
})

function raw(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    // A path as given, not normalised as a URL would be ('/build/../x' stays so).
    const { hostname, port } = new URL(origin)
    httpGet({ hostname, port, path, headers, method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

describe('the build assets', () => {
  it.each([
    ['br, gzip', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['', undefined, (body: Buffer) => body],
  ] as const)('sends a script compressed as Accept-Encoding %j asks, cached for a year, the same bytes once decoded', async (accept, encoding, decode) => {
    const answer = await raw('/build/_shared/chunk-ABC.js', { 'Accept-Encoding': accept })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-encoding']).toBe(encoding)
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(answer.headers['x-content-type-options']).toBe('nosniff')
    expect(answer.headers.vary).toBe('Accept-Encoding')
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length)
    expect(decode(answer.body).toString()).toBe(script)
    if (encoding) expect(answer.body.length).toBeLessThan(Buffer.byteLength(script) / 20)
  })

  it('answers HEAD with the headers only', async () => {
    const answer = await raw('/build/_shared/chunk-ABC.js', { 'Accept-Encoding': 'gzip' }, 'HEAD')
    expect(answer.status).toBe(200)
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(0)
    expect(answer.body.length).toBe(0)
  })

  it('leaves to Express what it does not know: other types, unknown names, paths out of the directory, a file gone since start-up', async () => {
    rmSync(join(dir, 'gone-XYZ.js'))
    for (const path of ['/build/logo.png', '/build/_shared/chunk-NEW.js', '/build/../package.json', '/build/%2e%2e/x.js', '/build/gone-XYZ.js']) {
      expect((await raw(path)).status, path).toBe(404)
    }
    expect(passedOn).toEqual(['/build/logo.png', '/build/_shared/chunk-NEW.js', '/build/../package.json', '/build/%2e%2e/x.js', '/build/gone-XYZ.js'])
  })
})
