// The build's scripts and styles (public/build), compressed once and served before Express
// (docs/decisions/033-render-once-page-cache.md). Their names carry a hash of their content, so
// they never change: compressing each on every request, as the compression middleware did, cost
// a first visit some 30 ms of the server's time per chunk, on the event loop, for the same bytes.
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib'
import { encodingFor, type Encoding } from './encoding'

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
}

interface Asset {
  type: string
  bodies: Record<Encoding, Buffer>
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name)
      return entry.isDirectory() ? filesUnder(path) : [path]
    })
  } catch {
    return []
  }
}

async function compressAsset(file: string, type: string): Promise<Asset> {
  const identity = await readFile(file)
  // zlib's asynchronous calls run on libuv's thread pool, off the event loop.
  const [br, gz] = await Promise.all([
    promisify(brotliCompress)(identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    promisify(gzip)(identity, { level: 9 }),
  ])
  return { type, bodies: { identity, br, gzip: gz } }
}

/**
 * Serves the scripts and styles found under `dir` at start-up as `/build/…`, each compressed
 * the first time it is asked for. Anything else (a file added later, images) is left to Express.
 */
export function createBuildAssets(dir: string) {
  const files = new Map<string, { file: string; type: string }>()
  for (const file of filesUnder(dir)) {
    const type = TYPES[file.slice(file.lastIndexOf('.') + 1)]
    if (type) files.set(`/build/${relative(dir, file).split(sep).join('/')}`, { file, type })
  }
  const assets = new Map<string, Promise<Asset>>()

  function send(asset: Asset, req: IncomingMessage, res: ServerResponse) {
    const encoding = encodingFor(req)
    const body = asset.bodies[encoding]
    const headers = [
      ['Content-Type', asset.type],
      ['Cache-Control', 'public, max-age=31536000, immutable'],
      ['X-Content-Type-Options', 'nosniff'],
      ['Cross-Origin-Resource-Policy', 'same-origin'],
      ['Vary', 'Accept-Encoding'],
      ['Content-Length', String(body.length)],
      ...(encoding === 'identity' ? [] : [['Content-Encoding', encoding]]),
    ]
    res.writeHead(200, headers.flat())
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  return {
    /** Answers a GET or HEAD of a known asset, or calls `next`. */
    handle(req: IncomingMessage, res: ServerResponse, next: () => void) {
      const path = req.method === 'GET' || req.method === 'HEAD' ? (req.url ?? '').split('?')[0]! : ''
      const known = files.get(path)
      if (!known) return next()
      let asset = assets.get(path)
      if (!asset) {
        asset = compressAsset(known.file, known.type)
        assets.set(path, asset)
        // A file gone since start-up (a rebuild) is Express's to answer, as any unknown one.
        asset.catch(() => files.delete(path) && assets.delete(path))
      }
      asset.then(
        (ready) => send(ready, req, res),
        () => next(),
      )
    },
  }
}
