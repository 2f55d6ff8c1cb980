// npm run bench:layers — what each layer of the Express stack in front of Remix costs
// (server/main.ts siteLayers, issue 15). An Express app with the first k layers answers every
// request with the same page-sized HTML (what a render would hand over), for k = 0 … all, each in
// its own process (`--serve k`), driven by autocannon as a browser asks (Accept-Encoding), against
// a bare node:http server sending the same bytes in the same run. The request log writes to the
// server's stdout, here /dev/null. Read the microseconds each layer adds, not absolute figures.
import { spawn } from 'node:child_process'
import { createServer, type RequestListener } from 'node:http'
import autocannon from 'autocannon'
import express from 'express'
import { siteLayers } from '../server/main'
import { getEnv } from '~/utils/env.server'

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)

// About the size of a signed-in /shop page (60 KB of HTML, mostly Chinese text and markup).
const PAGE = `<!DOCTYPE html><html lang="zh-CN"><body>${'<section class="card"><h2>知音好物</h2><p>每天一段六十秒的语音，一篇值得读的文章。</p></section>'.repeat(450)}</body></html>`

const PORT = Number(process.env.BENCH_PORT ?? 3390)

/** The server of one row: the bare page (k = -1) or Express with the first k layers. */
function serve(k: number) {
  const bare: RequestListener = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(PAGE)
  }
  const app = express()
  app.disable('x-powered-by')
  for (const { path, handler } of layers().slice(0, Math.max(k, 0))) {
    if (path) app.use(path, handler)
    else app.use(handler)
  }
  app.use((_req, res) => res.type('html').send(PAGE))
  createServer(k < 0 ? bare : app).listen(PORT, '127.0.0.1')
}

function layers() {
  return siteLayers({ ...getEnv(), NODE_ENV: 'production' })
}

async function measure(k: number) {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--serve', String(k)], { stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break
      } catch (error) {
        if (tries > 100) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const result = await autocannon({
      url: `http://127.0.0.1:${PORT}/shop`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers: { Accept: 'text/html', 'Accept-Encoding': 'gzip, deflate, br' },
    })
    return result.requests.average
  } finally {
    child.kill()
    await new Promise((resolve) => child.once('exit', resolve))
  }
}

async function main() {
  const serveAt = process.argv.indexOf('--serve')
  if (serveAt !== -1) return serve(Number(process.argv[serveAt + 1]))
  const names = layers().map(({ name }) => name)
  const rows: { name: string; rps: number }[] = [{ name: 'bare node:http, the same page uncompressed (baseline)', rps: await measure(-1) }]
  for (let k = 0; k <= names.length; k++) rows.push({ name: k === 0 ? 'Express alone' : `+ ${names[k - 1]}`, rps: await measure(k) })
  const baseline = rows[0]!.rps
  console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s each, a ${Math.round(Buffer.byteLength(PAGE) / 1024)} KB page, node ${process.version}\n`)
  console.log('| stack | req/s | µs per request | added by the layer | vs baseline |')
  console.log('|---|---:|---:|---:|---:|')
  rows.forEach(({ name, rps }, i) => {
    const us = 1e6 / rps
    const added = i < 2 ? '' : `${Math.round(us - 1e6 / rows[i - 1]!.rps)}`
    console.log(`| ${name} | ${Math.round(rps)} | ${Math.round(us)} | ${added} | ${(rps / baseline).toFixed(3)} |`)
  })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
