// Several production servers on one database, as containers behind a balancer would run
// (issue 16): N processes, each on its own port, on one local SQLite file or on a libsql server
// (sqld, started with scripts/sqld.ts), optionally each with an embedded read replica of its own
// (DATABASE_REPLICA_PATH). Used by the storm benchmark (bench/storm.ts) and the scale-out race
// test; the harness seeds and checks the database through `client` (plain SQL, never the app).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { startSqld, type RunningSqld } from '../scripts/sqld'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export type DatabaseKind = 'file' | 'sqld'

export interface ClusterOptions {
  processes: number
  database: DatabaseKind
  /** Each process keeps an embedded replica of the sqld database in a file of its own. */
  replica?: boolean
  /** Ports the servers, their metrics and sqld may take, e.g. [3870, 3899]. */
  ports: [number, number]
  /** Ports sqld may take (its own range on shared machines); the servers' range if not given. */
  sqldPorts?: [number, number]
  /** WEB_CONCURRENCY of each process (workers of node:cluster once the lead's change is in); 1 unless given. */
  workers?: number
  /** More environment for every server (DROP_LINE_WINDOW …). */
  env?: Record<string, string>
  /** Where the data directory goes (a temporary directory, removed by stop()). */
  tmp?: string
  /** Where stop() keeps the servers' and sqld's logs (they go with the data directory otherwise). */
  keepLogsIn?: string
}

export interface ClusterServer {
  base: string
  pid: number
  logPath: string
  /** The prom-client /metrics port (METRICS_PORT) given to the process. */
  metricsPort: number
}

export interface LoopDelay {
  p99Ms: number
  maxMs: number
  /** Share of the window the loop's thread was runnable but waited for a CPU (bench/loop-monitor.ts; Linux only). */
  waitingForCpuShare?: number | null
  /** The loop's own delay: each tick's lateness less its thread's wait for a CPU (bench/loop-monitor.ts). */
  ownP99Ms?: number | null
  ownMaxMs?: number | null
}

export interface Cluster {
  servers: ClusterServer[]
  /** The servers' base URLs: spread buyers over them round-robin. */
  bases: string[]
  databaseUrl: string
  /** The harness's connection to the database (the local file, or the sqld primary). */
  client: Client
  sqld: RunningSqld | null
  dataDir: string
  /** Warms every server up, then forgets the event-loop delays seen so far (the start-up). */
  resetLoopDelays(): Promise<void>
  /** Each server's longest event-loop delay since the last reset, from its /metrics and from the preloaded monitor. */
  loopDelays(): Promise<{ metrics: (LoopDelay | null)[]; monitor: (LoopDelay | null)[] }>
  /** What each server's (and sqld's) log says went wrong, most frequent first, at most `limit` kinds per log. */
  errorLines(limit?: number): string[]
  stop(): Promise<void>
}

/** A port in [low, high] nobody listens on, not one of `taken`, tried from a random start. */
export async function freePort([low, high]: [number, number], taken: number[] = []) {
  const size = high - low + 1
  for (let port = low + Math.floor(Math.random() * size), tries = 0; tries < size; tries++, port = low + ((port - low + 1) % size)) {
    if (taken.includes(port)) continue
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) {
      taken.push(port)
      return port
    }
  }
  throw new Error(`no free port in ${low}–${high}`)
}

export async function waitFor(url: string, child: ChildProcess, seconds = 300) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`)
    try {
      if ((await fetch(url)).status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer in ${seconds} s`)
}

/** SIGTERM to this child's pid (never by name), SIGKILL if it has not gone in 15 s. */
export async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const gone = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await gone
  clearTimeout(timer)
}

