// npm run bench — how fast the pages everyone reads are, as ratios against a bare node:http
// "hello" server measured in the same run (these machines are shared and noisy: compare
// ratios, not absolute numbers). The app runs as `npm start` would, on a fresh seeded database.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import autocannon from 'autocannon'
import { recordResults } from './results'

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)

function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitFor(url: string, child: ChildProcess, seconds = 180) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer in ${seconds} s`)
}

const BARE_SERVER = `require('node:http').createServer((q, s) => { s.writeHead(200, {'content-type': 'text/plain'}); s.end('hello') }).listen(+process.env.PORT)`

/** What a browser sends for a page: it takes the page compressed. */
const BROWSER = { Accept: 'text/html', 'Accept-Encoding': 'gzip, deflate, br' }

async function measure(name: string, url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers })
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhiyin-bench-'))
  // BENCH_PORT=N pins the two servers to N and N+1 (a shared machine hands out port ranges).
  const [barePort, appPort] = process.env.BENCH_PORT
    ? [Number(process.env.BENCH_PORT), Number(process.env.BENCH_PORT) + 1]
    : await Promise.all([freePort(), freePort()])
  const bare = spawn(process.execPath, ['-e', BARE_SERVER], { env: { ...process.env, PORT: String(barePort) }, stdio: 'ignore' })
  const startApp = (env: Record<string, string>) =>
    spawn('npx', ['tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(appPort), DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    })
  const stopApp = async (child: ChildProcess) => {
    if (child.pid) process.kill(-child.pid, 'SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
  const app0 = `http://127.0.0.1:${appPort}`
  // First start (development) seeds the demo accounts and dailies; the measured one is production.
  const seeding = startApp({ NODE_ENV: 'development' })
  await waitFor(`${app0}/healthz`, seeding)
  await stopApp(seeding)
  const app = startApp({ NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret!!' })
  try {
    await Promise.all([waitFor(`http://127.0.0.1:${barePort}/`, bare), waitFor(`${app0}/healthz`, app)])
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    // Visitors' pages are asked for as a browser does (compressed); each is kept by the page
    // cache for a second (decision 033), so these rows measure serving it, re-rendered once a
    // second. The 304 row sends the ETag a browser holds from its last visit.
    const etagOfHome = (await fetch(`${app0}/`)).headers.get('etag') ?? ''
    // `key` names the figure in the summary against issue 15's targets (bench/summary.ts).
    const targets: { name: string; url: string; headers?: Record<string, string>; key?: string }[] = [
      { name: 'bare node:http hello (baseline)', url: `http://127.0.0.1:${barePort}/` },
      { name: 'GET /healthz (one SQL query)', url: `${app0}/healthz`, key: 'healthz' },
      { name: 'GET / (today\'s daily, visitor)', url: `${app0}/`, headers: BROWSER, key: 'visitor /' },
      { name: 'GET / with the ETag a browser holds (304)', url: `${app0}/`, headers: { ...BROWSER, 'If-None-Match': etagOfHome } },
      { name: `GET /daily/${today} (visitor)`, url: `${app0}/daily/${today}`, headers: BROWSER, key: 'visitor /daily' },
      { name: `GET /daily/${today}.data (loader data)`, url: `${app0}/daily/${today}.data` },
      { name: 'GET /keyword?q=… (302 to the article)', url: `${app0}/keyword?q=${encodeURIComponent('费曼')}` },
      { name: 'GET /shop (本周上新, 最热, visitor)', url: `${app0}/shop`, headers: BROWSER, key: 'visitor /shop' },
      { name: 'GET /membership (the drop page, visitor)', url: `${app0}/membership`, headers: BROWSER, key: 'visitor /membership' },
      // Every buyer's page polls this every few seconds while a drop runs.
      { name: 'GET /membership/seats (live seats JSON)', url: `${app0}/membership/seats`, key: 'seats' },
    ]
    await measure('warm-up', `${app0}/`)
    const rows = []
    // BENCH_ONLY=signed-in: the baseline and the signed-in rows only (quick iterations).
    const measured = process.env.BENCH_ONLY === 'signed-in' ? targets.slice(0, 1) : targets
    for (const target of measured) rows.push({ ...(await measure(target.name, target.url, target.headers)), key: target.key })
    rows.push(...(await measureSignedIn(app0, dataDir, today)))
    const baseline = rows[0]!.rps
    console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s each, node ${process.version}\n`)
    console.log('| target | req/s | p50 ms | p99 ms | vs baseline | errors | non-2xx |')
    console.log('|---|---:|---:|---:|---:|---:|---:|')
    for (const r of rows) {
      // Signed-in pages sit far below 0.01 of the baseline: three decimals would read 0.001 or 0.002.
      const ratio = r.rps / baseline
      console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${ratio.toFixed(ratio < 0.01 ? 4 : 3)} | ${r.errors} | ${r.non2xx} |`)
    }
    recordResults(Object.fromEntries(rows.flatMap((r) => (r.key ? [[r.key, r.rps / baseline]] : []))))
  } finally {
    bare.kill()
    await stopApp(app)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * The pages a member reads every morning, signed in as the seeded 铁杆 member: the session is
 * written before the clock starts as createSession would (the token's SHA-256 as the row id),
 * and every request carries the `zhiyin_session` cookie auth.server.ts sets.
 */
async function measureSignedIn(app0: string, dataDir: string, today: string) {
  const client = createClient({ url: `file:${join(dataDir, 'zhiyin.db')}`, timeout: 10_000 })
  const now = Date.now()
  const token = encodeBase32LowerCaseNoPadding(randomBytes(20))
  try {
    const member = await client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: ['tiegan@zhiyin.local'] })
    const userId = Number(member.rows[0]!.id)
    // 30 days, like createSession: a fresh session is not due for renewal, as most reads are not.
    await client.execute({
      sql: 'INSERT INTO sessions (id, user_id, expires_at, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      args: [createHash('sha256').update(token).digest('hex'), userId, now + 30 * 86_400_000, now, now],
    })
  } finally {
    client.close()
  }
  // A browser's request: the page is compressed for it, as for visitors.
  const headers = { ...BROWSER, cookie: `zhiyin_session=${token}` }
  const pages = [
    { name: '铁杆 signed in: GET /', url: `${app0}/`, key: 'member /' },
    { name: `铁杆 signed in: GET /daily/${today}`, url: `${app0}/daily/${today}`, key: 'member /daily' },
    { name: '铁杆 signed in: GET /shop', url: `${app0}/shop`, key: 'member /shop' },
    { name: '铁杆 signed in: GET /membership', url: `${app0}/membership`, key: 'member /membership' },
  ]
  // A signed-in page that answered as a visitor would measure the wrong thing.
  const probe = await (await fetch(pages[0]!.url, { headers })).text()
  if (!probe.includes('铁杆老友')) throw new Error('the bench session does not sign in: the page does not name the member')
  const rows = []
  for (const page of pages) rows.push({ ...(await measure(page.name, page.url, headers)), key: page.key })
  return rows
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
