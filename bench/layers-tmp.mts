import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import morgan from 'morgan'
import { createWriteStream } from 'node:fs'
const body = 'x'.repeat(20000)
const layers: Record<string, express.RequestHandler> = {
  compression: compression(),
  helmet: helmet({ contentSecurityPolicy: false }),
  morgan: morgan(':remote-addr :method :url :status :res[content-length] - :response-time ms', { stream: createWriteStream('/dev/null') }),
  nonce: (req, res, next) => { res.locals.n = randomBytes(16).toString('base64'); res.setHeader('Content-Security-Policy', 'default-src self ' + res.locals.n); next() },
}
async function run(name: string, use: string[]) {
  const app = express()
  for (const l of use) app.use(layers[l]!)
  app.get('*', (_q, s) => { s.type('html').send(body) })
  const server = createServer(app).listen(3302)
  await new Promise((r) => server.once('listening', r))
  const r = await autocannon({ url: 'http://127.0.0.1:3302/', connections: 50, duration: 4, headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
  server.close()
  console.log(name.padEnd(30), Math.round(r.requests.average), 'req/s', (1e6 / r.requests.average).toFixed(0), 'µs/req')
}
await run('express only', [])
await run('+ compression', ['compression'])
await run('+ helmet', ['helmet'])
await run('+ morgan', ['morgan'])
await run('+ nonce csp', ['nonce'])
await run('all', ['compression', 'helmet', 'nonce', 'morgan'])
await run('express only (again)', [])