const taken: number[] = []

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (options.replica && options.database !== 'sqld') throw new Error('an embedded replica needs --database sqld')
  const dataDir = mkdtempSync(join(options.tmp ?? tmpdir(), 'zhiyin-cluster-'))
  const children: ChildProcess[] = []
  const logs: number[] = []
  let sqld: RunningSqld | null = null
  let client: Client | null = null
  let stopped: Promise<void> | null = null
  const stop = () => {
    stopped ??= (async () => {
      client?.close()
      await Promise.all(children.map(stopChild))
      await sqld?.stop()
      for (const fd of logs) closeSync(fd)
      if (options.keepLogsIn) {
        rmSync(options.keepLogsIn, { recursive: true, force: true })
        mkdirSync(options.keepLogsIn, { recursive: true })
        for (const name of readdirSync(dataDir)) if (name.endsWith('.log')) copyFileSync(join(dataDir, name), join(options.keepLogsIn, name))
      }
      rmSync(dataDir, { recursive: true, force: true })
    })()
    return stopped
  }
  try {
    let databaseUrl = `file:${join(dataDir, 'zhiyin.db')}`
    if (options.database === 'sqld') {
      const sqldLog = openSync(join(dataDir, 'sqld.log'), 'w')
      logs.push(sqldLog)
      sqld = await startSqld({ port: await freePort(options.sqldPorts ?? options.ports, taken), dir: join(dataDir, 'sqld'), log: sqldLog })
      databaseUrl = sqld.url
    }
    // Every process signs and reads the same sessions and line tickets: one secret for all.
    const secret = randomBytes(24).toString('hex')
    const servers: ClusterServer[] = []
    const startOne = async (i: number) => {
      const port = await freePort(options.ports, taken)
      const metricsPort = await freePort(options.ports, taken)
      const base = `http://127.0.0.1:${port}`
      const logPath = join(dataDir, `server-${i}.log`)
      const log = openSync(logPath, 'w')
      logs.push(log)
      // As `npm start` runs it, in production with the test payment provider opted in.
      // BENCH_CPU_PROF_DIR=<dir>: each server writes a V8 CPU profile there when it stops (where its time went).
      const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []
      const child = spawn(process.execPath, [...profile, '--import', 'tsx', '--import', join(ROOT, 'bench/loop-monitor.ts'), 'server/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PAYMENTS_TEST_MODE: '1',
          DATA_DIR: dataDir,
          DATABASE_URL: databaseUrl,
          ...(options.replica ? { DATABASE_REPLICA_PATH: join(dataDir, `replica-${i}.db`) } : {}),
          PORT: String(port),
          SITE_URL: base,
          SESSION_SECRET: secret,
          WEB_CONCURRENCY: String(options.workers ?? 1),
          METRICS_PORT: String(metricsPort),
          METRICS_HOST: '127.0.0.1',
          LOOP_MONITOR_DIR: dataDir,
          // A storm on a small machine can outlast the default 10 minutes: no hold may lapse before it is paid.
          HOLD_MINUTES: '120',
          ...options.env,
        },
        stdio: ['ignore', log, log],
      })
      children.push(child)
      await waitFor(`${base}/healthz`, child).catch((error: Error) => {
        throw new Error(`${error.message}; its log (${logPath}):\n${tail(logPath)}`)
      })
      servers[i] = { base, pid: child.pid!, logPath, metricsPort }
    }
    // The first one migrates and seeds an empty database before the others start.
    await startOne(0)
    await Promise.all(Array.from({ length: options.processes - 1 }, (_, i) => startOne(i + 1)))
    client = options.database === 'file' ? createClient({ url: databaseUrl, timeout: 10_000 }) : retryingBusyServer(createClient({ url: databaseUrl }))
    // A server with WEB_CONCURRENCY > 1 serves from its node:cluster workers (its children, which
    // inherit the preloaded monitor): each of them reports, and the worst of them counts.
    const signalMonitors = async () => {
      for (const server of servers) for (const pid of processTree(server.pid)) process.kill(pid, 'SIGUSR2')
      await new Promise((r) => setTimeout(r, 300))
    }
    return {
      servers,
      bases: servers.map((s) => s.base),
      databaseUrl,
      client,
      sqld,
      dataDir,
      async resetLoopDelays() {
        // A process's first pages load and compile its route modules: not what a storm measures.
        for (const server of servers) for (const path of WARM_UP) await fetch(`${server.base}${path}`).then((r) => r.arrayBuffer())
        await Promise.all(servers.map((s) => scrapeLoopDelay(s.metricsPort)))
        await signalMonitors()
      },
      async loopDelays() {
        const metrics = await Promise.all(servers.map((s) => scrapeLoopDelay(s.metricsPort)))
        await signalMonitors()
        const monitor = servers.map((s) => worstOf(processTree(s.pid).map((pid) => readMonitor(join(dataDir, `loop-${pid}.json`)))))
        return { metrics, monitor }
      },
      errorLines(limit = 20) {
        const files = [...servers.map((s) => s.logPath), ...(sqld ? [join(dataDir, 'sqld.log')] : [])]
        return files.flatMap((file) => errorSummary(file).slice(0, limit).map((line) => `${file.split('/').pop()}: ${line}`))
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * The harness's own queries to sqld, retried while it answers 429 (it refuses new connections
 * while the servers' writes queue up, e.g. right after a storm): seeding and checking must not
 * fail for what the servers are measured on.
 */
function retryingBusyServer(client: Client): Client {
  const execute = async (...args: Parameters<Client['execute']>): Promise<Awaited<ReturnType<Client['execute']>>> => {
    const deadline = Date.now() + 60_000
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      try {
        return await (client.execute as (...a: typeof args) => ReturnType<Client['execute']>)(...args)
      } catch (error) {
        const status = (error as { cause?: { status?: number } }).cause?.status
        if (status !== 429 || Date.now() > deadline) throw error
        await new Promise((r) => setTimeout(r, pause))
      }
    }
  }
  return new Proxy(client, {
    get(target, property) {
      if (property === 'execute') return execute
      // The client keeps its state in private fields: its own methods must run on it, not on the proxy.
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** Pages each process answers once before its event-loop delays are measured. */
const WARM_UP = ['/', '/membership', '/membership/seats', '/shop']

/** nodejs_eventloop_lag_{p99,max}_seconds from the server's prom-client metrics, or null when it has none. */
async function scrapeLoopDelay(port: number): Promise<LoopDelay | null> {
  try {
    const headers: Record<string, string> = process.env.METRICS_TOKEN ? { Authorization: `Bearer ${process.env.METRICS_TOKEN}` } : {}
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers, signal: AbortSignal.timeout(5000) })
    if (!response.ok) return null
    const text = await response.text()
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN)
    const p99 = value('nodejs_eventloop_lag_p99_seconds')
    const max = value('nodejs_eventloop_lag_max_seconds')
    return Number.isNaN(max) ? null : { p99Ms: p99 * 1000, maxMs: max * 1000 }
  } catch {
    return null
  }
}

/** The process and its children (by parent pid, from /proc): a node:cluster primary and its workers. */
function processTree(pid: number) {
  const children = readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return []
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its ")".
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(name)] : []
    } catch {
      return []
    }
  })
  return [pid, ...children]
}

function worstOf(readings: (LoopDelay | null)[]): LoopDelay | null {
  const known = readings.filter((r): r is LoopDelay => r !== null)
  if (known.length === 0) return null
  const shares = known.flatMap((r) => (typeof r.waitingForCpuShare === 'number' ? [r.waitingForCpuShare] : []))
  return {
    p99Ms: Math.max(...known.map((r) => r.p99Ms)),
    maxMs: Math.max(...known.map((r) => r.maxMs)),
    waitingForCpuShare: shares.length > 0 ? Math.max(...shares) : null,
    ownP99Ms: worstKnown(known.map((r) => r.ownP99Ms)),
    ownMaxMs: worstKnown(known.map((r) => r.ownMaxMs)),
  }
}

function worstKnown(values: (number | null | undefined)[]) {
  const known = values.filter((v): v is number => typeof v === 'number')
  return known.length > 0 ? Math.max(...known) : null
}

function readMonitor(file: string): LoopDelay | null {
  if (!existsSync(file)) return null
  const reading = JSON.parse(readFileSync(file, 'utf8')) as LoopDelay
  return { p99Ms: reading.p99Ms, maxMs: reading.maxMs, waitingForCpuShare: reading.waitingForCpuShare ?? null, ownP99Ms: reading.ownP99Ms ?? null, ownMaxMs: reading.ownMaxMs ?? null }
}

// What a server's log says went wrong: requests answered 5xx (morgan's text line or pino-http's
// JSON), and the errors thrown (an "…Error: message" line, a "code: 'SQLITE_BUSY'" line, sqld's
// own ERROR lines), each with how often it came.
const FAILED_REQUEST = / (GET|POST|HEAD) (\S+?)(?:\?\S*)? (5\d\d) |"statusCode":(5\d\d)/
const THROWN = /\b(\w*Error(?:: .*)?|code: '\w+'|ERROR .*)$/
/** pino's serialised error: {"type":"LibsqlError","message":"…"}. */
const THROWN_JSON = /"type":"(\w*Error)","message":"((?:[^"\\]|\\.){0,200})/

export function errorSummary(file: string) {
  if (!existsSync(file)) return []
  const counts = new Map<string, number>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const failed = FAILED_REQUEST.exec(line)
    // sqld's lines carry a timestamp and a request id: keep what follows "ERROR".
    const json = THROWN_JSON.exec(line)
    const thrown = failed || json ? null : THROWN.exec(line.replace(/^.*?\bERROR\b.*?: /, 'ERROR '))
    const key = failed
      ? failed[4]
        ? `${/"method":"(\w+)","url":"([^"?]*)/.exec(line)?.slice(1).join(' ').replace(/\/\d+/g, '/:id') ?? 'a request'} answered ${failed[4]}`
        : `${failed[1]} ${failed[2]!.replace(/\/\d+/g, '/:id')} answered ${failed[3]}`
      : json
        ? `${json[1]}: ${json[2]}`
        : thrown
          ? thrown[1]!.slice(0, 240)
          : null
    if (key && !/^\s*at /.test(line)) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${n} × ${what}`)
}

function tail(file: string, lines = 30) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)'
}
